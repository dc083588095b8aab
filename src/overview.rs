//! What a bureau's overview of a batch says beyond the ranking (`score DIR --format
//! html|xlsx`): per rubric group, the indicators that lose most points *on average per unit*
//! and the share of units losing there, and the over-claims (a declared total above the
//! computed one, beyond `check`'s tolerance). Read off a [`Tally`]: its rows and its running
//! sums per group, nothing more per file.

use crate::ranking::{Group, NodeLoss, Row, Tally};
use rust_decimal::Decimal;

/// Over-claims are found at `check`'s default tolerance: any declared total above the
/// computed one.
pub const TOLERANCE: Decimal = Decimal::ZERO;

/// An indicator where a group's units lost points.
#[derive(Debug, Clone, PartialEq)]
pub struct Loss<'a> {
    pub node: &'a NodeLoss,
    /// Its points in the group's rubric; `None` for the rows of indicator tables, whose
    /// points come from each data file.
    pub points: Option<Decimal>,
    /// Points lost there per unit of the group (units that lost none included).
    pub per_unit: Decimal,
    /// The share (0–1) of the group's units that lost points there.
    pub share: Decimal,
}

/// The indicators where `group`'s units lost points, most lost per unit first (ties: in the
/// order first met, so every thread count gives the same list).
pub fn losses(group: &Group) -> Vec<Loss<'_>> {
    let units = Decimal::from(group.units);
    let mut out: Vec<Loss> = group
        .losses
        .iter()
        .map(|node| Loss {
            node,
            points: group.rubric.node(&node.id).map(|n| n.points),
            per_unit: node.lost.checked_div(units).unwrap_or_default(),
            share: Decimal::from(node.units).checked_div(units).unwrap_or_default(),
        })
        .collect();
    out.sort_by_key(|l| std::cmp::Reverse(l.node.lost));
    out
}

/// Declared minus computed, when the unit declared a total.
pub fn excess(row: &Row) -> Option<Decimal> {
    row.declared_total.map(|d| d - row.total)
}

/// The rows of group `group` whose declared total exceeds the computed one by more than
/// `tolerance`, largest excess first (ties in input order).
pub fn over_claims(tally: &Tally, group: usize, tolerance: Decimal) -> Vec<&Row> {
    let mut out: Vec<&Row> =
        tally.rows_of(group).into_iter().filter(|r| excess(r).is_some_and(|x| x > tolerance)).collect();
    out.sort_by_key(|r| std::cmp::Reverse(excess(r)));
    out
}
