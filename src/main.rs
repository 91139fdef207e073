//! The `outcry` command: parses the command line and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

mod commands;

use commands as cli;
use outcry::say;

#[derive(Parser)]
#[command(
    name = "outcry",
    version,
    about = "Turn social media posts into evidence of a service outage"
)]
struct Args {
    /// The store (a folder): `import` and `poll` create it, the commands
    /// that read it refuse a missing one, and `score`, `eval` and `synth`
    /// use none.
    #[arg(long, global = true, env = "OUTCRY_DB", default_value = "outcry.db")]
    db: PathBuf,
    /// Read lexicons from this folder instead of the built-in copies.
    #[arg(long, global = true, env = "OUTCRY_LEXICONS")]
    lexicons: Option<PathBuf>,
    #[command(subcommand)]
    command: cli::args::Command,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        // A reader that stopped early (`outcry curve … | head`) is not an
        // error: it got what it wanted.
        Err(e) if e.chain().any(is_broken_pipe) => ExitCode::from(cli::EXIT_OK),
        Err(e) => {
            say!("outcry: error: {e:#}");
            ExitCode::from(cli::EXIT_FATAL)
        }
    }
}

/// Whether `e` is a write into a pipe whose reader has gone. A CSV writer's
/// error hides the `io::Error` it wraps from `source()`, so it is asked too.
fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let io = e.downcast_ref::<std::io::Error>().or_else(|| {
        match e.downcast_ref::<csv::Error>().map(csv::Error::kind) {
            Some(csv::ErrorKind::Io(io)) => Some(io),
            _ => None,
        }
    });
    io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn run(args: Args) -> Result<ExitCode> {
    let env = cli::Env::new(args.db, args.lexicons);
    Ok(ExitCode::from(cli::args::run(args.command, &env)?))
}
