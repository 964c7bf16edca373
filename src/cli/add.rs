//! `incidents add`: record a new incident.

use incidents::Result;
use incidents::locate;
use incidents::model::{DateSpan, GeoPrecision, Incident};

use super::fields::Fields;
use super::{Ctx, note, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Date: YYYY-MM-DD (day), YYYY-Www (week), YYYY-MM (month) or YYYY (year).
    #[arg(long)]
    pub date: String,
    /// ACLED event type (case-insensitive; see `incidents types`).
    #[arg(long = "type")]
    pub event_type: String,
    /// Region name or code when only the region is known: the incident gets
    /// the region's label point and geo precision 3 (2 for a district), and
    /// counts in that region only, never in a district it did not name.
    #[arg(long)]
    pub region: Option<String>,
    /// Keep this uid instead of generating INC-000123.
    #[arg(long)]
    pub uid: Option<String>,
    #[command(flatten)]
    pub fields: Fields,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let span = DateSpan::from_flags(&a.date, a.fields.end_date.as_deref())?;
    let mut inc = Incident::new(&a.event_type, span);
    inc.uid = a.uid.clone();
    a.fields.apply(&mut inc)?;
    if inc.latitude.is_some() {
        inc.geo_precision.get_or_insert(GeoPrecision::Exact);
    }
    inc.normalize()?;
    inc.fatalities.validate()?;
    let mut store = ctx.store()?;
    let regions = ctx.regions(&store)?;
    if inc.latitude.is_none() {
        if let Some(place) = &a.fields.place {
            let gazetteer = ctx.gazetteer(&store)?;
            let chosen =
                locate::choose_place(&gazetteer, place, a.fields.country.as_deref(), super::pick)?;
            locate::set_place(&mut inc, &chosen);
        } else if let Some(region) = &a.region {
            // A name shared across countries means the one given, else the
            // one the database already holds incidents in.
            let preferred = match &a.fields.country {
                Some(c) => vec![c.to_ascii_uppercase()],
                None => store.countries()?,
            };
            let preferred: Vec<&str> = preferred.iter().map(String::as_str).collect();
            let r = locate::resolve_region_in(&regions, region, &preferred, &mut note)?;
            locate::set_region_label(&mut inc, r);
        }
    }
    if let Some(msg) = locate::assign_regions(&regions, &mut inc)?.note(&inc) {
        note(&msg);
    }
    let custom = locate::custom_regions_of(&regions, &inc);
    let uid = store.write(|w| {
        let uid = w.insert_incident(&inc)?;
        w.set_incident_custom_regions(&uid, &custom)?;
        Ok(uid)
    })?;
    say(uid)
}
