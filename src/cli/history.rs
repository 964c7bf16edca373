//! `incidents history UID`: every recorded change of an incident or tally.

use incidents::Result;
use serde_json::{Map, Value};

use super::{Ctx, OutputArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident's or tally's uid.
    pub uid: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The columns of a history row.
pub const COLUMNS: [&str; 9] = [
    "at", "entity", "uid", "action", "by", "import", "changes", "old", "new",
];

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    write(&ctx.read()?, &a.uid, a.output.writer(&COLUMNS))
}

/// Writes the history of `uid` as rows.
pub fn write<W: std::io::Write>(
    db: &incidents::Database,
    uid: &str,
    mut out: incidents::formats::RowWriter<W>,
) -> Result<()> {
    for e in db.history(uid)? {
        let mut row = Map::new();
        row.insert("changes".into(), Value::String(e.changes()));
        row.insert("at".into(), e.at.into());
        row.insert("entity".into(), e.entity.into());
        row.insert("uid".into(), e.uid.into());
        row.insert("action".into(), e.action.into());
        let import = e
            .import
            .map(|b| format!("import {} of {} ({})", b.id, b.input, b.format));
        row.insert("import".into(), import.into());
        // The login (or system user) that made the change, and the name it gave with --as.
        let by = match (e.by, e.label) {
            (Some(by), Some(label)) => Some(format!("{by} (as {label})")),
            (by, label) => by.or(label),
        };
        row.insert("by".into(), by.into());
        row.insert("old".into(), e.old.unwrap_or(Value::Null));
        row.insert("new".into(), e.new.unwrap_or(Value::Null));
        out.write(&row)?;
    }
    out.finish()
}
