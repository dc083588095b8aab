//! Excel workbooks: data files read from a fill-in workbook, templates and results written as
//! workbooks. (Being written.)

use crate::data::DataFile;
use crate::diag::{Diagnostic, Diagnostics, Pos};

/// Reads a fill-in workbook into a data file.
pub fn load_data(path: &str) -> Result<(DataFile, Diagnostics), Diagnostics> {
    Err(Diagnostic::error(path, Pos::UNKNOWN, "reading Excel workbooks is not built yet").into())
}

/// A fill-in workbook for a rubric (`init --format xlsx`).
pub fn template_workbook(
    _rubric: &crate::rubric::Rubric,
    _rubric_ref: &str,
    _lang: crate::lang::Lang,
) -> Result<Vec<u8>, String> {
    Err("xlsx templates are not built yet".into())
}

/// One evaluation as a workbook: breakdown and explanation sheets.
pub fn results_workbook(
    _e: &crate::engine::Evaluation,
    _x: &crate::explain::Explanation,
    _lang: crate::lang::Lang,
) -> Result<Vec<u8>, String> {
    Err("xlsx results are not built yet".into())
}

/// A batch's ranking and summary as a workbook.
pub fn ranking_workbook(
    _scored: &[&crate::batch::Scored],
    _summary: Option<&crate::batch::Summary>,
    _lang: crate::lang::Lang,
) -> Result<Vec<u8>, String> {
    Err("xlsx rankings are not built yet".into())
}
