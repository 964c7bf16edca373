//! `incidents types`: the ACLED event taxonomy.

use incidents::Result;
use incidents::model::TAXONOMY;
use serde_json::{Map, Value};

use super::OutputArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(a: Args) -> Result<()> {
    let mut out = a.output.writer(&["event_type", "sub_event_type"]);
    for (t, subs) in TAXONOMY {
        for s in *subs {
            let mut row = Map::new();
            row.insert("event_type".into(), Value::from(*t));
            row.insert("sub_event_type".into(), Value::from(*s));
            out.write(&row)?;
        }
    }
    out.finish()
}
