//! `check` (SPEC §6): whether the scores a department declares follow from its own figures —
//! the finance bureau's 复核. Every declared score is compared with the computed one.

mod balance;
mod rounded_rate;

pub use balance::{Imbalance, Part, PartSource, imbalances};

use crate::engine::{Evaluation, NodeResult, Status};
use crate::lang::{Lang, Msg};
use crate::number::display;
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Agrees,
    /// Declared more than computed, beyond the tolerance.
    OverClaim,
    /// Declared less than computed, beyond the tolerance.
    UnderClaim,
    /// Declared a score for a node that was not applicable and dropped.
    NotScored,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Agrees => "agrees",
            Verdict::OverClaim => "over_claim",
            Verdict::UnderClaim => "under_claim",
            Verdict::NotScored => "not_scored",
        }
    }

    pub fn text(self, lang: Lang) -> &'static str {
        lang.t(match self {
            Verdict::Agrees => Msg::Agrees,
            Verdict::OverClaim => Msg::OverClaim,
            Verdict::UnderClaim => Msg::UnderClaim,
            Verdict::NotScored => Msg::NotScored,
        })
    }
}

/// One declared score against the computation.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// `total` or a node id.
    pub id: String,
    pub title: String,
    pub declared: Decimal,
    pub computed: Option<Decimal>,
    pub verdict: Verdict,
    /// The computation behind the computed score, one line each: for a discrepancy, what
    /// contradicts the declared number.
    pub evidence: Vec<String>,
}

impl Claim {
    /// Declared minus computed.
    pub fn difference(&self) -> Option<Decimal> {
        self.computed.map(|c| self.declared - c)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub file: String,
    pub subject: String,
    pub period: Option<String>,
    pub tolerance: Decimal,
    pub claims: Vec<Claim>,
    /// 表内不平衡: declared nodes their declared parts do not give (SPEC §6.2), apart from
    /// the claims.
    pub imbalances: Vec<Imbalance>,
}

impl Check {
    pub fn passed(&self) -> bool {
        self.claims.iter().all(|c| c.verdict == Verdict::Agrees) && self.imbalances.is_empty()
    }

    pub fn declared_total(&self) -> Option<&Claim> {
        self.claims.iter().find(|c| c.id == "total")
    }
}

/// Compares `e`'s declared scores with its computed ones; differences up to `tolerance` agree.
pub fn check(e: &Evaluation, tolerance: Decimal, lang: Lang) -> Check {
    let by_id: std::collections::HashMap<&str, &NodeResult> =
        e.walk().into_iter().map(|(_, n)| (n.id.as_str(), n)).collect();
    let claims = e
        .declared
        .iter()
        .map(|(id, declared)| {
            let (title, computed, evidence) = if id == "total" {
                (lang.t(Msg::Total).to_owned(), Some(e.total), total_evidence(e, lang))
            } else {
                match by_id.get(id.as_str()) {
                    Some(n) => {
                        let mut evidence = node_evidence(n, lang);
                        let round = (e.rubric.rounding, e.rubric.precision.indicator);
                        if n.score.is_some_and(|s| (*declared - s).abs() > tolerance) {
                            evidence.extend(rounded_rate::hint(n, *declared, tolerance, round, lang));
                        }
                        (n.title.clone(), n.score, evidence)
                    }
                    None => (id.clone(), None, Vec::new()),
                }
            };
            let verdict = match computed {
                None => Verdict::NotScored,
                Some(c) if *declared - c > tolerance => Verdict::OverClaim,
                Some(c) if c - *declared > tolerance => Verdict::UnderClaim,
                Some(_) => Verdict::Agrees,
            };
            Claim { id: id.clone(), title, declared: *declared, computed, verdict, evidence }
        })
        .collect();
    let imbalances = imbalances(e, tolerance, lang);
    Check { file: e.file.clone(), subject: e.subject.clone(), period: e.period.clone(), tolerance, claims, imbalances }
}

fn sum_line(children: &[NodeResult], lang: Lang) -> String {
    let parts: Vec<String> = children
        .iter()
        .filter(|c| c.score.is_some())
        .map(|c| {
            let bonus = if c.bonus { format!(" ({})", lang.t(Msg::Bonus)) } else { String::new() };
            format!("{} {}{bonus}", c.title, display(c.score.unwrap_or_default()))
        })
        .collect();
    parts.join(" + ")
}

fn total_evidence(e: &Evaluation, lang: Lang) -> Vec<String> {
    let mut lines = vec![format!("= {}", sum_line(&e.nodes, lang))];
    for v in &e.vetoes {
        let cap = v.cap.map(|c| format!(", {} {}", lang.t(Msg::CappedAt), display(c))).unwrap_or_default();
        lines.push(format!("{} {}{cap}", lang.t(Msg::Veto), v.title.as_deref().unwrap_or(&v.id)));
    }
    lines.extend(lost_leaves(&e.nodes, lang));
    lines
}

fn node_evidence(n: &NodeResult, lang: Lang) -> Vec<String> {
    if n.status == Status::NotApplicable {
        return vec![format!("{}: {}", lang.t(Msg::NotApplicable), n.reason.as_deref().unwrap_or(""))];
    }
    match &n.leaf {
        Some(_) => vec![crate::engine::basis(n, lang)],
        None => {
            let mut lines = vec![format!("= {}", sum_line(&n.children, lang))];
            if let Some(s) = n.rescaled_from {
                lines.push(format!(
                    "{}: {} → {}",
                    lang.t(Msg::Rescaled),
                    display(s),
                    crate::number::score_text(n.score)
                ));
            }
            lines.extend(lost_leaves(&n.children, lang));
            lines
        }
    }
}

/// The leaves below `nodes` that lost points, largest loss first: where the difference lies.
fn lost_leaves(nodes: &[NodeResult], lang: Lang) -> Vec<String> {
    let mut all = Vec::new();
    for n in nodes {
        n.walk(1, &mut all);
    }
    let mut losers: Vec<&NodeResult> = all
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| n.leaf.is_some() && !n.bonus && n.lost().is_some_and(|l| l > Decimal::ZERO))
        .collect();
    losers.sort_by_key(|n| std::cmp::Reverse(n.lost()));
    losers
        .iter()
        .map(|n| {
            format!(
                "  − {} {}/{} ({} {}): {}",
                n.title,
                display(n.score.unwrap_or_default()),
                display(n.points),
                lang.t(Msg::Lost),
                display(n.lost().unwrap_or_default()),
                crate::engine::basis(n, lang)
            )
        })
        .collect()
}
