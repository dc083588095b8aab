//! `ratio`: points in proportion to value against target (SPEC §3).

use super::Param;
use super::params::ParseCx;
use super::{LeafEnv, Outcome, mul_div, percent_text, say};
use crate::expr::Type;
use crate::number::display;
use crate::tr;
use crate::yaml::MapReader;
use rust_decimal::Decimal;

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

    pub fn score(&self, p: Decimal, env: &mut dyn LeafEnv) -> Result<Outcome, String> {
        let value = env.number(&self.value)?;
        let target = env.number(&self.target)?;
        let ceiling = mul_div(p, self.cap, Decimal::ONE_HUNDRED)?;
        let (v, t) = (display(value), display(target));
        let lang = env.lang();
        let capped = |raw: Decimal, detail: String| {
            if raw > ceiling {
                Outcome {
                    raw: ceiling,
                    rule: format!("cap {}%", display(self.cap)),
                    detail: say(
                        lang,
                        || format!("{detail}，封顶 {}%", display(self.cap)),
                        || format!("{detail}, capped at {}%", display(self.cap)),
                    ),
                }
            } else {
                Outcome { raw, rule: "ratio".into(), detail }
            }
        };
        match self.direction {
            Direction::Higher => {
                if target <= Decimal::ZERO {
                    return Err(tr!(
                        "ratio 的目标值应 > 0，实际为 {t}（来自 `{}`）",
                        "ratio target must be > 0, found {t} (from `{}`)",
                        self.target.expr.source()
                    ));
                }
                let raw = mul_div(p, value, target)?;
                let pc = || percent_text(value, target);
                Ok(capped(
                    raw,
                    say(
                        lang,
                        || format!("完成值 {v} / 目标 {t} → {}", pc()),
                        || format!("actual {v} / target {t} → {}", pc()),
                    ),
                ))
            }
            Direction::Lower => {
                if target < Decimal::ZERO {
                    return Err(tr!(
                        "ratio 的目标值应 ≥ 0，实际为 {t}（来自 `{}`）",
                        "ratio target must be ≥ 0, found {t} (from `{}`)",
                        self.target.expr.source()
                    ));
                }
                if value <= Decimal::ZERO {
                    return Ok(Outcome {
                        raw: ceiling,
                        rule: "value ≤ 0".into(),
                        detail: say(
                            lang,
                            || format!("实际值 {v} ≤ 0，越低越好 → {}%", display(self.cap)),
                            || format!("actual {v} ≤ 0, lower is better → {}%", display(self.cap)),
                        ),
                    });
                }
                if target.is_zero() {
                    return Ok(Outcome {
                        raw: Decimal::ZERO,
                        rule: "zero tolerance".into(),
                        detail: say(
                            lang,
                            || format!("目标 0（零容忍），实际值 {v} > 0 → 0"),
                            || format!("target 0 (zero tolerance), actual {v} > 0 → 0"),
                        ),
                    });
                }
                let raw = mul_div(p, target, value)?;
                let pc = || percent_text(target, value);
                Ok(capped(
                    raw,
                    say(
                        lang,
                        || format!("目标 {t} / 实际值 {v} → {}", pc()),
                        || format!("target {t} / actual {v} → {}", pc()),
                    ),
                ))
            }
        }
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
}
