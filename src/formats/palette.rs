//! The colours and class breaks every picture shares (maps, charts, the
//! HTML report), so one event type has one colour everywhere.

/// ColorBrewer's five-class Blues: sequential and safe for colour-blind
/// readers; the event-type colours below stay distinct on it.
pub const RAMP: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

/// The fill of a unit with nothing to count: no class at all.
pub const EMPTY: &str = "#ffffff";

/// Context (neighbouring units and countries).
pub const CONTEXT_FILL: &str = "#e8e8e8";
pub const CONTEXT_STROKE: &str = "#bdbdbd";

/// The six ACLED event types in the Okabe-Ito palette (safe for
/// colour-blind readers), in ACLED's order.
pub const EVENT_TYPES: [(&str, &str); 6] = [
    ("Battles", "#D55E00"),
    ("Explosions/Remote violence", "#E69F00"),
    ("Violence against civilians", "#CC79A7"),
    ("Protests", "#009E73"),
    ("Riots", "#F0E442"),
    ("Strategic developments", "#555555"),
];

/// For stacks other than the event type (regions, actors): Okabe-Ito's
/// remaining hues, then greys; "other" is always the last grey.
const CATEGORIES: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];
pub const OTHER: &str = "#999999";

/// The colour of an event type (an unknown one is grey).
pub fn event_type_colour(event_type: &str) -> &'static str {
    EVENT_TYPES
        .iter()
        .find(|(t, _)| *t == event_type)
        .map_or(OTHER, |(_, c)| c)
}

/// The colour of the `i`th category of a stack.
pub fn category_colour(i: usize) -> &'static str {
    CATEGORIES.get(i).copied().unwrap_or(OTHER)
}

/// Most categories a stack shows before "other".
pub const MAX_CATEGORIES: usize = CATEGORIES.len();

/// Contiguous whole-number classes `lo..=hi` over the positive values of a
/// map, each with its colour. Zero is no class: a unit with nothing is
/// drawn empty, never in the lowest class.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    pub bounds: Vec<(u64, u64)>,
}

impl Classes {
    /// Quantile classes (up to five) of the positive `values`: each class's
    /// top is a value that occurs, so small counts get one class each and
    /// large ranges split where the units are.
    pub fn of(values: &[u64]) -> Classes {
        let mut positive: Vec<u64> = values.iter().copied().filter(|v| *v > 0).collect();
        positive.sort_unstable();
        let mut bounds = Vec::new();
        let n = positive.len();
        if n == 0 {
            return Classes { bounds };
        }
        let k = RAMP.len().min(n);
        let mut lo = 1;
        for i in 1..=k {
            let hi = positive[(i * n).div_ceil(k) - 1];
            if hi >= lo {
                bounds.push((lo, hi));
                lo = hi + 1;
            }
        }
        Classes { bounds }
    }

    /// The class of `value` (None for zero).
    pub fn index(&self, value: u64) -> Option<usize> {
        self.bounds
            .iter()
            .position(|&(lo, hi)| value >= lo && value <= hi)
    }

    /// The colour of a class: the ramp spread over the classes, so that
    /// two classes are light and dark, not the two lightest blues.
    pub fn colour(&self, class: usize) -> &'static str {
        let n = self.bounds.len();
        if n <= 1 {
            return RAMP[RAMP.len() - 1];
        }
        RAMP[(class * (RAMP.len() - 1) + (n - 1) / 2) / (n - 1)]
    }

    /// The fill of a unit with `value`.
    pub fn fill(&self, value: u64) -> &'static str {
        self.index(value).map_or(EMPTY, |c| self.colour(c))
    }

    /// "1", "2–4", "39+"-style labels, one per class.
    pub fn label(&self, class: usize) -> String {
        match self.bounds.get(class) {
            Some((lo, hi)) if lo == hi => lo.to_string(),
            Some((lo, hi)) => format!("{lo}–{hi}"),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_no_class_and_classes_cover_the_values() {
        let values = [0, 1, 1, 2, 5, 9, 38, 0, 3];
        let c = Classes::of(&values);
        assert_eq!(c.index(0), None);
        assert_eq!(c.fill(0), EMPTY);
        for v in values.iter().filter(|v| **v > 0) {
            assert!(c.index(*v).is_some(), "{v} has no class in {c:?}");
        }
        // Contiguous from 1, increasing, at most five.
        assert_eq!(c.bounds[0].0, 1);
        assert!(c.bounds.len() <= 5);
        for w in c.bounds.windows(2) {
            assert_eq!(w[1].0, w[0].1 + 1);
        }
        assert_eq!(c.bounds.last().unwrap().1, 38);
        assert_eq!(c.index(38), Some(c.bounds.len() - 1));
        assert_eq!(c.colour(c.bounds.len() - 1), RAMP[4]);
    }

    #[test]
    fn few_values_get_one_class_each() {
        let c = Classes::of(&[4, 4, 0]);
        assert_eq!(c.bounds, vec![(1, 4)]);
        assert_eq!(c.fill(4), RAMP[4]);
        let c = Classes::of(&[1, 2]);
        assert_eq!(c.bounds, vec![(1, 1), (2, 2)]);
        assert_eq!((c.colour(0), c.colour(1)), (RAMP[0], RAMP[4]));
        assert_eq!(Classes::of(&[0, 0]).bounds, vec![]);
        assert_eq!(event_type_colour("Battles"), "#D55E00");
        assert_eq!(event_type_colour("Nonsense"), OTHER);
    }
}
