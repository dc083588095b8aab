//! A bureau's overview of a batch (`score DIR --format html|xlsx`): per rubric group, the
//! grade distribution, the ranking, the indicators that lose most points on average per unit,
//! and the over-claims. Filled one evaluation at a time, in input order, keeping one small row
//! per unit and running sums per indicator — never the evaluations themselves.

use crate::engine::Evaluation;
use crate::rubric::Rubric;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// How many failed files the overview names; the rest are counted.
pub const FAILED_LISTED: usize = 200;

/// One unit in a group's ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub file: String,
    pub subject: String,
    pub period: Option<String>,
    pub total: Decimal,
    pub grade: Option<String>,
    /// The data file's `declared: { total: … }`.
    pub declared: Option<Decimal>,
}

impl Unit {
    /// Declared minus computed, when the unit declared a total.
    pub fn claimed_excess(&self) -> Option<Decimal> {
        self.declared.map(|d| d - self.total)
    }
}

/// An indicator (a leaf, bonus leaves aside) and what the group's units lost there.
#[derive(Debug, Clone, PartialEq)]
pub struct Loss {
    pub id: String,
    pub title: String,
    pub points: Decimal,
    /// Points lost there by all units together.
    pub lost: Decimal,
    /// Units that lost points there.
    pub units: usize,
}

/// The units scored with one rubric text (id + fingerprint).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub rubric_id: String,
    pub title: String,
    pub fingerprint: String,
    pub max: Decimal,
    /// The grade labels in the rubric's order.
    pub grade_labels: Vec<String>,
    /// In input order.
    pub units: Vec<Unit>,
    losses: Vec<Loss>,
    loss_index: HashMap<String, usize>,
}

impl Group {
    /// Units per grade, in the grade table's order; units without a grade last as "".
    pub fn grade_counts(&self) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = self.grade_labels.iter().map(|g| (g.clone(), 0)).collect();
        let mut ungraded = 0;
        for u in &self.units {
            match u.grade.as_ref().and_then(|g| counts.iter_mut().find(|(l, _)| l == g)) {
                Some(entry) => entry.1 += 1,
                None => ungraded += 1,
            }
        }
        if ungraded > 0 {
            counts.push((String::new(), ungraded));
        }
        counts
    }

    /// Highest total first; equal totals share a rank (1, 2, 2, 4) and keep the input order.
    pub fn ranking(&self) -> Vec<(usize, &Unit)> {
        let mut order: Vec<&Unit> = self.units.iter().collect();
        order.sort_by_key(|u| std::cmp::Reverse(u.total));
        let mut out = Vec::with_capacity(order.len());
        let mut rank = 0;
        let mut last = None;
        for (i, u) in order.into_iter().enumerate() {
            if last != Some(u.total) {
                rank = i + 1;
                last = Some(u.total);
            }
            out.push((rank, u));
        }
        out
    }

    /// The indicators where points were lost, most lost per unit first (ties: rubric order).
    pub fn losses(&self) -> Vec<&Loss> {
        let mut out: Vec<&Loss> = self.losses.iter().collect();
        out.sort_by_key(|l| std::cmp::Reverse(l.lost));
        out
    }

    /// The mean of a sum over this group's units (exact to 28 digits; shown rounded).
    pub fn per_unit(&self, sum: Decimal) -> Decimal {
        sum.checked_div(Decimal::from(self.units.len())).unwrap_or_default()
    }

    pub fn mean(&self) -> Decimal {
        self.per_unit(self.units.iter().map(|u| u.total).sum())
    }

    pub fn median(&self) -> Decimal {
        let mut totals: Vec<Decimal> = self.units.iter().map(|u| u.total).collect();
        totals.sort();
        let mid = totals.len() / 2;
        match totals.len() {
            0 => Decimal::ZERO,
            n if n % 2 == 1 => totals[mid],
            _ => (totals[mid - 1] + totals[mid]) / Decimal::TWO,
        }
    }

    pub fn min(&self) -> Decimal {
        self.units.iter().map(|u| u.total).min().unwrap_or_default()
    }

    pub fn max_total(&self) -> Decimal {
        self.units.iter().map(|u| u.total).max().unwrap_or_default()
    }

    /// Units whose declared total exceeds the computed one by more than `tolerance` (as
    /// `check` finds them), largest excess first.
    pub fn over_claims(&self, tolerance: Decimal) -> Vec<&Unit> {
        let mut out: Vec<&Unit> =
            self.units.iter().filter(|u| u.claimed_excess().is_some_and(|x| x > tolerance)).collect();
        out.sort_by_key(|u| std::cmp::Reverse(u.claimed_excess()));
        out
    }
}

/// The whole overview, filled in input order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    pub groups: Vec<Group>,
    /// The first [`FAILED_LISTED`] files that could not be scored: file, first error line.
    pub failed: Vec<(String, String)>,
    pub failed_count: usize,
    /// Declared totals above computed by more than this are over-claims.
    pub tolerance: Decimal,
}

impl Overview {
    pub fn new(tolerance: Decimal) -> Overview {
        Overview { tolerance, ..Overview::default() }
    }

    pub fn scored(&self) -> usize {
        self.groups.iter().map(|g| g.units.len()).sum()
    }

    pub fn add(&mut self, rubric: &Rubric, e: &Evaluation) {
        let place = self
            .groups
            .iter()
            .position(|g| g.rubric_id == e.rubric.id && g.fingerprint == e.rubric.fingerprint)
            .unwrap_or_else(|| {
                self.groups.push(Group {
                    rubric_id: e.rubric.id.clone(),
                    title: e.rubric.title.clone(),
                    fingerprint: e.rubric.fingerprint.clone(),
                    max: e.max,
                    grade_labels: rubric.grades.iter().map(|g| g.label.clone()).collect(),
                    units: Vec::new(),
                    losses: Vec::new(),
                    loss_index: HashMap::new(),
                });
                self.groups.len() - 1
            });
        let group = &mut self.groups[place];
        group.units.push(Unit {
            file: e.file.clone(),
            subject: e.subject.clone(),
            period: e.period.clone(),
            total: e.total,
            grade: e.grade.clone(),
            declared: e.declared.iter().find(|(k, _)| k == "total").map(|(_, v)| *v),
        });
        for (_, n) in e.walk() {
            let Some(lost) = n.lost().filter(|l| *l > Decimal::ZERO) else { continue };
            if n.leaf.is_none() || n.bonus {
                continue;
            }
            let key = format!("{}\u{0}{}", n.id, n.title);
            let at = *group.loss_index.entry(key).or_insert_with(|| {
                group.losses.push(Loss {
                    id: n.id.clone(),
                    title: n.title.clone(),
                    points: n.points,
                    lost: Decimal::ZERO,
                    units: 0,
                });
                group.losses.len() - 1
            });
            let loss = &mut group.losses[at];
            loss.lost = loss.lost.saturating_add(lost);
            loss.units += 1;
        }
    }

    pub fn add_failed(&mut self, file: &str, error: &str) {
        self.failed_count += 1;
        if self.failed.len() < FAILED_LISTED {
            let first = error.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_owned();
            self.failed.push((file.to_owned(), first));
        }
    }
}
