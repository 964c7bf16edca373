//! Keeping imported incidents in step with their upstream dataset: what a
//! file no longer holds is deleted (`import --sync`), as is what a
//! deletions list names (`import --deletions`), and a deleted incident can
//! be restored from its history (`undelete`). An incident changed here
//! since it was imported (edited, or merged) is never silently overwritten
//! or deleted: it is a conflict, and local changes win unless `theirs`.

use std::collections::HashSet;
use std::io::Read;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::filter::{Filter, Status};
use crate::geo::Regions;
use crate::merge;
use crate::model::Incident;
use crate::store::Writer;

/// What an upstream change met here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub uid: String,
    /// "changed" or "deleted" upstream.
    pub upstream: &'static str,
    /// "edited" or "merged" here.
    pub local: &'static str,
}

/// How an incident was changed here since its dataset last gave it.
pub enum Local {
    /// Edited (or merged into: it holds what others gave it); with the
    /// version its dataset last gave, when history has it.
    Edited(Option<Box<Incident>>),
    /// Merged into another incident.
    Merged,
}

impl Local {
    pub fn name(&self) -> &'static str {
        match self {
            Local::Edited(_) => "edited",
            Local::Merged => "merged",
        }
    }
}

/// The dataset id namespace of a uid: the letters before its number
/// ("UCDP-", "SYR").
pub fn namespace(uid: &str) -> &str {
    uid.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// Whether and how `inc` was changed here since an import last wrote it:
/// merged away, or changed by anything but an import (an edit, a merge)
/// after the last import's change. An incident no import ever wrote (added
/// here) has no upstream to protect it from.
pub fn local_change(w: &dyn Writer, inc: &Incident) -> Result<Option<Local>> {
    if inc.merged_into.is_some() {
        return Ok(Some(Local::Merged));
    }
    let Some(uid) = &inc.uid else {
        return Ok(None);
    };
    let history = w.history(uid)?;
    let Some(last_import) = history
        .iter()
        .rposition(|e| e.import.is_some() && e.action != "delete")
    else {
        return Ok(None);
    };
    if !history[last_import + 1..]
        .iter()
        .any(|e| e.import.is_none() && e.action != "delete")
    {
        return Ok(None);
    }
    let imported = history[last_import]
        .new
        .clone()
        .and_then(|doc| serde_json::from_value::<Incident>(doc).ok())
        .map(Box::new);
    Ok(Some(Local::Edited(imported)))
}

/// What an import covers, for `--sync`: its dataset namespaces, countries
/// and period, and the uids it holds.
#[derive(Debug, Default)]
pub struct Coverage {
    namespaces: HashSet<String>,
    countries: HashSet<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    uids: HashSet<String>,
}

impl Coverage {
    /// Notes a row of the file (as placed, so its country is known).
    pub fn add(&mut self, inc: &Incident) {
        if let Some(uid) = &inc.uid {
            self.namespaces.insert(namespace(uid).to_string());
            self.uids.insert(uid.clone());
        }
        if let Some(c) = &inc.country {
            self.countries.insert(c.clone());
        }
        self.from = Some(self.from.map_or(inc.span.start, |d| d.min(inc.span.start)));
        self.to = Some(self.to.map_or(inc.span.end, |d| d.max(inc.span.end)));
    }

    /// The stored incidents it covers that the file no longer holds.
    pub fn missing(&self, w: &dyn Writer) -> Result<Vec<Incident>> {
        let (Some(from), Some(to)) = (self.from, self.to) else {
            return Ok(Vec::new());
        };
        let filter = Filter {
            from: Some(from),
            to: Some(to),
            status: Status::All,
            ..Filter::default()
        };
        let mut out = Vec::new();
        w.for_each_incident(&filter, &mut |inc| {
            let uid = inc.uid.as_deref().unwrap_or("");
            if self.namespaces.contains(namespace(uid))
                && inc
                    .country
                    .as_ref()
                    .is_some_and(|c| self.countries.contains(c))
                && !self.uids.contains(uid)
            {
                out.push(inc);
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// Deletes `inc` as its dataset did, unless it was changed here: then it is
/// a conflict, kept unless `theirs` (a merge is undone first, so nothing
/// points at a deleted incident). Returns the conflict, if any.
pub fn delete(
    w: &mut dyn Writer,
    regions: &Regions,
    inc: &Incident,
    theirs: bool,
) -> Result<Option<Conflict>> {
    let uid = inc.uid.clone().unwrap_or_default();
    let merged_into_it = !w.merges_into(&uid)?.is_empty();
    let local = match local_change(w, inc)? {
        Some(l) => Some(l.name()),
        None if merged_into_it => Some("merged"),
        None => None,
    };
    let conflict = local.map(|local| Conflict {
        uid: uid.clone(),
        upstream: "deleted",
        local,
    });
    if conflict.is_none() || theirs {
        if inc.merged_into.is_some() || merged_into_it {
            merge::unmerge(w, regions, &uid)?;
        }
        w.delete_incident(&uid)?;
    }
    Ok(conflict)
}

/// The uids of an ACLED deleted-events list (`event_id_cnty,deleted_timestamp`).
pub fn read_deletions(r: impl Read, input: &str) -> Result<Vec<String>> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(r);
    let bad = |location: String, reason: String| Error::Input {
        input: input.into(),
        location,
        reason,
    };
    let headers = csv
        .headers()
        .map_err(|e| bad("line 1".into(), e.to_string()))?
        .clone();
    let col = headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}').trim() == "event_id_cnty")
        .ok_or_else(|| {
            bad(
                "line 1".into(),
                "no column event_id_cnty: expected ACLED's deleted-events list (event_id_cnty,deleted_timestamp)".into(),
            )
        })?;
    let mut uids = Vec::new();
    for (i, rec) in csv.records().enumerate() {
        let line = format!("line {}", i + 2);
        let rec = rec.map_err(|e| bad(line.clone(), e.to_string()))?;
        match rec.get(col).map(str::trim) {
            Some(uid) if !uid.is_empty() => uids.push(uid.to_string()),
            _ => {
                return Err(bad(
                    line,
                    "field event_id_cnty is empty: expected an event id".into(),
                ));
            }
        }
    }
    Ok(uids)
}

/// What applying a deletions list did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Deletions {
    pub rows: u64,
    pub deleted: u64,
    /// Named in the list but not in this database.
    pub absent: u64,
    pub conflicts: Vec<Conflict>,
    pub dry_run: bool,
}

/// Deletes the incidents `uids` names (see [`delete`]).
pub fn apply_deletions(
    w: &mut dyn Writer,
    regions: &Regions,
    uids: &[String],
    theirs: bool,
) -> Result<Deletions> {
    let mut out = Deletions::default();
    for uid in uids {
        out.rows += 1;
        let Some(inc) = w.get_incident(uid)? else {
            out.absent += 1;
            continue;
        };
        match delete(w, regions, &inc, theirs)? {
            Some(c) => {
                if theirs {
                    out.deleted += 1;
                }
                out.conflicts.push(c);
            }
            None => out.deleted += 1,
        }
    }
    Ok(out)
}

/// Restores a deleted incident as it was when deleted (its history says
/// how); returns it.
pub fn undelete(w: &mut dyn Writer, uid: &str) -> Result<Incident> {
    if w.get_incident(uid)?.is_some() {
        return Err(Error::invalid(
            "incident to undelete",
            uid,
            "a deleted incident (this one exists)",
        ));
    }
    let doc = w
        .history(uid)?
        .into_iter()
        .rev()
        .find(|e| e.entity == "incident" && e.action == "delete")
        .and_then(|e| e.old)
        .ok_or_else(|| Error::NotFound {
            what: "deleted incident".into(),
            name: uid.into(),
            suggestions: vec![],
        })?;
    let inc: Incident = serde_json::from_value(doc).map_err(|e| Error::Data {
        what: format!("the history of {uid}"),
        reason: format!("its last values cannot be read back: {e}"),
    })?;
    w.insert_incident(&inc)?;
    Ok(inc)
}
