//! The ACLED event taxonomy and the forgiving lookup of its names
//! (case, spacing and short forms ignored, closest names suggested).

use crate::error::{Error, Result};

/// The ACLED event taxonomy: event types and their sub-event types.
pub const TAXONOMY: &[(&str, &[&str])] = &[
    (
        "Battles",
        &[
            "Armed clash",
            "Government regains territory",
            "Non-state actor overtakes territory",
        ],
    ),
    (
        "Explosions/Remote violence",
        &[
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        ],
    ),
    (
        "Violence against civilians",
        &[
            "Sexual violence",
            "Attack",
            "Abduction/forced disappearance",
        ],
    ),
    (
        "Protests",
        &[
            "Peaceful protest",
            "Protest with intervention",
            "Excessive force against protesters",
        ],
    ),
    ("Riots", &["Violent demonstration", "Mob violence"]),
    (
        "Strategic developments",
        &[
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ],
    ),
];

/// Folds a taxonomy name for comparison: case and diacritics (the crate's
/// one folding), spaces and punctuation ignored.
fn fold(s: &str) -> String {
    crate::fold::folded_chars(s)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Returns up to `n` of `options` closest to `value`, best first.
pub fn closest<'a>(
    value: &str,
    options: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let v = fold(value);
    let mut scored: Vec<(f64, &str)> = options
        .into_iter()
        .map(|o| {
            let f = fold(o);
            let mut s = strsim::jaro_winkler(&v, &f);
            if !v.is_empty() && (f.contains(&v) || v.contains(&f)) {
                s += 0.5;
            }
            (s, o)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(n)
        .map(|(_, o)| o.to_string())
        .collect()
}

/// Canonical event type for a case-insensitive name (also accepts sub-type-free
/// short forms such as "explosions" or "vac").
pub fn canonical_event_type(value: &str) -> Result<&'static str> {
    let f = fold(value);
    let short = match f.as_str() {
        "explosions" | "remoteviolence" => Some("Explosions/Remote violence"),
        "vac" | "violence" => Some("Violence against civilians"),
        "strategic" => Some("Strategic developments"),
        _ => None,
    };
    if let Some(s) = short {
        return Ok(s);
    }
    TAXONOMY
        .iter()
        .map(|(t, _)| *t)
        .find(|t| fold(t) == f || fold(t).trim_end_matches('s') == f)
        .ok_or_else(|| {
            Error::invalid(
                "event type",
                value,
                format!(
                    "one of the ACLED event types (see `incidents types`); closest: {}",
                    closest(value, TAXONOMY.iter().map(|(t, _)| *t), 3).join(", ")
                ),
            )
        })
}

/// Canonical sub-event type of `event_type` for a case-insensitive name.
pub fn canonical_sub_event_type(event_type: &str, value: &str) -> Result<&'static str> {
    let subs = TAXONOMY
        .iter()
        .find(|(t, _)| *t == event_type)
        .map(|(_, s)| *s)
        .unwrap_or(&[]);
    let f = fold(value);
    subs.iter().copied().find(|s| fold(s) == f).ok_or_else(|| {
        Error::invalid(
            "sub-event type",
            value,
            format!(
                "a sub-event type of {event_type:?}; closest: {}",
                closest(value, subs.iter().copied(), 3).join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxonomy_is_case_insensitive_and_suggests() {
        assert_eq!(canonical_event_type("battles").unwrap(), "Battles");
        assert_eq!(
            canonical_event_type("VIOLENCE AGAINST CIVILIANS").unwrap(),
            "Violence against civilians"
        );
        assert_eq!(
            canonical_event_type("explosions/remote violence").unwrap(),
            "Explosions/Remote violence"
        );
        assert_eq!(
            canonical_sub_event_type("Battles", "armed CLASH").unwrap(),
            "Armed clash"
        );
        let e = canonical_event_type("battel").unwrap_err().to_string();
        assert!(e.contains("Battles"), "{e}");
        let e = canonical_sub_event_type("Battles", "air strike")
            .unwrap_err()
            .to_string();
        assert!(e.contains("sub-event type"), "{e}");
        for (t, subs) in TAXONOMY {
            for s in *subs {
                assert_eq!(canonical_sub_event_type(t, s).unwrap(), *s);
            }
        }
    }
}
