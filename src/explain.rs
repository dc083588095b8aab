//! `explain` (SPEC §6): the vetoes that fired, where the points were lost, largest first, and
//! for each what would have earned more; bonus points not earned; the losses by section in the
//! total's terms, adding up to all that was lost.

use crate::engine::{Evaluation, FiredVeto, NodeResult, Status, with_unit};
use crate::expr::Value;
use crate::lang::Lang;
use crate::method::{Award, Band, Direction, Method, MethodKind, Op, Rule};
use crate::number::{Origin, display, human};
use crate::rubric::{Node, NodeKind, Rubric};
use crate::tr;
use rust_decimal::Decimal;

/// One leaf that lost points.
#[derive(Debug, Clone, PartialEq)]
pub struct Loss {
    pub id: String,
    /// Titles from the section down to the leaf.
    pub path: Vec<String>,
    pub points: Decimal,
    pub score: Decimal,
    pub lost: Decimal,
    pub method: MethodKind,
    pub rule: Rule,
    pub detail: String,
    pub inputs: Vec<(String, Value)>,
    /// The inputs as people read them (`engine::LeafResult::shown`).
    pub shown: Vec<String>,
    /// What input would have earned more, when the method says.
    pub advice: Option<String>,
}

/// A veto that fired and what it did to the total and the grade.
#[derive(Debug, Clone, PartialEq)]
pub struct VetoEffect {
    pub veto: FiredVeto,
    /// The total (rounded) and its grade before any veto.
    pub total_before: Decimal,
    pub grade_before: Option<String>,
    /// What this veto took off the total: the lowest cap takes it all, the others nothing.
    pub lost: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Vetoes that fired, in rubric order: they come first, being what decides most.
    pub vetoes: Vec<VetoEffect>,
    pub losses: Vec<Loss>,
    /// Bonus leaves that earned less than their points: not a loss, a bonus not earned.
    pub bonus_missed: Vec<Loss>,
    /// What the total lost, part by part, in the total's terms: each section's loss (rescaled as
    /// the total is), then the vetoes, bonus points earned (negative) and rounding, so that the
    /// parts add up to `total_lost` exactly.
    pub by_section: Vec<(String, Decimal)>,
    /// The whole maximum minus the total.
    pub total_lost: Decimal,
}

pub fn explain(rubric: &Rubric, e: &Evaluation, lang: Lang) -> Explanation {
    let cx = Cx { nodes: rubric.nodes().into_iter().map(|n| (n.id.as_str(), n)).collect(), rubric, lang };
    let (mut losses, mut bonus_missed) = (Vec::new(), Vec::new());
    for section in &e.nodes {
        collect(&cx, section, &mut vec![], &mut losses, &mut bonus_missed);
    }
    // Largest loss first; equal losses keep rubric order (the sort is stable).
    losses.sort_by_key(|l| std::cmp::Reverse(l.lost));
    let grade_of = |total: Decimal| rubric.grades.iter().find(|g| g.min <= total).map(|g| g.label.clone());
    let binding = e.vetoes.iter().filter_map(|v| v.cap).min();
    let mut taken = false;
    let vetoes = e
        .vetoes
        .iter()
        .map(|v| {
            // Only the lowest cap binds; the first veto with it is said to take the points.
            let binds = !taken && v.cap.is_some() && v.cap == binding;
            taken |= binds;
            VetoEffect {
                veto: v.clone(),
                total_before: e.before_vetoes,
                grade_before: grade_of(e.before_vetoes),
                lost: if binds { e.before_vetoes - e.total } else { Decimal::ZERO },
            }
        })
        .collect::<Vec<_>>();
    let by_section = parts(rubric, e, &vetoes, lang);
    Explanation { vetoes, losses, bonus_missed, by_section, total_lost: e.max - e.total }
}

/// The parts of what the total lost (`Explanation::by_section`): sections' losses in the total's
/// terms (× max / the points of the sections counted, shown at the rubric's precision), the
/// vetoes, bonus points earned, and what rounding leaves.
fn parts(rubric: &Rubric, e: &Evaluation, vetoes: &[VetoEffect], lang: Lang) -> Vec<(String, Decimal)> {
    let counted: Decimal = e.nodes.iter().filter(|n| !n.bonus && n.score.is_some()).map(|n| n.points).sum();
    let figures = rubric.figures();
    let mut parts: Vec<(String, Decimal)> = e
        .nodes
        .iter()
        .filter(|n| !n.bonus)
        .filter_map(|n| {
            let lost = n.lost()?;
            let scaled = crate::method::exact_mul_div(lost, e.max, counted).unwrap_or(lost);
            Some((n.title.clone(), figures.mode.round(scaled, figures.decimals)))
        })
        .collect();
    for v in vetoes.iter().filter(|v| !v.lost.is_zero()) {
        let name = v.veto.title.clone().unwrap_or_else(|| v.veto.id.clone());
        parts.push((tr!(lang, "一票否决：{name}", "veto: {name}"), v.lost));
    }
    let bonus: Decimal = e.nodes.iter().filter(|n| n.bonus).filter_map(|n| n.score).sum();
    if !bonus.is_zero() {
        parts.push((lang.pick("加分项", "bonus earned").to_owned(), -bonus));
    }
    let rest = (e.max - e.total) - parts.iter().map(|(_, l)| *l).sum::<Decimal>();
    if !rest.is_zero() {
        parts.push((lang.pick("舍入及封顶", "rounding and caps").to_owned(), rest));
    }
    parts
}

impl Explanation {
    /// Each part's share of all the points the total lost, in `by_section` order; None when
    /// nothing was lost. Every report shows these, so that they agree.
    pub fn section_shares(&self) -> Vec<Option<Decimal>> {
        self.by_section.iter().map(|(_, l)| l.checked_div(self.total_lost)).collect()
    }
}

/// What the advice needs: the rubric's nodes by id, its rounding, the language.
struct Cx<'r> {
    nodes: std::collections::HashMap<&'r str, &'r Node>,
    rubric: &'r Rubric,
    lang: Lang,
}

impl Cx<'_> {
    /// An amount as a leaf's score shows it: rounded at precision.indicator.
    fn as_scored(&self, amount: Decimal) -> Decimal {
        self.rubric.rounding.round(amount, self.rubric.precision.indicator)
    }

    /// Of `options` (an amount each, as the method computes it), the one that earns the least
    /// more than `current` once rounded like a score: the next step up.
    fn next_better<T>(
        &self,
        current: Decimal,
        options: impl Iterator<Item = (Option<Decimal>, T)>,
    ) -> Option<(Decimal, T)> {
        options
            .filter_map(|(amount, option)| Some((self.as_scored(amount?), option)))
            .filter(|(gives, _)| *gives > current)
            .min_by(|a, b| a.0.cmp(&b.0))
    }
}

fn collect(cx: &Cx, n: &NodeResult, path: &mut Vec<String>, out: &mut Vec<Loss>, missed: &mut Vec<Loss>) {
    path.push(n.title.clone());
    if let (Some(leaf), Status::Scored | Status::Bonus, Some(lost), Some(score)) =
        (&n.leaf, n.status, n.lost(), n.score)
        && lost > Decimal::ZERO
    {
        let list = if n.status == Status::Bonus { &mut *missed } else { &mut *out };
        list.push(Loss {
            id: n.id.clone(),
            path: path.clone(),
            points: n.points,
            score,
            lost,
            method: leaf.method,
            rule: leaf.rule.clone(),
            detail: leaf.detail.clone(),
            inputs: leaf.inputs.clone(),
            shown: leaf.shown.clone(),
            advice: advice(cx, n),
        });
    }
    for c in &n.children {
        collect(cx, c, path, out, missed);
    }
    path.pop();
}

/// A parameter's value as people read it: from the leaf's inputs when it is a name (a derived
/// one at the rubric's precision), else as written.
fn param_value(cx: &Cx, n: &NodeResult, source: &str) -> String {
    let origin = if cx.rubric.derived(source).is_some() { Origin::Computed } else { Origin::Written };
    n.leaf.as_ref().and_then(|l| l.inputs.iter().find(|(name, _)| name == source)).map_or_else(
        || source.to_owned(),
        |(_, v)| match v {
            Value::Number(d) => human(*d, origin, cx.rubric.figures()),
            other => other.to_string(),
        },
    )
}

/// The unit of what `param` names, to follow a number (`100%`, `5 万元`).
fn unit_after(cx: &Cx, param: &crate::method::Param) -> String {
    with_unit(param.expr.as_name().and_then(|name| cx.rubric.unit_of(name)))
}

fn advice(cx: &Cx, n: &NodeResult) -> Option<String> {
    let lang = cx.lang;
    let leaf = n.leaf.as_ref()?;
    if leaf.method == MethodKind::Row {
        return row_advice(cx, n);
    }
    let node = cx.nodes.get(n.id.as_str())?;
    let NodeKind::Leaf(method) = &node.kind else { return None };
    let p = n.points;
    match method.as_ref() {
        Method::Ratio(m) => {
            let (v, t) = (cx.rubric.words(&m.value, &n.title), param_value(cx, n, m.target.expr.source()));
            let t = format!("{t}{}", unit_after(cx, &m.value));
            // The most the leaf can score, rounded as its score is.
            let best = cx.as_scored(crate::method::exact_mul_div(p, m.cap, Decimal::ONE_HUNDRED)?);
            let gets = display(best);
            if n.score.is_some_and(|s| s >= best) {
                // The cap binds: no value earns more.
                let cap = display(m.cap);
                return Some(tr!(
                    lang,
                    "无：已达封顶，最多可得分值的 {cap}%（{gets} 分）",
                    "none: the cap allows {cap}% of the points ({gets}) at most"
                ));
            }
            Some(match m.direction {
                Direction::Higher => {
                    tr!(lang, "{v} 达到 {t} 可得 {gets} 分", "{v} at {t} earns {gets}")
                }
                Direction::Lower => {
                    tr!(lang, "{v} 不超过 {t} 可得 {gets} 分", "{v} at most {t} earns {gets}")
                }
            })
        }
        Method::Linear(m) => {
            let v = cx.rubric.words(&m.value, &n.title);
            let full = format!("{}{}", display(m.full), unit_after(cx, &m.value));
            Some(tr!(lang, "{v} 达到 {full} 可得满分 {}", "{v} at {full} earns the full {}", display(p)))
        }
        Method::Bands(m) => {
            let current = n.score?;
            let amount = |b: &Band| match b.award {
                Award::Percent(pc) => crate::method::exact_mul_div(p, pc, Decimal::ONE_HUNDRED),
                Award::Score(s) => Some(s),
            };
            let (gives, band) = cx.next_better(current, m.bands.iter().map(|b| (amount(b), b)))?;
            let v = cx.rubric.words(&m.value, &n.title);
            Some(tr!(lang, "{v} 在 {} 可得 {} 分", "{v} in {} earns {}", band.describe(), display(gives)))
        }
        Method::Deduct(m) => {
            // The rule as it stands, not a marginal gain: under `max` (or the points) one less
            // may earn nothing.
            let count = cx.rubric.words(&m.count, &n.title);
            let (per, most) = (display(m.per), display(m.max.map_or(p, |max| max.min(p))));
            let unit = m.unit.as_deref().or_else(|| m.count.expr.as_name().and_then(|c| cx.rubric.unit_of(c)));
            let each = unit.unwrap_or(lang.pick("次", "occurrence"));
            Some(tr!(
                lang,
                "{count}：每{each}扣 {per} 分，最多扣 {most} 分；为 0 时得满分",
                "{count}: each {each} deducts {per}, {most} at most; 0 earns full marks"
            ))
        }
        Method::Levels(m) => {
            let current = n.score?;
            let levels =
                m.levels.iter().map(|(label, pc)| (crate::method::exact_mul_div(p, *pc, Decimal::ONE_HUNDRED), label));
            let better = cx.next_better(current, levels)?;
            Some(tr!(lang, "评为「{}」可得 {} 分", "rated 「{}」 earns {}", better.1, display(better.0)))
        }
        Method::Checklist(m) => {
            let unmet: Vec<String> = m
                .items
                .iter()
                .filter(|i| !leaf.inputs.iter().any(|(name, v)| *name == i.field && *v == Value::Bool(true)))
                .map(|i| format!("{} (+{})", i.title, display(i.points)))
                .collect();
            Some(tr!(lang, "未满足：{}", "unmet: {}", unmet.join(lang.pick("；", "; "))))
        }
        Method::Manual => Some(lang.pick("人工评分", "scored by hand").into()),
        Method::Formula(_) | Method::Row(_) => None,
    }
}

fn row_advice(cx: &Cx, n: &NodeResult) -> Option<String> {
    let lang = cx.lang;
    let leaf = n.leaf.as_ref()?;
    let target = leaf.inputs.iter().find(|(name, _)| name == "target").map(|(_, v)| v.to_string()).unwrap_or_default();
    match &leaf.rule {
        Rule::Row(Op::AtLeast | Op::Equal) => {
            Some(tr!(lang, "完成值达到 {target} 可得满分", "an actual of {target} earns full marks"))
        }
        Rule::Row(Op::AtMost) => {
            Some(tr!(lang, "完成值不超过 {target} 可得满分", "an actual of at most {target} earns full marks"))
        }
        Rule::QualitativeRow(_) => {
            // The next better level of the branch's `qualitative` map.
            let branch = n.id.rsplit_once('.').map(|(b, _)| b)?;
            let NodeKind::Rows(spec) = &cx.nodes.get(branch)?.kind else { return None };
            let current = n.score?;
            let levels = spec.qualitative.as_ref()?.iter();
            let levels =
                levels.map(|(label, pc)| (crate::method::exact_mul_div(n.points, *pc, Decimal::ONE_HUNDRED), label));
            let (gives, label) = cx.next_better(current, levels)?;
            Some(tr!(lang, "评为「{label}」可得 {} 分", "rated 「{label}」 earns {}", display(gives)))
        }
        // Only rows come here, and a 定性 row's rule is its level, never the bare operator.
        _ => None,
    }
}
