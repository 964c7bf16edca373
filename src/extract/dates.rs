//! STUB until the grammar lands.
use chrono::NaiveDate;
use crate::model::DateSpan;
pub struct DateMention { pub start: usize, pub end: usize, pub span: DateSpan, pub kind: DateKind }
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind { Explicit, Relative, Vague }
pub fn find_dates(_text: &str, _published: NaiveDate, _country: Option<&str>) -> Vec<DateMention> { Vec::new() }
