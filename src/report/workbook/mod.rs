//! Workbooks written: the fill-in form for a rubric (`init --format xlsx`, laid out as
//! [`crate::input::workbook::layout`] says, so that the reader takes it back), one evaluation's
//! results, and a batch's ranking.

mod results;
mod scoring_table;
mod style;
mod template;

use crate::input::workbook::layout;

/// A fill-in workbook for a rubric (`init --format xlsx`); `rubric_ref` is what its `rubric`
/// cell says.
pub fn template_workbook(
    rubric: &crate::rubric::Rubric,
    rubric_ref: &str,
    lang: crate::lang::Lang,
) -> Result<Vec<u8>, String> {
    template::workbook(rubric, rubric_ref, lang).map_err(|e| format!("cannot write the workbook: {e}"))
}

/// One evaluation as a workbook: breakdown and explanation sheets, ready to print.
pub fn results_workbook(
    e: &crate::engine::Evaluation,
    x: &crate::explain::Explanation,
    lang: crate::lang::Lang,
) -> Result<Vec<u8>, String> {
    results::results(e, x, lang).map_err(|e| format!("cannot write the workbook: {e}"))
}

/// A batch's ranking and summary as a workbook.
pub fn ranking_workbook(
    scored: &[&crate::ranking::Scored],
    summary: Option<&crate::ranking::Summary>,
    lang: crate::lang::Lang,
) -> Result<Vec<u8>, String> {
    results::ranking(scored, summary, lang).map_err(|e| format!("cannot write the workbook: {e}"))
}

/// A rubric as the 评分表 a bureau publishes (`show --format xlsx`), which `draft` reads back.
pub fn scoring_table(rubric: &crate::rubric::Rubric, lang: crate::lang::Lang) -> Result<Vec<u8>, String> {
    scoring_table::workbook(rubric, lang).map_err(|e| format!("cannot write the workbook: {e}"))
}
