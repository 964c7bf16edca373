//! Incident fields by name: the fields a file carries, so that an import
//! changes only those ([`merge`]), and the fields an edit clears.

use crate::model::Incident;

/// A field of an incident that a file may carry and an edit may change.
/// The admin levels are not fields: they are derived from the coordinates,
/// the geo precision and the country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    EventType,
    /// date_start, date_end and date_precision.
    Span,
    Title,
    SubEventType,
    Place,
    /// Latitude and longitude.
    Coordinates,
    GeoPrecision,
    Country,
    ReportedAdmin1,
    ReportedAdmin2,
    Fatalities,
    FatalitiesLow,
    FatalitiesHigh,
    CivilianFatalities,
    Actor1,
    Actor2,
    AssocActors,
    Notes,
    Tags,
    Sources,
}

impl Field {
    /// Every field, in the order of [`Field`].
    pub const ALL: [Field; 20] = [
        Field::EventType,
        Field::Span,
        Field::Title,
        Field::SubEventType,
        Field::Place,
        Field::Coordinates,
        Field::GeoPrecision,
        Field::Country,
        Field::ReportedAdmin1,
        Field::ReportedAdmin2,
        Field::Fatalities,
        Field::FatalitiesLow,
        Field::FatalitiesHigh,
        Field::CivilianFatalities,
        Field::Actor1,
        Field::Actor2,
        Field::AssocActors,
        Field::Notes,
        Field::Tags,
        Field::Sources,
    ];

    /// The field's name, as in our CSV and JSON (`coordinates` and `date`
    /// for the columns that go together).
    pub fn name(self) -> &'static str {
        match self {
            Field::EventType => "event_type",
            Field::Span => "date",
            Field::Title => "title",
            Field::SubEventType => "sub_event_type",
            Field::Place => "place",
            Field::Coordinates => "coordinates",
            Field::GeoPrecision => "geo_precision",
            Field::Country => "country",
            Field::ReportedAdmin1 => "reported_admin1",
            Field::ReportedAdmin2 => "reported_admin2",
            Field::Fatalities => "fatalities",
            Field::FatalitiesLow => "fatalities_low",
            Field::FatalitiesHigh => "fatalities_high",
            Field::CivilianFatalities => "civilian_fatalities",
            Field::Actor1 => "actor1",
            Field::Actor2 => "actor2",
            Field::AssocActors => "assoc_actors",
            Field::Notes => "notes",
            Field::Tags => "tags",
            Field::Sources => "sources",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// Whether `inc` already has `from`'s value of this field (for sources:
    /// all of `from`'s).
    pub fn agrees(self, inc: &Incident, from: &Incident) -> bool {
        let mut probe = inc.clone();
        self.copy(&mut probe, from);
        probe == *inc
    }

    /// Sets this field of `to` from `from`. Sources are added to the ones
    /// `to` has (a source is never dropped); every other field is replaced,
    /// so an empty value in `from` makes it unknown.
    pub fn copy(self, to: &mut Incident, from: &Incident) {
        match self {
            Field::EventType => to.event_type = from.event_type.clone(),
            Field::Span => to.span = from.span,
            Field::Title => to.title = from.title.clone(),
            Field::SubEventType => to.sub_event_type = from.sub_event_type.clone(),
            Field::Place => to.place = from.place.clone(),
            Field::Coordinates => {
                to.latitude = from.latitude;
                to.longitude = from.longitude;
            }
            Field::GeoPrecision => to.geo_precision = from.geo_precision,
            Field::Country => to.country = from.country.clone(),
            Field::ReportedAdmin1 => to.reported_admin1 = from.reported_admin1.clone(),
            Field::ReportedAdmin2 => to.reported_admin2 = from.reported_admin2.clone(),
            Field::Fatalities => to.fatalities.best = from.fatalities.best,
            Field::FatalitiesLow => to.fatalities.low = from.fatalities.low,
            Field::FatalitiesHigh => to.fatalities.high = from.fatalities.high,
            Field::CivilianFatalities => to.civilian_fatalities = from.civilian_fatalities,
            Field::Actor1 => to.actor1 = from.actor1.clone(),
            Field::Actor2 => to.actor2 = from.actor2.clone(),
            Field::AssocActors => to.assoc_actors = from.assoc_actors.clone(),
            Field::Notes => to.notes = from.notes.clone(),
            Field::Tags => to.tags = from.tags.clone(),
            Field::Sources => {
                for s in &from.sources {
                    let known = to.sources.iter().any(|o| {
                        o.publisher == s.publisher && o.title == s.title && o.url == s.url
                    });
                    if !known {
                        to.sources.push(s.clone());
                    }
                }
            }
        }
    }
}

/// A set of fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldSet(u32);

impl FieldSet {
    /// Every field.
    pub const ALL: FieldSet = FieldSet((1 << Field::ALL.len()) - 1);

    /// The set of these fields.
    pub fn of(fields: &[Field]) -> FieldSet {
        let mut s = FieldSet::default();
        for &f in fields {
            s.insert(f);
        }
        s
    }

    pub fn insert(&mut self, f: Field) {
        self.0 |= f.bit();
    }

    pub fn contains(self, f: Field) -> bool {
        self.0 & f.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The fields in the set, in the order of [`Field`].
    pub fn iter(self) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// The fields a file carries: those with at least one of their
    /// `columns` (column or property name, field) in the file.
    pub fn carried(columns: &[(&str, Field)], has: impl Fn(&str) -> bool) -> FieldSet {
        let mut s = FieldSet::default();
        for (column, field) in columns {
            if has(column) {
                s.insert(*field);
            }
        }
        s
    }
}

/// Our own columns (CSV, GeoJSON properties, the seeds' JSON) and the
/// fields they carry.
pub const NATIVE_COLUMNS: &[(&str, Field)] = &[
    ("event_type", Field::EventType),
    ("date_start", Field::Span),
    ("date_end", Field::Span),
    ("date_precision", Field::Span),
    ("title", Field::Title),
    ("sub_event_type", Field::SubEventType),
    ("place", Field::Place),
    ("latitude", Field::Coordinates),
    ("longitude", Field::Coordinates),
    ("geo_precision", Field::GeoPrecision),
    ("country", Field::Country),
    ("reported_admin1", Field::ReportedAdmin1),
    ("reported_admin2", Field::ReportedAdmin2),
    ("fatalities", Field::Fatalities),
    ("fatalities_low", Field::FatalitiesLow),
    ("fatalities_high", Field::FatalitiesHigh),
    ("civilian_fatalities", Field::CivilianFatalities),
    ("actor1", Field::Actor1),
    ("actor2", Field::Actor2),
    ("assoc_actors", Field::AssocActors),
    ("notes", Field::Notes),
    ("tags", Field::Tags),
    ("sources", Field::Sources),
];

/// The stored incident `old` as a newer version `new` of it gives it: the
/// fields `new` carries replace the stored ones (an empty one makes the
/// field unknown: that is what its file says), and the fields it does not
/// carry keep their stored values. One rule for every import format and the
/// seeds. The admin levels are left for region assignment to derive again.
pub fn merge(old: &Incident, new: &Incident, carried: FieldSet) -> Incident {
    let mut merged = old.clone();
    for f in carried.iter() {
        f.copy(&mut merged, new);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateSpan, Source};

    #[test]
    fn merge_changes_only_the_carried_fields() {
        let mut old = Incident::new("Battles", DateSpan::parse("d", "2025-06-17").unwrap());
        old.notes = Some("kept".into());
        old.fatalities.best = Some(3);
        old.title = Some("old title".into());
        old.merged_into = Some("INC-000001".into());
        old.sources.push(Source {
            publisher: "A".into(),
            ..Default::default()
        });
        let mut new = old.clone();
        new.merged_into = None;
        new.notes = None;
        new.fatalities.best = None;
        new.title = None;
        new.sources = vec![Source {
            publisher: "B".into(),
            ..Default::default()
        }];
        let m = merge(
            &old,
            &new,
            FieldSet::of(&[Field::Title, Field::Sources, Field::EventType]),
        );
        assert_eq!(m.title, None, "carried and empty: unknown");
        assert_eq!(m.notes.as_deref(), Some("kept"));
        assert_eq!(m.fatalities.best, Some(3));
        assert_eq!(
            m.merged_into.as_deref(),
            Some("INC-000001"),
            "an import keeps a merge"
        );
        let publishers: Vec<&str> = m.sources.iter().map(|s| s.publisher.as_str()).collect();
        assert_eq!(publishers, ["A", "B"]);
    }

    #[test]
    fn agrees_compares_one_field() {
        let mut a = Incident::new("Battles", DateSpan::parse("d", "2025-06-01").unwrap());
        let mut b = a.clone();
        a.fatalities.best = Some(3);
        b.place = Some("Nawa".into());
        assert!(Field::Title.agrees(&a, &b));
        assert!(!Field::Place.agrees(&a, &b));
        assert!(!Field::Fatalities.agrees(&a, &b));
        assert!(Field::Fatalities.agrees(&a, &a.clone()));
    }

    #[test]
    fn carried_fields_come_from_the_columns_present() {
        let s = FieldSet::carried(NATIVE_COLUMNS, |c| ["latitude", "notes"].contains(&c));
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            [Field::Coordinates, Field::Notes]
        );
        assert_eq!(FieldSet::ALL.iter().count(), Field::ALL.len());
        for f in Field::ALL {
            assert!(
                NATIVE_COLUMNS.iter().any(|(_, g)| *g == f),
                "{} has no native column",
                f.name()
            );
        }
    }
}
