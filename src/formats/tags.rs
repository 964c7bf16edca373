//! Tags in one CSV cell (our CSV, ACLED's `tags` column, GeoPackage):
//! separated by `;`, with a `;` or `\` inside a tag escaped by a backslash
//! (`a\;b`, `c\\d`), so that any tag reads back as written. GeoJSON carries
//! tags as an array and needs none of this.

/// The tags as one cell, `sep` between them (`;` in our CSV, `; ` as ACLED
/// writes them).
pub fn join(tags: &[String], sep: &str) -> String {
    tags.iter()
        .map(|t| t.replace('\\', "\\\\").replace(';', "\\;"))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The tags of a cell written by [`join`] (or by hand, or by ACLED): split
/// at each `;` not escaped, escapes undone, trimmed, blank ones dropped. A
/// backslash before any other character is kept as it is.
pub fn split(cell: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut tag = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ (';' | '\\')) => tag.push(e),
                Some(other) => {
                    tag.push('\\');
                    tag.push(other);
                }
                None => tag.push('\\'),
            },
            ';' => tags.push(std::mem::take(&mut tag)),
            c => tag.push(c),
        }
    }
    tags.push(tag);
    tags.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_backslashes_in_tags_read_back() {
        let tags: Vec<String> = ["a;b", "c\\", "\\;", "d\\e", ";", "x, \"y\""]
            .iter()
            .map(|t| t.to_string())
            .collect();
        for sep in [";", "; "] {
            assert_eq!(split(&join(&tags, sep)), tags, "{sep:?}");
        }
        assert_eq!(join(&tags[..2], ";"), "a\\;b;c\\\\");
    }

    #[test]
    fn cells_written_by_hand_or_by_acled() {
        assert_eq!(
            split("crowd size=around 200; local administrators"),
            ["crowd size=around 200", "local administrators"]
        );
        assert_eq!(split(" a ;; ;b"), ["a", "b"]);
        assert_eq!(split("C:\\new\\x"), ["C:\\new\\x"]);
        assert_eq!(split("end\\"), ["end\\"]);
        assert!(split("").is_empty());
    }
}
