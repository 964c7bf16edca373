//! Review: the queue of drafts (incidents and tallies drafted from report
//! text, never counted until reviewed) and the decisions on them. A
//! decision is one write transaction, recorded in history with who made it
//! and when (the store's history, like every change); only a draft can be
//! decided. Accepting applies edits as `edit` makes them, in the same write.

use crate::edit::{self, Patch};
use crate::error::{Error, Result};
use crate::filter::{Filter, Status};
use crate::locate::Locator;
use crate::model::{Evidence, Incident, Review, Source, Tally, check_text};
use crate::store::{self, Store, Writer};

/// A record under review: an incident or a tally.
// A queue holds few records, one at a time in a decision: their size is
// no concern, and boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Incident(Incident),
    Tally(Tally),
}

impl Record {
    /// "incident" or "tally".
    pub fn kind(&self) -> &'static str {
        match self {
            Record::Incident(_) => "incident",
            Record::Tally(_) => "tally",
        }
    }

    pub fn uid(&self) -> &str {
        match self {
            Record::Incident(i) => i.uid.as_deref(),
            Record::Tally(t) => t.uid.as_deref(),
        }
        .unwrap_or_default()
    }

    pub fn status(&self) -> Review {
        match self {
            Record::Incident(i) => i.status,
            Record::Tally(t) => t.status,
        }
    }

    pub fn evidence(&self) -> &[Evidence] {
        match self {
            Record::Incident(i) => &i.evidence,
            Record::Tally(t) => &t.evidence,
        }
    }

    pub fn created_at(&self) -> Option<&str> {
        match self {
            Record::Incident(i) => i.created_at.as_deref(),
            Record::Tally(t) => t.created_at.as_deref(),
        }
    }

    pub fn sources(&self) -> Vec<&Source> {
        match self {
            Record::Incident(i) => i.sources.iter().collect(),
            Record::Tally(t) => t.source.iter().collect(),
        }
    }

    /// Whether one of its sources is `source`: its publisher or its URL
    /// (case ignored).
    pub fn cites(&self, source: &str) -> bool {
        let source = source.trim();
        self.sources().iter().any(|s| {
            s.publisher.eq_ignore_ascii_case(source)
                || s.url
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(source))
        })
    }

    /// The record as JSON, as `show --format json` writes an incident (or
    /// `tally list` a tally), with its kind first.
    pub fn to_json(&self) -> Result<serde_json::Map<String, serde_json::Value>> {
        let value = match self {
            Record::Incident(i) => serde_json::to_value(i)?,
            Record::Tally(t) => serde_json::to_value(t)?,
        };
        let mut out = serde_json::Map::new();
        out.insert("kind".into(), self.kind().into());
        if let serde_json::Value::Object(fields) = value {
            out.extend(fields);
        }
        Ok(out)
    }

    fn set(&mut self, status: Review, note: Option<String>) {
        let (s, n) = match self {
            Record::Incident(i) => (&mut i.status, &mut i.review_note),
            Record::Tally(t) => (&mut t.status, &mut t.review_note),
        };
        *s = status;
        if note.is_some() {
            *n = note;
        }
    }

    fn store(&self, w: &mut dyn Writer) -> Result<()> {
        match self {
            Record::Incident(i) => w.update_incident(i),
            Record::Tally(t) => w.upsert_tally(t).map(drop),
        }
    }
}

fn not_found(uid: &str) -> Error {
    Error::NotFound {
        what: "incident or tally".into(),
        name: uid.into(),
        suggestions: vec![],
    }
}

/// The incident or tally `uid`, whatever its status.
pub fn find(store: &dyn Store, uid: &str) -> Result<Record> {
    if let Some(i) = store.get_incident(uid)? {
        return Ok(Record::Incident(i));
    }
    store
        .get_tally(uid)?
        .map(Record::Tally)
        .ok_or_else(|| not_found(uid))
}

/// The drafts awaiting review, oldest first (by when they were written,
/// then uid); with `source`, only those citing it.
pub fn queue(store: &dyn Store, source: Option<&str>) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    let drafts = Filter {
        status: Status::Draft,
        ..Filter::default()
    };
    store.for_each_incident(&drafts, &mut |i| {
        out.push(Record::Incident(i));
        Ok(())
    })?;
    out.extend(
        store
            .tallies(None, None, None, Status::Draft)?
            .into_iter()
            .map(Record::Tally),
    );
    if let Some(source) = source {
        out.retain(|r| r.cites(source));
    }
    out.sort_by(|a, b| (a.created_at(), a.uid()).cmp(&(b.created_at(), b.uid())));
    Ok(out)
}

/// The record `uid` as this transaction sees it, if it is a draft.
fn draft(w: &dyn Writer, uid: &str) -> Result<Record> {
    let record = match w.get_incident(uid)? {
        Some(i) => Record::Incident(i),
        None => Record::Tally(w.get_tally(uid)?.ok_or_else(|| not_found(uid))?),
    };
    if record.status() != Review::Draft {
        return Err(Error::invalid(
            "uid",
            uid,
            format!(
                "a draft ({uid} is {}: only drafts can be accepted or rejected)",
                record.status().as_str()
            ),
        ));
    }
    Ok(record)
}

/// Runs a decision in one transaction, rolled back when `dry_run`.
fn decide<T>(
    store: &mut dyn Store,
    dry_run: bool,
    f: impl FnOnce(&mut dyn Writer) -> Result<T>,
) -> Result<T> {
    if dry_run {
        store::dry_run(store, f)
    } else {
        store::write(store, f)
    }
}

/// Accepts the draft `uid`: `patch` (edits as `edit` takes them, for an
/// incident) is applied and the record marked reviewed, in one write.
/// Returns the record as accepted.
pub fn accept(
    store: &mut dyn Store,
    locator: &Locator,
    uid: &str,
    patch: &Patch,
    dry_run: bool,
) -> Result<Record> {
    let patch = edit::locate(store, locator, patch)?;
    decide(store, dry_run, |w| {
        let mut record = match draft(w, uid)? {
            Record::Incident(old) => Record::Incident(patch.apply(&old, locator)?),
            Record::Tally(_) if patch != Patch::default() => {
                return Err(Error::invalid(
                    "uid",
                    uid,
                    "an incident: edit flags change incidents, and this is a tally (accept it as it \
                     is, or reject it and record the figure with `incidents tally add`)",
                ));
            }
            tally => tally,
        };
        record.set(Review::Reviewed, None);
        record.store(w)?;
        Ok(record)
    })
}

/// Rejects the draft `uid`, keeping `reason` as its review note. Returns
/// the record as rejected.
pub fn reject(store: &mut dyn Store, uid: &str, reason: &str, dry_run: bool) -> Result<Record> {
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            reason,
            "why the draft is rejected (a non-empty text)",
        ));
    }
    let reason = Some(reason);
    check_text("reason", &reason)?;
    decide(store, dry_run, |w| {
        let mut record = draft(w, uid)?;
        record.set(Review::Rejected, reason);
        record.store(w)?;
        Ok(record)
    })
}

/// Accepts, in one write, every draft citing `source` (its publisher or
/// URL) as it is: a trusted batch. Returns the uids accepted, in the
/// queue's order.
pub fn accept_all_from(store: &mut dyn Store, source: &str, dry_run: bool) -> Result<Vec<String>> {
    let uids: Vec<String> = queue(store, Some(source))?
        .iter()
        .map(|r| r.uid().to_string())
        .collect();
    decide(store, dry_run, |w| {
        for uid in &uids {
            let mut record = draft(w, uid)?;
            record.set(Review::Reviewed, None);
            record.store(w)?;
        }
        Ok(uids)
    })
}

/// The evidence's context split around its span: (before, span, after).
/// The span is found by its offsets (characters, as `Evidence` counts
/// them), or by its text when the offsets do not point at it; when the
/// context does not hold it, the span stands alone.
pub fn in_context(ev: &Evidence) -> (String, String, String) {
    let chars: Vec<char> = ev.context.chars().collect();
    if let (Some(start), Some(end)) = (
        ev.start.checked_sub(ev.context_start),
        ev.end.checked_sub(ev.context_start),
    ) && start <= end
        && end <= chars.len()
    {
        let span: String = chars[start..end].iter().collect();
        if span == ev.text {
            return (
                chars[..start].iter().collect(),
                span,
                chars[end..].iter().collect(),
            );
        }
    }
    if !ev.text.is_empty()
        && let Some(at) = ev.context.find(&ev.text)
    {
        return (
            ev.context[..at].to_string(),
            ev.text.clone(),
            ev.context[at + ev.text.len()..].to_string(),
        );
    }
    (String::new(), ev.text.clone(), String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(text: &str, start: usize, context: &str, context_start: usize) -> Evidence {
        Evidence {
            field: "place".into(),
            start,
            end: start + text.chars().count(),
            text: text.into(),
            context: context.into(),
            context_start,
        }
    }

    #[test]
    fn span_in_context_by_characters() {
        // Arabic before the span: offsets count characters, not bytes.
        let ev = evidence("نوى", 108, "قتل رجل في نوى يوم الثلاثاء", 97);
        assert_eq!(
            in_context(&ev),
            (
                "قتل رجل في ".to_string(),
                "نوى".to_string(),
                " يوم الثلاثاء".to_string()
            )
        );
    }

    #[test]
    fn span_found_by_text_or_alone() {
        let shifted = evidence("Nawa", 500, "A man was killed in Nawa on Tuesday.", 10);
        let (before, span, after) = in_context(&shifted);
        assert_eq!(
            (before.as_str(), span.as_str(), after.as_str()),
            ("A man was killed in ", "Nawa", " on Tuesday.")
        );
        let lost = evidence("Nawa", 0, "", 0);
        assert_eq!(
            in_context(&lost),
            (String::new(), "Nawa".into(), String::new())
        );
    }
}
