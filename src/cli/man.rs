//! `incidents man`: the manual page in roff, made by clap_mangen from the
//! same definitions as --help. One page with every command on standard
//! output (`incidents man | man -l -`), or with --dir one page per command
//! (`incidents.1`, `incidents-import.1`, ...) as git and cargo install theirs.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_mangen::Man;
use incidents::{Error, Result};

use super::{Cli, say, say_bytes};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write one page per command into this directory (incidents.1,
    /// incidents-import.1, ...) instead of the whole manual as one page on
    /// standard output.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<()> {
    let mut cmd = without_help_commands(Cli::command());
    cmd.build();
    match a.dir {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Error::invalid(
                    "--dir",
                    dir.display(),
                    "an existing directory to write the pages into",
                ));
            }
            let n = page_per_command(&cmd, &dir).map_err(|e| Error::io(dir.display(), e))?;
            say(format!("wrote {n} manual pages to {}", dir.display()))
        }
        None => {
            let mut page = Vec::new();
            whole_page(&cmd, &mut page).map_err(|e| Error::io("manual page", e))?;
            say_bytes(&without_repeated_preambles(&page))
        }
    }
}

/// The command without clap's `help` subcommands (`places help add`): a
/// manual documents the commands, and `-h` is said once.
fn without_help_commands(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = cmd.disable_help_subcommand(true);
    for name in names {
        cmd = cmd.mut_subcommand(name, without_help_commands);
    }
    cmd
}

/// The title a page is known by, in capitals as man pages have it.
fn title(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_uppercase()
}

/// Writes `incidents.1` and a page for each command (`incidents-import.1`,
/// `incidents-places-add.1`), which the first lists; returns how many.
fn page_per_command(cmd: &clap::Command, dir: &Path) -> std::io::Result<usize> {
    let mut n = 0;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        n += page_per_command(sub, dir)?;
    }
    Man::new(cmd.clone()).title(title(cmd)).generate_to(dir)?;
    Ok(n + 1)
}

/// The program's page with a COMMANDS section holding each command's own
/// synopsis, description and options (a subsection per command), so one
/// page documents everything.
fn whole_page(cmd: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let man = Man::new(cmd.clone()).title(title(cmd));
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    out.write_all(b".SH COMMANDS\n")?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_section(sub, out)?;
    }
    out.write_all(EXTRA_SECTIONS.as_bytes())?;
    man.render_version_section(out)
}

/// One command's subsection (and its own commands', e.g. `places add`).
fn command_section(cmd: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    writeln!(out, ".SS \"{}\"", name.replace('-', "\\-"))?;
    // The global flags (--db, --as) and -h are told once, at the top.
    let mut own = cmd.clone();
    let shared: Vec<clap::Id> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set() || a.get_id() == "help")
        .map(|a| a.get_id().clone())
        .collect();
    for id in shared {
        own = own.mut_arg(id, |a| a.hide(true));
    }
    let man = Man::new(own.clone());
    let mut body = Vec::new();
    man.render_synopsis_section(&mut body)?;
    man.render_description_section(&mut body)?;
    if own.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut body)?;
    }
    let body = String::from_utf8_lossy(&body);
    for line in body.lines() {
        // Each rendered section is a page of its own: its preamble goes,
        // and its heading becomes a paragraph of the subsection.
        if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
            continue;
        }
        if line.starts_with(".SH ") {
            writeln!(out, ".PP")?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_section(sub, out)?;
    }
    Ok(())
}

/// Each section clap_mangen renders comes as a page of its own, with the
/// preamble that defines the apostrophe: one is enough.
fn without_repeated_preambles(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut seen = false;
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with(".ie \\n(.g .ds Aq") {
            let keep = !seen;
            seen = true;
            if lines.peek().is_some_and(|l| l.starts_with(".el .ds Aq")) {
                let el = lines.next().unwrap_or_default();
                if keep {
                    out.push_str(line);
                    out.push('\n');
                    out.push_str(el);
                    out.push('\n');
                }
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// What --help does not say: the environment and the exit status.
const EXTRA_SECTIONS: &str = r#".SH ENVIRONMENT
.TP
\fBINCIDENTS_DB\fR
The database when \fB\-\-db\fR is not given: a SQLite file, or postgresql://USER@HOST:PORT/DBNAME.
.TP
\fBPGPASSWORD\fR, \fBPGHOST\fR, ...
The libpq variables, for a PostgreSQL database.
.TP
\fBNO_COLOR\fR
When set to anything but the empty string, no colour or other styling in any output (https://no\-color.org).
.SH FILES
Wherever a command takes a file to read or write, \fB\-\fR means standard input or output (\fBincidents import \- \-\-format csv\fR, \fBincidents export \-\-format csv \-o \-\fR); \fB./\-\fR names a file called \-.
.SH "EXIT STATUS"
.TP
0
Success.
.TP
1
An error in the data or input (the message names the input, the row or field, and what was expected).
.TP
2
A usage error (an unknown flag or a missing argument).
"#;
