//! What every fuzz target that scores a loaded data file asserts of the scoring (shared with
//! `#[path]`: each target is a binary of its own). Not a target itself.

use rust_decimal::Decimal;
use selfeval::data::DataFile;
use selfeval::engine::{self, NodeResult};
use selfeval::rubric::Rubric;

/// Scoring returns an evaluation or diagnostics with an error; an evaluation has
/// 0 ≤ total ≤ max and 0 ≤ score ≤ points at every node (SPEC §4.1), and scoring the same file
/// twice gives an equal evaluation.
pub fn check_scoring(rubric: &Rubric, file: &DataFile) {
    match engine::score(rubric, file, &engine::Options::default()) {
        Ok((evaluation, warnings)) => {
            assert!(!warnings.has_errors(), "scored with errors among its warnings");
            assert!(
                evaluation.total >= Decimal::ZERO && evaluation.total <= evaluation.max,
                "total {} outside 0..={}",
                evaluation.total,
                evaluation.max
            );
            evaluation.nodes.iter().for_each(check_node);
            let again = engine::score(rubric, file, &engine::Options::default()).map(|(e, _)| e);
            assert!(again.as_ref() == Ok(&evaluation), "scoring is not deterministic");
        }
        Err(diags) => {
            assert!(diags.has_errors(), "scoring failed without reporting an error");
        }
    }
}

/// SPEC §4.1: a branch scores min(P, R + B) and every leaf method stays within its points.
fn check_node(node: &NodeResult) {
    if let Some(score) = node.score {
        assert!(score >= Decimal::ZERO && score <= node.points, "node {} scored {score} of {}", node.id, node.points);
    }
    node.children.iter().for_each(check_node);
}
