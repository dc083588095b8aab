//! Excel workbooks: data files read from a fill-in workbook (`.xlsx`), and templates, results
//! and rankings written as workbooks.
//!
//! The fill-in workbook (`selfeval init -r R --format xlsx -o form.xlsx`) has these sheets,
//! named in Chinese or English (the reader accepts both, see [`layout`]):
//!
//! | sheet | holds | becomes |
//! |---|---|---|
//! | 信息 / Info | rows `subject`, `period`, `rubric` (key in A, value in C) | the top-level keys |
//! | 字段 / Fields | one row per field: name, label, unit, type, **value** (E), notes, indicator | `values.<name>` as a flat dotted key |
//! | one per `rows:` branch | A1 `列表`/`List`, B1 the list's name; row 2 the 绩效目标表 header; one indicator per row | `values.<list>`: a list of maps |
//! | 其他填报 / Entries | kind (不适用 / 人工评分 / 申报得分), indicator id, title, score, reason | `not_applicable`, `manual`, `declared` |
//! | 指标一览 / Indicators | the rubric's indicators, for reference (ignored when read) | — |
//!
//! Reading builds the same located tree a YAML file gives ([`crate::yaml::Node`]): a number cell
//! becomes `Kind::Number` with the shortest decimal text of its value, a text cell `Kind::Str`,
//! a TRUE/FALSE cell `Kind::Bool`, an empty cell is an omitted value; so every data-file check
//! and [`crate::rubric::Field::read`] apply unchanged. See [`read`] for positions and percent
//! cells.

mod layout;
mod read;
mod report;
mod style;
mod template;

use crate::data::DataFile;
use crate::diag::Diagnostics;

/// Reads a fill-in workbook into a data file, as [`DataFile::load`] reads YAML.
pub fn load_data(path: &str) -> Result<(DataFile, Diagnostics), Diagnostics> {
    read::load_data(path, None)
}

/// [`load_data`] for a workbook that will be scored with `rubric` (`-r`): when that is not the
/// rubric its 信息 sheet names, the workbook is not held to the named one.
pub fn load_data_scored_with(path: &str, rubric: Option<&str>) -> Result<(DataFile, Diagnostics), Diagnostics> {
    read::load_data(path, rubric)
}

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
    report::results(e, x, lang).map_err(|e| format!("cannot write the workbook: {e}"))
}

/// A batch's ranking and summary as a workbook.
pub fn ranking_workbook(
    scored: &[&crate::batch::Scored],
    summary: Option<&crate::batch::Summary>,
    lang: crate::lang::Lang,
) -> Result<Vec<u8>, String> {
    report::ranking(scored, summary, lang).map_err(|e| format!("cannot write the workbook: {e}"))
}
