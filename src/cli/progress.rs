//! Progress of long imports and exports on stderr: a bar with a total and
//! an ETA when the total is known (the input's size in bytes, the export's
//! rows), a spinner with the count so far when it is not (a pipe on
//! standard input). Nothing at all when stderr is not a terminal, so logs
//! and captured output never hold a half-drawn line.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// What a bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes read of the input.
    Bytes,
    /// Incidents written.
    Rows,
}

/// The bar's template: a bar with an ETA when `total` is known, else a
/// spinner; coloured only when `styled` (see [`super::styled`]).
fn template(unit: Unit, total_known: bool, styled: bool) -> &'static str {
    match (unit, total_known, styled) {
        (Unit::Bytes, true, true) => {
            "{spinner} {msg} [{bar:30.cyan/blue}] {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, ETA {eta})"
        }
        (Unit::Bytes, true, false) => {
            "{spinner} {msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, ETA {eta})"
        }
        (Unit::Rows, true, true) => {
            "{spinner} {msg} [{bar:30.cyan/blue}] {human_pos}/{human_len} incidents ({per_sec}, ETA {eta})"
        }
        (Unit::Rows, true, false) => {
            "{spinner} {msg} [{bar:30}] {human_pos}/{human_len} incidents ({per_sec}, ETA {eta})"
        }
        (Unit::Bytes, false, _) => "{spinner} {msg} {binary_bytes} read ({binary_bytes_per_sec})",
        (Unit::Rows, false, _) => "{spinner} {msg} {human_pos} incidents",
    }
}

/// A bar on stderr counting `unit` up to `total` (a spinner when `None`),
/// labelled `msg`; hidden when `show` is false or stderr is not a terminal.
pub fn bar(unit: Unit, total: Option<u64>, msg: String, show: bool) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = match total {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::no_length(),
    }
    .with_style(style(unit, total.is_some()))
    .with_message(msg);
    // Drawn at once, before the first count arrives; then a spinner
    // moves, and an ETA updates, even between counts.
    b.tick();
    b.enable_steady_tick(Duration::from_millis(120));
    b
}

/// Makes `b` count `unit` up to `total` from now on (an import of a
/// database file counts its rows, not the bytes of the file).
pub fn restyle(b: &ProgressBar, unit: Unit, total: Option<u64>) {
    if b.is_hidden() {
        return;
    }
    match total {
        Some(n) => b.set_length(n),
        None => b.unset_length(),
    }
    b.set_style(style(unit, total.is_some()));
    b.set_position(0);
}

fn style(unit: Unit, total_known: bool) -> ProgressStyle {
    let styled = super::styled(&std::io::stderr());
    ProgressStyle::with_template(template(unit, total_known, styled))
        // The templates are constants, checked by a test below.
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .progress_chars("=> ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_total_gives_a_bar_with_an_eta_and_an_unknown_one_a_spinner() {
        for unit in [Unit::Bytes, Unit::Rows] {
            for styled in [true, false] {
                let t = template(unit, true, styled);
                assert!(t.contains("{bar:") && t.contains("{eta}"), "{t}");
                let t = template(unit, false, styled);
                assert!(!t.contains("{bar") && !t.contains("{eta}"), "{t}");
                assert!(t.contains("{spinner}"), "{t}");
            }
        }
        assert!(template(Unit::Bytes, true, false).contains("{binary_total_bytes}"));
        assert!(template(Unit::Rows, true, false).contains("{human_len}"));
    }

    #[test]
    fn a_bar_is_coloured_only_when_styled() {
        for unit in [Unit::Bytes, Unit::Rows] {
            assert!(template(unit, true, true).contains(".cyan"));
            for known in [true, false] {
                let t = template(unit, known, false);
                assert!(!t.contains(".cyan") && !t.contains(".blue"), "{t}");
            }
        }
    }

    #[test]
    fn every_template_is_valid() {
        for unit in [Unit::Bytes, Unit::Rows] {
            for known in [true, false] {
                for styled in [true, false] {
                    let t = template(unit, known, styled);
                    assert!(ProgressStyle::with_template(t).is_ok(), "{t}");
                }
            }
        }
    }
}
