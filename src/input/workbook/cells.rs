//! The reader's cells and sheets: what a cell holds, one sheet's cells ([`Grid`]) and its role
//! in the form, and a cell's value converted from calamine's.
//!
//! **Cells.** A number cell's value (an `f64` in the file) becomes the shortest decimal text that
//! reads back as the same `f64` (Rust's `Display`), so 282.41 is `282.41` and 95.0 is `95`;
//! a value with more than Excel's 15 significant digits (only formulas produce them, e.g.
//! 0.30000000000000004) is rounded to 15, which is what Excel shows. The cell's display format
//! and rounding are ignored. A percent-formatted number (number format with a `%` outside quotes,
//! e.g. `0.0%`; found through calamine's per-cell style, `Style::number_format`) is the percent
//! text of its value × 100, computed on the decimal text with `rust_decimal`: 0.965 shown as
//! 96.5 % reads as the text `96.5%`, exactly what YAML's `"96.5%"` is, so it feeds a percent
//! field or a row's target/actual as 96.5 and is refused in a number field (SPEC §5.2). Text
//! cells are text (trimmed; empty text is an empty cell), TRUE/FALSE cells booleans, empty cells
//! omitted values. Error cells (`#DIV/0!`) and date cells are located errors.

use super::layout;
use crate::diag::Pos;
use crate::lang::Lang;
use crate::tr;
use calamine::DataRef;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

/// Most non-empty cells read from one workbook: a form has a few hundred.
pub(super) const MAX_CELLS: usize = 200_000;
/// Excel's precision: it shows and stores typed numbers to 15 significant digits.
const EXCEL_DIGITS: u32 = 15;

/// One cell's content as the reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    /// The shortest decimal text of a number.
    Number(String),
    /// A percent-formatted number, × 100, as decimal text (`0.965` → `96.5`).
    Percent(String),
    /// Non-empty text, trimmed.
    Text(String),
    Bool(bool),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A date or time, with what the file holds.
    Date(String),
    /// A cell whose value the file does not give truly (a formula without its saved value, a
    /// damaged text index), with why; reported at the cell in every sheet that is read, and
    /// otherwise taken as empty.
    Bad(String),
}

/// One sheet's non-empty cells by 0-based (row, column).
#[derive(Debug)]
pub(super) struct Grid {
    /// Shared by the positions of its cells.
    pub name: Arc<str>,
    pub cells: BTreeMap<(u32, u32), Cell>,
}

impl Grid {
    pub(super) fn get(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.get(&(row, col)).filter(|c| !matches!(c, Cell::Bad(_)))
    }

    pub(super) fn text(&self, row: u32, col: u32) -> Option<String> {
        self.get(row, col).map(cell_text)
    }

    pub(super) fn last_row(&self) -> u32 {
        self.cells.keys().map(|(r, _)| *r).max().unwrap_or(0)
    }
}

/// A cell's content as text, for keys, headers and messages.
pub(super) fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Number(t) | Cell::Text(t) | Cell::Error(t) | Cell::Date(t) => t.clone(),
        Cell::Percent(t) => format!("{t}%"),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Cell::Bad(_) => String::new(),
    }
}

/// Why a workbook cannot be read at all, at the cell to blame when one is.
pub(super) struct Unreadable {
    pub pos: Pos,
    pub message: String,
}

impl From<String> for Unreadable {
    fn from(message: String) -> Self {
        Unreadable { pos: Pos::UNKNOWN, message }
    }
}

/// What a sheet is, by its name (or, for a rows sheet, its A1).
pub(super) enum Role {
    Info,
    Fields,
    Entries,
    Reference,
    Rows,
    Other,
}

pub(super) fn role(grid: &Grid) -> Role {
    let name: &str = &grid.name;
    if layout::INFO.matches(name) {
        Role::Info
    } else if layout::FIELDS.matches(name) {
        Role::Fields
    } else if layout::ENTRIES.matches(name) {
        Role::Entries
    } else if layout::INDICATORS.matches(name) {
        Role::Reference
    } else if grid.text(0, 0).is_some_and(|t| layout::LIST_MARK.matches(&t)) {
        Role::Rows
    } else {
        Role::Other
    }
}

pub(super) fn convert(value: &DataRef, percent: bool, lang: Lang) -> Option<Cell> {
    let number = |text: String| {
        if !percent {
            return Cell::Number(text);
        }
        match times_100(&text) {
            Some(t) => Cell::Percent(t),
            None => Cell::Error(tr!(
                lang,
                "{text}（百分比过大或过小，无法精确读取）",
                "{text} (a percentage too large or too small to read exactly)"
            )),
        }
    };
    let text = |s: &str| {
        let t = s.trim();
        (!t.is_empty()).then(|| Cell::Text(t.to_owned()))
    };
    match value {
        DataRef::Empty => None,
        DataRef::Int(i) => Some(number(i.to_string())),
        DataRef::Float(f) => Some(match number_text(*f) {
            Some(t) => number(t),
            None => Cell::Error(f.to_string()),
        }),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Some(Cell::Bool(*b)),
        DataRef::Error(e) => Some(Cell::Error(e.to_string())),
        DataRef::DateTime(d) => Some(Cell::Date(format!("serial {}", d.as_f64()))),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(Cell::Date(s.clone())),
    }
}

/// The decimal text of a cell's number: the shortest text that reads back as the same `f64`,
/// rounded to Excel's 15 significant digits when longer (binary noise of a formula result).
pub(super) fn number_text(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some("0".into());
    }
    let shortest = f.to_string();
    let digits: String = shortest.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    if significant as u32 <= EXCEL_DIGITS {
        return Some(shortest);
    }
    let rounded = Decimal::from_str(&shortest)
        .ok()
        .and_then(|d| d.round_sf_with_strategy(EXCEL_DIGITS, RoundingStrategy::MidpointAwayFromZero));
    Some(rounded.map_or(shortest, |d| d.normalize().to_string()))
}

/// `0.965` → `96.5`, exactly, on the decimal text.
pub(super) fn times_100(text: &str) -> Option<String> {
    let d = Decimal::from_str(text).ok()?;
    Some(d.checked_mul(Decimal::ONE_HUNDRED)?.normalize().to_string())
}

/// Whether an Excel number format shows its value as a percentage: a `%` in the format for
/// positive numbers that is not quoted (`"%"`), escaped (`\%`) or inside brackets.
pub(super) fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    let mut quoted = false;
    let mut bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_their_shortest_text() {
        assert_eq!(number_text(282.41).unwrap(), "282.41");
        assert_eq!(number_text(0.1).unwrap(), "0.1");
        assert_eq!(number_text(95.0).unwrap(), "95");
        assert_eq!(number_text(-0.0).unwrap(), "0");
        assert_eq!(number_text(1e21).unwrap(), "1000000000000000000000");
        assert_eq!(number_text(0.1 + 0.2).unwrap(), "0.3");
        assert_eq!(number_text(138.6 / 150.0 * 100.0).unwrap(), "92.4");
        assert_eq!(number_text(123_456_789.012_345_6).unwrap(), "123456789.012346");
        assert!(number_text(f64::NAN).is_none());
    }

    #[test]
    fn percents_multiply_on_the_decimal_text() {
        assert_eq!(times_100("0.965").unwrap(), "96.5");
        assert_eq!(times_100("1").unwrap(), "100");
        assert_eq!(times_100("0.0001").unwrap(), "0.01");
        assert_eq!(times_100("0.07").unwrap(), "7");
    }

    #[test]
    fn percent_formats() {
        for yes in ["0%", "0.00%", "0.0%;[Red]-0.0%", "#,##0.0 %", "[Blue]0%"] {
            assert!(is_percent_format(yes), "{yes}");
        }
        for no in ["General", "0.00", "0.00\"%\"", "0\\%", "@", "0;-0%", "[$%-409]0", "yyyy-mm-dd"] {
            assert!(!is_percent_format(no), "{no}");
        }
    }
}
