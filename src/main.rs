//! The `incidents` binary: parse arguments, call the library, map errors to
//! exit codes (0 success, 1 error in data or input, 2 usage error).

mod cli;
mod serve;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    let matches = cli::Cli::command().color(cli::clap_color()).get_matches();
    let args = match cli::Cli::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => e.exit(),
    };
    match cli::run(args).map_err(|e| cli::with_flag_names(e, &matches)) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`incidents list | head`) is the reader's choice, not an error.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(hint) = cli::hint(&e) {
                eprintln!("{hint}");
            }
            ExitCode::from(1)
        }
    }
}
