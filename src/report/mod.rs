//! Renderers: pure functions from results to text. The binary decides where text goes.

pub mod analysis;
pub mod batch;
pub mod csv;
pub mod diagnostics;
pub mod html;
pub mod json;
pub mod markdown;
pub mod overview;
pub mod review;
pub mod rubric;
pub mod scoring_table;
pub mod table;
pub mod workbook;

use crate::engine::{Evaluation, NodeResult};
use crate::lang::Lang;
use crate::number::{Figures, Origin, RoundingMode, human};
use rust_decimal::Decimal;

/// How human-facing reports look: table borders, language, and the width of the terminal
/// tables are shown on.
#[derive(Debug, Clone, Copy, Default)]
pub struct Opts {
    pub style: table::Style,
    pub lang: Lang,
    /// The terminal's columns when the output goes to one: tables wrap their long columns to
    /// fit. `None` (a pipe, a file) keeps every row on one line, whatever its length.
    pub width: Option<u16>,
}

/// A share (0–1) of a batch's files as a percent with at most one decimal, for display only.
pub(crate) fn percent(share: Decimal) -> String {
    let files = Figures { decimals: 1, mode: RoundingMode::HalfUp };
    format!("{}%", human(share * Decimal::ONE_HUNDRED, Origin::Computed, files))
}

/// A computed share (0–1) of a rubric's points as a percentage (`number::human`).
pub(crate) fn share(share: Decimal, figures: Figures) -> String {
    human(share * Decimal::ONE_HUNDRED, Origin::Percent, figures)
}

// What a node's score and basis read as is the same in every report and in `check`: the
// engine says it (`engine::basis`), numbers say how a score is written (`number::score_text`).
pub use crate::engine::{basis, detail_with_inputs};
pub use crate::number::score_text;

/// How a result names its rubric: its id and the fingerprint of its text, `cast-dept-2021 ·
/// sha256:1a2b3c4d5e6f`, so that a rubric that borrows an official id is told apart.
pub(crate) fn rubric_tag(id: &str, fingerprint: &str) -> String {
    if fingerprint.is_empty() { id.to_owned() } else { format!("{id} · sha256:{fingerprint}") }
}

/// The sign-off that ends a report to print (填报单位、填报人、审核人、日期): each label in the
/// report's language with what the data file's `report:` block gives, or `None` — a blank to
/// fill in by hand. Never today's date: a report printed again must read the same.
pub(crate) fn sign_off(report: &crate::data::ReportInfo, lang: Lang) -> Vec<(&'static str, Option<String>)> {
    crate::data::REPORT_KEYS
        .iter()
        .filter(|(key, _, _)| matches!(*key, "unit" | "preparer" | "reviewer" | "date"))
        .map(|(key, zh, en)| (lang.pick(*zh, *en), report.get(key).map(str::to_owned)))
        .collect()
}

/// A node's lost points for a table: none for a bonus node, whose unearned points are no loss.
pub(crate) fn lost_text(n: &NodeResult) -> String {
    if n.bonus { String::new() } else { score_text(n.lost()) }
}

/// Rows to show at `depth` (1 = sections).
pub(crate) fn rows(evaluation: &Evaluation, depth: Option<usize>) -> Vec<(usize, &NodeResult)> {
    evaluation.walk().into_iter().filter(|(d, _)| depth.is_none_or(|max| *d <= max)).collect()
}
