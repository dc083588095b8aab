//! Scoring a data file against a rubric: leaves (SPEC §3), branches, rescaling,
//! not-applicable nodes, rounding, vetoes and grades (SPEC §4).

mod leaf;
mod plan;
mod result;
mod rows;
mod shown;
mod sums;
mod values;

pub use result::*;
pub use shown::with_unit;
pub(crate) use sums::rescaled_sum;

use crate::data::{DataFile, ManualScore};
use crate::diag::{Diagnostics, list_separator, with_suggestion};
use crate::expr::Value;
use crate::lang::Lang;
use crate::method::{Method, Rule};
use crate::number::display;
use crate::rubric::{NaPolicy, Node, NodeKind, Rubric};
use crate::tr;
use leaf::LeafCx;
use plan::{Plan, State};
use rust_decimal::Decimal;
use std::collections::HashMap;
use values::{Recorder, Values, describe};

/// What to work out besides the numbers when scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The language of each leaf's one-line explanation. `None` works out only the numbers
    /// (no leaf details, inputs or effective weights): what a batch needs for a ranking, at a
    /// fraction of the cost. Scores, statuses, warnings and errors are the same either way.
    pub explain: Option<Lang>,
    /// The language of warnings and errors.
    pub lang: Lang,
}

impl Default for Options {
    /// Leaves explained in Chinese, the language of the rubrics, and diagnostics in English:
    /// the library's own default.
    fn default() -> Self {
        Options { explain: Some(Lang::Zh), lang: Lang::En }
    }
}

/// Scores `data` against `rubric`. Warnings come back with the result (and inside it); any
/// error fails the whole file, with every problem found.
pub fn score(rubric: &Rubric, data: &DataFile, options: &Options) -> Result<(Evaluation, Diagnostics), Diagnostics> {
    let (explain, lang) = (options.explain, options.lang);
    let mut diags = Diagnostics::default();
    let expanded = rows::expand(rubric, data, &mut diags, lang);
    let rubric = expanded.as_ref();
    check_ids(rubric, data, &mut diags, lang);
    let plan = Plan::build(rubric, data, &mut diags, lang);
    for entry in &data.manual {
        if rubric.node(&entry.id).is_some() && plan.state(&entry.id) != State::Active {
            diags.warning(
                &data.file,
                entry.pos.clone(),
                tr!(
                    lang,
                    "manual：`{}` 不适用，它的人工评分不予采用",
                    "manual: `{}` is not applicable; its manual score is ignored",
                    entry.id
                ),
            );
        }
    }
    let needed = plan.needed(rubric);
    let mut values = Values::read(rubric, data, &needed, &mut diags, lang);
    if diags.has_errors() {
        return Err(diags);
    }

    let mut manual = HashMap::new();
    for entry in &data.manual {
        manual.entry(entry.id.as_str()).or_insert(&entry.value);
    }
    let mut scorer =
        Scorer { rubric, data, plan: &plan, values: &mut values, diags: &mut diags, explain, lang, manual };
    let mut nodes: Vec<NodeResult> = rubric.sections.iter().map(|s| scorer.node(s)).collect();
    let vetoes = scorer.vetoes();
    if diags.has_errors() {
        return Err(diags);
    }
    let root = match sum_children(rubric.max, &nodes, None, lang) {
        Ok(root) => root,
        Err(e) => {
            diags.error(&data.file, crate::diag::Pos::UNKNOWN, tr!(lang, "总分：{e}", "total: {e}"));
            return Err(diags);
        }
    };
    let Some(root_score) = root else {
        diags.error(
            &data.file,
            crate::diag::Pos::UNKNOWN,
            tr!(
                lang,
                "所有部分都不适用，没有可以评分的内容",
                "every section is not applicable; there is nothing to score"
            ),
        );
        return Err(diags);
    };
    // SPEC §4.5: round, cap, grade, forced grade.
    let before_vetoes = rubric.rounding.round(root_score.score, rubric.precision.total);
    let mut total = before_vetoes;
    if let Some(cap) = vetoes.iter().filter_map(|v| v.cap).min() {
        total = total.min(cap);
    }
    let mut grade = rubric.grades.iter().find(|g| g.min <= total);
    if grade.is_none() && !rubric.grades.is_empty() {
        diags.warning(
            &data.file,
            crate::diag::Pos::UNKNOWN,
            tr!(
                lang,
                "总分 {} 低于所有等级的最低分，不评等级",
                "total {} is below every grade's minimum; no grade",
                display(total)
            ),
        );
    }
    let forced = vetoes
        .iter()
        .filter_map(|v| v.grade.as_deref())
        .filter_map(|label| rubric.grades.iter().find(|g| g.label == label))
        .min_by(|a, b| a.min.cmp(&b.min));
    if let Some(f) = forced {
        grade = Some(match grade {
            Some(g) if g.min <= f.min => g,
            _ => f,
        });
    }
    let unsure_share = if explain.is_some() { assign_weights(&mut nodes, rubric.max) } else { Decimal::ZERO };
    let evaluation = Evaluation {
        file: data.file.clone(),
        subject: data.subject.clone().unwrap_or_else(|| subject_from_file(&data.file)),
        period: data.period.clone(),
        rubric: RubricInfo {
            id: rubric.id.clone(),
            title: rubric.title.clone(),
            version: rubric.version.clone(),
            fingerprint: rubric.fingerprint.clone(),
            path: (!rubric.file.starts_with("builtin:")).then(|| rubric.file.clone()),
            precision: rubric.precision,
            rounding: rubric.rounding,
        },
        max: rubric.max,
        total,
        before_vetoes,
        grade: grade.map(|g| g.label.clone()),
        vetoes,
        warnings: diags.warnings().map(ToString::to_string).collect(),
        nodes,
        declared: data.declared.iter().map(|e| (e.id.clone(), e.value)).collect(),
        report: data.report.clone(),
        unsure_share,
    };
    Ok((evaluation, diags))
}

fn subject_from_file(file: &str) -> String {
    let path = std::path::Path::new(file);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or(file);
    // `examples/x/data.yaml` says less than its folder does.
    if stem == "data"
        && let Some(parent) = path.parent().and_then(|p| p.file_name()).and_then(|s| s.to_str())
    {
        return parent.to_owned();
    }
    stem.to_owned()
}

/// `manual` and `declared` must name real nodes (SPEC §5.1).
fn check_ids(rubric: &Rubric, data: &DataFile, diags: &mut Diagnostics, lang: Lang) {
    if data.manual.is_empty() && data.declared.iter().all(|e| e.id == "total") {
        return;
    }
    let nodes = rubric.nodes();
    let ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    // One index for all entries: a file may list tens of thousands (each looked up once).
    let by_id: HashMap<&str, &Node> = nodes.iter().map(|n| (n.id.as_str(), *n)).collect();
    for entry in &data.manual {
        match by_id.get(entry.id.as_str()) {
            None => diags.error(
                &data.file,
                entry.pos.clone(),
                with_suggestion(
                    tr!(lang, "manual：未知的指标 id `{}`", "manual: unknown indicator id `{}`", entry.id),
                    &entry.id,
                    ids.iter().copied(),
                    lang,
                ),
            ),
            Some(n) if !matches!(&n.kind, NodeKind::Leaf(m) if matches!(**m, Method::Manual)) => {
                diags.error(
                    &data.file,
                    entry.pos.clone(),
                    tr!(
                        lang,
                        "manual：指标 `{}` 不是人工评分的指标（它的评分方法不是 `manual`）",
                        "manual: indicator `{}` is not scored manually (its method is not `manual`)",
                        entry.id
                    ),
                );
            }
            Some(n) if entry.value.score < Decimal::ZERO || entry.value.score > n.points => {
                let message = tr!(
                    lang,
                    "manual `{}`：得分 `{}` 超出了 0–{}（该指标的分值）",
                    "manual `{}`: score `{}` is outside 0–{} (the indicator's points)",
                    entry.id,
                    display(entry.value.score),
                    display(n.points)
                );
                diags.error(&data.file, entry.value.score_pos.clone(), message);
            }
            Some(_) => {}
        }
    }
    for entry in &data.declared {
        if entry.id != "total" && !by_id.contains_key(entry.id.as_str()) {
            let message = with_suggestion(
                tr!(lang, "declared：未知的指标 id `{}`", "declared: unknown indicator id `{}`", entry.id),
                &entry.id,
                ids.iter().copied().chain(["total"]),
                lang,
            );
            diags.error(&data.file, entry.pos.clone(), message);
        }
    }
}

/// A branch's score from its children's (SPEC §4.1, §4.3). `None` when every non-bonus
/// child is dropped. `round`: the mode and precision a rescaled R is rounded to (`None` at
/// the root, which rounds once at the end).
struct BranchScore {
    score: Decimal,
    rescaled_from: Option<Decimal>,
}

/// Scores that break 0 ≤ score ≤ points where the rules and the checks on input say they
/// cannot. Never clamped away: a wrong number is worse than no number.
fn broken_invariant(what: String, lang: Lang) -> String {
    tr!(
        lang,
        "内部错误：{what}（这是 selfeval 的缺陷，输入检查本应阻止它；请报告）",
        "internal error: {what} (a selfeval bug that the checks on input should have prevented; please report it)"
    )
}

fn sum_children(
    points: Decimal,
    children: &[NodeResult],
    round: Option<(crate::number::RoundingMode, u32)>,
    lang: Lang,
) -> Result<Option<BranchScore>, String> {
    for child in children {
        if let Some(score) = child.score
            && (score < Decimal::ZERO || score > child.points)
        {
            return Err(broken_invariant(
                tr!(
                    lang,
                    "`{}` 得分 {}，超出了 0–{}",
                    "`{}` scored {}, outside 0–{}",
                    child.id,
                    display(score),
                    display(child.points)
                ),
                lang,
            ));
        }
    }
    let parts: Vec<(Decimal, Option<Decimal>, bool)> = children.iter().map(|c| (c.points, c.score, c.bonus)).collect();
    let Some((r, rescaled_from, b)) = rescaled_sum(points, &parts, round, lang)? else { return Ok(None) };
    // Every child scored within its points, and P has no more decimals than R is rounded to,
    // so R is within [0, P]; only bonus points (B) may need the cap of min(P, R + B).
    if r < Decimal::ZERO || r > points {
        return Err(broken_invariant(
            tr!(
                lang,
                "子项得分合计 {} 超出了 0–{}",
                "the children's sum {} is outside 0–{}",
                display(r),
                display(points)
            ),
            lang,
        ));
    }
    Ok(Some(BranchScore { score: points.min(r + b), rescaled_from }))
}

struct Scorer<'s, 'a> {
    explain: Option<Lang>,
    lang: Lang,
    rubric: &'a Rubric,
    data: &'a DataFile,
    plan: &'s Plan,
    values: &'s mut Values<'a>,
    diags: &'s mut Diagnostics,
    /// The data file's manual scores by indicator id (the first, if one is given twice).
    manual: HashMap<&'a str, &'a ManualScore>,
}

impl Scorer<'_, '_> {
    fn node(&mut self, node: &Node) -> NodeResult {
        let lang = self.lang;
        let state = self.plan.state(&node.id);
        let children: Vec<NodeResult> = node.children().iter().map(|c| self.node(c)).collect();
        let mut result = NodeResult {
            id: node.id.clone(),
            title: node.title.clone(),
            points: node.points,
            score: None,
            status: if node.bonus { Status::Bonus } else { Status::Scored },
            bonus: node.bonus,
            reason: None,
            // The 评分标准 text is long and shown only with explanations.
            standard: self.explain.and_then(|_| node.standard.clone()),
            rescaled_from: None,
            weight: None,
            leaf: None,
            children,
        };
        match state {
            State::Listed { policy, reason } => {
                result.status = Status::NotApplicable;
                result.reason = Some(reason);
                result.score = match policy {
                    _ if node.bonus => Some(Decimal::ZERO),
                    NaPolicy::Full => Some(node.points),
                    NaPolicy::Zero => Some(Decimal::ZERO),
                    // Forbidden was reported as an error when planning.
                    NaPolicy::Reweight | NaPolicy::Forbidden => None,
                };
            }
            State::Inside { reason } | State::Dropped { reason } => {
                result.status = Status::NotApplicable;
                result.reason = Some(reason);
                result.score = node.bonus.then_some(Decimal::ZERO);
            }
            State::Active => match &node.kind {
                NodeKind::Branch(_) => {
                    let round = Some((self.rubric.rounding, self.rubric.precision.indicator));
                    match sum_children(node.points, &result.children, round, lang) {
                        Ok(Some(b)) => {
                            result.score = Some(b.score);
                            result.rescaled_from = b.rescaled_from;
                        }
                        Ok(None) => {}
                        Err(e) => self.node_error(node, e),
                    }
                }
                NodeKind::Leaf(method) => self.leaf(node, method, &mut result),
                // Expanded into a branch of row leaves before scoring.
                NodeKind::Rows(_) => {}
            },
        }
        result
    }

    fn leaf(&mut self, node: &Node, method: &Method, result: &mut NodeResult) {
        let lang = self.lang;
        let mut inputs = Vec::new();
        let manual = self.manual.get(node.id.as_str()).map(|m| (m.score, m.reason.clone()));
        let mut env = LeafCx {
            values: self.values,
            inputs: &mut inputs,
            manual,
            points: node.points,
            explain: self.explain,
            lang: self.lang,
        };
        let outcome = method.score(node.points, &mut env);
        match outcome {
            Ok(o) => {
                let clamped = o.raw.max(Decimal::ZERO).min(node.points);
                if clamped != o.raw && matches!(method, Method::Formula(_)) {
                    self.warn(tr!(
                        lang,
                        "指标 `{}`（{}）：公式结果为 {}，已限定为 {}",
                        "indicator `{}` ({}): formula gave {}, clamped to {}",
                        node.id,
                        node.title,
                        display(o.raw),
                        display(clamped)
                    ));
                }
                if o.rule == Rule::NoBand {
                    self.warn(tr!(
                        lang,
                        "指标 `{}`（{}）：没有匹配的档位，得 0 分",
                        "indicator `{}` ({}): no band matches; scored 0",
                        node.id,
                        node.title
                    ));
                }
                let score = self.rubric.rounding.round(clamped, self.rubric.precision.indicator);
                // Rounding cannot leave [0, p] while p has no more decimals than the rounding
                // keeps (checked when rubrics and rows are read).
                if score < Decimal::ZERO || score > node.points {
                    let message = broken_invariant(
                        tr!(
                            lang,
                            "得分 {} 按 precision.indicator 舍入后为 {}，超出了 0–{}",
                            "score {} rounds to {} at precision.indicator, outside 0–{}",
                            display(clamped),
                            display(score),
                            display(node.points)
                        ),
                        lang,
                    );
                    self.node_error(node, message);
                    return;
                }
                result.score = Some(score);
                if let Method::Row(row) = method {
                    // A row's inputs are its own figures, then any name it read.
                    inputs = row.inputs(&inputs);
                }
                // A row's detail already names its figures: only the names it read are shown.
                let shown = match self.explain {
                    Some(lang) => {
                        let read: Vec<(String, Value)> = match method {
                            Method::Row(_) => {
                                inputs.iter().filter(|(n, _)| n != "actual" && n != "target").cloned().collect()
                            }
                            _ => inputs.clone(),
                        };
                        shown::inputs(self.rubric, &read, lang)
                    }
                    None => Vec::new(),
                };
                let rate = if self.explain.is_some() { self.rate(method, &inputs) } else { None };
                result.leaf =
                    Some(LeafResult { method: method.kind(), inputs, shown, rule: o.rule, detail: o.detail, rate });
            }
            Err(e) => {
                let inputs = if inputs.is_empty() {
                    String::new()
                } else {
                    let list = inputs
                        .iter()
                        .map(|(n, v)| format!("{n} = {v}"))
                        .collect::<Vec<_>>()
                        .join(&list_separator(lang));
                    tr!(lang, "（输入：{list}）", " (inputs: {list})")
                };
                self.node_error(node, format!("{e}{inputs}"));
            }
        }
    }

    /// What a proportional leaf compared ([`Rate`]), read again from the values it was scored
    /// on (derived names are kept once evaluated) or, for a row, from its figures.
    fn rate(&mut self, method: &Method, inputs: &[(String, Value)]) -> Option<Rate> {
        match method {
            Method::Ratio(m) => {
                let mode = self.values.mode();
                let mut number = |p: &crate::method::Param| match p.expr.eval(self.values, mode, self.lang) {
                    Ok(Value::Number(n)) => Some(n),
                    _ => None,
                };
                let (value, target) = (number(&m.value)?, number(&m.target)?);
                Some(Rate { value, target, lower: m.direction == crate::method::Direction::Lower, cap: m.cap })
            }
            Method::Row(row)
                if row.op != crate::method::Op::Qualitative && row.reverse == crate::method::Reverse::Ratio =>
            {
                let figure = |name: &str| match inputs.iter().find(|(n, _)| n == name) {
                    Some((_, Value::Number(n))) => Some(*n),
                    _ => None,
                };
                let (value, target) = (figure("actual")?, figure("target")?);
                let lower = row.op == crate::method::Op::AtMost;
                Some(Rate { value, target, lower, cap: Decimal::ONE_HUNDRED })
            }
            _ => None,
        }
    }

    /// An error scoring `node`, named by its id and the titles of its path.
    fn node_error(&mut self, node: &Node, e: String) {
        let lang = self.lang;
        let path: Vec<&str> = self.rubric.path(&node.id).iter().map(|n| n.title.as_str()).collect();
        self.diags.error(
            &self.data.file,
            crate::diag::Pos::UNKNOWN,
            tr!(lang, "指标 `{}`（{}）：{e}", "indicator `{}` ({}): {e}", node.id, path.join(" › ")),
        );
    }

    fn warn(&mut self, message: String) {
        self.diags.warning(&self.data.file, crate::diag::Pos::UNKNOWN, message);
    }

    fn vetoes(&mut self) -> Vec<FiredVeto> {
        let lang = self.lang;
        let mut fired = Vec::new();
        for veto in &self.rubric.vetoes {
            let mut log = Vec::new();
            let mut rec = Recorder { values: self.values, log: &mut log };
            match veto.when.expr.eval(&mut rec, self.rubric.rounding, self.lang) {
                Ok(Value::Bool(true)) => fired.push(FiredVeto {
                    id: veto.id.clone(),
                    title: veto.title.clone(),
                    cap: veto.cap,
                    grade: veto.grade.clone(),
                }),
                Ok(_) => {}
                Err(e) => self.diags.error(
                    &self.data.file,
                    crate::diag::Pos::UNKNOWN,
                    tr!(
                        lang,
                        "一票否决项 `{}`：`{}`：{}",
                        "veto `{}`: `{}`: {}",
                        veto.id,
                        crate::expr::quote(veto.when.expr.source(), 1),
                        describe(&e, lang)
                    ),
                ),
            }
        }
        fired
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn scored(id: &str, points: &str, score: &str, bonus: bool) -> NodeResult {
        NodeResult {
            id: id.into(),
            title: id.into(),
            points: d(points),
            score: Some(d(score)),
            status: if bonus { Status::Bonus } else { Status::Scored },
            bonus,
            reason: None,
            standard: None,
            rescaled_from: None,
            weight: None,
            leaf: None,
            children: vec![],
        }
    }

    #[test]
    fn item1_a_branch_over_its_points_is_an_error_not_a_clamp() {
        // A child scored above its points (which the leaf check forbids) would make R exceed
        // P; min(P, R + B) must not hide it.
        let children = [scored("a", "5", "5.01", false), scored("b", "5", "5", false)];
        let e = sum_children(d("10"), &children, None, Lang::En).err().unwrap();
        assert!(e.contains("internal error") && e.contains("`a` scored 5.01"), "{e}");
        // Rescaled (W = 10 ≠ P = 8) the same children are refused.
        assert!(sum_children(d("8"), &children, None, Lang::En).is_err());
        // A rescaled R rounded past P (P with more decimals than the rounding keeps):
        // 10 × 8.005 / 10 = 8.005 → 8.01.
        let full = [scored("a", "5", "5", false), scored("b", "5", "5", false)];
        let e =
            sum_children(d("8.005"), &full, Some((crate::number::RoundingMode::HalfUp, 2)), Lang::En).err().unwrap();
        assert!(e.contains("the children's sum 8.01 is outside 0–8.005"), "{e}");
        // A negative child is as wrong.
        let negative = [scored("a", "5", "-0.01", false), scored("b", "5", "5", false)];
        assert!(sum_children(d("10"), &negative, None, Lang::En).is_err());
    }

    #[test]
    fn item1_bonus_is_capped_by_the_rule_not_refused() {
        // min(P, R + B) of SPEC §4.1: 9 + 3 bonus → 10.
        let children = [scored("a", "10", "9", false), scored("b", "3", "3", true)];
        let b = sum_children(d("10"), &children, None, Lang::En).unwrap().unwrap();
        assert_eq!(b.score, d("10"));
    }
}
