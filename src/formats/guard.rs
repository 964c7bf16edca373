//! The guard against spreadsheet formulas in CSV cells: the row writer
//! applies it, the CSV readers undo it, so our CSV round-trips.

/// Prefixes a cell that a spreadsheet would run as a formula (= + - @, tab,
/// carriage return) with an apostrophe, as OWASP recommends. Text that
/// already has apostrophes before such a character gets one more, so the
/// guard can always be undone exactly ([`unguard`]).
pub fn neutralise(s: &str) -> String {
    if starts_formula(s.trim_start_matches('\'')) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Undoes [`neutralise`]: a leading apostrophe before = + - @, tab or
/// carriage return is dropped (the writer doubles an apostrophe that was
/// already there, so nothing is lost).
pub fn unguard(s: String) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if starts_formula(rest.trim_start_matches('\'')) => rest.to_string(),
        _ => s,
    }
}

/// True when a spreadsheet would read the text as a formula.
pub fn starts_formula(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for s in ["=1+1", "+1", "-2", "@SUM(A1)"] {
            assert!(neutralise(s).starts_with('\''));
        }
        assert_eq!(neutralise("Daraa"), "Daraa");
        assert_eq!(neutralise("'=x"), "''=x");
    }

    #[test]
    fn unguard_reverses_the_formula_guard_only() {
        assert_eq!(unguard("'=SUM(A1)".into()), "=SUM(A1)");
        assert_eq!(unguard("'-3 killed".into()), "-3 killed");
        assert_eq!(unguard("'quoted'".into()), "'quoted'");
        assert_eq!(unguard("=raw".into()), "=raw");
        for text in [
            "''=", "'=", "=", "'", "''", "'a", "-1", "'''-x", "plain", "'=x", "=x",
        ] {
            assert_eq!(unguard(neutralise(text)), text, "{text:?}");
        }
    }
}
