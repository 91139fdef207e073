//! The `outcry` command: parses the command line and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

mod commands;

use commands as cli;

#[derive(Parser)]
#[command(
    name = "outcry",
    version,
    about = "Turn social media posts into evidence of a service outage"
)]
struct Args {
    /// The store (a folder); created on first use.
    #[arg(long, global = true, env = "OUTCRY_DB", default_value = "outcry.db")]
    db: PathBuf,
    /// Read lexicons from this folder instead of the built-in copies.
    #[arg(long, global = true, env = "OUTCRY_LEXICONS")]
    lexicons: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import tweet archives (files, folders, or - for standard input).
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write every rejected line here, verbatim.
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Read and report without touching the store.
        #[arg(long)]
        dry_run: bool,
        /// Read files even if they were imported whole before.
        #[arg(long)]
        force: bool,
        /// The topic whose curve is drawn afterwards (default: netflix, or the
        /// topic with most posts).
        #[arg(long)]
        chart: Option<String>,
        /// Do not draw a curve afterwards.
        #[arg(long)]
        no_chart: bool,
        /// Do not keep the text of matched posts (only their scores).
        #[arg(long)]
        no_text: bool,
    },
    /// Print a topic's complaint curve.
    Curve(CurveArgs),
    /// Write reports to files.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// List the topics and the terms that mention them.
    Topics,
    /// Summarise the store.
    Stats,
    /// Write a synthetic archive.
    Synth {
        #[arg(long, default_value = "christmas-eve-2012")]
        scenario: String,
        #[arg(long, default_value_t = 2012)]
        seed: u64,
        /// Output file; gzip when it ends in .gz.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(clap::Args)]
struct CurveArgs {
    topic: String,
    /// Start (RFC 3339, e.g. 2012-12-24T00:00:00Z); default: the first hour stored.
    #[arg(long)]
    from: Option<String>,
    /// End, inclusive; default: the last hour stored.
    #[arg(long)]
    to: Option<String>,
    #[arg(long, value_enum, default_value_t = By::Hour)]
    by: By,
    /// Only this region (a country code such as US or BR, or unknown).
    #[arg(long)]
    region: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Chart)]
    format: Format,
}

#[derive(Subcommand)]
enum ExportCommand {
    /// A curve as CSV.
    Curve {
        topic: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = By::Hour)]
        by: By,
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum By {
    Hour,
    Day,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Chart,
    Table,
    Csv,
    Json,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("outcry: error: {e:#}");
            ExitCode::from(cli::EXIT_FATAL)
        }
    }
}

fn run(args: Args) -> Result<ExitCode> {
    let env = cli::Env::new(args.db, args.lexicons);
    let code = match args.command {
        Command::Import {
            paths,
            rejects,
            dry_run,
            force,
            chart,
            no_chart,
            no_text,
        } => cli::import(
            &env,
            &cli::ImportArgs {
                paths,
                rejects,
                dry_run,
                force,
                keep_text: !no_text,
                chart: if no_chart {
                    cli::ChartChoice::None
                } else {
                    chart.map_or(cli::ChartChoice::Auto, cli::ChartChoice::Topic)
                },
            },
        )?,
        Command::Curve(a) => {
            let query = curve_request(&a.topic, a.from, a.to, a.by, a.region)?;
            let format = match a.format {
                Format::Chart => cli::CurveFormat::Chart,
                Format::Table => cli::CurveFormat::Table,
                Format::Csv => cli::CurveFormat::Csv,
                Format::Json => cli::CurveFormat::Json,
            };
            cli::curve(&env, &query, format, None)?
        }
        Command::Export {
            what:
                ExportCommand::Curve {
                    topic,
                    out,
                    from,
                    to,
                    by,
                    region,
                },
        } => {
            let query = curve_request(&topic, from, to, by, region)?;
            cli::curve(&env, &query, cli::CurveFormat::Csv, Some(&out))?
        }
        Command::Topics => cli::topics(&env)?,
        Command::Stats => cli::stats(&env)?,
        Command::Synth {
            scenario,
            seed,
            out,
        } => cli::synth(&scenario, seed, &out)?,
    };
    Ok(ExitCode::from(code))
}

fn curve_request(
    topic: &str,
    from: Option<String>,
    to: Option<String>,
    by: By,
    region: Option<String>,
) -> Result<cli::CurveRequest> {
    let time = |s: Option<String>, name: &str| -> Result<_> {
        s.map(|s| cli::parse_time(&s).with_context(|| format!("--{name} {s:?}")))
            .transpose()
    };
    Ok(cli::CurveRequest {
        topic: topic.to_string(),
        from: time(from, "from")?,
        to: time(to, "to")?,
        by: match by {
            By::Hour => outcry::query::Granularity::Hour,
            By::Day => outcry::query::Granularity::Day,
        },
        region,
    })
}
