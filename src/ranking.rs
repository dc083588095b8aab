//! What a batch keeps of its files and what it says of them: a small summary row per scored
//! file (for rankings), the rubric groups the files fall in (one rubric *text*: id and
//! fingerprint) with running sums of what each group's units lost, and the statistics per
//! group. Pure data and arithmetic; the batch runner (`batch`) produces each file's
//! [`FileSummary`], the command line folds them in input order into a [`Tally`], and the
//! reports (`report::batch`, `report::workbook`) show it.
//!
//! Memory is per file only the [`Row`] a ranking needs; everything else (lost points per
//! indicator, section averages) is a running sum per group, never a list per file.

use crate::engine::Evaluation;
use crate::rubric::Rubric;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

/// One scored file as a ranking keeps it: who, what, and the scores of the group's sections.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub file: String,
    pub subject: String,
    pub period: Option<String>,
    /// The rubric group (index into [`Tally::groups`]).
    pub group: usize,
    pub total: Decimal,
    pub grade: Option<String>,
    /// The total the unit declared (`declared: total:`), if any.
    pub declared_total: Option<Decimal>,
    /// Each level-1 section's score in the group's section order (`None`: dropped).
    pub sections: Vec<Option<Decimal>>,
}

/// A scored file as a worker hands it over: its row (the group not yet known), the rubric it
/// was scored with, and the leaves where it lost points, to be added to its group's sums.
#[derive(Debug, Clone)]
pub struct FileSummary {
    pub row: Row,
    pub rubric: Arc<Rubric>,
    /// How the rubric was named: `-r`'s argument, a built-in id or the path a file names.
    pub spec: String,
    /// Leaves (not bonus) that lost points: id, title, lost.
    pub losses: Vec<(String, String, Decimal)>,
}

impl FileSummary {
    /// What a ranking needs of `e`, scored with `rubric` (named `spec`).
    pub fn of(e: &Evaluation, rubric: &Arc<Rubric>, spec: &str) -> FileSummary {
        let sections = rubric
            .sections
            .iter()
            .map(|section| e.nodes.iter().find(|n| n.id == section.id).and_then(|n| n.score))
            .collect();
        let losses = e
            .walk()
            .into_iter()
            .filter(|(_, n)| n.leaf.is_some() && !n.bonus)
            .filter_map(|(_, n)| n.lost().filter(|l| *l > Decimal::ZERO).map(|l| (n.id.clone(), n.title.clone(), l)))
            .collect();
        let declared_total = e.declared.iter().find(|(id, _)| id == "total").map(|(_, d)| *d);
        FileSummary {
            row: Row {
                file: e.file.clone(),
                subject: e.subject.clone(),
                period: e.period.clone(),
                group: 0,
                total: e.total,
                grade: e.grade.clone(),
                declared_total,
                sections,
            },
            rubric: Arc::clone(rubric),
            spec: spec.to_owned(),
            losses,
        }
    }
}

/// Points lost at one indicator by a group's units, summed as the files go by.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeLoss {
    pub id: String,
    pub title: String,
    /// Points lost there, over all the group's units.
    pub lost: Decimal,
    /// Units that lost points there.
    pub units: usize,
}

/// One rubric text and what its files add up to.
#[derive(Debug, Clone)]
pub struct Group {
    pub rubric: Arc<Rubric>,
    /// How the group's first file named its rubric.
    pub spec: String,
    /// Scored files.
    pub units: usize,
    /// Per level-1 section (the rubric's order): the sum of its scores and how many scored it.
    pub section_sums: Vec<(Decimal, usize)>,
    /// Per leaf that lost points somewhere, in the order first seen.
    pub losses: Vec<NodeLoss>,
    loss_index: HashMap<String, usize>,
}

impl Group {
    fn new(rubric: Arc<Rubric>, spec: String) -> Group {
        let section_sums = vec![(Decimal::ZERO, 0); rubric.sections.len()];
        Group { rubric, spec, units: 0, section_sums, losses: Vec::new(), loss_index: HashMap::new() }
    }

    /// Whether `rubric` is this group's text: the same id and fingerprint.
    pub fn holds(&self, rubric: &Rubric) -> bool {
        self.rubric.id == rubric.id && self.rubric.fingerprint == rubric.fingerprint
    }

    fn add(&mut self, file: &FileSummary) {
        self.units += 1;
        for (sum, score) in self.section_sums.iter_mut().zip(&file.row.sections) {
            if let Some(score) = score {
                sum.0 += *score;
                sum.1 += 1;
            }
        }
        for (id, title, lost) in &file.losses {
            let at = match self.loss_index.get(id) {
                Some(&at) => at,
                None => {
                    self.losses.push(NodeLoss { id: id.clone(), title: title.clone(), lost: Decimal::ZERO, units: 0 });
                    self.loss_index.insert(id.clone(), self.losses.len() - 1);
                    self.losses.len() - 1
                }
            };
            if let Some(entry) = self.losses.get_mut(at) {
                entry.lost += *lost;
                entry.units += 1;
            }
        }
    }
}

/// How many failed files a batch names in its closing line; the rest are counted.
pub const FAILED_NAMED: usize = 20;

/// A batch as it is read, in input order: the rows, the groups, and the failures.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub groups: Vec<Group>,
    pub rows: Vec<Row>,
    /// Files that could not be scored.
    pub failed: usize,
    /// The first [`FAILED_NAMED`] of them.
    pub failed_named: Vec<String>,
}

impl Tally {
    /// The group of `rubric`, added when it is the first file of its text.
    pub fn group_of(&mut self, rubric: &Arc<Rubric>, spec: &str) -> usize {
        match self.groups.iter().position(|g| g.holds(rubric)) {
            Some(at) => at,
            None => {
                self.groups.push(Group::new(Arc::clone(rubric), spec.to_owned()));
                self.groups.len() - 1
            }
        }
    }

    /// Adds a scored file to its group's sums; its row is kept when `keep_row` (a ranking).
    pub fn add(&mut self, mut file: FileSummary, keep_row: bool) {
        let group = self.group_of(&file.rubric, &file.spec);
        if let Some(g) = self.groups.get_mut(group) {
            g.add(&file);
        }
        if keep_row {
            file.row.group = group;
            self.rows.push(file.row);
        }
    }

    pub fn add_failed(&mut self, file: &str) {
        self.failed += 1;
        if self.failed_named.len() < FAILED_NAMED {
            self.failed_named.push(file.to_owned());
        }
    }

    pub fn scored(&self) -> usize {
        self.groups.iter().map(|g| g.units).sum()
    }

    /// The rows of group `group`, in input order.
    pub fn rows_of(&self, group: usize) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.group == group).collect()
    }
}

/// Statistics over the scored files of one group.
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

/// The statistics of `group` over its `rows` (the group's, in any order); `failed`: the
/// batch's failed files, told beside it.
pub fn summarize(group: &Group, rows: &[&Row], failed: usize) -> Option<Summary> {
    if rows.is_empty() {
        return None;
    }
    let n = Decimal::from(rows.len());
    let mut totals: Vec<Decimal> = rows.iter().map(|s| s.total).collect();
    totals.sort();
    let mid = totals.len() / 2;
    let median = if totals.len() % 2 == 1 { totals[mid] } else { (totals[mid - 1] + totals[mid]) / Decimal::TWO };
    let sum: Decimal = totals.iter().sum();
    let mut grades: Vec<(String, usize)> = group.rubric.grades.iter().map(|g| (g.label.clone(), 0)).collect();
    let mut ungraded = 0;
    for s in rows {
        match s.grade.as_ref().and_then(|g| grades.iter_mut().find(|(l, _)| l == g)) {
            Some(entry) => entry.1 += 1,
            None => ungraded += 1,
        }
    }
    if ungraded > 0 {
        grades.push((String::new(), ungraded));
    }
    let sections = group
        .rubric
        .sections
        .iter()
        .zip(&group.section_sums)
        .map(|(section, (sum, count))| {
            let avg = (*count > 0).then(|| *sum / Decimal::from(*count));
            (section.title.clone(), avg)
        })
        .collect();
    let mut losses: Vec<&NodeLoss> = group.losses.iter().collect();
    // Stable: equal sums keep the order first seen, so any thread count gives the same list.
    losses.sort_by_key(|x| std::cmp::Reverse(x.lost));
    let top_losses = losses.into_iter().take(10).map(|x| (x.title.clone(), x.lost, x.units)).collect();
    Some(Summary {
        count: rows.len(),
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
