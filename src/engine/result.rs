//! What scoring produces: the whole tree with scores, reasons and inputs (SPEC §6.1).

use crate::expr::Value;
use crate::lang::{Lang, Msg};
use crate::method::{MethodKind, Rule};
use crate::number::display;
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
    /// After rounding, before any veto's cap: what a veto took is `before_vetoes − total`.
    pub before_vetoes: Decimal,
    pub grade: Option<String>,
    pub vetoes: Vec<FiredVeto>,
    pub warnings: Vec<String>,
    pub nodes: Vec<NodeResult>,
    /// The data file's `declared` scores: `total` or a node id → score.
    pub declared: Vec<(String, Decimal)>,
    /// The data file's `report:` block (sign-off and prose, SPEC §5.5), for the reports built
    /// from the score; empty without one.
    pub report: crate::data::ReportInfo,
    /// The share (0–1) of the maximum that came from manual scores or from indicators that
    /// were not applicable: how much of the total rests on judgement rather than figures.
    pub unsure_share: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RubricInfo {
    pub id: String,
    pub title: String,
    pub version: Option<String>,
    /// [`crate::rubric::fingerprint`] of the rubric's text.
    pub fingerprint: String,
    /// The file it was read from; `None` for a built-in rubric.
    pub path: Option<String>,
    /// How the rubric rounds (SPEC §1, §4.1): what `check` applies to declared scores.
    pub precision: crate::rubric::Precision,
    pub rounding: crate::number::RoundingMode,
}

impl RubricInfo {
    /// How its computed numbers are shown to people (`number::human`).
    pub fn figures(&self) -> crate::number::Figures {
        crate::number::Figures { decimals: self.precision.indicator, mode: self.rounding }
    }
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
    /// The node's share (0–1) of the whole maximum after scaling and N/A reweighting; `None`
    /// for bonus and dropped nodes, which count in no maximum.
    pub weight: Option<Decimal>,
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
    pub method: MethodKind,
    /// The names the leaf read and their values, in the order read.
    pub inputs: Vec<(String, Value)>,
    /// The same as people read them, in the explanation's language (`label = value unit`);
    /// empty for a row, whose detail names its figures.
    pub shown: Vec<String>,
    /// The rule of the method that decided the score.
    pub rule: Rule,
    pub detail: String,
    /// What a proportional leaf (a `ratio` leaf, a quantitative row scored by ratio) compared,
    /// when its explanation was asked for: `check` tells from it whether a rate rounded before
    /// use explains a declared score.
    pub rate: Option<Rate>,
}

/// A proportional leaf's value against its target: it earned p × value / target (p × target /
/// value when lower is better), at most `cap` percent of p.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub value: Decimal,
    pub target: Decimal,
    pub lower: bool,
    pub cap: Decimal,
}

/// Sets every node's effective weight and returns the share of the maximum that came from
/// manual scores or not-applicable nodes.
pub(crate) fn assign_weights(sections: &mut [NodeResult], max: Decimal) -> Decimal {
    let mut weights = Weights { max, unsure: Decimal::ZERO };
    if !max.is_zero() {
        weights.visit(sections, max, max, false);
    }
    weights.unsure.checked_div(max).unwrap_or_default()
}

struct Weights {
    max: Decimal,
    /// Root points from manual scores or not-applicable nodes.
    unsure: Decimal,
}

impl Weights {
    /// `effective`: the parent's maximum in root points after rescaling (SPEC §4.3);
    /// `nominal`: the same before any not-applicable reweighting. Either is shared among the
    /// children in proportion to their points — of the children's sum, which differs from the
    /// parent's own points under `scale`. What is unsure is counted as written (nominal), for
    /// manual leaves too: their reweighted share would count a not-applicable sibling twice.
    fn visit(&mut self, children: &mut [NodeResult], effective: Decimal, nominal: Decimal, inside_na: bool) {
        let share = |of: Decimal, part: Decimal, whole: Decimal| {
            crate::method::exact_mul_div(of, part, whole).unwrap_or_default()
        };
        let written: Decimal = children.iter().filter(|c| !c.bonus).map(|c| c.points).sum();
        let counted: Decimal = children.iter().filter(|c| !c.bonus && c.score.is_some()).map(|c| c.points).sum();
        for c in children.iter_mut() {
            let own_nominal =
                if c.bonus || written.is_zero() { Decimal::ZERO } else { share(nominal, c.points, written) };
            let own_effective = if c.bonus || c.score.is_none() || counted.is_zero() {
                None
            } else {
                Some(share(effective, c.points, counted))
            };
            c.weight = own_effective.map(|e| e.checked_div(self.max).unwrap_or_default());
            let na = c.status == Status::NotApplicable;
            // The topmost not-applicable node (its descendants are inside it), or a manual leaf.
            let topmost_na = na && !inside_na && !c.bonus;
            let manual = !na && c.leaf.as_ref().is_some_and(|l| l.method == MethodKind::Manual);
            if topmost_na || manual {
                self.unsure += own_nominal;
            }
            self.visit(&mut c.children, own_effective.unwrap_or_default(), own_nominal, inside_na || na);
        }
    }
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

/// The rule behind a node, for tables: the leaf's detail, or why it is not applicable.
/// A leaf's one-line explanation followed by the inputs it read as people read them:
/// `detail [年初预算数 = 120 万元; …]`.
pub fn detail_with_inputs(detail: &str, shown: &[String]) -> String {
    if shown.is_empty() {
        return detail.to_owned();
    }
    format!("{detail} [{}]", shown.join("; "))
}

pub fn basis(node: &NodeResult, lang: Lang) -> String {
    if node.status == Status::NotApplicable {
        return format!("{}{}{}", lang.t(Msg::NotApplicable), lang.t(Msg::Colon), node.reason.as_deref().unwrap_or(""));
    }
    let mut text = match &node.leaf {
        Some(leaf) => detail_with_inputs(&leaf.detail, &leaf.shown),
        None => String::new(),
    };
    if let Some(s) = node.rescaled_from {
        let note = format!(
            "{}{}{} → {}",
            lang.t(Msg::Rescaled),
            lang.t(Msg::Colon),
            display(s),
            crate::number::score_text(node.score)
        );
        text = if text.is_empty() { note } else { format!("{text}; {note}") };
    }
    if node.bonus {
        text = format!("{} {text}", lang.t(Msg::Bonus));
    }
    text
}
