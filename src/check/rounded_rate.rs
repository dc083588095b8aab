//! Rates rounded before use (SPEC §6.2): tables often print "执行率 50%" for 49.88 % and score
//! from the rounded rate. When a leaf's declared score would follow from its rate rounded to a
//! whole number, `check` says so under the claim, and docs/rubrics.md says how to write that.

use crate::engine::{NodeResult, Rate};
use crate::lang::Lang;
use crate::number::{RoundingMode, display};
use crate::tr;
use rust_decimal::Decimal;

/// The line that names the possibility, when rounding the leaf's rate explains `declared`
/// within `tolerance`: the value rounded to a whole number (a ratio leaf's rate), else the
/// share of the target as a whole percent (a row's 完成率).
pub(super) fn hint(
    n: &NodeResult,
    declared: Decimal,
    tolerance: Decimal,
    (mode, places): (RoundingMode, u32),
    lang: Lang,
) -> Option<String> {
    let rate = n.leaf.as_ref()?.rate?;
    let p = n.points;
    let scored = |share_of_p: Option<Decimal>| -> Option<Decimal> {
        let ceiling = crate::method::exact_mul_div(p, rate.cap, Decimal::ONE_HUNDRED)?;
        Some(mode.round(share_of_p?.max(Decimal::ZERO).min(ceiling), places))
    };
    let agrees = |score: Decimal| (score - declared).abs() <= tolerance;
    let rounded_value = mode.round(rate.value, 0);
    let by_value = if rate.lower {
        scored(crate::method::exact_mul_div(p, rate.target, rounded_value))
    } else {
        scored(crate::method::exact_mul_div(p, rounded_value, rate.target))
    };
    if rounded_value != rate.value
        && let Some(score) = by_value.filter(|s| agrees(*s))
    {
        return Some(tr!(
            lang,
            "若先把 {} 四舍五入为 {}（派生值中写 round(rate, 0)，见 docs/rubrics.md），得分为 {}，与申报一致",
            "{} rounded to {} first gives {}, the declared score (write round(rate, 0) in a derived value; see docs/rubrics.md)",
            display(mode.round(rate.value, 2)),
            display(rounded_value),
            display(score)
        ));
    }
    let percent = share_percent(rate)?;
    let rounded = mode.round(percent, 0);
    let score = scored(crate::method::exact_mul_div(p, rounded, Decimal::ONE_HUNDRED))?;
    (rounded != percent && agrees(score)).then(|| {
        tr!(
            lang,
            "若先把完成率 {}% 四舍五入为 {}%（派生值中写 round(rate, 0)，见 docs/rubrics.md），得分为 {}，与申报一致",
            "with the rate {}% rounded to {}% first, the score is {}, the declared one (write round(rate, 0) in a derived value; see docs/rubrics.md)",
            display(mode.round(percent, 2)),
            display(rounded),
            display(score)
        )
    })
}

/// value × 100 / target (target × 100 / value when lower is better).
fn share_percent(rate: Rate) -> Option<Decimal> {
    if rate.lower {
        crate::method::exact_mul_div(rate.target, Decimal::ONE_HUNDRED, rate.value)
    } else {
        crate::method::exact_mul_div(rate.value, Decimal::ONE_HUNDRED, rate.target)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::{LeafResult, Status};
    use crate::method::{MethodKind, Rule};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn leaf(points: &str, rate: Rate) -> NodeResult {
        NodeResult {
            id: "x".into(),
            title: "x".into(),
            points: d(points),
            score: None,
            status: Status::Scored,
            bonus: false,
            reason: None,
            standard: None,
            rescaled_from: None,
            weight: None,
            leaf: Some(LeafResult {
                method: MethodKind::Ratio,
                inputs: vec![],
                shown: vec![],
                rule: Rule::Proportion,
                detail: String::new(),
                rate: Some(rate),
            }),
            children: vec![],
        }
    }

    #[test]
    fn a_rate_rounded_before_use_is_named() {
        // The case: 154.74 ÷ 310.2 = 49.8839…%, printed 50 %, scored 5 of 10.
        let rate = Rate { value: d("154.74") * d("100") / d("310.2"), target: d("100"), lower: false, cap: d("100") };
        let n = leaf("10", rate);
        let hint = hint(&n, d("5"), Decimal::ZERO, (RoundingMode::HalfUp, 2), Lang::En).unwrap();
        assert!(hint.contains("49.88 rounded to 50 first gives 5") && hint.contains("round(rate, 0)"), "{hint}");
        // The rule's own 4.99 is no hint; nor is a declared score rounding cannot reach.
        assert_eq!(super::hint(&n, d("4.99"), Decimal::ZERO, (RoundingMode::HalfUp, 2), Lang::En), None);
        assert_eq!(super::hint(&n, d("6"), Decimal::ZERO, (RoundingMode::HalfUp, 2), Lang::En), None);
        // A row: 37.24 of 43.2 万元 is 86.2 %, rounded 86 % → 8.6 (a declared 9 is not explained).
        let row = leaf("10", Rate { value: d("37.24"), target: d("43.2"), lower: false, cap: d("100") });
        let hint = super::hint(&row, d("8.6"), Decimal::ZERO, (RoundingMode::HalfUp, 2), Lang::En).unwrap();
        assert!(hint.contains("86.2% rounded to 86%"), "{hint}");
        assert_eq!(super::hint(&row, d("9"), Decimal::ZERO, (RoundingMode::HalfUp, 2), Lang::En), None);
    }
}
