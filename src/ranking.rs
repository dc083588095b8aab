//! What a batch keeps of each file and what it says of them all: a small summary row per
//! scored file (for rankings), each file's outcome in input order, and the statistics. Pure
//! data and arithmetic; the batch runner (`batch`) fills it and the reports (`report::batch`,
//! `report::workbook`) show it.

use crate::rubric::Rubric;
use rust_decimal::Decimal;
use std::sync::Arc;

/// A scored file, kept small: what rankings and summaries need, and its JSON when asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub file: String,
    pub subject: String,
    pub period: Option<String>,
    pub total: Decimal,
    pub grade: Option<String>,
    /// Section id, title, score (None when dropped); the names are shared by every file.
    pub sections: Vec<(Arc<str>, Arc<str>, Option<Decimal>)>,
    /// Leaves that lost points: id, title, lost.
    pub losses: Vec<(Arc<str>, Arc<str>, Decimal)>,
    pub json: Option<serde_json::Value>,
}

/// A node's id and title, shared by all the files of a batch so that what each keeps stays small.
pub type Names = (Arc<str>, Arc<str>);

/// One input's outcome, and the diagnostics it produced (already rendered, in order).
#[derive(Debug, Clone, PartialEq)]
pub enum FileOutcome {
    Scored(Box<Scored>),
    Failed { file: String, error: String },
}

/// Statistics over the scored files of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub failed: usize,
    pub mean: Decimal,
    pub median: Decimal,
    pub min: Decimal,
    pub max: Decimal,
    /// Grade label → files, in the grade table's order; files without a grade last as "".
    pub grades: Vec<(String, usize)>,
    /// Section title → average score over the files where it was scored (`None`: in none).
    pub sections: Vec<(String, Option<Decimal>)>,
    /// The indicators that lose most points across files: title, points lost in all, files.
    pub top_losses: Vec<(String, Decimal, usize)>,
}

pub fn summarize(rubric: &Rubric, scored: &[&Scored], failed: usize) -> Option<Summary> {
    if scored.is_empty() {
        return None;
    }
    let n = Decimal::from(scored.len());
    let mut totals: Vec<Decimal> = scored.iter().map(|s| s.total).collect();
    totals.sort();
    let mid = totals.len() / 2;
    let median = if totals.len() % 2 == 1 { totals[mid] } else { (totals[mid - 1] + totals[mid]) / Decimal::TWO };
    let sum: Decimal = totals.iter().sum();
    let mut grades: Vec<(String, usize)> = rubric.grades.iter().map(|g| (g.label.clone(), 0)).collect();
    let mut ungraded = 0;
    for s in scored {
        match s.grade.as_ref().and_then(|g| grades.iter_mut().find(|(l, _)| l == g)) {
            Some(entry) => entry.1 += 1,
            None => ungraded += 1,
        }
    }
    if ungraded > 0 {
        grades.push((String::new(), ungraded));
    }
    let sections = rubric
        .sections
        .iter()
        .map(|section| {
            let scores: Vec<Decimal> = scored
                .iter()
                .filter_map(|s| s.sections.iter().find(|(id, _, _)| **id == *section.id).and_then(|x| x.2))
                .collect();
            let avg = (!scores.is_empty()).then(|| scores.iter().sum::<Decimal>() / Decimal::from(scores.len()));
            (section.title.clone(), avg)
        })
        .collect();
    let mut losses: Vec<(Arc<str>, Arc<str>, Decimal, usize)> = Vec::new();
    for s in scored {
        for (id, title, lost) in &s.losses {
            match losses.iter_mut().find(|x| x.0 == *id) {
                Some(x) => {
                    x.2 += *lost;
                    x.3 += 1;
                }
                None => losses.push((Arc::clone(id), Arc::clone(title), *lost, 1)),
            }
        }
    }
    losses.sort_by_key(|x| std::cmp::Reverse(x.2));
    let top_losses = losses.into_iter().take(10).map(|(_, t, l, c)| (t.to_string(), l, c)).collect();
    Some(Summary {
        count: scored.len(),
        failed,
        mean: sum / n,
        median,
        min: totals[0],
        max: totals[totals.len() - 1],
        grades,
        sections,
        top_losses,
    })
}
