//! Folding text for comparison: case and diacritics ignored, as a reader
//! ignores them ("Émeute" is "emeute", "ISLĀM" is "islam", "دَرْعَا" is
//! "درعا"). The one folding shared by the text filters (in Rust, and in SQL
//! as the `fold()` function the store registers) and the geocoder's name
//! keys. Imports nothing of the crate, so `filter.rs` can use it and still
//! import nothing else.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The characters of `s` decomposed (NFKD), without combining marks
/// (accents, Arabic vowel signs), in lower case.
pub fn folded_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
}

/// `s` with case and diacritics folded away.
pub fn fold(s: &str) -> String {
    // Plain ASCII (most titles and actors) folds to its lower case: the
    // same result without decomposing.
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        folded_chars(s).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_diacritics_fold() {
        assert_eq!(fold("Émeute à Alep"), "emeute a alep");
        assert_eq!(fold("Jaysh al-Islām"), fold("JAYSH AL-ISLAM"));
        assert_eq!(fold("ISLĀM"), "islam");
        assert_eq!(fold("İdlib"), "idlib");
        assert_eq!(fold("دَرْعَا"), "درعا");
        assert_eq!(fold("50%_x"), "50%_x");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn ascii_shortcut_agrees_with_the_general_path() {
        for s in ["Daraa", "AL-Sanamayn 12", "x_%'\"", "MiXeD cAsE"] {
            assert_eq!(fold(s), folded_chars(s).collect::<String>(), "{s}");
        }
    }
}
