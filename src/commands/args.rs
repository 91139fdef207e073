//! The command line's words: every subcommand, its arguments, and which
//! command module runs it. Kept apart from `main.rs` so that the binary's
//! entry point stays a few lines.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};

use super as cli;

#[derive(Subcommand)]
pub enum Command {
    /// Import tweet archives (files, folders, or - for standard input).
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Append every rejected line here, verbatim: each once per content
        /// of each input, across resumes and --force (unless the file was
        /// emptied, or another got the lines since).
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Read and report without opening the store (counted as into an
        /// empty one: what the files hold, not what an import would add).
        #[arg(long)]
        dry_run: bool,
        /// Read files even if they were imported whole before (their
        /// rejected lines already in the --rejects file are not written
        /// again).
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
        /// Read every file as this format instead of recognising each one:
        /// v1 (API v1.1 JSON), v2 (twarc2), export (tweets.js) or csv.
        #[arg(long, default_value = "auto", value_parser = ["auto", "v1", "v2", "export", "csv"])]
        format: String,
        /// No progress bar on standard error.
        #[arg(long, short)]
        quiet: bool,
        /// Records between commits to the store (what an interruption can
        /// make the rerun read again).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        commit_every: Option<u64>,
    },
    /// Print a topic's complaint curve.
    Curve(CurveArgs),
    /// Write reports to files.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// List the topics and the terms that mention them, then any topic
    /// only the store holds (imported under other lexicons).
    Topics,
    /// Summarise the store.
    Stats,
    /// Find incidents: hours where complaints rose significantly above normal.
    Detect {
        /// Topics to look at (default: every topic stored, or the truth's).
        topics: Vec<String>,
        /// Only incidents overlapping this range (RFC 3339 or a date). They
        /// keep the numbers they have over everything stored.
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = TableFormatArg::Table)]
        format: TableFormatArg,
        /// Score the incidents against a synthetic archive's truth sidecar
        /// (`outcry synth --scenario random` writes FILE.truth.json).
        #[arg(long)]
        truth: Option<PathBuf>,
    },
    /// Show how an incident spread, region by region, in order of onset.
    Spread {
        topic: String,
        /// The incident as numbered by `outcry detect TOPIC` (default: the
        /// largest).
        #[arg(long, conflicts_with_all = ["from", "to"])]
        incident: Option<usize>,
        /// Describe a window of hours instead (cut to the hours stored).
        /// Complaints, peaks and shares count the window only; onset and
        /// end are those of each region's own incident, which may begin
        /// before the window or end after it.
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = TableFormatArg::Table)]
        format: TableFormatArg,
    },
    /// Show what people said: stored posts, same texts grouped.
    Posts {
        topic: String,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// Only complaints.
        #[arg(long)]
        complaints: bool,
        /// At most this many rows (0: all).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Most repeated first, or most negative first.
        #[arg(long, value_enum, default_value_t = PostSort::Repeated)]
        sort: PostSort,
        #[arg(long, value_enum, default_value_t = TableFormatArg::Table)]
        format: TableFormatArg,
    },
    /// Write a report folder: curve.csv, incidents.csv, spread.csv,
    /// posts.csv, curve.svg and index.html.
    Report {
        topic: String,
        /// The folder (created when missing); its six files are replaced
        /// together, or not at all.
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
    /// Watch public feeds (Mastodon, Bluesky, Reddit, RSS/Atom) and store what they say.
    Poll(cli::PollArgs),
    /// Serve the dashboard page and its read-only JSON API.
    Serve {
        /// Where to listen; a port of 0 picks a free one.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Allow an address other than loopback (the API has no authentication).
        #[arg(long)]
        public: bool,
        /// Also poll the feeds named by --config, into the same store.
        #[arg(long)]
        poll: bool,
        /// The feeds to poll (with --poll), as for `outcry poll --config`.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Score posts, one per line (plain text, or JSON lines with --field),
    /// printing one JSON object per line in input order.
    Score {
        /// A file, or - for standard input.
        #[arg(default_value = "-")]
        input: PathBuf,
        /// Read JSON lines and score this field (dotted for nested: user.description).
        #[arg(long)]
        field: Option<String>,
        /// Decode HTML entities (&amp; &lt; &gt; &quot; …) before scoring:
        /// Twitter's APIs and the datasets taken from them escape tweet text
        /// so, and `import` decodes it.
        #[arg(long)]
        decode_entities: bool,
        /// Threads, 1 to 256 (default: all cores, at most 256); output
        /// order is kept.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=cli::MAX_THREADS as i64))]
        threads: Option<u16>,
    },
    /// Measure the scorer against labelled posts.
    Eval {
        input: PathBuf,
        #[arg(long, value_enum)]
        format: EvalFormatArg,
        /// label-csv: the column holding the text (default: text).
        #[arg(long)]
        text_col: Option<String>,
        /// label-csv: the column holding the sentiment label (default:
        /// label, unless --complaint-col is given without it or a
        /// --label-map).
        #[arg(long)]
        label_col: Option<String>,
        /// label-csv: the column saying whether the post is a complaint
        /// (1/0, yes/no, y/n, true/false, complaint/not complaint or
        /// non-complaint; any case).
        #[arg(long)]
        complaint_col: Option<String>,
        /// label-csv: VALUE=LABEL pairs, e.g. 0=negative,2=neutral,4=positive.
        #[arg(long)]
        label_map: Option<String>,
        /// rating-tsv: mean ratings above this are positive, below minus it
        /// negative (default: 0.5).
        #[arg(long)]
        rating_threshold: Option<f64>,
    },
    /// Write a synthetic archive.
    Synth {
        #[arg(long, default_value = "christmas-eve-2012", value_parser = clap::builder::PossibleValuesParser::new(outcry::synth::SCENARIOS))]
        scenario: String,
        #[arg(long, default_value_t = 2012)]
        seed: u64,
        /// Output file; gzip when it ends in .gz; - for standard output.
        #[arg(long)]
        out: PathBuf,
        /// Posts to write (the `load` scenario only; refused for the others).
        #[arg(long)]
        posts: Option<u64>,
    },
}

#[derive(clap::Args)]
pub struct CurveArgs {
    topic: String,
    /// Start (RFC 3339, e.g. 2012-12-24T00:00:00Z); default: the first hour stored.
    #[arg(long)]
    from: Option<String>,
    /// End, inclusive; default: the last hour stored.
    #[arg(long)]
    to: Option<String>,
    #[arg(long, value_enum, default_value_t = By::Hour)]
    by: By,
    /// Only this region (a country code such as US or BR, or unknown; all,
    /// the default, is every region together).
    #[arg(long)]
    region: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Chart)]
    format: Format,
    /// Add each hour's expected complaints (baseline) and the count that
    /// would be abnormal (threshold); needs --by hour and a table, csv or
    /// json format.
    #[arg(long)]
    baseline: bool,
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// A curve as CSV.
    Curve {
        topic: String,
        /// The CSV file; - for standard output.
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = By::Hour)]
        by: By,
        /// Only this region, as for `outcry curve --region`.
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    Hour,
    Day,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum TableFormatArg {
    Table,
    Csv,
    Json,
}

impl From<TableFormatArg> for cli::TableFormat {
    fn from(f: TableFormatArg) -> Self {
        match f {
            TableFormatArg::Table => cli::TableFormat::Table,
            TableFormatArg::Csv => cli::TableFormat::Csv,
            TableFormatArg::Json => cli::TableFormat::Json,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PostSort {
    Repeated,
    Negative,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum EvalFormatArg {
    RatingTsv,
    LabelCsv,
    ComplaintTsv,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Chart,
    Table,
    Csv,
    Json,
}

/// Runs one subcommand; the number is the exit status.
pub fn run(command: Command, env: &cli::Env) -> Result<u8> {
    Ok(match command {
        Command::Import {
            paths,
            rejects,
            dry_run,
            force,
            chart,
            no_chart,
            no_text,
            format,
            quiet,
            commit_every,
        } => cli::import(
            env,
            &cli::ImportArgs {
                paths,
                rejects,
                dry_run,
                force,
                keep_text: !no_text,
                format,
                quiet,
                commit_every,
                chart: if no_chart {
                    cli::ChartChoice::None
                } else {
                    chart.map_or(cli::ChartChoice::Auto, cli::ChartChoice::Topic)
                },
            },
        )?,
        Command::Curve(a) => {
            let mut query = curve_request(&a.topic, a.from, a.to, a.by, a.region)?;
            query.baseline = a.baseline;
            let format = match a.format {
                Format::Chart => cli::CurveFormat::Chart,
                Format::Table => cli::CurveFormat::Table,
                Format::Csv => cli::CurveFormat::Csv,
                Format::Json => cli::CurveFormat::Json,
            };
            cli::curve(env, &query, format, None)?
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
            cli::curve(env, &query, cli::CurveFormat::Csv, Some(&out))?
        }
        Command::Topics => cli::topics(env)?,
        Command::Score {
            input,
            field,
            decode_entities,
            threads,
        } => cli::score(
            env,
            &cli::ScoreArgs {
                input,
                field,
                entities: decode_entities,
                threads: threads.map_or_else(
                    || {
                        std::thread::available_parallelism()
                            .map_or(1, |n| n.get().min(cli::MAX_THREADS))
                    },
                    usize::from,
                ),
            },
        )?,
        Command::Eval {
            input,
            format,
            text_col,
            label_col,
            complaint_col,
            label_map,
            rating_threshold,
        } => {
            // An option another format reads would be ignored here, and
            // the measure taken without what it asked for.
            let given = [
                ("--text-col", text_col.is_some()),
                ("--label-col", label_col.is_some()),
                ("--complaint-col", complaint_col.is_some()),
                ("--label-map", label_map.is_some()),
                ("--rating-threshold", rating_threshold.is_some()),
            ];
            let (name, reads): (&str, &[&str]) = match format {
                EvalFormatArg::RatingTsv => ("rating-tsv", &["--rating-threshold"]),
                EvalFormatArg::LabelCsv => (
                    "label-csv",
                    &[
                        "--text-col",
                        "--label-col",
                        "--complaint-col",
                        "--label-map",
                    ],
                ),
                EvalFormatArg::ComplaintTsv => ("complaint-tsv", &[]),
            };
            if let Some((flag, _)) = given.iter().find(|(flag, on)| *on && !reads.contains(flag)) {
                let owner = if *flag == "--rating-threshold" {
                    "rating-tsv"
                } else {
                    "label-csv"
                };
                anyhow::bail!("{flag} is for --format {owner}; --format {name} does not read it");
            }
            let label_map = label_map.unwrap_or_default();
            cli::eval(
                env,
                &cli::EvalArgs {
                    input,
                    format: match format {
                        EvalFormatArg::RatingTsv => cli::EvalFormat::RatingTsv,
                        EvalFormatArg::LabelCsv => cli::EvalFormat::LabelCsv,
                        EvalFormatArg::ComplaintTsv => cli::EvalFormat::ComplaintTsv,
                    },
                    text_col: text_col.unwrap_or_else(|| "text".to_string()),
                    // A file labelled for complaints only has no sentiment
                    // column to default to.
                    label_col: match (label_col, &complaint_col) {
                        (Some(col), _) => Some(col),
                        (None, Some(_)) if label_map.trim().is_empty() => None,
                        // A label map says sentiment labels are wanted.
                        (None, _) => Some("label".to_string()),
                    },
                    complaint_col,
                    label_map: cli::parse_label_map(&label_map)?,
                    rating_threshold: rating_threshold.unwrap_or(0.5),
                },
            )?
        }
        Command::Poll(a) => cli::poll(env, a)?,
        Command::Serve {
            addr,
            public,
            poll,
            config,
        } => cli::serve(
            env,
            &cli::ServeArgs {
                addr,
                public,
                poll,
                config,
            },
        )?,
        Command::Stats => cli::stats(env)?,
        Command::Detect {
            topics,
            from,
            to,
            format,
            truth,
        } => cli::detect(
            env,
            &cli::DetectArgs {
                topics,
                from: time_arg(from, "from")?,
                to: time_arg(to, "to")?,
                format: format.into(),
                truth,
            },
        )?,
        Command::Spread {
            topic,
            incident,
            from,
            to,
            format,
        } => cli::spread(
            env,
            &cli::SpreadArgs {
                topic,
                incident,
                from: time_arg(from, "from")?,
                to: time_arg(to, "to")?,
                format: format.into(),
            },
        )?,
        Command::Posts {
            topic,
            from,
            to,
            complaints,
            limit,
            sort,
            format,
        } => cli::posts(
            env,
            &cli::PostsArgs {
                topic,
                from: time_arg(from, "from")?,
                to: time_arg(to, "to")?,
                complaints,
                limit,
                order: match sort {
                    PostSort::Repeated => cli::PostOrder::Repeated,
                    PostSort::Negative => cli::PostOrder::Negative,
                },
                format: format.into(),
            },
        )?,
        Command::Report {
            topic,
            out,
            from,
            to,
        } => cli::report(
            env,
            &cli::ReportArgs {
                topic,
                out,
                from: time_arg(from, "from")?,
                to: time_arg(to, "to")?,
            },
        )?,
        Command::Synth {
            scenario,
            seed,
            out,
            posts,
        } => cli::synth(&scenario, seed, &out, posts)?,
    })
}

fn curve_request(
    topic: &str,
    from: Option<String>,
    to: Option<String>,
    by: By,
    region: Option<String>,
) -> Result<cli::CurveRequest> {
    let (from, to) = (time_arg(from, "from")?, time_arg(to, "to")?);
    cli::check_range(from, to)?;
    Ok(cli::CurveRequest {
        topic: topic.to_string(),
        from,
        to,
        by: match by {
            By::Hour => outcry::query::Granularity::Hour,
            By::Day => outcry::query::Granularity::Day,
        },
        region: region
            .as_deref()
            .map(cli::parse_region)
            .transpose()?
            .flatten(),
        baseline: false,
    })
}

fn time_arg(s: Option<String>, name: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    s.map(|s| cli::parse_time(&s).with_context(|| format!("--{name} {s:?}")))
        .transpose()
}
