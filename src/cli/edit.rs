//! `incidents edit UID --field value ...`: change an incident; the old
//! values are kept in its history.

use incidents::locate;
use incidents::model::DateSpan;
use incidents::{Error, Result};

use super::fields::Fields;
use super::{Ctx, note, say};

/// Fields that `--clear` can empty.
const CLEARABLE: &[&str] = &[
    "title",
    "sub-type",
    "place",
    "coordinates",
    "fatalities",
    "fatalities-low",
    "fatalities-high",
    "civilian-fatalities",
    "actor1",
    "actor2",
    "assoc-actors",
    "notes",
    "tags",
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident's uid.
    pub uid: String,
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

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let mut store = ctx.store()?;
    let mut inc = store.get_incident(&a.uid)?.ok_or_else(|| Error::NotFound {
        what: "incident".into(),
        name: a.uid.clone(),
        suggestions: vec![],
    })?;
    let old = inc.clone();
    for c in &a.clear {
        match c.as_str() {
            "title" => inc.title = None,
            "sub-type" => inc.sub_event_type = None,
            "place" => inc.place = None,
            "coordinates" => {
                inc.latitude = None;
                inc.longitude = None;
                inc.geo_precision = None;
            }
            "fatalities" => inc.fatalities.best = None,
            "fatalities-low" => inc.fatalities.low = None,
            "fatalities-high" => inc.fatalities.high = None,
            "civilian-fatalities" => inc.civilian_fatalities = None,
            "actor1" => inc.actor1 = None,
            "actor2" => inc.actor2 = None,
            "assoc-actors" => inc.assoc_actors = None,
            "notes" => inc.notes = None,
            "tags" => inc.tags.clear(),
            other => {
                return Err(Error::invalid(
                    "--clear",
                    other,
                    format!("one of {}", CLEARABLE.join(", ")),
                ));
            }
        }
    }
    match (&a.date, &a.fields.end_date) {
        (Some(d), e) => inc.span = DateSpan::from_flags(d, e.as_deref())?,
        (None, Some(e)) => {
            let end = DateSpan::parse("--end-date", e)?;
            inc.span = DateSpan::new(
                inc.span.start,
                end.end,
                incidents::model::DatePrecision::Range,
            )?;
        }
        (None, None) => {}
    }
    if let Some(t) = &a.event_type {
        inc.event_type = t.clone();
    }
    a.fields.apply(&mut inc)?;
    inc.normalize()?;
    inc.fatalities.validate()?;
    let regions = ctx.regions(&store)?;
    if a.fields.lat.is_none() && a.fields.place.is_some() {
        let gazetteer = ctx.gazetteer(&store)?;
        let place = a.fields.place.as_deref().unwrap_or_default();
        let chosen =
            locate::choose_place(&gazetteer, place, a.fields.country.as_deref(), super::pick)?;
        locate::set_place(&mut inc, &chosen);
    }
    let moved = (inc.latitude, inc.longitude) != (old.latitude, old.longitude);
    if moved && a.fields.country.is_none() {
        // The stored country was found from the old point, not stated for the new one.
        inc.country = None;
    }
    if inc.latitude.is_none() {
        inc.admin1 = None;
        inc.admin1_code = None;
        inc.admin2 = None;
        inc.admin2_code = None;
    }
    // Regions are derived again only when what they derive from changed, so
    // an edit of the title never moves an incident between regions.
    if (moved || inc.geo_precision != old.geo_precision || inc.country != old.country)
        && let Some(msg) = locate::assign_regions(&regions, &mut inc)?.note(&inc)
    {
        note(&msg);
    }
    if inc == old {
        return say(format!("{}: nothing changed", a.uid));
    }
    let custom = locate::custom_regions_of(&regions, &inc);
    store.write(|w| {
        w.update_incident(&inc)?;
        w.set_incident_custom_regions(&a.uid, &custom)
    })?;
    say(format!("{}: updated", a.uid))
}
