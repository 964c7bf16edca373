//! `incidents backup FILE`: a consistent copy, safe while others write.

use std::io::IsTerminal;
use std::path::PathBuf;

use incidents::stream::{Output, STDOUT};
use incidents::{Error, Result};

use super::{Ctx, note, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the copy (must not exist), or - for standard output
    /// (e.g. `incidents backup - | gzip > copy.db.gz`).
    pub file: PathBuf,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let db = ctx.read()?;
    match Output::from_arg(&a.file) {
        Output::File(path) => {
            db.backup(&path)?;
            say(format!("backed up {} to {}", ctx.db, path.display()))
        }
        Output::Stdout => {
            let mut out = std::io::stdout().lock();
            // As gzip does: binary data on a terminal is noise, never what was meant.
            if out.is_terminal() {
                return Err(Error::invalid(
                    "FILE",
                    "-",
                    "a file path, or standard output redirected to a file or pipe \
                     (incidents backup - > copy.db): a database is binary and is not written to a terminal",
                ));
            }
            let n = db.backup_to(&mut out, STDOUT)?;
            note(&format!("backed up {} to {STDOUT} ({n} bytes)", ctx.db));
            Ok(())
        }
    }
}
