//! `ratio`: points in proportion to value against target (SPEC §3).

use super::Param;
use super::params::ParseCx;
use super::{LeafEnv, RawScore, Rule, mul_div, percent_shown, percent_shown_if_it_fits};
use crate::expr::Type;
use crate::lang::Lang;
use crate::number::{Figures, compare_products, display};
use crate::tr;
use crate::yaml::MapReader;
use rust_decimal::Decimal;
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    pub const NAMES: [&'static str; 2] = ["higher", "lower"];
}

#[derive(Debug, Clone)]
pub struct Ratio {
    pub value: Param,
    pub target: Param,
    pub direction: Direction,
    /// Percent of p the leaf may earn at most (0–100).
    pub cap: Decimal,
}

impl Ratio {
    pub(crate) fn parse(map: &mut MapReader, cx: &mut ParseCx) -> Option<Self> {
        let value = cx.expr(map, "value", Type::Number);
        let target = cx.expr(map, "target", Type::Number);
        let direction = match cx.choice(map, "direction", &Direction::NAMES) {
            Some("lower") => Direction::Lower,
            _ => Direction::Higher,
        };
        let cap = cx.percent(map, "cap").unwrap_or(Decimal::ONE_HUNDRED);
        Some(Ratio { value: value?, target: target?, direction, cap })
    }

    pub fn score(&self, p: Decimal, env: &mut dyn LeafEnv) -> Result<RawScore, String> {
        let lang = env.lang();
        let value = env.number(&self.value)?;
        let target = env.number(&self.target)?;
        let ceiling = mul_div(p, self.cap, Decimal::ONE_HUNDRED, lang)?;
        // The values as shown are for explanations and errors only: a batch that shows scores
        // alone does not format them (a sixth of a ratio's cost).
        let explain = env.explain();
        let shown = |param, value| if explain.is_some() { env.show(param, value) } else { String::new() };
        let (v, t) = (shown(&self.value, value), shown(&self.target, target));
        let figures = env.figures();
        match self.direction {
            Direction::Higher => {
                if target <= Decimal::ZERO {
                    let t = env.show(&self.target, target);
                    return Err(tr!(
                        lang,
                        "ratio 的目标值应 > 0，实际为 {t}（来自 `{}`）",
                        "ratio target must be > 0, found {t} (from `{}`)",
                        self.target.expr.source()
                    ));
                }
                let detail = |share: &dyn Fn() -> String| {
                    explain
                        .map(|lang| tr!(lang, "完成值 {v} / 目标 {t} → {}", "actual {v} / target {t} → {}", share()))
                        .unwrap_or_default()
                };
                // p × value / target against p × cap / 100, decided on value × 100 against
                // cap × target, which is exact however far past the target the value is.
                let past = compare_products(value, Decimal::ONE_HUNDRED, self.cap, target);
                self.proportion(p, value, target, ceiling, past, (lang, figures), explain, detail)
            }
            Direction::Lower => {
                if target < Decimal::ZERO {
                    let t = env.show(&self.target, target);
                    return Err(tr!(
                        lang,
                        "ratio 的目标值应 ≥ 0，实际为 {t}（来自 `{}`）",
                        "ratio target must be ≥ 0, found {t} (from `{}`)",
                        self.target.expr.source()
                    ));
                }
                if value <= Decimal::ZERO {
                    let cap = display(self.cap);
                    return Ok(RawScore {
                        raw: ceiling,
                        rule: Rule::ValueAtMostZero,
                        detail: explain
                            .map(|lang| {
                                tr!(
                                    lang,
                                    "实际值 {v} ≤ 0，越低越好 → {cap}%",
                                    "actual {v} ≤ 0, lower is better → {cap}%"
                                )
                            })
                            .unwrap_or_default(),
                    });
                }
                if target.is_zero() {
                    return Ok(RawScore {
                        raw: Decimal::ZERO,
                        rule: Rule::ZeroTolerance,
                        detail: explain
                            .map(|lang| {
                                tr!(
                                    lang,
                                    "目标 0（零容忍），实际值 {v} > 0 → 0",
                                    "target 0 (zero tolerance), actual {v} > 0 → 0"
                                )
                            })
                            .unwrap_or_default(),
                    });
                }
                let detail = |share: &dyn Fn() -> String| {
                    explain
                        .map(|lang| tr!(lang, "目标 {t} / 实际值 {v} → {}", "target {t} / actual {v} → {}", share()))
                        .unwrap_or_default()
                };
                // p × target / value against p × cap / 100: target × 100 against cap × value.
                let past = compare_products(target, Decimal::ONE_HUNDRED, self.cap, value);
                self.proportion(p, target, value, ceiling, past, (lang, figures), explain, detail)
            }
        }
    }

    /// p × part / whole, capped at `ceiling` (p × cap / 100) when `past` says it is above it.
    /// A capped result needs no quotient, so it is found however large the quotient would be;
    /// below the cap the quotient is computed, and is an error when it cannot be held exactly.
    #[allow(clippy::too_many_arguments)]
    fn proportion(
        &self,
        p: Decimal,
        part: Decimal,
        whole: Decimal,
        ceiling: Decimal,
        past: Ordering,
        (lang, figures): (Lang, Figures),
        explain: Option<Lang>,
        detail: impl Fn(&dyn Fn() -> String) -> String,
    ) -> Result<RawScore, String> {
        if past == Ordering::Greater {
            let cap = display(self.cap);
            // The share may be too large to show; the cap it passed is not.
            let share = || percent_shown_if_it_fits(part, whole, figures).unwrap_or_else(|| format!("> {cap}%"));
            let detail = detail(&share);
            return Ok(RawScore {
                raw: ceiling,
                rule: Rule::Capped { cap: self.cap },
                detail: explain
                    .map(|lang| tr!(lang, "{detail}，封顶 {cap}%", "{detail}, capped at {cap}%"))
                    .unwrap_or_default(),
            });
        }
        let raw = match mul_div(p, part, whole, lang) {
            Ok(raw) => raw,
            // Exactly at the cap: the cap.
            Err(_) if past == Ordering::Equal => ceiling,
            // Below 0 (a negative value): what the engine's clamp makes of it.
            Err(_) if part < Decimal::ZERO => Decimal::ZERO,
            Err(e) => return Err(e),
        };
        Ok(RawScore { raw, rule: Rule::Proportion, detail: detail(&|| percent_shown(part, whole, figures)) })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_env::{Script, d, param};
    use super::*;

    fn ratio(direction: Direction, cap: &str) -> Ratio {
        Ratio { value: param("v"), target: param("t"), direction, cap: d(cap) }
    }

    fn run(m: &Ratio, p: &str, v: &str, t: &str) -> Result<Decimal, String> {
        let mut env = Script::default();
        env.numbers.insert("v".into(), d(v));
        env.numbers.insert("t".into(), d(t));
        m.score(d(p), &mut env).map(|o| o.raw)
    }

    #[test]
    fn higher_multiplies_first() {
        let m = ratio(Direction::Higher, "100");
        // 30 × 7 / 48 = 210 / 48 = 4.375 exactly.
        assert_eq!(run(&m, "30", "7", "48").unwrap(), d("4.375"));
        assert_eq!(run(&m, "10", "76", "100").unwrap(), d("7.6"));
        assert_eq!(run(&m, "10", "100", "100").unwrap(), d("10"));
    }

    #[test]
    fn higher_is_capped() {
        assert_eq!(run(&ratio(Direction::Higher, "100"), "10", "102.59", "100").unwrap(), d("10"));
        assert_eq!(run(&ratio(Direction::Higher, "80"), "10", "95", "100").unwrap(), d("8"));
        assert_eq!(run(&ratio(Direction::Higher, "80"), "10", "70", "100").unwrap(), d("7"));
    }

    #[test]
    fn higher_rejects_zero_or_negative_target() {
        let m = ratio(Direction::Higher, "100");
        assert!(run(&m, "10", "5", "0").unwrap_err().contains("> 0"));
        assert!(run(&m, "10", "5", "-1").is_err());
    }

    #[test]
    fn higher_negative_value_goes_below_zero_for_the_engine_to_clamp() {
        assert_eq!(run(&ratio(Direction::Higher, "100"), "10", "-5", "100").unwrap(), d("-0.5"));
    }

    #[test]
    fn lower_is_better() {
        let m = ratio(Direction::Lower, "100");
        // Target 90, actual 100: 10 × 90 / 100 = 9.
        assert_eq!(run(&m, "10", "100", "90").unwrap(), d("9"));
        assert_eq!(run(&m, "10", "80", "90").unwrap(), d("10"));
        assert_eq!(run(&m, "10", "0", "90").unwrap(), d("10"));
        assert_eq!(run(&m, "10", "-3", "90").unwrap(), d("10"));
        assert_eq!(run(&ratio(Direction::Lower, "50"), "10", "0", "90").unwrap(), d("5"));
    }

    #[test]
    fn lower_zero_target_is_zero_tolerance() {
        let m = ratio(Direction::Lower, "100");
        assert_eq!(run(&m, "10", "0", "0").unwrap(), d("10"));
        assert_eq!(run(&m, "10", "0.01", "0").unwrap(), d("0"));
        assert!(run(&m, "10", "1", "-1").is_err());
    }

    /// (raw, rule) of a leaf worth `p`.
    fn outcome(m: &Ratio, p: &str, v: &str, t: &str) -> Result<(Decimal, String), String> {
        let mut env = Script::default();
        env.numbers.insert("v".into(), d(v));
        env.numbers.insert("t".into(), d(t));
        m.score(d(p), &mut env).map(|o| (o.raw, o.rule.to_string()))
    }

    #[test]
    fn item13_far_past_the_target_is_the_cap_not_an_overflow() {
        // The figures: 10 × 7.9·10²⁷ / 10⁻²⁸ does not fit a decimal; it is capped.
        let (huge, tiny) = ("7900000000000000000000000000", "0.0000000000000000000000000001");
        let m = ratio(Direction::Higher, "100");
        assert_eq!(outcome(&m, "10", huge, tiny).unwrap(), (d("10"), "cap 100%".into()));
        assert_eq!(outcome(&ratio(Direction::Higher, "80"), "10", huge, tiny).unwrap(), (d("8"), "cap 80%".into()));
        // Lower is better, the other way round: target far above the value.
        let lower = ratio(Direction::Lower, "100");
        assert_eq!(outcome(&lower, "10", tiny, huge).unwrap(), (d("10"), "cap 100%".into()));
        assert_eq!(outcome(&ratio(Direction::Lower, "0"), "10", tiny, huge).unwrap(), (d("0"), "cap 0%".into()));
        // A negative value that far below: the engine's 0.
        assert_eq!(outcome(&m, "10", &format!("-{huge}"), tiny).unwrap().0, d("0"));
    }

    #[test]
    fn item13_at_just_past_and_just_below_the_cap_with_products_too_large() {
        // p = 10¹² (the largest points) and value ≈ 10¹⁷: p × value is past a decimal.
        let p = "1000000000000";
        let higher = ratio(Direction::Higher, "80");
        // Exactly at the cap: 10¹⁷ / 1.25·10¹⁷ = 80 % → 8·10¹¹, by the ratio rule.
        assert_eq!(
            outcome(&higher, p, "100000000000000000", "125000000000000000").unwrap(),
            (d("800000000000"), "ratio".into())
        );
        // Just past: capped.
        assert_eq!(
            outcome(&higher, p, "100000000000000001", "125000000000000000").unwrap(),
            (d("800000000000"), "cap 80%".into())
        );
        // Just below: exact when dividing first is exact (0.799999999999999992 × 10¹²) …
        assert_eq!(
            outcome(&higher, p, "99999999999999999", "125000000000000000").unwrap(),
            (d("799999999999.999992"), "ratio".into())
        );
        // … and an error, never an approximation, when it is not (÷ 7·10¹⁷ does not end).
        let e = outcome(&higher, p, "99999999999999999", "700000000000000000").unwrap_err();
        assert!(e.contains("overflow"), "{e}");
        // Lower is better: target / value against the cap the same way.
        let lower = ratio(Direction::Lower, "80");
        assert_eq!(
            outcome(&lower, p, "125000000000000000", "100000000000000000").unwrap(),
            (d("800000000000"), "ratio".into())
        );
        assert_eq!(
            outcome(&lower, p, "124999999999999999", "100000000000000000").unwrap(),
            (d("800000000000"), "cap 80%".into())
        );
        assert!(outcome(&lower, p, "700000000000000000", "100000000000000000").unwrap_err().contains("overflow"));
    }
}
