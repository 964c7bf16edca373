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

/// Field-by-field differences between two JSON documents, as `field: old -> new`.
fn changes(old: &Option<Value>, new: &Option<Value>) -> String {
    let empty = Map::new();
    let o = old.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let n = new.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let mut out = Vec::new();
    for (k, nv) in n {
        let ov = o.get(k).unwrap_or(&Value::Null);
        if ov != nv && k != "updated_at" {
            out.push(format!("{k}: {ov} -> {nv}"));
        }
    }
    out.join("; ")
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let entries = ctx.read()?.history(&a.uid)?;
    let mut out = a
        .output
        .writer(&["at", "entity", "uid", "action", "changes", "old", "new"]);
    for e in entries {
        let mut row = Map::new();
        row.insert("changes".into(), Value::String(changes(&e.old, &e.new)));
        row.insert("at".into(), e.at.into());
        row.insert("entity".into(), e.entity.into());
        row.insert("uid".into(), e.uid.into());
        row.insert("action".into(), e.action.into());
        row.insert("old".into(), e.old.unwrap_or(Value::Null));
        row.insert("new".into(), e.new.unwrap_or(Value::Null));
        out.write(&row)?;
    }
    out.finish()
}
