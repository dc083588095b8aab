//! A row of an indicator table (绩效目标表, SPEC §2.3): actual against target by the row's
//! operator. Rows come from the data file; the engine turns each into a leaf scored here.

use super::{LeafEnv, Param, RawScore, Rule, mul_div, percent_shown};
use crate::expr::Value;
use crate::lang::Lang;
use crate::number::{Figures, display};
use crate::tr;
use rust_decimal::Decimal;

/// The operators of SPEC §2.3, a closed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `>=` `≥`: higher is better.
    AtLeast,
    /// `<=` `≤`: lower is better.
    AtMost,
    /// `=` `＝`: as the budget platforms score it.
    Equal,
    /// `定性` `qualitative`: a level, scored by the branch's `qualitative` map.
    Qualitative,
}

impl Op {
    /// The spellings listed in messages (SPEC §2.3); [`Op::parse`] also reads the full-width
    /// forms of the ASCII ones (`＞＝`, `＜＝`).
    pub const SPELLINGS: [&'static str; 23] = [
        ">=",
        "≥",
        "≧",
        "不低于",
        "不少于",
        "大于等于",
        "达到",
        "<=",
        "≤",
        "≦",
        "不高于",
        "不超过",
        "小于等于",
        "低于等于",
        "=",
        "＝",
        "﹦",
        "等于",
        "定性",
        "定性指标",
        "qualitative",
        "＞＝",
        "＜＝",
    ];

    /// An operator as tables print it: symbols (full-width forms too) and words. `None` for
    /// anything else — `==`, `>`, `<` included.
    pub fn parse(text: &str) -> Option<Op> {
        match crate::printed::normalize_width(text).as_str() {
            ">=" | "≥" | "≧" | "不低于" | "不少于" | "大于等于" | "达到" => Some(Op::AtLeast),
            "<=" | "≤" | "≦" | "不高于" | "不超过" | "小于等于" | "低于等于" => Some(Op::AtMost),
            "=" | "﹦" | "等于" => Some(Op::Equal),
            "定性" | "定性指标" | "qualitative" => Some(Op::Qualitative),
            _ => None,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => "≥",
            Op::AtMost => "≤",
            Op::Equal => "=",
            Op::Qualitative => "定性",
        }
    }
}

/// How a missed `<=` target is scored (the branch's `reverse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reverse {
    /// p × target / actual.
    #[default]
    Ratio,
    /// p × max(0, 2 × target − actual) / target: 0 from twice the target on.
    Linear,
}

impl Reverse {
    pub const NAMES: [&'static str; 2] = ["ratio", "linear"];
}

/// A row's figures: numbers, a level (the text of a 定性 row), a deadline, or a field or
/// derived name of the rubric read when the row is scored.
#[derive(Debug, Clone)]
pub enum Figure {
    Number(Decimal),
    Level(String),
    /// A date as printed (`2021年12月完成`), SPEC §2.3.
    Date(crate::printed::Date),
    /// `{ field: name }`: the value of a field or derived name, times 10^`power` (a field in
    /// 元 read in a 万元 row has power −4).
    Field {
        name: Param,
        power: i32,
    },
}

impl PartialEq for Figure {
    fn eq(&self, other: &Figure) -> bool {
        match (self, other) {
            (Figure::Number(a), Figure::Number(b)) => a == b,
            (Figure::Level(a), Figure::Level(b)) => a == b,
            (Figure::Date(a), Figure::Date(b)) => a == b,
            (Figure::Field { name: a, power: p }, Figure::Field { name: b, power: q }) => {
                a.expr.source() == b.expr.source() && p == q
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Figure::Number(d) => f.write_str(&display(*d)),
            Figure::Level(l) => f.write_str(l),
            Figure::Date(d) => write!(f, "{d}"),
            Figure::Field { name, .. } => f.write_str(name.expr.source()),
        }
    }
}

impl Figure {
    /// The value reports show for it; `None` for a field, whose value is read when scoring.
    pub fn value(&self) -> Option<Value> {
        match self {
            Figure::Number(d) => Some(Value::Number(*d)),
            Figure::Level(l) => Some(Value::Text(l.clone())),
            Figure::Date(d) => Some(Value::Text(d.to_string())),
            Figure::Field { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub op: Op,
    pub target: Option<Figure>,
    pub actual: Figure,
    pub unit: Option<String>,
    pub reverse: Reverse,
    /// The branch's `qualitative` map (level → percent), for 定性 rows.
    pub qualitative: Vec<(String, Decimal)>,
    /// The branch's `late: { per_month }`: the percent of the points a deadline row loses per
    /// month begun late; `None`: a late row earns 0.
    pub late_per_month: Option<Decimal>,
}

impl Row {
    /// The names of the rubric the row reads (its `{ field: … }` figures), for neededness.
    pub fn names(&self) -> Vec<&str> {
        [Some(&self.actual), self.target.as_ref()]
            .into_iter()
            .flatten()
            .filter_map(|f| match f {
                Figure::Field { name, .. } => name.expr.as_name(),
                _ => None,
            })
            .collect()
    }

    /// The row's inputs for reports: `actual` and `target` (a field's as read, from
    /// `recorded`, the names the scoring read), then the names read.
    pub fn inputs(&self, recorded: &[(String, Value)]) -> Vec<(String, Value)> {
        let shown = |f: &Figure| match f {
            Figure::Field { name, power } => {
                recorded.iter().find(|(n, _)| n == name.expr.source()).map(|(_, v)| match v {
                    Value::Number(d) => Value::Number(scaled(*d, *power).unwrap_or(*d)),
                    other => other.clone(),
                })
            }
            other => other.value(),
        };
        let mut out: Vec<(String, Value)> = Vec::new();
        if let Some(v) = shown(&self.actual) {
            out.push(("actual".to_owned(), v));
        }
        if let Some(v) = self.target.as_ref().and_then(shown) {
            out.push(("target".to_owned(), v));
        }
        out.extend(recorded.iter().cloned());
        out
    }

    /// Scores the row: its fields read through `env`, then [`Row::score_figures`].
    pub fn score(&self, p: Decimal, env: &mut dyn LeafEnv) -> Result<RawScore, String> {
        let lang = env.lang();
        let mut read = |f: &Figure| -> Result<Figure, String> {
            match f {
                Figure::Field { name, power } => Ok(match self.op {
                    Op::Qualitative => Figure::Level(env.text(name)?),
                    _ => Figure::Number(scaled(env.number(name)?, *power).ok_or_else(|| {
                        let source = name.expr.source();
                        tr!(
                            lang,
                            "`{source}` 换算单位后超出了精确十进制数的范围",
                            "`{source}` does not fit an exact decimal once converted"
                        )
                    })?),
                }),
                other => Ok(other.clone()),
            }
        };
        let actual = read(&self.actual)?;
        let target = self.target.as_ref().map(&mut read).transpose()?;
        self.score_figures(p, target.as_ref(), &actual, lang, (env.explain(), env.figures()))
    }

    /// Scores the row on figures already read (no [`Figure::Field`] left).
    pub fn score_figures(
        &self,
        p: Decimal,
        target: Option<&Figure>,
        actual: &Figure,
        lang: Lang,
        (explain, figures): (Option<Lang>, Figures),
    ) -> Result<RawScore, String> {
        let unit = self.unit.as_deref().unwrap_or("");
        if let (Some(Figure::Date(t)), Figure::Date(a)) = (target, actual) {
            return self.deadline(p, *t, *a, lang, explain);
        }
        if self.op == Op::Qualitative {
            let Figure::Level(level) = actual else {
                return Err(tr!(
                    lang,
                    "定性行的实际值应为等级，实际为 {}",
                    "a 定性 row needs a level as its actual, found {}",
                    actual
                ));
            };
            let Some((_, pc)) = self.qualitative.iter().find(|(l, _)| l == level) else {
                // Printed as its own target ("符合相关文件要求" / "符合相关文件要求"): met.
                if let Some(Figure::Level(t)) = target
                    && same_text(t, level)
                {
                    return Ok(RawScore {
                        raw: p,
                        rule: Rule::QualitativeRow(level.clone()),
                        detail: explain
                            .map(|lang| {
                                tr!(
                                    lang,
                                    "定性「{level}」与目标相同 → 满分",
                                    "qualitative 「{level}」 as its target → full marks"
                                )
                            })
                            .unwrap_or_default(),
                    });
                }
                let known: Vec<&str> = self.qualitative.iter().map(|(l, _)| l.as_str()).collect();
                return Err(tr!(
                    lang,
                    "等级 \"{level}\" 不在所属分支的 `qualitative` 映射中（{}），也与目标不同",
                    "level \"{level}\" is not in the branch's `qualitative` map ({}) and differs from the target",
                    known.join(" / ")
                ));
            };
            return Ok(RawScore {
                raw: mul_div(p, *pc, Decimal::ONE_HUNDRED, lang)?,
                rule: Rule::QualitativeRow(level.clone()),
                detail: explain
                    .map(|lang| tr!(lang, "定性「{level}」→ {}%", "qualitative 「{level}」 → {}%", display(*pc)))
                    .unwrap_or_default(),
            });
        }
        let (Some(Figure::Number(target)), Figure::Number(written)) = (target, actual) else {
            return Err(tr!(
                lang,
                "定量行的目标值和实际值都应为数字",
                "a quantitative row needs numbers as its target and actual"
            ));
        };
        let target = *target;
        // A negative actual counts as 0 (SPEC §2.3).
        let actual = (*written).max(Decimal::ZERO);
        let (a, t) = (display(actual), display(target));
        let full = |why: &str| RawScore {
            raw: p,
            rule: Rule::Row(self.op),
            detail: explain
                .map(|lang| {
                    tr!(
                        lang,
                        "实际 {a}{unit} {why} 目标 {t}{unit} → 满分",
                        "actual {a}{unit} {why} target {t}{unit} → full marks"
                    )
                })
                .unwrap_or_default(),
        };
        let proportion = |raw: Decimal, share: String| RawScore {
            raw,
            rule: Rule::Row(self.op),
            detail: explain
                .map(|lang| {
                    tr!(
                        lang,
                        "实际 {a}{unit} 未达目标 {} {t}{unit} → {share}",
                        "actual {a}{unit} misses target {} {t}{unit} → {share}",
                        self.op.symbol()
                    )
                })
                .unwrap_or_default(),
        };
        let zero = |detail: String| RawScore { raw: Decimal::ZERO, rule: Rule::Row(self.op), detail };
        match self.op {
            Op::Equal if target.is_zero() => Ok(if actual.is_zero() {
                full("=")
            } else {
                zero(
                    explain
                        .map(|lang| tr!(lang, "目标 0，实际 {a}{unit} ≠ 0 → 0", "target 0, actual {a}{unit} ≠ 0 → 0"))
                        .unwrap_or_default(),
                )
            }),
            Op::AtLeast | Op::Equal => {
                if actual >= target {
                    Ok(full("≥"))
                } else {
                    Ok(proportion(mul_div(p, actual, target, lang)?, percent_shown(actual, target, figures)))
                }
            }
            Op::AtMost => {
                if actual <= target {
                    Ok(full("≤"))
                } else if target.is_zero() {
                    Ok(zero(
                        explain
                            .map(|lang| tr!(lang, "目标 ≤ 0，实际 {a}{unit} → 0", "target ≤ 0, actual {a}{unit} → 0"))
                            .unwrap_or_default(),
                    ))
                } else {
                    match self.reverse {
                        Reverse::Ratio => {
                            Ok(proportion(mul_div(p, target, actual, lang)?, percent_shown(target, actual, figures)))
                        }
                        Reverse::Linear => {
                            // 2 × target − actual as target − (actual − target): actual > target
                            // ≥ 0, so neither step can overflow, however large the target.
                            let room = (target - (actual - target)).max(Decimal::ZERO);
                            Ok(proportion(mul_div(p, room, target, lang)?, percent_shown(room, target, figures)))
                        }
                    }
                }
            }
            Op::Qualitative => {
                Err(tr!(lang, "内部错误：定性行应已在前面评分", "unreachable: qualitative rows are scored above"))
            }
        }
    }
}

impl Row {
    /// A deadline row (SPEC §2.3): met on or before the target day; later earns 0, or under
    /// the branch's `late: { per_month }` loses that percent of p per month begun late.
    fn deadline(
        &self,
        p: Decimal,
        target: crate::printed::Date,
        actual: crate::printed::Date,
        lang: Lang,
        explain: Option<Lang>,
    ) -> Result<RawScore, String> {
        if self.op == Op::AtLeast {
            return Err(tr!(
                lang,
                "完成时间不能用 ≥ 比较（请用 ≤、= 或 定性）",
                "a deadline cannot be compared with ≥ (use ≤, = or 定性)"
            ));
        }
        let late = crate::printed::months_started_late(target, actual);
        let rule = Rule::Row(self.op);
        if late == 0 {
            return Ok(RawScore {
                raw: p,
                rule,
                detail: explain
                    .map(|lang| {
                        tr!(lang, "{actual} 不晚于 {target} → 满分", "{actual} on or before {target} → full marks")
                    })
                    .unwrap_or_default(),
            });
        }
        let (raw, share) = match self.late_per_month {
            Some(per) => {
                let lost = Decimal::from(late).checked_mul(per).unwrap_or(Decimal::ONE_HUNDRED);
                let kept = (Decimal::ONE_HUNDRED - lost.min(Decimal::ONE_HUNDRED)).max(Decimal::ZERO);
                (mul_div(p, kept, Decimal::ONE_HUNDRED, lang)?, format!("{}%", display(kept)))
            }
            None => (Decimal::ZERO, "0".to_owned()),
        };
        Ok(RawScore {
            raw,
            rule,
            detail: explain
                .map(|lang| {
                    tr!(
                        lang,
                        "{actual} 晚于 {target}（逾期 {late} 个月）→ {share}",
                        "{actual} after {target} ({late} month(s) begun late) → {share}"
                    )
                })
                .unwrap_or_default(),
        })
    }
}

/// `d × 10^power`, exactly, or `None`.
fn scaled(d: Decimal, power: i32) -> Option<Decimal> {
    let factor = Decimal::try_from_i128_with_scale(10i128.checked_pow(power.unsigned_abs())?, 0).ok()?;
    if power >= 0 { d.checked_mul(factor) } else { d.checked_div(factor).filter(|q| q.checked_mul(factor) == Some(d)) }
}

/// Two printed texts are the same when they differ only in surrounding spaces and in
/// full-width against half-width forms (SPEC §2.3).
pub fn same_text(a: &str, b: &str) -> bool {
    crate::printed::normalize_width(a) == crate::printed::normalize_width(b)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::method::test_env::{Script, d};

    fn row(op: Op, target: &str, actual: &str) -> Row {
        Row {
            op,
            target: Some(Figure::Number(d(target))),
            actual: Figure::Number(d(actual)),
            unit: None,
            reverse: Reverse::Ratio,
            qualitative: vec![],
            late_per_month: None,
        }
    }

    fn score(r: &Row, p: &str) -> Decimal {
        r.score(d(p), &mut Script::default()).unwrap().raw
    }

    #[test]
    fn at_least() {
        // SPEC example: 科普活动场次 ≥ 10, actual 8, 20 points → 20 × 8 / 10 = 16.
        assert_eq!(score(&row(Op::AtLeast, "10", "8"), "20"), d("16"));
        assert_eq!(score(&row(Op::AtLeast, "10", "10"), "20"), d("20"));
        // Over-achievement is capped at p.
        assert_eq!(score(&row(Op::AtLeast, "2000", "3061"), "10"), d("10"));
        // A negative actual counts as 0.
        assert_eq!(score(&row(Op::AtLeast, "10", "-3"), "20"), d("0"));
        // Target 0: any actual ≥ 0 meets it.
        assert_eq!(score(&row(Op::AtLeast, "0", "0"), "5"), d("5"));
    }

    #[test]
    fn at_most_ratio_and_linear() {
        // SPEC example: 人均成本 ≤ 30, actual 34.5, 10 points → 10 × 30 / 34.5 = 8.695652…
        let r = row(Op::AtMost, "30", "34.5");
        assert_eq!(score(&r, "10").round_dp(6), d("8.695652"));
        // linear: 10 × (60 − 34.5) / 30 = 255 / 30 = 8.5.
        let linear = Row { reverse: Reverse::Linear, ..r.clone() };
        assert_eq!(score(&linear, "10"), d("8.5"));
        // From twice the target on, linear gives 0.
        let far = Row { actual: Figure::Number(d("60")), ..linear.clone() };
        assert_eq!(score(&far, "10"), d("0"));
        let farther = Row { actual: Figure::Number(d("75")), ..linear };
        assert_eq!(score(&farther, "10"), d("0"));
        // Met or beaten: full marks; a quantity written as ≤ (精品示范村 ≤ 4, actual 4).
        assert_eq!(score(&row(Op::AtMost, "4", "4"), "10"), d("10"));
        assert_eq!(score(&row(Op::AtMost, "30", "12"), "10"), d("10"));
        // Target 0: zero tolerance.
        assert_eq!(score(&row(Op::AtMost, "0", "0"), "10"), d("10"));
        assert_eq!(score(&row(Op::AtMost, "0", "0.1"), "10"), d("0"));
    }

    #[test]
    fn equal() {
        // Target 100 vs actual 100.0: equal decimals.
        assert_eq!(score(&row(Op::Equal, "100", "100.0"), "10"), d("10"));
        // Above a positive target is as ≥: full.
        assert_eq!(score(&row(Op::Equal, "100", "105"), "10"), d("10"));
        assert_eq!(score(&row(Op::Equal, "100", "95"), "10"), d("9.5"));
        // Target 0: p only for exactly 0.
        assert_eq!(score(&row(Op::Equal, "0", "0"), "10"), d("10"));
        assert_eq!(score(&row(Op::Equal, "0", "1"), "10"), d("0"));
    }

    #[test]
    fn qualitative() {
        let r = Row {
            op: Op::Qualitative,
            target: Some(Figure::Level("达成".into())),
            actual: Figure::Level("部分达成".into()),
            unit: None,
            reverse: Reverse::Ratio,
            qualitative: vec![("达成".into(), d("100")), ("部分达成".into(), d("60"))],
            late_per_month: None,
        };
        // SPEC example: 10 × 60 / 100 = 6.
        assert_eq!(score(&r, "10"), d("6"));
        let unknown = Row { actual: Figure::Level("差不多".into()), ..r };
        assert!(unknown.score(d("10"), &mut Script::default()).unwrap_err().contains("差不多"));
    }

    #[test]
    fn operators_closed_list() {
        for (text, op) in [
            (">=", Op::AtLeast),
            ("≥", Op::AtLeast),
            ("<=", Op::AtMost),
            ("≤", Op::AtMost),
            ("=", Op::Equal),
            ("＝", Op::Equal),
            ("定性", Op::Qualitative),
            ("qualitative", Op::Qualitative),
            // As printed (issue 15): U+FE66, full-width pairs, ≧ ≦ and the words.
            ("﹦", Op::Equal),
            ("＞＝", Op::AtLeast),
            ("＜＝", Op::AtMost),
            ("≧", Op::AtLeast),
            ("≦", Op::AtMost),
            (" 不低于 ", Op::AtLeast),
            ("不少于", Op::AtLeast),
            ("大于等于", Op::AtLeast),
            ("达到", Op::AtLeast),
            ("不高于", Op::AtMost),
            ("不超过", Op::AtMost),
            ("小于等于", Op::AtMost),
            ("低于等于", Op::AtMost),
            ("等于", Op::Equal),
            ("定性指标", Op::Qualitative),
        ] {
            assert_eq!(Op::parse(text), Some(op), "{text}");
        }
        for bad in ["==", ">", "<", "", "ge", "大于", "不低", "≥="] {
            assert_eq!(Op::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn item13_huge_figures_score_without_overflow() {
        // ≤ with reverse linear: 2 × target does not fit, the room does: 10 × (5 − 1) / 5 = 8.
        let linear = Row {
            reverse: Reverse::Linear,
            ..row(Op::AtMost, "50000000000000000000000000000", "60000000000000000000000000000")
        };
        assert_eq!(score(&linear, "10"), d("8"));
        let far = Row {
            reverse: Reverse::Linear,
            ..row(Op::AtMost, "30000000000000000000000000000", "79000000000000000000000000000")
        };
        assert_eq!(score(&far, "10"), d("0"));
        // ≥ far past the target: full marks, nothing divided.
        assert_eq!(
            score(&row(Op::AtLeast, "0.0000000000000000000000000001", "7900000000000000000000000000"), "10"),
            d("10")
        );
        // ≥ missed, p × actual too large but exact when divided first: 10¹² × 0.5.
        assert_eq!(
            score(&row(Op::AtLeast, "200000000000000000", "100000000000000000"), "1000000000000"),
            d("500000000000")
        );
    }
}
