//! A report as text: checked to be a readable English report, cut into
//! paragraphs, sentences and words, with byte offsets kept so every draft
//! can point back at the words it came from.

use std::ops::Range;

use crate::error::{Error, Result};

/// Longest report accepted: a news or monitoring report is a few pages; a
/// larger file is a dump or the wrong file, and drafting from it would
/// flood the review queue.
pub const MAX_REPORT_BYTES: usize = 1 << 20;

/// Checks that `bytes` read from `input` is a report this extractor can
/// read: not empty, text (UTF-8 without NUL bytes), not huge, and English.
pub fn check_report(input: &str, bytes: Vec<u8>) -> Result<String> {
    let bad = |reason: String| Error::Input {
        input: input.to_string(),
        location: "whole file".into(),
        reason,
    };
    if bytes.len() > MAX_REPORT_BYTES {
        return Err(bad(format!(
            "{} bytes; a report is expected to be at most {} bytes (1 MiB): split it, or check it is the right file",
            bytes.len(),
            MAX_REPORT_BYTES
        )));
    }
    if bytes.contains(&0) {
        return Err(bad(
            "binary data (NUL bytes); expected a plain-text report".into()
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        bad(format!(
            "not UTF-8 text (invalid byte at offset {}); expected a plain-text report in UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let words = words(&text);
    if words.is_empty() {
        return Err(bad("no words; expected the text of a report".into()));
    }
    let english = words
        .iter()
        .filter(|w| ENGLISH_FUNCTION_WORDS.contains(&w.lower.as_str()))
        .count();
    // English prose runs at 35-50 % function words; a list of names or
    // another language has almost none.
    if words.len() >= 8 && (english as f64) < 0.12 * words.len() as f64 {
        return Err(bad(format!(
            "does not read as English ({english} of {} words are common English words); the extractor reads English reports (place names may be in Arabic script)",
            words.len()
        )));
    }
    Ok(text)
}

const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "in", "on", "at", "to", "and", "or", "by", "for", "with", "from",
    "was", "were", "is", "are", "has", "have", "had", "that", "this", "which", "who", "after",
    "its", "their", "his", "her", "he", "she", "they", "it", "as", "near", "been", "be", "not",
    "said",
];

/// One word: letters and digits, with inner hyphens and apostrophes
/// ("al-Sanamayn", "Dar'a", "twenty-three").
#[derive(Debug, Clone)]
pub struct Word {
    pub range: Range<usize>,
    pub text: String,
    pub lower: String,
}

impl Word {
    /// Starts with a capital letter, or is in a script without case (Arabic).
    pub fn is_capitalised(&self) -> bool {
        self.text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()))
    }
}

pub fn words(text: &str) -> Vec<Word> {
    words_in(text, 0..text.len())
}

/// The words of `text[range]`, with offsets into `text`.
pub fn words_in(text: &str, range: Range<usize>) -> Vec<Word> {
    let mut out = Vec::new();
    let slice = &text[range.clone()];
    let mut start: Option<usize> = None;
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let joiner = matches!(c, '-' | '\'' | '’')
            && start.is_some()
            && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || joiner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(word(text, range.start + s..range.start + i));
        }
    }
    if let Some(s) = start {
        out.push(word(text, range.start + s..range.end));
    }
    out
}

fn word(text: &str, range: Range<usize>) -> Word {
    let t = text[range.clone()].to_string();
    Word {
        range,
        lower: t.to_lowercase().replace('’', "'"),
        text: t,
    }
}

/// A sentence with the paragraph it is in.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub range: Range<usize>,
    pub paragraph: usize,
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "maj", "capt", "sgt", "brig", "st", "no", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n",
    "vs", "approx", "govt", "e.g", "i.e",
];

/// Paragraphs (blank lines, or lines that end a sentence) cut into
/// sentences at `.`, `!` or `?` followed by a space and a capital or digit.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut offset = 0;
    for block in text.split_inclusive('\n') {
        let line = block.trim_end();
        let line_start = offset;
        offset += block.len();
        if line.trim().is_empty() {
            continue;
        }
        let mut start = line_start + (line.len() - line.trim_start().len());
        let bytes = text.as_bytes();
        let end = line_start + line.len();
        let mut i = start;
        while i < end {
            let c = bytes[i];
            if matches!(c, b'.' | b'!' | b'?')
                && i + 2 < end
                && bytes[i + 1] == b' '
                && text[i + 2..].chars().next().is_some_and(|n| {
                    n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '“' | '(')
                })
                && !(c == b'.' && is_abbreviation(&text[start..i]))
            {
                out.push(Sentence {
                    range: start..i + 1,
                    paragraph,
                });
                start = i + 2;
            }
            i += 1;
        }
        if start < end {
            out.push(Sentence {
                range: start..end,
                paragraph,
            });
        }
        paragraph += 1;
    }
    out
}

fn is_abbreviation(before: &str) -> bool {
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    ABBREVIATIONS.contains(&last.as_str()) || (last.len() == 1 && last != "a" && last != "i")
}

/// The sentence `range` is in: from the end of the sentence or line
/// before it to the end of its own, found by looking outward only.
pub fn sentence_around(text: &str, range: Range<usize>) -> Range<usize> {
    let ends = |t: &str, i: usize| {
        let b = t.as_bytes();
        b[i] == b'\n'
            || (matches!(b[i], b'.' | b'!' | b'?')
                && b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()))
    };
    let before = &text[..range.start];
    let start = (0..before.len())
        .rev()
        .find(|&i| ends(text, i) && !is_abbreviation(&text[..i]))
        .map_or(0, |i| i + 1);
    let end = (range.end..text.len())
        .find(|&i| ends(text, i) && (text.as_bytes()[i] == b'\n' || !is_abbreviation(&text[..i])))
        .map_or(text.len(), |i| {
            if text.as_bytes()[i] == b'\n' {
                i
            } else {
                i + 1
            }
        });
    let start = start + (text[start..].len() - text[start..].trim_start().len());
    start.min(range.start)..end.max(range.end)
}

/// Character (Unicode scalar) offset of byte offset `byte` in `text`.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_but_not_abbreviations() {
        let t = "Gen. Ali said on Nov. 17 that 5 died. Later, more came.\n\nNew paragraph here.";
        let s = sentences(t);
        let texts: Vec<&str> = s.iter().map(|s| &t[s.range.clone()]).collect();
        assert_eq!(
            texts,
            [
                "Gen. Ali said on Nov. 17 that 5 died.",
                "Later, more came.",
                "New paragraph here."
            ]
        );
        assert_eq!(s[2].paragraph, 1);
        assert_eq!(s[1].paragraph, 0);
    }

    #[test]
    fn the_sentence_around_a_span_is_found_in_the_text() {
        let t = "First one. On Nov. 17 gunmen killed two.\nNext line.";
        let at = t.find("gunmen").unwrap();
        let s = sentence_around(t, at..at + 6);
        assert_eq!(&t[s], "On Nov. 17 gunmen killed two.");
    }

    #[test]
    fn words_keep_inner_hyphens_and_apostrophes() {
        let w: Vec<String> = words("in al-Sanamayn, Dar'a and 'Homs'.")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(w, ["in", "al-Sanamayn", "Dar'a", "and", "Homs"]);
    }

    #[test]
    fn reports_that_are_not_english_text_are_refused() {
        assert!(check_report("f", Vec::new()).is_err());
        assert!(check_report("f", vec![0, 1, 2]).is_err());
        assert!(check_report("f", vec![0xff, 0xfe, 0x41]).is_err());
        let german = "Am Dienstag wurden bei Kämpfen nahe der Stadt mehrere Menschen getötet, teilte die Beobachtungsstelle mit.";
        let e = check_report("bericht.txt", german.as_bytes().to_vec()).unwrap_err();
        assert!(e.to_string().contains("English"), "{e}");
        let english =
            "On Tuesday two people were killed in clashes near the town, the observatory said.";
        assert!(check_report("f", english.as_bytes().to_vec()).is_ok());
    }
}
