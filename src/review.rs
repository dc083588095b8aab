//! 复核 of many units (`check DIR…`): each unit's [`check::Check`](crate::check::Check) — the
//! one-file check, so that whatever it finds reaches every multi-file format — reduced to one
//! outcome and the one line a bureau reads first, and the counts of a whole folder.

use crate::check::{Check, Claim, Verdict};
use rust_decimal::Decimal;

/// What a unit's 复核 comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Agrees,
    /// Declared more than computed (or a score for a node that scores none).
    OverClaim,
    UnderClaim,
    /// The declared scores agree with the computation, but some declared node is not what its
    /// declared parts give (表内不平衡, `check::Imbalance`).
    Imbalance,
    /// No `declared:` block: nothing to check.
    NoClaim,
    /// The file could not be scored.
    Failed,
}

impl Outcome {
    /// The name in csv and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Agrees => "agrees",
            Outcome::OverClaim => "over_claim",
            Outcome::UnderClaim => "under_claim",
            Outcome::Imbalance => "imbalance",
            Outcome::NoClaim => "no_claim",
            Outcome::Failed => "error",
        }
    }

    pub fn disagrees(self) -> bool {
        matches!(self, Outcome::OverClaim | Outcome::UnderClaim | Outcome::Imbalance)
    }
}

/// A unit's 复核 in one line: the claim that heads it and the first rule behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub file: String,
    pub subject: String,
    pub period: Option<String>,
    pub outcome: Outcome,
    /// The heading claim: the declared total when it disagrees, else the first claim that
    /// disagrees, else the declared total (if any).
    pub id: Option<String>,
    pub declared: Option<Decimal>,
    pub computed: Option<Decimal>,
    /// The first indicator that disagrees (below the total, when there is one) and the first
    /// line of its computation.
    pub rule: Option<String>,
}

impl Finding {
    pub fn difference(&self) -> Option<Decimal> {
        Some(self.declared? - self.computed?)
    }

    /// The finding of a unit checked with `check`.
    pub fn of(c: &Check) -> Finding {
        let disagrees = |x: &&Claim| x.verdict != Verdict::Agrees;
        let total = c.claims.iter().find(|x| x.id == "total");
        let first_below = c.claims.iter().filter(|x| x.id != "total").find(disagrees);
        let head = total.filter(disagrees).or(first_below).or(total);
        let outcome = match head.map(|h| h.verdict) {
            None => Outcome::NoClaim,
            Some(Verdict::Agrees) => Outcome::Agrees,
            Some(Verdict::UnderClaim) => Outcome::UnderClaim,
            Some(Verdict::OverClaim | Verdict::NotScored) => Outcome::OverClaim,
        };
        let rule = first_below.or(head.filter(disagrees)).map(|x| match x.evidence.first() {
            Some(line) => format!("{}: {line}", x.title),
            None => x.title.clone(),
        });
        if outcome == Outcome::Agrees
            && let Some(first) = c.imbalances.first()
        {
            return Finding {
                file: c.file.clone(),
                subject: c.subject.clone(),
                period: c.period.clone(),
                outcome: Outcome::Imbalance,
                id: Some(first.id.clone()),
                declared: Some(first.declared),
                computed: Some(first.from_parts),
                rule: Some(first.title.clone()),
            };
        }
        Finding {
            file: c.file.clone(),
            subject: c.subject.clone(),
            period: c.period.clone(),
            outcome,
            id: head.map(|h| h.id.clone()),
            declared: head.map(|h| h.declared),
            computed: head.and_then(|h| h.computed),
            rule: rule.filter(|_| outcome.disagrees()),
        }
    }

    /// A file that could not be scored.
    pub fn failed(file: &str) -> Finding {
        Finding {
            file: file.to_owned(),
            subject: String::new(),
            period: None,
            outcome: Outcome::Failed,
            id: None,
            declared: None,
            computed: None,
            rule: None,
        }
    }
}

/// How many units came to each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub checked: usize,
    pub agrees: usize,
    pub over_claim: usize,
    pub under_claim: usize,
    pub imbalance: usize,
    pub no_claim: usize,
    pub failed: usize,
}

impl Counts {
    pub fn add(&mut self, outcome: Outcome) {
        self.checked += 1;
        let slot = match outcome {
            Outcome::Agrees => &mut self.agrees,
            Outcome::OverClaim => &mut self.over_claim,
            Outcome::UnderClaim => &mut self.under_claim,
            Outcome::Imbalance => &mut self.imbalance,
            Outcome::NoClaim => &mut self.no_claim,
            Outcome::Failed => &mut self.failed,
        };
        *slot += 1;
    }

    /// Exit 1: any unit disagrees or could not be scored.
    pub fn passed(&self) -> bool {
        self.over_claim + self.under_claim + self.imbalance + self.failed == 0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn claim(id: &str, declared: i64, computed: i64, verdict: Verdict) -> Claim {
        Claim {
            id: id.into(),
            title: format!("T-{id}"),
            declared: declared.into(),
            computed: Some(computed.into()),
            verdict,
            evidence: vec![format!("why {id}")],
        }
    }

    fn check(claims: Vec<Claim>) -> Check {
        Check {
            file: "f.yaml".into(),
            subject: "S".into(),
            period: None,
            tolerance: Decimal::ZERO,
            claims,
            imbalances: Vec::new(),
        }
    }

    #[test]
    fn the_total_heads_the_line_and_the_first_indicator_below_it_is_the_rule() {
        let f = Finding::of(&check(vec![
            claim("a", 10, 10, Verdict::Agrees),
            claim("b", 8, 6, Verdict::OverClaim),
            claim("total", 95, 93, Verdict::OverClaim),
        ]));
        assert_eq!(f.outcome, Outcome::OverClaim);
        assert_eq!((f.declared, f.computed, f.difference()), (Some(95.into()), Some(93.into()), Some(2.into())));
        assert_eq!(f.rule.as_deref(), Some("T-b: why b"));
    }

    #[test]
    fn an_agreeing_total_does_not_hide_an_indicator_that_disagrees() {
        let f =
            Finding::of(&check(vec![claim("total", 90, 90, Verdict::Agrees), claim("b", 3, 5, Verdict::UnderClaim)]));
        assert_eq!((f.outcome, f.id.as_deref()), (Outcome::UnderClaim, Some("b")));
        let agrees = Finding::of(&check(vec![claim("total", 90, 90, Verdict::Agrees)]));
        assert_eq!((agrees.outcome, agrees.rule), (Outcome::Agrees, None));
        assert_eq!(Finding::of(&check(vec![])).outcome, Outcome::NoClaim);
    }

    /// A 表内不平衡 that `check` finds (declared parts that do not give the declared whole)
    /// reaches the folder's 复核 even when every claim agrees with the computation.
    #[test]
    fn an_imbalance_behind_agreeing_claims_is_its_own_outcome() {
        let mut c = check(vec![claim("total", 90, 90, Verdict::Agrees)]);
        c.imbalances.push(crate::check::Imbalance {
            id: "total".into(),
            title: "Total".into(),
            declared: 90.into(),
            from_parts: 88.into(),
            parts: Vec::new(),
        });
        let f = Finding::of(&c);
        assert_eq!((f.outcome, f.difference()), (Outcome::Imbalance, Some(2.into())));
        assert!(f.outcome.disagrees());
        let mut counts = Counts::default();
        counts.add(f.outcome);
        assert!(!counts.passed());
    }

    #[test]
    fn counts_fail_on_a_disagreement_or_a_failure_only() {
        let mut c = Counts::default();
        c.add(Outcome::Agrees);
        c.add(Outcome::NoClaim);
        assert!(c.passed());
        c.add(Outcome::Failed);
        assert!(!c.passed());
        assert_eq!((c.checked, c.failed), (3, 1));
    }
}
