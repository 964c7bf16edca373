//! `incidents edit UID --field value ...`: change an incident; the old
//! values are kept in its history.

use incidents::edit::{Patch, SpanChange};
use incidents::field::{Field, FieldSet};
use incidents::model::DateSpan;
use incidents::{Error, Result};

use super::fields::Fields;
use super::{Ctx, say};

/// The names `--clear` takes (as the flags that set the fields).
const CLEARABLE: &[(&str, Field)] = &[
    ("title", Field::Title),
    ("sub-type", Field::SubEventType),
    ("place", Field::Place),
    ("coordinates", Field::Coordinates),
    ("fatalities", Field::Fatalities),
    ("fatalities-low", Field::FatalitiesLow),
    ("fatalities-high", Field::FatalitiesHigh),
    ("civilian-fatalities", Field::CivilianFatalities),
    ("actor1", Field::Actor1),
    ("actor2", Field::Actor2),
    ("assoc-actors", Field::AssocActors),
    ("notes", Field::Notes),
    ("tags", Field::Tags),
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident's uid.
    pub uid: String,
    #[command(flatten)]
    pub changes: Changes,
}

/// The changes an edit makes: `edit` and `review accept` take them alike.
#[derive(Debug, clap::Args)]
pub struct Changes {
    /// New date (with --end-date for a range).
    #[arg(long)]
    pub date: Option<String>,
    /// New event type.
    #[arg(long = "type")]
    pub event_type: Option<String>,
    /// Empty a field (repeatable): title, sub-type, place, coordinates,
    /// fatalities, fatalities-low, fatalities-high, civilian-fatalities,
    /// actor1, actor2, assoc-actors, notes, tags.
    #[arg(long)]
    pub clear: Vec<String>,
    #[command(flatten)]
    pub fields: Fields,
}

impl Changes {
    /// The library's patch for these flags.
    pub fn patch(&self) -> Result<Patch> {
        let mut patch = self.fields.patch()?;
        patch.span = match (&self.date, &self.fields.end_date) {
            (Some(d), e) => Some(SpanChange::Span(DateSpan::from_flags(d, e.as_deref())?)),
            (None, Some(e)) => Some(SpanChange::End(DateSpan::parse("--end-date", e)?.end)),
            (None, None) => None,
        };
        patch.event_type = self.event_type.clone();
        patch.clear = clear_set(&self.clear)?;
        Ok(patch)
    }
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let patch = a.changes.patch()?;
    if ctx
        .open()?
        .edit(&a.uid, &patch, &super::pick, &super::note)?
    {
        say(format!("{}: updated", a.uid))
    } else {
        say(format!("{}: nothing changed", a.uid))
    }
}

fn clear_set(names: &[String]) -> Result<FieldSet> {
    let mut set = FieldSet::default();
    for name in names {
        match CLEARABLE.iter().find(|(n, _)| n == name) {
            Some((_, field)) => set.insert(*field),
            None => {
                let names: Vec<&str> = CLEARABLE.iter().map(|(n, _)| *n).collect();
                return Err(Error::invalid(
                    "--clear",
                    name,
                    format!("one of {}", names.join(", ")),
                ));
            }
        }
    }
    Ok(set)
}
