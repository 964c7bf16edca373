//! `incidents completions SHELL`: the shell's completion script, made by
//! clap_complete from the same definitions as --help, on standard output.

use clap::CommandFactory;
use clap_complete::Shell;
use incidents::Result;

use super::{Cli, say_bytes};

#[derive(Debug, clap::Args)]
#[command(after_help = "Load it in the shell's start-up file, e.g.:\n  \
    bash: source <(incidents completions bash)   (in ~/.bashrc)\n  \
    zsh:  incidents completions zsh > ~/.zfunc/_incidents   (with fpath+=~/.zfunc before compinit)\n  \
    fish: incidents completions fish > ~/.config/fish/completions/incidents.fish")]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(a: Args) -> Result<()> {
    // Made whole first: clap_complete panics when its writer fails, and a
    // closed pipe is no reason to panic.
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "incidents", &mut script);
    say_bytes(&script)
}
