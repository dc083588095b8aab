//! `--format html`: one self-contained report page. (Being written.)

use super::Opts;
use crate::engine::Evaluation;
use crate::explain::Explanation;

/// The report of one evaluation as a self-contained HTML page.
pub fn render(e: &Evaluation, _x: &Explanation, _opts: &Opts) -> String {
    format!(
        "<!doctype html><meta charset=\"utf-8\"><title>{}</title><p>{}</p>\n",
        e.subject,
        crate::number::display(e.total)
    )
}
