//! `deduct`: start from p and take off `per` for each occurrence, at most `max` (扣完为止).

use super::Param;
use super::params::ParseCx;
use super::{LeafEnv, RawScore, Rule};
use crate::expr::Type;
use crate::lang::Lang;
use crate::number::display;
use crate::tr;
use crate::yaml::MapReader;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub struct Deduct {
    pub count: Param,
    pub per: Decimal,
    /// The most that may be deducted; p when not given.
    pub max: Option<Decimal>,
    /// What `count` counts (`个百分点`, `项`), as people read it; else the counted field's
    /// unit, else 次.
    pub unit: Option<String>,
}

impl Deduct {
    pub(crate) fn parse(map: &mut MapReader, cx: &mut ParseCx) -> Option<Self> {
        let count = cx.expr(map, "count", Type::Number);
        let per = cx.required_non_negative(map, "per");
        let max = cx.optional_non_negative(map, "max");
        let unit = map.get("unit").and_then(|n| cx.reader().text(n, "`unit`", cx.diags));
        Some(Deduct { count: count?, per: per?, max, unit })
    }

    pub fn score(&self, p: Decimal, env: &mut dyn LeafEnv) -> Result<RawScore, String> {
        let lang = env.lang();
        let count = env.number(&self.count)?;
        if count < Decimal::ZERO {
            return Err(tr!(
                lang,
                "扣分次数应 ≥ 0，实际为 {}（来自 `{}`）",
                "deduct count must be ≥ 0, found {} (from `{}`)",
                display(count),
                self.count.expr.source()
            ));
        }
        let limit = self.max.unwrap_or(p);
        // per ≥ 0 and count ≥ 0: a product too large for a decimal is past any limit (points
        // values are at most MAX_POINTS), so the limit is taken.
        let wanted = self.per.checked_mul(count);
        let taken = wanted.map_or(limit, |w| w.min(limit));
        let raw = (p - taken).max(Decimal::ZERO);
        let Some(lang) = env.explain() else {
            return Ok(RawScore { raw, rule: Rule::Deducted { count, per: self.per }, detail: String::new() });
        };
        let (c, per, l, t) =
            (env.show(&self.count, count), display(self.per), display(limit), env.show_computed(taken));
        // "3 个百分点 × 每个百分点扣 0.5"; in English the unit follows the count only when the
        // rubric names one.
        let unit = self.unit.clone().or_else(|| env.unit(&self.count));
        let (each, u) = match (&unit, lang) {
            (Some(u), _) => (u.clone(), format!(" {u}")),
            (None, Lang::Zh) => ("次".to_owned(), " 次".to_owned()),
            (None, Lang::En) => (String::new(), String::new()),
        };
        let detail = match wanted.map(|w| (w > limit, env.show_computed(w))) {
            Some((true, w)) => tr!(
                lang,
                "{c}{u} × 每{each}扣 {per} = 扣 {w}，最多扣 {l} → 扣 {t}",
                "{c}{u} × {per} off = {w}, at most {l} → {t} off"
            ),
            Some((false, w)) => tr!(lang, "{c}{u} × 每{each}扣 {per} = 扣 {w}", "{c}{u} × {per} off = {w} off"),
            None => tr!(
                lang,
                "{c}{u} × 每{each}扣 {per}，远超最多扣的 {l} → 扣 {t}",
                "{c}{u} × {per} off, far beyond the most of {l} → {t} off"
            ),
        };
        Ok(RawScore { raw, rule: Rule::Deducted { count, per: self.per }, detail })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_env::{Script, d, param};
    use super::*;

    fn run(per: &str, max: Option<&str>, p: &str, count: &str) -> Result<Decimal, String> {
        let m = Deduct { count: param("c"), per: d(per), max: max.map(d), unit: None };
        let mut env = Script::default();
        env.numbers.insert("c".into(), d(count));
        m.score(d(p), &mut env).map(|o| o.raw)
    }

    #[test]
    fn deducts_per_occurrence_to_a_floor() {
        assert_eq!(run("1", None, "3", "0").unwrap(), d("3"));
        assert_eq!(run("1", None, "3", "2").unwrap(), d("1"));
        assert_eq!(run("1", None, "3", "5").unwrap(), d("0"));
        // 在职人员控制率: −0.5 per point over; 4.9 points over → 8 − 2.45 = 5.55.
        assert_eq!(run("0.5", None, "8", "4.9").unwrap(), d("5.55"));
    }

    #[test]
    fn max_limits_the_deduction() {
        assert_eq!(run("1", Some("2"), "5", "10").unwrap(), d("3"));
        assert_eq!(run("1", Some("2"), "5", "1").unwrap(), d("4"));
        // A max above p still floors at 0.
        assert_eq!(run("1", Some("9"), "5", "7").unwrap(), d("0"));
    }

    #[test]
    fn negative_count_is_an_error() {
        assert!(run("1", None, "3", "-1").unwrap_err().contains("≥ 0"));
    }

    #[test]
    fn item13_a_count_too_large_to_multiply_takes_the_most() {
        let huge = "79000000000000000000000000000";
        // per × count does not fit a decimal: the most that may be deducted is taken.
        assert_eq!(run("2", None, "10", huge).unwrap(), d("0"));
        assert_eq!(run("2", Some("4"), "10", huge).unwrap(), d("6"));
        // No deduction per occurrence: nothing, however many.
        assert_eq!(run("0", Some("4"), "10", huge).unwrap(), d("10"));
    }
}
