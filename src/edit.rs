//! Changing a stored incident: a [`Patch`] (fields to set, fields to clear)
//! applied in one write transaction, so nothing written between reading the
//! incident and writing it back is lost; and deleting one.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::field::{Field, FieldSet};
use crate::locate::Locator;
use crate::model::{DatePrecision, DateSpan, GeoPrecision, Incident, Source};
use crate::store::Store;

/// A new date for an incident.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpanChange {
    /// The whole span.
    Span(DateSpan),
    /// Only the last day: the span becomes a range from its first day.
    End(NaiveDate),
}

/// The changes to make to an incident: every field given is set, every
/// field in `clear` is emptied (before the others are set), tags and a
/// source are added to the ones it has.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patch {
    pub span: Option<SpanChange>,
    pub event_type: Option<String>,
    pub title: Option<String>,
    pub sub_event_type: Option<String>,
    /// The place name; geocoded when `coordinates` are not given.
    pub place: Option<String>,
    /// (latitude, longitude).
    pub coordinates: Option<(f64, f64)>,
    pub geo_precision: Option<GeoPrecision>,
    /// The country (ISO 3166-1 alpha-2) the incident's source states.
    pub country: Option<String>,
    pub fatalities: Option<u32>,
    pub fatalities_low: Option<u32>,
    pub fatalities_high: Option<u32>,
    pub civilian_fatalities: Option<u32>,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    pub assoc_actors: Option<String>,
    pub notes: Option<String>,
    /// Tags to add.
    pub tags: Vec<String>,
    /// A source to add.
    pub source: Option<Source>,
    pub clear: FieldSet,
}

/// The fields an edit may empty; the others are required (event type,
/// date), derived from the point (country), or only ever added to (sources).
pub const CLEARABLE: &[Field] = &[
    Field::Title,
    Field::SubEventType,
    Field::Place,
    Field::Coordinates,
    Field::Fatalities,
    Field::FatalitiesLow,
    Field::FatalitiesHigh,
    Field::CivilianFatalities,
    Field::Actor1,
    Field::Actor2,
    Field::AssocActors,
    Field::Notes,
    Field::Tags,
];

impl Patch {
    /// Sets the given fields on `inc` (nothing is cleared, the date and the
    /// event type are left to the caller): what `add` takes from the same
    /// flags as `edit`.
    pub fn set(&self, inc: &mut Incident) {
        let set = |target: &mut Option<String>, v: &Option<String>| {
            if let Some(v) = v {
                *target = Some(v.clone());
            }
        };
        set(&mut inc.title, &self.title);
        set(&mut inc.sub_event_type, &self.sub_event_type);
        set(&mut inc.place, &self.place);
        set(&mut inc.country, &self.country);
        set(&mut inc.actor1, &self.actor1);
        set(&mut inc.actor2, &self.actor2);
        set(&mut inc.assoc_actors, &self.assoc_actors);
        set(&mut inc.notes, &self.notes);
        if let Some((lat, lon)) = self.coordinates {
            inc.latitude = Some(lat);
            inc.longitude = Some(lon);
        }
        if self.geo_precision.is_some() {
            inc.geo_precision = self.geo_precision;
        }
        for (target, v) in [
            (&mut inc.fatalities.best, self.fatalities),
            (&mut inc.fatalities.low, self.fatalities_low),
            (&mut inc.fatalities.high, self.fatalities_high),
            (&mut inc.civilian_fatalities, self.civilian_fatalities),
        ] {
            if v.is_some() {
                *target = v;
            }
        }
        for t in &self.tags {
            if !inc.tags.contains(t) {
                inc.tags.push(t.clone());
            }
        }
        if let Some(s) = &self.source {
            inc.sources.push(s.clone());
        }
    }

    /// True when the patch sets or clears one of the fatality estimates.
    fn changes_estimates(&self) -> bool {
        [self.fatalities, self.fatalities_low, self.fatalities_high]
            .iter()
            .any(Option::is_some)
            || [
                Field::Fatalities,
                Field::FatalitiesLow,
                Field::FatalitiesHigh,
            ]
            .into_iter()
            .any(|f| self.clear.contains(f))
    }

    /// `old` with the patch applied, validated and credited to its regions.
    /// What the patch leaves alone is not judged again: a dataset's row
    /// kept as published (UCDP's estimates out of order) can still have its
    /// title corrected, but new estimates must be in order.
    pub fn apply(&self, old: &Incident, locator: &Locator) -> Result<Incident> {
        let mut inc = old.clone();
        for f in self.clear.iter() {
            clear(&mut inc, f)?;
        }
        match self.span {
            Some(SpanChange::Span(span)) => inc.span = span,
            Some(SpanChange::End(end)) => {
                inc.span = DateSpan::new(inc.span.start, end, DatePrecision::Range)?
            }
            None => {}
        }
        if let Some(t) = &self.event_type {
            inc.event_type = t.clone();
        }
        self.set(&mut inc);
        if self.coordinates.is_some() {
            inc.geo_precision.get_or_insert(GeoPrecision::Exact);
        }
        inc.normalize()?;
        if self.changes_estimates() {
            inc.fatalities.validate()?;
        }
        let moved = (inc.latitude, inc.longitude) != (old.latitude, old.longitude);
        if moved && self.country.is_none() {
            // The stored country was found from the old point, not stated
            // for the new one.
            inc.country = None;
        }
        if inc.latitude.is_none() {
            inc.admin1 = None;
            inc.admin1_code = None;
            inc.admin2 = None;
            inc.admin2_code = None;
        }
        // Regions are derived again only when what they derive from changed,
        // so an edit of the title never moves an incident between regions.
        if moved || inc.geo_precision != old.geo_precision || inc.country != old.country {
            locator.assign_regions(&mut inc)?;
        }
        Ok(inc)
    }
}

/// Empties one field of `inc`; clearing the coordinates clears the geo
/// precision that describes them.
fn clear(inc: &mut Incident, field: Field) -> Result<()> {
    match field {
        Field::Title => inc.title = None,
        Field::SubEventType => inc.sub_event_type = None,
        Field::Place => inc.place = None,
        Field::Coordinates => {
            inc.latitude = None;
            inc.longitude = None;
            inc.geo_precision = None;
        }
        Field::Fatalities => inc.fatalities.best = None,
        Field::FatalitiesLow => inc.fatalities.low = None,
        Field::FatalitiesHigh => inc.fatalities.high = None,
        Field::CivilianFatalities => inc.civilian_fatalities = None,
        Field::Actor1 => inc.actor1 = None,
        Field::Actor2 => inc.actor2 = None,
        Field::AssocActors => inc.assoc_actors = None,
        Field::Notes => inc.notes = None,
        Field::Tags => inc.tags.clear(),
        other => {
            let names: Vec<&str> = CLEARABLE.iter().map(|f| f.name()).collect();
            return Err(Error::invalid(
                other.name(),
                "(clear)",
                format!(
                    "a value: only these fields can be emptied: {}",
                    names.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// `patch` with its place name geocoded (when it gives a place without
/// coordinates): done before the write transaction, which a choice on a
/// terminal would otherwise hold open.
pub fn locate(store: &dyn Store, locator: &Locator, patch: &Patch) -> Result<Patch> {
    let mut patch = patch.clone();
    if patch.coordinates.is_none()
        && let Some(place) = &patch.place
    {
        let chosen = locator.place(store, place, patch.country.as_deref())?;
        patch.coordinates = Some((chosen.latitude, chosen.longitude));
    }
    Ok(patch)
}

/// Applies `patch` to the incident `uid` and returns whether anything
/// changed.
pub fn edit(store: &mut dyn Store, locator: &Locator, uid: &str, patch: &Patch) -> Result<bool> {
    let patch = locate(store, locator, patch)?;
    crate::store::write(store, |w| {
        let old = w.get_incident(uid)?.ok_or_else(|| Error::NotFound {
            what: "incident".into(),
            name: uid.into(),
            suggestions: vec![],
        })?;
        let new = patch.apply(&old, locator)?;
        if new == old {
            return Ok(false);
        }
        w.update_incident(&new)?;
        Ok(true)
    })
}

/// Deletes the incident `uid`; its last values stay in its history.
/// A merged incident, or one others were merged into, is refused: a merge
/// is undone first (`unmerge`), so that none points at a deleted incident.
pub fn delete(store: &mut dyn Store, uid: &str) -> Result<()> {
    crate::store::write(store, |w| {
        let merged_into = w.get_incident(uid)?.and_then(|i| i.merged_into);
        let merges = w.merges_into(uid)?;
        if merged_into.is_some() || !merges.is_empty() {
            return Err(Error::invalid(
                "incident to delete",
                uid,
                "an incident that is not merged (unmerge it first: incidents unmerge UID)",
            ));
        }
        w.delete_incident(uid)
    })
}
