//! What scoring produces: the whole tree with scores, reasons and inputs (SPEC §6.1).

use crate::expr::Value;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The data file as the user named it.
    pub file: String,
    pub subject: String,
    pub period: Option<String>,
    pub rubric: RubricInfo,
    /// The root's maximum.
    pub max: Decimal,
    /// After rounding and vetoes.
    pub total: Decimal,
    pub grade: Option<String>,
    pub vetoes: Vec<FiredVeto>,
    pub warnings: Vec<String>,
    pub nodes: Vec<NodeResult>,
    /// The data file's `declared` scores: `total` or a node id → score.
    pub declared: Vec<(String, Decimal)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RubricInfo {
    pub id: String,
    pub title: String,
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FiredVeto {
    pub id: String,
    pub title: Option<String>,
    pub cap: Option<Decimal>,
    pub grade: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Scored,
    NotApplicable,
    Bonus,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Scored => "scored",
            Status::NotApplicable => "not_applicable",
            Status::Bonus => "bonus",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeResult {
    pub id: String,
    pub title: String,
    pub points: Decimal,
    /// `None` when the node was dropped by reweighting.
    pub score: Option<Decimal>,
    pub status: Status,
    pub bonus: bool,
    /// Why the node is not applicable.
    pub reason: Option<String>,
    pub standard: Option<String>,
    /// For branches whose children were rescaled (SPEC §4.3): their sum before rescaling.
    pub rescaled_from: Option<Decimal>,
    pub leaf: Option<LeafResult>,
    pub children: Vec<NodeResult>,
}

impl NodeResult {
    /// Points minus score; `None` for a dropped node.
    pub fn lost(&self) -> Option<Decimal> {
        self.score.map(|s| self.points - s)
    }

    /// This node and its descendants, depth first, with their depth (sections are 1).
    pub fn walk<'a>(&'a self, depth: usize, out: &mut Vec<(usize, &'a NodeResult)>) {
        out.push((depth, self));
        for c in &self.children {
            c.walk(depth + 1, out);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LeafResult {
    pub method: &'static str,
    /// The names the leaf read and their values, in the order read.
    pub inputs: Vec<(String, Value)>,
    pub rule: String,
    pub detail: String,
}

impl Evaluation {
    /// Every node, depth first, with its depth (sections are 1).
    pub fn walk(&self) -> Vec<(usize, &NodeResult)> {
        let mut out = Vec::new();
        for n in &self.nodes {
            n.walk(1, &mut out);
        }
        out
    }

    pub fn node(&self, id: &str) -> Option<&NodeResult> {
        self.walk().into_iter().map(|(_, n)| n).find(|n| n.id == id)
    }
}
