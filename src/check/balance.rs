//! 表内不平衡 (SPEC §6 `check`): a declared table whose declared parts do not give its declared
//! totals. Declared is compared with declared here, by the rules of SPEC §4 (sums, rescaling,
//! bonus points, not-applicable nodes, rounding, vetoes) applied to the declared scores — not
//! with the computation, which the claims do.

use crate::engine::{Evaluation, NodeResult, Status, rescaled_sum};
use crate::lang::Lang;
use crate::number::display;
use crate::tr;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A declared node whose declared parts, by the rules of SPEC §4, give another score.
#[derive(Debug, Clone, PartialEq)]
pub struct Imbalance {
    /// `total` or a node id.
    pub id: String,
    pub title: String,
    pub declared: Decimal,
    /// What its parts give.
    pub from_parts: Decimal,
    /// Each part: id, title and the score it was taken at — declared, worked out from its own
    /// declared parts (`derived`), or the data file's not-applicable policy (`None`: dropped).
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub id: String,
    pub title: String,
    pub score: Option<Decimal>,
    pub source: PartSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartSource {
    Declared,
    /// Not declared itself: the sum of its own declared parts.
    Derived,
    NotApplicable,
}

impl Imbalance {
    /// Declared minus what the parts give.
    pub fn difference(&self) -> Decimal {
        self.declared - self.from_parts
    }

    /// "declared parts add up to 94, declared total 98".
    pub fn describe(&self, lang: Lang) -> String {
        let (parts, declared) = (display(self.from_parts), display(self.declared));
        let whole = if self.id == "total" { lang.pick("总分", "total") } else { self.title.as_str() };
        tr!(
            lang,
            "申报的各部分合计 {parts}，而申报的{whole}为 {declared}",
            "declared parts add up to {parts}, declared {whole} {declared}"
        )
    }

    /// The parts as one line: `执行 20 + 产出 60 + 效益 40 (合计)`.
    pub fn parts_line(&self, lang: Lang) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| match (p.score, p.source) {
                (None, _) => format!("{} {}", p.title, lang.pick("不适用", "not applicable")),
                (Some(s), PartSource::Declared) => format!("{} {}", p.title, display(s)),
                (Some(s), PartSource::Derived) => {
                    format!(
                        "{} {} ({})",
                        p.title,
                        display(s),
                        lang.pick("由其下级申报分合计", "from its declared parts")
                    )
                }
                (Some(s), PartSource::NotApplicable) => {
                    format!("{} {} ({})", p.title, display(s), lang.pick("不适用", "not applicable"))
                }
            })
            .collect();
        format!("= {}", parts.join(" + "))
    }
}

/// What a node's declared scores say it is worth.
#[derive(Debug, Clone, Copy)]
enum Known {
    /// Not declared, and not all of its parts are.
    Unknown,
    /// Dropped by reweighting: counts in no sum.
    Dropped,
    Value(Decimal, PartSource),
}

/// Every declared node (the total included) whose parts are all declared — directly, through
/// their own declared parts, or not applicable — and give another score beyond `tolerance`.
pub fn imbalances(e: &Evaluation, tolerance: Decimal, lang: Lang) -> Vec<Imbalance> {
    let declared: HashMap<&str, Decimal> = e.declared.iter().map(|(id, v)| (id.as_str(), *v)).collect();
    let mut out = Vec::new();
    let cx = Cx { e, declared: &declared, tolerance, lang };
    let parts: Vec<Known> = e.nodes.iter().map(|n| cx.known(n, &mut out)).collect();
    if let Some(total) = declared.get("total")
        && let Some(root) = cx.combine(e.max, &e.nodes, &parts, None)
    {
        let mut from_parts = e.rubric.rounding.round(root, e.rubric.precision.total);
        if let Some(cap) = e.vetoes.iter().filter_map(|v| v.cap).min() {
            from_parts = from_parts.min(cap);
        }
        if (*total - from_parts).abs() > tolerance {
            // Reports read top-down: the total first, then the nodes in rubric order.
            let parts = cx.parts(&e.nodes, &parts);
            let title = lang.pick("总分", "total").into();
            out.insert(0, Imbalance { id: "total".into(), title, declared: *total, from_parts, parts });
        }
    }
    out
}

struct Cx<'a> {
    e: &'a Evaluation,
    declared: &'a HashMap<&'a str, Decimal>,
    tolerance: Decimal,
    lang: Lang,
}

impl Cx<'_> {
    /// What `n` is worth by the declared scores, pushing the imbalances found at and below it
    /// (in rubric order, parents first).
    fn known(&self, n: &NodeResult, out: &mut Vec<Imbalance>) -> Known {
        let at = out.len();
        let parts: Vec<Known> = n.children.iter().map(|c| self.known(c, out)).collect();
        let from_parts =
            if n.children.is_empty() { None } else { self.combine(n.points, &n.children, &parts, Some(self.round())) };
        if let Some(&declared) = self.declared.get(n.id.as_str()) {
            if let Some(from_parts) = from_parts
                && (declared - from_parts).abs() > self.tolerance
            {
                let imbalance = Imbalance {
                    id: n.id.clone(),
                    title: n.title.clone(),
                    declared,
                    from_parts,
                    parts: self.parts(&n.children, &parts),
                };
                out.insert(at, imbalance);
            }
            return Known::Value(declared, PartSource::Declared);
        }
        if n.status == Status::NotApplicable {
            return match n.score {
                Some(s) => Known::Value(s, PartSource::NotApplicable),
                None => Known::Dropped,
            };
        }
        match from_parts {
            Some(v) => Known::Value(v, PartSource::Derived),
            None => Known::Unknown,
        }
    }

    fn round(&self) -> (crate::number::RoundingMode, u32) {
        (self.e.rubric.rounding, self.e.rubric.precision.indicator)
    }

    /// A branch worth `points` from its parts by SPEC §4.1 and §4.3, or `None` when a part is
    /// unknown or every part is dropped.
    fn combine(
        &self,
        points: Decimal,
        children: &[NodeResult],
        parts: &[Known],
        round: Option<(crate::number::RoundingMode, u32)>,
    ) -> Option<Decimal> {
        let mut scored = Vec::with_capacity(children.len());
        for (c, k) in children.iter().zip(parts) {
            let score = match k {
                Known::Unknown => return None,
                Known::Dropped => None,
                Known::Value(v, _) => Some(*v),
            };
            scored.push((c.points, score, c.bonus));
        }
        let (r, _, b) = rescaled_sum(points, &scored, round, self.lang).ok()??;
        // min(P, R + B); parts declared above their own points are left as they add up, so
        // the imbalance shows the sum a reader would make.
        Some(if b > Decimal::ZERO { (r + b).min(points.max(r)) } else { r })
    }

    fn parts(&self, children: &[NodeResult], parts: &[Known]) -> Vec<Part> {
        children
            .iter()
            .zip(parts)
            .map(|(c, k)| {
                let (score, source) = match k {
                    Known::Value(v, s) => (Some(*v), *s),
                    Known::Dropped | Known::Unknown => (None, PartSource::NotApplicable),
                };
                Part { id: c.id.clone(), title: c.title.clone(), score, source }
            })
            .collect()
    }
}
