//! The rule of SPEC §4.1 and §4.3 that makes a branch's score from its children's: the sum,
//! rescaled when the counted children's points differ from the branch's, and the bonus beside
//! it. The engine sums computed scores with it, `check` declared ones (表内不平衡).

use super::broken_invariant;
use crate::lang::Lang;
use crate::method::mul_div;
use crate::tr;
use rust_decimal::Decimal;

/// R, the sum S before rescaling when it was rescaled, and B of SPEC §4.1 and §4.3, for
/// children given as (points, score — `None` when dropped —, bonus); `None` when every
/// non-bonus child is dropped. `round`: the mode and precision a rescaled R is rounded to (`None` at the root). `check` applies it to declared
/// scores too (表内不平衡), so both read the rules from here.
pub(crate) fn rescaled_sum(
    points: Decimal,
    children: &[(Decimal, Option<Decimal>, bool)],
    round: Option<(crate::number::RoundingMode, u32)>,
    lang: Lang,
) -> Result<Option<(Decimal, Option<Decimal>, Decimal)>, String> {
    let counted: Vec<(Decimal, Decimal)> =
        children.iter().filter(|(_, _, bonus)| !bonus).filter_map(|(p, s, _)| s.map(|s| (*p, s))).collect();
    if counted.is_empty() {
        return Ok(None);
    }
    let w: Decimal = counted.iter().map(|(p, _)| *p).sum();
    let s: Decimal = counted.iter().map(|(_, s)| *s).sum();
    let b: Decimal = children.iter().filter(|(_, _, bonus)| *bonus).filter_map(|(_, s, _)| *s).sum();
    let (r, rescaled_from) = if w == points {
        (s, None)
    } else if w.is_zero() {
        (Decimal::ZERO, Some(s))
    } else {
        // S × P can exceed a decimal only in trees far beyond real rubrics (points are at most
        // rubric::MAX_POINTS, nodes at most yaml::MAX_NODES); dividing first then keeps a value
        // 28 digits exact. Neither fails while S ≤ W: S ÷ W ≤ 1 and the product ≤ P.
        let exact = mul_div(s, points, w, lang)
            .or_else(|e| s.checked_div(w).and_then(|q| q.checked_mul(points)).ok_or(e))
            .map_err(|e| broken_invariant(tr!(lang, "重新折算时{e}", "rescaling: {e}"), lang))?;
        let r = match round {
            Some((mode, dp)) => mode.round(exact, dp),
            None => exact,
        };
        (r, Some(s))
    };
    Ok(Some((r, rescaled_from, b)))
}
