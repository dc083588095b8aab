//! A row of an indicator table (绩效目标表, SPEC §2.3): actual against target by the row's
//! operator. Rows come from the data file; the engine turns each into a leaf scored here.

use super::{RawScore, Rule, mul_div, percent_shown};
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
    pub const SPELLINGS: [&'static str; 8] = [">=", "≥", "<=", "≤", "=", "＝", "定性", "qualitative"];

    pub fn parse(text: &str) -> Option<Op> {
        match text.trim() {
            ">=" | "≥" => Some(Op::AtLeast),
            "<=" | "≤" => Some(Op::AtMost),
            "=" | "＝" => Some(Op::Equal),
            "定性" | "qualitative" => Some(Op::Qualitative),
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

/// A row's figures: numbers, or a level for 定性 rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Number(Decimal),
    Level(String),
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Figure::Number(d) => f.write_str(&display(*d)),
            Figure::Level(l) => f.write_str(l),
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
}

impl Row {
    /// The row's inputs, for reports.
    pub fn inputs(&self) -> Vec<(String, Figure)> {
        let mut out = vec![("actual".to_owned(), self.actual.clone())];
        if let Some(t) = &self.target {
            out.push(("target".to_owned(), t.clone()));
        }
        out
    }

    pub fn score(&self, p: Decimal, lang: Lang, explain: Option<Lang>, figures: Figures) -> Result<RawScore, String> {
        let unit = self.unit.as_deref().unwrap_or("");
        if self.op == Op::Qualitative {
            let Figure::Level(level) = &self.actual else {
                return Err(tr!(
                    lang,
                    "定性行的实际值应为等级，实际为 {}",
                    "a 定性 row needs a level as its actual, found {}",
                    self.actual
                ));
            };
            let Some((_, pc)) = self.qualitative.iter().find(|(l, _)| l == level) else {
                let known: Vec<&str> = self.qualitative.iter().map(|(l, _)| l.as_str()).collect();
                return Err(tr!(
                    lang,
                    "等级 \"{level}\" 不在所属分支的 `qualitative` 映射中（{}）",
                    "level \"{level}\" is not in the branch's `qualitative` map ({})",
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
        let (Some(Figure::Number(target)), Figure::Number(written)) = (&self.target, &self.actual) else {
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn row(op: Op, target: &str, actual: &str) -> Row {
        Row {
            op,
            target: Some(Figure::Number(d(target))),
            actual: Figure::Number(d(actual)),
            unit: None,
            reverse: Reverse::Ratio,
            qualitative: vec![],
        }
    }

    fn score(r: &Row, p: &str) -> Decimal {
        r.score(d(p), Lang::En, Some(Lang::Zh), Figures::default()).unwrap().raw
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
        };
        // SPEC example: 10 × 60 / 100 = 6.
        assert_eq!(score(&r, "10"), d("6"));
        let unknown = Row { actual: Figure::Level("差不多".into()), ..r };
        assert!(unknown.score(d("10"), Lang::En, Some(Lang::Zh), Figures::default()).unwrap_err().contains("差不多"));
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
        ] {
            assert_eq!(Op::parse(text), Some(op), "{text}");
        }
        for bad in ["==", ">", "<", "≧", "", "ge"] {
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
