//! Who: the armed groups, forces and victims a report names, written as
//! ACLED writes actors, and whether each is a state force (which decides
//! "Government regains territory" against "Non-state actor overtakes").

use super::text::Word;

/// (words as written, lowercase; the actor's name; a state force?). A word
/// ending in `*` matches any word starting with it.
const ACTORS: &[(&[&str], &str, bool)] = &[
    (&["islamic", "state"], "Islamic State (ISIS)", false),
    (&["isis"], "Islamic State (ISIS)", false),
    (&["isil"], "Islamic State (ISIS)", false),
    (&["daesh"], "Islamic State (ISIS)", false),
    (
        &["syrian", "democratic", "forces"],
        "SDF: Syrian Democratic Forces",
        false,
    ),
    (&["sdf"], "SDF: Syrian Democratic Forces", false),
    (
        &["hayat", "tahrir", "al-sham"],
        "HTS: Hayat Tahrir al-Sham",
        false,
    ),
    (&["hts"], "HTS: Hayat Tahrir al-Sham", false),
    (
        &["popular", "mobilization", "forces"],
        "PMF: Popular Mobilization Forces",
        true,
    ),
    (
        &["popular", "mobilisation", "forces"],
        "PMF: Popular Mobilization Forces",
        true,
    ),
    (&["pmf"], "PMF: Popular Mobilization Forces", true),
    (&["hashd"], "PMF: Popular Mobilization Forces", true),
    (&["peshmerga"], "Peshmerga", true),
    (&["pkk"], "PKK: Kurdistan Workers Party", false),
    (&["ypg"], "YPG: Peoples Protection Units", false),
    (&["hezbollah"], "Hezbollah", false),
    (&["hamas"], "Hamas", false),
    (&["houthi*"], "Ansar Allah (Houthis)", false),
    (&["ansar", "allah"], "Ansar Allah (Houthis)", false),
    (&["al-shabaab"], "Al Shabaab", false),
    (&["shabaab"], "Al Shabaab", false),
    (&["boko", "haram"], "Boko Haram", false),
    (&["iswap"], "Islamic State West Africa Province", false),
    (&["taliban"], "Taliban", false),
    (&["al-qaeda"], "Al Qaeda", false),
    (&["syrian", "army"], "Military Forces of Syria", true),
    (
        &["syrian", "government", "forces"],
        "Military Forces of Syria",
        true,
    ),
    (&["government", "forces"], "Government forces", true),
    (&["regime", "forces"], "Military Forces of Syria", true),
    (&["security", "forces"], "Security forces", true),
    (
        &["internal", "security", "forces"],
        "Internal Security Forces",
        true,
    ),
    (
        &["iraqi", "security", "forces"],
        "Military Forces of Iraq",
        true,
    ),
    (&["iraqi", "army"], "Military Forces of Iraq", true),
    (&["iraqi", "forces"], "Military Forces of Iraq", true),
    (&["iraqi", "troops"], "Military Forces of Iraq", true),
    (
        &["counter-terrorism", "service"],
        "Military Forces of Iraq",
        true,
    ),
    (&["army"], "Military forces", true),
    (&["troops"], "Military forces", true),
    (&["soldiers"], "Military forces", true),
    (&["police"], "Police forces", true),
    (&["policemen"], "Police forces", true),
    (&["military"], "Military forces", true),
    (&["israeli"], "Military Forces of Israel", true),
    (&["idf"], "Military Forces of Israel", true),
    (&["turkish"], "Military Forces of Turkey", true),
    (&["russian"], "Military Forces of Russia", true),
    (&["us-led", "coalition"], "International Coalition", true),
    (
        &["international", "coalition"],
        "International Coalition",
        true,
    ),
    (&["coalition"], "International Coalition", true),
    (
        &["us", "forces"],
        "Military Forces of the United States",
        true,
    ),
    (
        &["american", "forces"],
        "Military Forces of the United States",
        true,
    ),
    (&["gunmen"], "Unidentified Armed Group", false),
    (
        &["unknown", "assailants"],
        "Unidentified Armed Group",
        false,
    ),
    (&["militants"], "Unidentified Armed Group", false),
    (&["protesters"], "Protesters", false),
    (&["demonstrators"], "Protesters", false),
    (&["rioters"], "Rioters", false),
    (&["civilians"], "Civilians", false),
];

/// One actor named: the word range and the entry.
#[derive(Debug, Clone)]
pub struct Named {
    pub range: std::ops::Range<usize>,
    pub name: &'static str,
    pub state: bool,
}

/// The actors a sentence names, in order, each once.
pub fn actors(words: &[Word]) -> Vec<Named> {
    let mut out: Vec<Named> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let best = ACTORS
            .iter()
            .filter(|(p, _, _)| matches_at(words, i, p))
            .max_by_key(|(p, _, _)| p.len());
        match best {
            Some((p, name, state)) => {
                if !out.iter().any(|n| n.name == *name) {
                    out.push(Named {
                        range: words[i].range.start..words[i + p.len() - 1].range.end,
                        name,
                        state: *state,
                    });
                }
                i += p.len();
            }
            None => i += 1,
        }
    }
    out
}

fn matches_at(words: &[Word], i: usize, phrase: &[&str]) -> bool {
    phrase.len() <= words.len() - i
        && phrase.iter().zip(&words[i..]).all(|(p, w)| {
            let lower = w.lower.trim_end_matches("'s");
            match p.strip_suffix('*') {
                Some(prefix) => lower.starts_with(prefix),
                None => lower == *p,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::words;

    #[test]
    fn longest_names_win_and_each_actor_is_named_once() {
        let w = words("Syrian Democratic Forces fought ISIS; the SDF said Islamic State lost");
        let names: Vec<&str> = actors(&w).iter().map(|a| a.name).collect();
        assert_eq!(
            names,
            ["SDF: Syrian Democratic Forces", "Islamic State (ISIS)"]
        );
    }
}
