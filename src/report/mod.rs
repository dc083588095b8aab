//! Renderers: pure functions from results to text. The binary decides where text goes.

pub mod analysis;
pub mod batch;
pub mod csv;
pub mod diagnostics;
pub mod html;
pub mod json;
pub mod markdown;
pub mod rubric;
pub mod table;
pub mod workbook;

use crate::engine::{Evaluation, NodeResult, Status};
use crate::lang::{Lang, Msg};
use crate::number::{RoundingMode, display};
use rust_decimal::Decimal;

/// How human-facing reports look: table borders and language.
#[derive(Debug, Clone, Copy, Default)]
pub struct Opts {
    pub style: table::Style,
    pub lang: Lang,
}

/// A share (0–1) as a percent with at most one decimal, for display only.
pub(crate) fn percent(share: Decimal) -> String {
    format!("{}%", display(RoundingMode::HalfUp.round(share * Decimal::ONE_HUNDRED, 1)))
}

/// A score cell: exact digits, or `—` for a dropped node.
pub fn score_text(score: Option<Decimal>) -> String {
    score.map_or_else(|| "—".to_owned(), display)
}

/// The rule behind a node, for tables: the leaf's detail, or why it is not applicable.
/// A leaf's one-line explanation followed by the inputs it read: `detail [name=value, …]`.
pub(crate) fn detail_with_inputs(detail: &str, inputs: &[(String, crate::expr::Value)]) -> String {
    if inputs.is_empty() {
        return detail.to_owned();
    }
    let inputs: Vec<String> = inputs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    format!("{detail} [{}]", inputs.join(", "))
}

pub fn basis(node: &NodeResult, lang: Lang) -> String {
    if node.status == Status::NotApplicable {
        return format!("{}{}{}", lang.t(Msg::NotApplicable), lang.t(Msg::Colon), node.reason.as_deref().unwrap_or(""));
    }
    let mut text = match &node.leaf {
        Some(leaf) => detail_with_inputs(&leaf.detail, &leaf.inputs),
        None => String::new(),
    };
    if let Some(s) = node.rescaled_from {
        let note =
            format!("{}{}{} → {}", lang.t(Msg::Rescaled), lang.t(Msg::Colon), display(s), score_text(node.score));
        text = if text.is_empty() { note } else { format!("{text}; {note}") };
    }
    if node.bonus {
        text = format!("{} {text}", lang.t(Msg::Bonus));
    }
    text
}

/// Rows to show at `depth` (1 = sections).
pub(crate) fn rows(evaluation: &Evaluation, depth: Option<usize>) -> Vec<(usize, &NodeResult)> {
    evaluation.walk().into_iter().filter(|(d, _)| depth.is_none_or(|max| *d <= max)).collect()
}
