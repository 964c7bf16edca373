//! A place name -> one place, only when the gazetteer is sure: an exact or
//! variant match that no equally good namesake elsewhere rivals, and, for a
//! place that is no admin seat, a name no other place in any country bears
//! (see [`namesakes`]). Owns the
//! forms of a report's place string that are tried (descriptors such as
//! "village" dropped, "A/B" alternatives) and the ambiguity rule; ranking
//! and matching stay in the gazetteer.

use super::gazetteer::{Candidate, Gazetteer, MatchKind, Place};
use super::normalize::normalize_name;

/// Two candidates make a name ambiguous when they match the same way
/// (both exact, or both variants), answer about equally well (scores
/// within this margin), are different places (this far apart) and the
/// rival is a real contender (at least this share of the best one's
/// population, and inhabited if the best one is): Tripoli in Libya and
/// Lebanon, or two villages called Tall Hamid, but not Ramadi in Iraq and a
/// hamlet of the same name.
const AMBIGUOUS_SCORE_MARGIN: f64 = 0.03;
const SAME_PLACE_KM: f64 = 10.0;
const RIVAL_POPULATION_SHARE: f64 = 0.1;

/// Candidates looked at to judge ambiguity, whatever the caller displays.
const RIVALS_CONSIDERED: usize = 10;

/// Namesakes looked for in every country before answering with a place
/// that is not an admin seat (see [`is_seat`]).
const NAMESAKES_CONSIDERED: usize = 100;

/// Seats of a country, governorate or district: the place a bare name
/// means even where hamlets share it (Hamah, Aleppo, Jablah).
fn is_seat(feature_code: &str) -> bool {
    matches!(feature_code, "PPLC" | "PPLA" | "PPLA2")
}

/// Seats of a subdistrict: known places (Mismiyah, Bosra), whose other
/// spellings are their own rather than a different village's.
fn is_minor_seat(feature_code: &str) -> bool {
    matches!(feature_code, "PPLA3" | "PPLA4")
}

/// Words that reports put after a place name ("Kafr Nasij village", "Deir
/// ez Zor town") or before it ("the town of Tadmur"), in Latin and Arabic
/// script; compared in lower case.
const DESCRIPTORS_AFTER: &[&str] = &[
    "village",
    "villge",
    "town",
    "city",
    "suburb",
    "camp",
    "refugee camp",
    "area",
    "district",
    "neighbourhood",
    "neighborhood",
    "quarter",
    "countryside",
    "outskirts",
    "hamlet",
    "settlement",
    "farm",
    "farms",
    "mount",
    "mountain",
    "hill",
    "hills",
    "tower",
    "island",
    "checkpoint",
    "oil field",
    "gas field",
    "military base",
    "military airbase",
    "airbase",
    "military airport",
    "airport",
    "dam",
    "bridge",
    "crossroads",
    "roundabout",
];
const DESCRIPTORS_BEFORE: &[&str] = &[
    "village of",
    "town of",
    "city of",
    "outskirts of",
    "countryside of",
    "قرية",
    "بلدة",
    "مدينة",
    "مخيم",
    "ريف",
];

/// What the gazetteer can say about a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The first candidate is the place.
    One,
    /// The first `n` candidates (some may be beyond the limit, or in other
    /// countries than the one asked for) are different places bearing the
    /// name, or (`n` = 1) the first candidate may be the place but the
    /// match is too loose to be sure.
    Ambiguous(usize),
    /// No confident match: the candidates are suggestions (different names).
    NoMatch,
}

#[derive(Debug)]
pub struct Resolution {
    /// The form of the name that was matched (the name itself, or the name
    /// without its descriptor, or one of its `/` alternatives).
    pub looked_up: String,
    pub candidates: Vec<Candidate>,
    pub answer: Answer,
}

/// Resolves `name` in `gazetteer`; `limit` bounds the candidates returned
/// (never the ones compared for ambiguity).
pub fn resolve(
    gazetteer: &Gazetteer,
    name: &str,
    country: Option<&str>,
    limit: usize,
) -> Resolution {
    let mut fallback: Option<Resolution> = None;
    for form in forms(name) {
        let mut candidates = gazetteer.search(&form, country, limit.max(RIVALS_CONSIDERED));
        let mut answer = judge(&candidates);
        if let Some(own) = own_place(&candidates) {
            // The user added this place (`places add`) to say what the name
            // means here: it answers, whatever else bears the name.
            let own = candidates.remove(own);
            candidates.insert(0, own);
            answer = Answer::One;
        } else if answer == Answer::One && is_seat(&candidates[0].place.feature_code) {
            let seats = rival_seats(&candidates);
            if seats > 0 {
                answer = Answer::Ambiguous(seats + 1);
            }
        } else if answer == Answer::One {
            let world = gazetteer.search(&form, None, NAMESAKES_CONSIDERED);
            let namesakes = namesakes(&candidates[0], &world);
            if namesakes > 0 {
                answer = Answer::Ambiguous(namesakes + 1);
            } else if candidates[0].kind == MatchKind::Variant
                && is_one_word(&form)
                && !is_minor_seat(&candidates[0].place.feature_code)
            {
                // Unsure: the one candidate may be the place.
                answer = Answer::Ambiguous(1);
            }
        }
        candidates.truncate(limit);
        let resolution = Resolution {
            looked_up: form,
            candidates,
            answer,
        };
        if answer != Answer::NoMatch {
            return resolution;
        }
        // Suggestions for the barest form say most about what was meant.
        if fallback.is_none() || !resolution.candidates.is_empty() {
            fallback = Some(resolution);
        }
    }
    fallback.unwrap_or(Resolution {
        looked_up: name.to_string(),
        candidates: Vec::new(),
        answer: Answer::NoMatch,
    })
}

/// Two candidates are different places, not two entries for one.
fn apart(a: &Place, b: &Place) -> bool {
    crate::filter::distance_km(a.latitude, a.longitude, b.latitude, b.longitude) > SAME_PLACE_KM
}

/// The position of the one place of the user's own (negative id) that
/// matches confidently, if exactly one does.
fn own_place(candidates: &[Candidate]) -> Option<usize> {
    let mut own = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.place.id < 0 && c.kind.is_confident())
        .map(|(i, _)| i);
    let first = own.next()?;
    own.next().is_none().then_some(first)
}

/// Other seats of some size among the candidates (the country asked for,
/// or the world) bearing the name: Saida is a governorate seat in Algeria
/// and in Lebanon, and the better score of a main name over an alternate
/// one says nothing about which is meant.
fn rival_seats(candidates: &[Candidate]) -> usize {
    let (kind, best) = (candidates[0].kind, &candidates[0].place);
    candidates[1..]
        .iter()
        .filter(|c| {
            c.kind <= kind
                && is_seat(&c.place.feature_code)
                && c.place.population as f64 >= best.population as f64 * RIVAL_POPULATION_SHARE
                && apart(&c.place, best)
        })
        .count()
}

/// The candidates' verdict: one place, several, or none.
fn judge(candidates: &[Candidate]) -> Answer {
    let Some(best) = candidates.first().filter(|c| c.kind.is_confident()) else {
        return Answer::NoMatch;
    };
    let rivals = candidates[1..]
        .iter()
        .filter(|c| {
            c.kind == best.kind
                && c.score >= best.score - AMBIGUOUS_SCORE_MARGIN
                && c.place.population as f64
                    >= best.place.population as f64 * RIVAL_POPULATION_SHARE
                && (best.place.is_abandoned() || !c.place.is_abandoned())
                && apart(&c.place, &best.place)
        })
        .count();
    if rivals == 0 {
        Answer::One
    } else {
        Answer::Ambiguous(rivals + 1)
    }
}

/// Whether a name is one word once articles are dropped ("Al Bahariyah",
/// "Hadadiyah"). Such a name in another spelling is the weakest evidence:
/// a short word has many near-spellings, and a village spelled with a
/// shadda (Haddadiyah) may not be the one UCDP writes without it.
fn is_one_word(name: &str) -> bool {
    !normalize_name(name).contains(' ')
}

/// Places of the same name (exact or variant) more than [`SAME_PLACE_KM`]
/// from `best`, in any country, whatever their size or state. A name that
/// several places bear is a common name (Saida, Barqah, Al Hamam), and the
/// gazetteer misses many villages: a lone namesake in the country asked
/// for is then no evidence that it is the place meant. Measured on UCDP
/// place names (data/README.md), such answers were wrong one time in four.
fn namesakes(best: &Candidate, world: &[Candidate]) -> usize {
    let (kind, best) = (best.kind, &best.place);
    // A subdistrict seat matched exactly is not made unsure by places
    // whose names are only spelled alike (Bosra: Basrah; Deir Hafer).
    let minor_seat = is_minor_seat(&best.feature_code);
    world
        .iter()
        .filter(|c| {
            c.kind.is_confident() && (c.kind <= kind || !minor_seat) && apart(&c.place, best)
        })
        .count()
}

/// The forms of a place string to try, in order: as given; then each of
/// its parts (the name outside brackets, the one inside: "Al-Rai town
/// (Choban Bey)"), without a leading or trailing descriptor and with an
/// English direction word put as the Arabic one ("Eastern Ghariyah" as
/// "Ghariyah Sharqiyah"); then each `/`-separated alternative ("Abu
/// al-Khatir/Al Boukhater village") the same way.
fn forms(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    push(name);
    let mut parts = vec![name.to_string()];
    if let Some((before, rest)) = name.split_once('(')
        && let Some((inside, after)) = rest.split_once(')')
    {
        parts = vec![format!("{before} {after}"), inside.to_string()];
    }
    for part in &parts {
        let bare = strip_descriptors(part);
        let mut alternatives = vec![bare];
        if bare.contains('/') {
            alternatives.extend(bare.split('/').map(strip_descriptors));
        }
        for alternative in alternatives {
            push(alternative);
            for directed in with_arabic_direction(alternative) {
                push(&directed);
            }
        }
    }
    out
}

/// English direction words that reports put before a name, and the Arabic
/// adjectives (feminine and masculine) that gazetteers put after it.
const DIRECTIONS: &[(&[&str], [&str; 2])] = &[
    (&["east", "eastern"], ["Sharqiyah", "Sharqi"]),
    (&["west", "western"], ["Gharbiyah", "Gharbi"]),
    (&["north", "northern"], ["Shamaliyah", "Shamali"]),
    (&["south", "southern"], ["Janubiyah", "Janubi"]),
    (&["upper"], ["Fawqani", "Fawqaniyah"]),
    (&["lower"], ["Tahtani", "Tahtaniyah"]),
];

/// "Eastern Ghariyah" as "Ghariyah Sharqiyah" and "Ghariyah Sharqi"; none
/// for a name without a leading direction word. The bare name is never
/// offered: East X is not X.
fn with_arabic_direction(name: &str) -> Vec<String> {
    let Some((first, rest)) = name.trim().split_once(char::is_whitespace) else {
        return Vec::new();
    };
    let first = first.to_lowercase();
    DIRECTIONS
        .iter()
        .find(|(words, _)| words.contains(&first.as_str()))
        .map(|(_, arabic)| {
            arabic
                .iter()
                .map(|a| format!("{} {a}", rest.trim()))
                .collect()
        })
        .unwrap_or_default()
}

/// `name` without one leading and one trailing descriptor, unless nothing
/// would be left.
fn strip_descriptors(name: &str) -> &str {
    let mut s = name.trim();
    for d in DESCRIPTORS_BEFORE {
        if let Some(head) = s.get(..d.len())
            && head.eq_ignore_ascii_case(d)
            && s[d.len()..].starts_with(char::is_whitespace)
            && !s[d.len()..].trim().is_empty()
        {
            s = s[d.len()..].trim_start();
            break;
        }
    }
    // The longest trailing descriptor ("refugee camp" before "camp").
    let mut cut: Option<usize> = None;
    for d in DESCRIPTORS_AFTER {
        if s.len() > d.len()
            && let Some(tail) = s.get(s.len() - d.len()..)
            && tail.eq_ignore_ascii_case(d)
            && s[..s.len() - d.len()].ends_with(char::is_whitespace)
            && !s[..s.len() - d.len()].trim().is_empty()
        {
            let at = s.len() - d.len();
            cut = Some(cut.map_or(at, |c: usize| c.min(at)));
        }
    }
    if let Some(at) = cut {
        s = s[..at].trim_end();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::Place;

    /// A bundled place (positive id; the user's own places have negative ids).
    fn place(id: i64, name: &str, country: &str, lat: f64, feature: &str) -> Place {
        Place {
            id,
            name: name.to_string(),
            latitude: lat,
            longitude: 37.0,
            country: country.to_string(),
            admin1_code: None,
            admin1_name: None,
            feature_code: feature.to_string(),
            population: 0,
            alt_names: Vec::new(),
        }
    }

    fn answer(g: &Gazetteer, name: &str) -> Answer {
        resolve(g, name, Some("SY"), 5).answer
    }

    #[test]
    fn a_namesake_in_any_country_makes_a_village_unsure() {
        let mut g = Gazetteer::new();
        g.add_place(place(1, "Saida", "SY", 35.0, "PPL"));
        g.add_place(place(2, "Tall Sallur", "SY", 36.0, "PPL"));
        g.add_place(place(3, "Saida", "LB", 33.5, "PPL"));
        // A spelling variant abroad is a namesake too.
        g.add_place(place(4, "Mazraat Hamad", "SY", 34.0, "PPL"));
        g.add_place(place(5, "Mazraat Hamed", "IQ", 33.0, "PPL"));
        assert_eq!(answer(&g, "Saida village"), Answer::Ambiguous(2));
        assert_eq!(answer(&g, "Mazraat Hamad"), Answer::Ambiguous(2));
        assert_eq!(answer(&g, "Tall Sallour village"), Answer::One);
        // A duplicate within 10 km is the same place, not a namesake.
        g.add_place(place(6, "Tall Sallur", "SY", 36.05, "PPL"));
        assert_eq!(answer(&g, "Tall Sallur"), Answer::One);
    }

    #[test]
    fn seats_answer_despite_namesakes() {
        let mut g = Gazetteer::new();
        g.add_place(place(1, "Jablah", "SY", 35.0, "PPLA2"));
        g.add_place(place(2, "Jablah", "IQ", 33.0, "PPL"));
        assert_eq!(answer(&g, "Jablah town"), Answer::One);
        // A subdistrict seat matched exactly: only exact namesakes count.
        g.add_place(place(3, "Dayr Hafir", "SY", 36.0, "PPLA3"));
        g.add_place(place(4, "Deir Hafer", "IQ", 34.0, "PPL"));
        assert_eq!(answer(&g, "Dayr Hafir"), Answer::One);
        g.add_place(place(5, "Dayr Hafir", "IQ", 32.0, "PPL"));
        assert_eq!(answer(&g, "Dayr Hafir"), Answer::Ambiguous(2));
    }

    #[test]
    fn a_one_word_name_in_another_spelling_is_unsure() {
        let mut g = Gazetteer::new();
        g.add_place(place(1, "Haddadiyah", "SY", 36.8, "PPL"));
        g.add_place(place(2, "Tall Sallur", "SY", 36.0, "PPL"));
        assert_eq!(answer(&g, "Hadadiyah village"), Answer::Ambiguous(1));
        g.add_place(place(9, "Mismiyah", "SY", 33.1, "PPLA3"));
        assert_eq!(answer(&g, "Masmiyah"), Answer::One, "a subdistrict seat");
        assert_eq!(answer(&g, "Haddadiyah village"), Answer::One);
        assert_eq!(answer(&g, "Tall Sallour"), Answer::One);
    }

    #[test]
    fn descriptors_are_dropped_but_never_the_whole_name() {
        assert_eq!(strip_descriptors("Kafr Nasij village"), "Kafr Nasij");
        assert_eq!(strip_descriptors("Deir ez Zor  town"), "Deir ez Zor");
        assert_eq!(strip_descriptors("the town"), "the");
        assert_eq!(strip_descriptors("Town of Tadmur"), "Tadmur");
        assert_eq!(strip_descriptors("قرية كفر ناسج"), "كفر ناسج");
        assert_eq!(strip_descriptors("Camp"), "Camp");
        assert_eq!(strip_descriptors("Townsville"), "Townsville");
    }

    #[test]
    fn forms_try_the_name_first_then_alternatives() {
        assert_eq!(
            forms("Abu al-Khatir/Al Boukhater village"),
            [
                "Abu al-Khatir/Al Boukhater village",
                "Abu al-Khatir/Al Boukhater",
                "Abu al-Khatir",
                "Al Boukhater"
            ]
        );
        assert_eq!(forms("Homs"), ["Homs"]);
    }

    #[test]
    fn bracketed_names_and_direction_words_give_forms() {
        assert_eq!(
            forms("Al-Rai town (Choban Bey)"),
            ["Al-Rai town (Choban Bey)", "Al-Rai", "Choban Bey"]
        );
        assert_eq!(
            forms("Eastern Ghariyah town"),
            [
                "Eastern Ghariyah town",
                "Eastern Ghariyah",
                "Ghariyah Sharqiyah",
                "Ghariyah Sharqi"
            ]
        );
        assert!(with_arabic_direction("Westfield").is_empty());
    }

    #[test]
    fn one_word_names_are_told_apart() {
        assert!(is_one_word("Al Bahariyah"));
        assert!(is_one_word("Hadadiyah"));
        assert!(!is_one_word("Tall Sallour"));
    }

    #[test]
    fn multi_word_descriptors_are_dropped() {
        assert_eq!(strip_descriptors("Kamuna refugee camp"), "Kamuna");
        assert_eq!(strip_descriptors("Al Teem Oil Field"), "Al Teem");
        assert_eq!(strip_descriptors("Taftanaz Military Airbase"), "Taftanaz");
        assert_eq!(strip_descriptors("Burj al-Sebi tower"), "Burj al-Sebi");
        assert_eq!(strip_descriptors("Oil field"), "Oil field");
    }

    #[test]
    fn a_place_of_the_users_own_answers_for_its_name() {
        let mut g = Gazetteer::new();
        g.add_place(place(1, "Saida", "SY", 35.0, "PPL"));
        g.add_place(place(3, "Saida", "LB", 33.5, "PPL"));
        assert_eq!(answer(&g, "Saida"), Answer::Ambiguous(2));
        g.add_place(place(-1, "Saida", "SY", 32.7, "PPL"));
        let r = resolve(&g, "Saida", None, 5);
        assert_eq!(r.answer, Answer::One);
        assert_eq!(r.candidates[0].place.id, -1);
        // Two places of the user's own with that name: no longer sure.
        g.add_place(place(-2, "Saida", "SY", 34.0, "PPL"));
        assert!(matches!(answer(&g, "Saida"), Answer::Ambiguous(_)));
    }
}
