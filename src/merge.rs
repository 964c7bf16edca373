//! Making one incident of several reports of one event, and undoing it.
//!
//! The kept incident gains the others' sources and the fields it lacks; the
//! others stay in the database marked as merged into it (hidden from
//! list, report and export; their dataset ids still known, so a re-import
//! finds them instead of adding them again). What a merge filled and
//! attached is recorded, so that unmerging undoes exactly that.

use crate::error::{Error, Result};
use crate::field::Field;
use crate::geo::Regions;
use crate::locate;
use crate::model::Incident;
use crate::store::{MergeRecord, Writer};

/// Fields filled together or not at all: a point with its precision,
/// the best estimate with its bounds.
const FILLED: &[&[Field]] = &[
    &[Field::Title],
    &[Field::SubEventType],
    &[Field::Place],
    &[Field::Coordinates, Field::GeoPrecision],
    &[Field::Country],
    &[Field::ReportedAdmin1],
    &[Field::ReportedAdmin2],
    &[
        Field::Fatalities,
        Field::FatalitiesLow,
        Field::FatalitiesHigh,
    ],
    &[Field::CivilianFatalities],
    &[Field::Actor1],
    &[Field::Actor2],
    &[Field::AssocActors],
    &[Field::Notes],
    &[Field::Tags],
];

/// An incident with nothing known but its type and span.
fn blank(like: &Incident) -> Incident {
    Incident::new(&like.event_type, like.span)
}

fn not_found(uid: &str) -> Error {
    Error::NotFound {
        what: "incident".into(),
        name: uid.into(),
        suggestions: vec![],
    }
}

fn get(w: &dyn Writer, uid: &str) -> Result<Incident> {
    w.get_incident(uid)?.ok_or_else(|| not_found(uid))
}

fn refuse(uid: &str, reason: String) -> Error {
    Error::invalid("incident to merge", uid, reason)
}

/// Merges each of `others` into `keep`, in order; returns what each merge did.
pub fn merge(
    w: &mut dyn Writer,
    regions: &Regions,
    keep_uid: &str,
    others: &[String],
) -> Result<Vec<MergeRecord>> {
    let mut keep = get(w, keep_uid)?;
    if let Some(into) = &keep.merged_into {
        return Err(refuse(
            keep_uid,
            format!(
                "an incident that is not merged itself ({keep_uid} was merged into {into}: merge into {into})"
            ),
        ));
    }
    let mut records = Vec::new();
    for other_uid in others {
        if other_uid == keep_uid {
            return Err(refuse(
                other_uid,
                "another incident than the one kept".into(),
            ));
        }
        let mut other = get(w, other_uid)?;
        if let Some(into) = &other.merged_into {
            return Err(refuse(
                other_uid,
                format!("an incident not merged yet (it was merged into {into}; unmerge it first)"),
            ));
        }
        let into_other = w.merges_into(other_uid)?;
        if !into_other.is_empty() {
            let uids: Vec<&str> = into_other.iter().map(|m| m.other.as_str()).collect();
            return Err(refuse(
                other_uid,
                format!(
                    "an incident nothing is merged into ({} merged into it; unmerge them first)",
                    uids.join(", ")
                ),
            ));
        }
        let mut filled = Vec::new();
        let empty = blank(&keep);
        for group in FILLED {
            let lacks = group.iter().all(|f| f.agrees(&keep, &empty));
            let has = group.iter().any(|f| !f.agrees(&empty, &other));
            if lacks && has {
                for f in *group {
                    f.copy(&mut keep, &other);
                    filled.push(f.name().to_string());
                }
            }
        }
        let added: Vec<_> = other
            .sources
            .iter()
            .filter(|s| {
                !keep
                    .sources
                    .iter()
                    .any(|k| k.publisher == s.publisher && k.title == s.title && k.url == s.url)
            })
            .cloned()
            .collect();
        keep.sources.extend(added.iter().cloned());
        other.merged_into = Some(keep_uid.to_string());
        w.update_incident(&other)?;
        let record = MergeRecord {
            other: other_uid.clone(),
            keep: keep_uid.to_string(),
            filled,
            sources: added,
        };
        w.save_merge(&record)?;
        records.push(record);
    }
    locate::assign_regions(regions, &mut keep)?;
    w.update_incident(&keep)?;
    Ok(records)
}

/// Undoes merges: of `uid` when it was merged into another, or of every
/// incident merged into `uid` (latest first). Returns the merges undone.
pub fn unmerge(w: &mut dyn Writer, regions: &Regions, uid: &str) -> Result<Vec<MergeRecord>> {
    get(w, uid)?;
    let records = match w.take_merge(uid)? {
        Some(r) => vec![r],
        None => {
            let mut all = w.merges_into(uid)?;
            all.reverse();
            for r in &all {
                w.take_merge(&r.other)?;
            }
            all
        }
    };
    if records.is_empty() {
        return Err(Error::invalid(
            "incident to unmerge",
            uid,
            "an incident merged into another, or one others were merged into",
        ));
    }
    for r in &records {
        undo(w, regions, r)?;
    }
    Ok(records)
}

/// Takes back from the kept incident what one merge gave it (a field only
/// while it still holds the merged value: a later edit stays) and shows
/// the merged incident again.
fn undo(w: &mut dyn Writer, regions: &Regions, r: &MergeRecord) -> Result<()> {
    let mut keep = get(w, &r.keep)?;
    let mut other = get(w, &r.other)?;
    let empty = blank(&keep);
    for f in Field::ALL {
        if r.filled.iter().any(|n| n == f.name()) && f.agrees(&keep, &other) {
            f.copy(&mut keep, &empty);
        }
    }
    keep.sources.retain(|k| {
        !r.sources
            .iter()
            .any(|s| k.publisher == s.publisher && k.title == s.title && k.url == s.url)
    });
    locate::assign_regions(regions, &mut keep)?;
    w.update_incident(&keep)?;
    other.merged_into = None;
    w.update_incident(&other)
}

/// One group merged by [`apply`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Applied {
    pub keep: String,
    pub merged: Vec<String>,
}

/// Which of several reports of one event to keep: the most precise date,
/// then the most precise place, then the most sources, then the first uid.
fn rank(inc: &Incident) -> (i64, u8, std::cmp::Reverse<usize>, Option<String>) {
    (
        (inc.span.end - inc.span.start).num_days(),
        inc.geo_precision.map_or(9, u8::from),
        std::cmp::Reverse(inc.sources.len()),
        inc.uid.clone(),
    )
}

/// Merges each group of incidents into the one [`rank`] keeps.
pub fn apply(
    w: &mut dyn Writer,
    regions: &Regions,
    groups: &[Vec<String>],
) -> Result<Vec<Applied>> {
    let mut out = Vec::new();
    for group in groups {
        let mut members = group
            .iter()
            .map(|u| get(w, u))
            .collect::<Result<Vec<_>>>()?;
        members.sort_by_key(rank);
        let uids: Vec<String> = members.into_iter().filter_map(|m| m.uid).collect();
        let Some((keep, merged)) = uids.split_first() else {
            continue;
        };
        merge(w, regions, keep, merged)?;
        out.push(Applied {
            keep: keep.clone(),
            merged: merged.to_vec(),
        });
    }
    Ok(out)
}
