//! `linear`: interpolate between the value that earns nothing and the one that earns p.

use super::Param;
use super::params::ParseCx;
use super::{LeafEnv, RawScore, Rule, mul_div};
use crate::expr::Type;
use crate::number::display;
use crate::tr;
use crate::yaml::MapReader;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub struct Linear {
    pub value: Param,
    /// The value that earns p.
    pub full: Decimal,
    /// The value that earns 0. `full < zero` means lower is better.
    pub zero: Decimal,
}

impl Linear {
    pub(crate) fn parse(map: &mut MapReader, cx: &mut ParseCx) -> Option<Self> {
        let lang = cx.lang;
        let value = cx.expr(map, "value", Type::Number);
        let full = cx.required_literal(map, "full");
        let zero = cx.required_literal(map, "zero");
        let (full, zero) = (full?, zero?);
        if full == zero {
            let both = display(full);
            cx.error(
                map.pos(),
                tr!(
                    lang,
                    "linear：`full` 和 `zero` 都是 {both}；两者必须不同",
                    "linear: `full` and `zero` are both {both}; they must differ"
                ),
            );
            return None;
        }
        Some(Linear { value: value?, full, zero })
    }

    pub fn score(&self, p: Decimal, env: &mut dyn LeafEnv) -> Result<RawScore, String> {
        let lang = env.lang();
        let value = env.number(&self.value)?;
        let span = self
            .full
            .checked_sub(self.zero)
            .ok_or_else(|| tr!(lang, "计算 full − zero 时溢出", "overflow in full − zero"))?;
        // The engine clamps the result to [0, p]: where the value lies at or beyond `full`, or
        // on the far side of `zero`, the answer is p or 0 without the product, which may not
        // fit a decimal (a value far past its bounds).
        let beyond = |e: String| {
            let (rises, toward_full) = (span > Decimal::ZERO, value > self.zero);
            if rises != toward_full {
                Ok(Decimal::ZERO)
            } else if value.checked_sub(self.full).is_none_or(|past| (past > Decimal::ZERO) == rises || past.is_zero())
            {
                Ok(p)
            } else {
                Err(e)
            }
        };
        let raw = match value.checked_sub(self.zero) {
            Some(offset) => match mul_div(p, offset, span, lang) {
                Ok(raw) => raw,
                Err(e) => beyond(e)?,
            },
            None => beyond(tr!(lang, "计算 value − zero 时溢出", "overflow in value − zero"))?,
        };
        Ok(RawScore {
            raw,
            rule: Rule::Linear,
            detail: {
                let (v, z, f) = (env.show(&self.value, value), display(self.zero), display(self.full));
                env.explain()
                    .map(|lang| {
                        tr!(
                            lang,
                            "实际值 {v}，{z} 得 0 分、{f} 得满分，线性插值",
                            "actual {v}; {z} earns 0, {f} full marks, linear between"
                        )
                    })
                    .unwrap_or_default()
            },
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_env::{Script, d, param};
    use super::*;

    fn run(full: &str, zero: &str, p: &str, v: &str) -> Decimal {
        let m = Linear { value: param("v"), full: d(full), zero: d(zero) };
        let mut env = Script::default();
        env.numbers.insert("v".into(), d(v));
        m.score(d(p), &mut env).unwrap().raw
    }

    #[test]
    fn higher_is_better() {
        // 10 × (85 − 60) / (100 − 60) = 250 / 40 = 6.25.
        assert_eq!(run("100", "60", "10", "85"), d("6.25"));
        assert_eq!(run("100", "60", "10", "60"), d("0"));
        assert_eq!(run("100", "60", "10", "100"), d("10"));
        // Outside the range the raw value leaves [0, p]; the engine clamps.
        assert_eq!(run("100", "60", "10", "110"), d("12.5"));
        assert_eq!(run("100", "60", "10", "50"), d("-2.5"));
    }

    #[test]
    fn lower_is_better() {
        // full 0, zero 10: value 4 → 5 × (4 − 10) / (0 − 10) = 3.
        assert_eq!(run("0", "10", "5", "4"), d("3"));
        assert_eq!(run("0", "10", "5", "0"), d("5"));
        assert_eq!(run("0", "10", "5", "10"), d("0"));
    }

    #[test]
    fn thirds_keep_28_places() {
        assert_eq!(run("3", "0", "1", "1"), d("0.3333333333333333333333333333"));
    }

    /// The score as the engine clamps it to [0, p].
    fn try_run(full: &str, zero: &str, p: &str, v: &str) -> Result<Decimal, String> {
        let m = Linear { value: param("v"), full: d(full), zero: d(zero) };
        let mut env = Script::default();
        env.numbers.insert("v".into(), d(v));
        m.score(d(p), &mut env).map(|o| o.raw.max(Decimal::ZERO).min(d(p)))
    }

    #[test]
    fn item13_far_beyond_the_bounds_is_p_or_0_not_an_overflow() {
        let (max, huge) = ("79228162514264337593543950335", "70000000000000000000000000000");
        // p × (value − zero) does not fit (and dividing first is exact here, or not); the
        // clamped answer is p beyond `full`, 0 beyond `zero`.
        assert_eq!(try_run("100", "60", "10", huge).unwrap(), d("10"));
        assert_eq!(try_run("100", "60", "10", &format!("-{huge}")).unwrap(), d("0"));
        // value − zero itself does not fit.
        assert_eq!(try_run("100", "-60", "10", max).unwrap(), d("10"));
        assert_eq!(try_run("-100", "60", "10", &format!("-{max}")).unwrap(), d("10"));
        assert_eq!(try_run("100", "60", "10", &format!("-{max}")).unwrap(), d("0"));
        // Lower is better (full < zero): the other way round.
        assert_eq!(try_run("0", "10", "5", &format!("-{huge}")).unwrap(), d("5"));
        assert_eq!(try_run("0", "10", "5", huge).unwrap(), d("0"));
        // Exactly at full with a product too large: p.
        assert_eq!(try_run(huge, "0", "10", huge).unwrap(), d("10"));
        // Between the bounds, 10 × 3·10²⁸ / 7·10²⁸ does not end when divided first: an error.
        let e = try_run(huge, "0", "10", "30000000000000000000000000000").unwrap_err();
        assert!(e.contains("overflow"), "{e}");
        // Between the bounds and exact when divided first: 10 × 3.5·10²⁸ / 7·10²⁸ = 5.
        assert_eq!(try_run(huge, "0", "10", "35000000000000000000000000000").unwrap(), d("5"));
    }
}
