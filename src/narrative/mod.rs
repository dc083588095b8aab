//! The 自评报告 (self-evaluation report) a department hands in, drafted from its score: the
//! narrative, not the score sheet (`report/` renders those).
//!
//! [`build`] gathers what the report says from three places — the [`Evaluation`] (total,
//! grade, section scores, every lost point with its rule), the data file (its `report:` block of
//! prose and sign-off, SPEC §5.5, and the budget figures) and the rubric (its `report:` part:
//! the kind of report and the budget roles, SPEC §2.4; each indicator's `improve:`) — into a
//! [`Narrative`] whose figures are already text, rounded once ([`figures`]). [`text`] renders
//! the wording from the minijinja template of its kind and language into blocks; the writers
//! ([`markdown`], [`html`], [`docx`]) lay the blocks and the 附表 (the 自评表, built here, not
//! in a template) out in their format. Nothing a department did not write is invented: what
//! is missing is a visible placeholder, listed in [`Narrative::missing`].

pub mod docx;
pub mod figures;
pub mod html;
pub mod markdown;
pub mod text;

use crate::data::DataFile;
use crate::engine::{Evaluation, NodeResult, Status};
use crate::explain::Loss;
use crate::expr::Value;
use crate::lang::Lang;
use crate::rubric::{ReportKind, Rubric};
use crate::tr;
use figures::{Budget, score};
use serde::Serialize;

/// Everything the report says, as text.
#[derive(Debug, Clone, Serialize)]
pub struct Narrative {
    #[serde(skip)]
    pub lang: Lang,
    #[serde(skip)]
    pub kind: ReportKind,
    pub subject: String,
    pub period: Option<String>,
    /// The report's title: 2021 年部门整体支出绩效自评报告.
    pub title: String,
    pub rubric: String,
    /// The department's prose by `report:` key, or its placeholder.
    pub prose: std::collections::BTreeMap<&'static str, String>,
    /// The labels of what is a placeholder, in the order the report shows them.
    pub missing: Vec<String>,
    pub budget: Budget,
    /// The 收支情况 placeholder, when the figures are not all there.
    pub budget_placeholder: Option<String>,
    pub total: String,
    pub max: String,
    pub grade: Option<String>,
    pub lost: String,
    pub sections: Vec<Section>,
    /// Every indicator that lost points, in rubric order.
    pub losses: Vec<LossLine>,
    /// The department's own 存在问题 text, if written.
    pub problems: Option<String>,
    /// The department's own 改进措施 text, if written.
    pub improvements: Option<String>,
    /// Measures drafted from the `improve:` texts of the indicators that lost points.
    pub drafted: Vec<Measure>,
    pub not_applicable: Vec<(String, String)>,
    pub vetoes: Vec<String>,
    pub sign_off: Vec<(String, String)>,
    #[serde(skip)]
    pub appendix: Appendix,
}

/// A 一级 section and what it says.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub title: String,
    pub points: String,
    pub score: String,
    pub lost: String,
    /// Its 二级 indicators: title, points, score.
    pub parts: Vec<Part>,
    pub losses: Vec<LossLine>,
    pub not_applicable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub title: String,
    pub points: String,
    pub score: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LossLine {
    pub title: String,
    /// The titles above it, from the section down: 管理效能 › 资金管理.
    pub path: String,
    pub section: String,
    pub points: String,
    pub score: String,
    pub lost: String,
    /// The rule that decided the score, as `explain` tells it.
    pub rule: String,
    /// The figures it read, by their labels: 预算执行数：282.41万元.
    pub inputs: String,
    /// For a row of an indicator table, the 偏差原因 written beside it in the data file.
    pub deviation: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub title: String,
    pub text: String,
}

/// The 自评表: one row per scored indicator, with the 一级 and 二级 cells to merge.
#[derive(Debug, Clone, Default)]
pub struct Appendix {
    pub title: String,
    pub columns: [String; 7],
    pub rows: Vec<AppendixRow>,
    /// 合计: points, score; and the grade.
    pub total: (String, String),
    pub grade: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AppendixRow {
    /// (node id, title) of the 一级 and 二级 indicators: equal ids are merged cells.
    pub first: (String, String),
    pub second: (String, String),
    pub third: String,
    pub points: String,
    pub standard: String,
    pub score: String,
    pub reason: String,
}

/// The visible mark of a text the department has yet to write.
pub fn placeholder(label: &str, lang: Lang) -> String {
    tr!(lang, "【待填写：{label}】", "[to be written: {label}]")
}

/// Text from a data file, safe as the body of a line: a leading `#` would read as a heading.
fn body(text: &str) -> String {
    text.lines()
        .map(|l| if l.trim_start().starts_with('#') { format!("\\{}", l.trim_start()) } else { l.to_owned() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text on one line (a title or a table cell).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The prose each kind of report asks the department for, with its label.
fn prose_keys(kind: ReportKind, lang: Lang) -> Vec<(&'static str, &'static str)> {
    match kind {
        ReportKind::Department => vec![
            ("overview", lang.pick("部门概况", "Overview of the department")),
            ("key_work", lang.pick("年度总体工作和重点工作任务", "The year's work and key tasks")),
            ("management", lang.pick("部门整体绩效管理情况", "Performance management")),
        ],
        ReportKind::Project => vec![
            ("overview", lang.pick("项目概况", "Overview of the project")),
            ("goals", lang.pick("绩效目标", "Performance goals")),
        ],
    }
}

/// The report of one scored data file.
pub fn build(rubric: &Rubric, e: &Evaluation, data: &DataFile, lang: Lang) -> Narrative {
    let kind = rubric.report.kind;
    let info = &data.report;
    let mut missing = Vec::new();
    let mut prose = std::collections::BTreeMap::new();
    for (key, label) in prose_keys(kind, lang) {
        let text = match info.get(key) {
            Some(t) => body(t.trim()),
            None => {
                missing.push(label.to_owned());
                placeholder(label, lang)
            }
        };
        prose.insert(key, text);
    }
    let budget = figures::budget(rubric, data, lang);
    let budget_placeholder = (!budget.complete()).then(|| {
        let label = match kind {
            ReportKind::Department => lang.pick("部门整体收支情况", "Income and expenditure"),
            ReportKind::Project => lang.pick("项目资金情况", "Funding of the project"),
        };
        missing.push(label.to_owned());
        placeholder(label, lang)
    });
    let explanation = crate::explain::explain(rubric, e, lang);
    let order: Vec<String> = {
        let mut all = Vec::new();
        for s in &e.nodes {
            s.walk(1, &mut all);
        }
        all.into_iter().map(|(_, n)| n.id.clone()).collect()
    };
    let mut losses: Vec<&Loss> = explanation.losses.iter().collect();
    losses.sort_by_key(|l| order.iter().position(|id| *id == l.id));
    let loss_lines: Vec<LossLine> = losses
        .iter()
        .map(|l| LossLine { deviation: row_note(rubric, data, &l.id, lang), ..loss_line(rubric, l, lang) })
        .collect();
    let sections = e
        .nodes
        .iter()
        .map(|s| Section {
            title: one_line(&s.title),
            points: score(s.points),
            score: crate::number::score_text(s.score),
            lost: score(s.lost().unwrap_or_default()),
            // A table's rows are its indicators, told with the losses; a section's parts are
            // its 二级 branches.
            parts: s
                .children
                .iter()
                .filter(|_| !matches!(rubric.node(&s.id).map(|n| &n.kind), Some(crate::rubric::NodeKind::Rows(_))))
                .map(|c| Part {
                    title: one_line(&c.title),
                    points: score(c.points),
                    score: crate::number::score_text(c.score),
                })
                .collect(),
            losses: loss_lines.iter().filter(|l| l.section == one_line(&s.title)).cloned().collect(),
            not_applicable: s.status == Status::NotApplicable,
        })
        .collect();
    let drafted = drafted_measures(rubric, &losses);
    let problems = info.get("problems").map(|t| body(t.trim()));
    let improvements = info.get("improvements").map(|t| body(t.trim()));
    if improvements.is_none() && drafted.is_empty() {
        missing.push(lang.pick("下一步措施", "Next steps").to_owned());
    }
    let mut sign_off = Vec::new();
    for (key, zh, en) in crate::data::REPORT_KEYS.iter().take(4) {
        let label = lang.pick(*zh, *en);
        let value = match info.get(key) {
            Some(v) => one_line(v),
            None => {
                missing.push(label.to_owned());
                placeholder(label, lang)
            }
        };
        sign_off.push((label.to_owned(), value));
    }
    let subject = one_line(&e.subject);
    let period = e.period.as_deref().map(one_line).filter(|p| !p.is_empty());
    let title = report_title(kind, period.as_deref(), lang);
    let mut not_applicable = Vec::new();
    for s in &e.nodes {
        let mut all = Vec::new();
        s.walk(1, &mut all);
        for (_, n) in all {
            if let Some(reason) = &n.reason
                && n.status == Status::NotApplicable
            {
                not_applicable.push((one_line(&n.title), one_line(reason)));
            }
        }
    }
    let appendix = appendix(e, &explanation.losses, &subject, &title, lang);
    Narrative {
        lang,
        kind,
        subject,
        period,
        title,
        rubric: one_line(&e.rubric.title),
        prose,
        missing,
        budget,
        budget_placeholder,
        total: score(e.total),
        max: score(e.max),
        grade: e.grade.clone(),
        lost: score(e.max - e.total),
        sections,
        losses: loss_lines,
        problems,
        improvements,
        drafted,
        not_applicable,
        vetoes: e.vetoes.iter().map(|v| one_line(v.title.as_deref().unwrap_or(&v.id))).collect(),
        sign_off,
        appendix,
    }
}

/// 2021 年部门整体支出绩效自评报告; a period that is not a year is written as it is.
fn report_title(kind: ReportKind, period: Option<&str>, lang: Lang) -> String {
    let what = match kind {
        ReportKind::Department => {
            lang.pick("部门整体支出绩效自评报告", "Self-evaluation of the department's overall spending")
        }
        ReportKind::Project => lang.pick("项目支出绩效自评报告", "Self-evaluation of project spending"),
    };
    match period {
        Some(p) if p.chars().all(|c| c.is_ascii_digit()) => tr!(lang, "{p} 年{what}", "{what}, {p}"),
        Some(p) => tr!(lang, "{p}{what}", "{what}, {p}"),
        None => what.to_owned(),
    }
}

fn loss_line(rubric: &Rubric, l: &Loss, lang: Lang) -> LossLine {
    let (title, above) = l.path.split_last().map_or((String::new(), &[][..]), |(t, a)| (t.clone(), a));
    let inputs: Vec<String> = l
        .inputs
        .iter()
        .filter_map(|(name, value)| {
            // Figures only: the rule already names the unmet items and the level rated.
            let field = rubric.field(name)?;
            let shown = match value {
                Value::Number(d) => format!("{}{}", score(*d), field.unit.as_deref().unwrap_or("")),
                Value::Bool(_) | Value::Text(_) => return None,
            };
            Some(tr!(lang, "{}：{shown}", "{}: {shown}", one_line(field.display_name())))
        })
        .collect();
    LossLine {
        title: one_line(&title),
        path: above.iter().map(|t| one_line(t)).collect::<Vec<_>>().join(" › "),
        section: l.path.first().map(|t| one_line(t)).unwrap_or_default(),
        points: score(l.points),
        score: score(l.score),
        lost: score(l.lost),
        rule: one_line(&l.detail),
        inputs: inputs.join(lang.pick("；", "; ")),
        deviation: None,
    }
}

/// The keys a row of a 绩效目标表 gives its 偏差原因 under (the workbook's column is `note`).
const NOTE_KEYS: [&str; 3] = ["note", "偏差原因", "偏差原因分析及改进措施"];

/// The 偏差原因 of row `id` (`table.N`, the N-th item of the table's list), if written.
fn row_note(rubric: &Rubric, data: &DataFile, id: &str, lang: Lang) -> Option<String> {
    let (table, n) = id.rsplit_once('.')?;
    let index = n.parse::<usize>().ok()?.checked_sub(1)?;
    let crate::rubric::NodeKind::Rows(spec) = &rubric.node(table)?.kind else { return None };
    let list = data.lookup(&spec.source, lang).ok()??;
    let crate::yaml::Kind::Seq(items) = &list.kind else { return None };
    let crate::yaml::Kind::Map(entries) = &items.get(index)?.kind else { return None };
    let note = entries.iter().find(|(k, _)| NOTE_KEYS.contains(&k.name.as_str())).map(|(_, v)| &v.kind)?;
    match note {
        crate::yaml::Kind::Str(t) if !t.trim().is_empty() => Some(one_line(t)),
        _ => None,
    }
}

/// The `improve:` text of each indicator that lost points (its own, or its nearest
/// ancestor's, as a row's is its table's), once each, in rubric order.
fn drafted_measures(rubric: &Rubric, losses: &[&Loss]) -> Vec<Measure> {
    let mut out: Vec<Measure> = Vec::new();
    for l in losses {
        // A row's leaf is made at scoring (`table.row`): the rubric knows its table.
        let id = if rubric.node(&l.id).is_some() { l.id.as_str() } else { l.id.split('.').next().unwrap_or("") };
        let found = rubric.path(id).iter().rev().find_map(|n| n.improve.clone());
        let Some(text) = found else { continue };
        let title = l.path.last().cloned().unwrap_or_default();
        match out.iter_mut().find(|m| m.text == one_line(&text)) {
            Some(m) => {
                if !m.title.split('、').any(|t| t == one_line(&title)) {
                    m.title = format!("{}、{}", m.title, one_line(&title));
                }
            }
            None => out.push(Measure { title: one_line(&title), text: one_line(&text) }),
        }
    }
    out
}

fn appendix(e: &Evaluation, losses: &[Loss], subject: &str, title: &str, lang: Lang) -> Appendix {
    let table = title.replace(lang.pick("报告", "report"), lang.pick("表", "form"));
    let title = match lang {
        Lang::Zh if table.starts_with(|c: char| c.is_ascii_digit()) => format!("附表：{subject} {table}"),
        Lang::Zh => format!("附表：{subject}{table}"),
        Lang::En => format!("Annex: {subject} — {table}"),
    };
    let columns = [
        lang.pick("一级指标", "Level 1"),
        lang.pick("二级指标", "Level 2"),
        lang.pick("三级指标", "Indicator"),
        lang.pick("分值", "Points"),
        lang.pick("评分标准", "Scoring standard"),
        lang.pick("得分", "Score"),
        lang.pick("扣分原因", "Why points were lost"),
    ]
    .map(str::to_owned);
    let mut rows = Vec::new();
    for s in &e.nodes {
        leaves(s, &mut Vec::new(), &mut |path, leaf| rows.push(row(path, leaf, losses, lang)));
    }
    Appendix { title, columns, rows, total: (score(e.max), score(e.total)), grade: e.grade.clone() }
}

fn leaves<'a>(n: &'a NodeResult, path: &mut Vec<&'a NodeResult>, f: &mut dyn FnMut(&[&NodeResult], &NodeResult)) {
    if n.children.is_empty() {
        f(path, n);
        return;
    }
    path.push(n);
    for c in &n.children {
        leaves(c, path, f);
    }
    path.pop();
}

fn row(path: &[&NodeResult], leaf: &NodeResult, losses: &[Loss], lang: Lang) -> AppendixRow {
    let cell = |n: &NodeResult| (n.id.clone(), one_line(&n.title));
    let first = path.first().map_or_else(|| cell(leaf), |n| cell(n));
    let second = match path {
        [_, second, ..] => {
            (second.id.clone(), path[1..].iter().map(|n| one_line(&n.title)).collect::<Vec<_>>().join(" › "))
        }
        // A leaf right under its section: its 二级 cell is its own, merged with nothing.
        _ => (format!("{}#", leaf.id), String::new()),
    };
    let mut third = one_line(&leaf.title);
    if leaf.bonus {
        third = tr!(lang, "{third}（加分项）", "{third} (bonus)");
    }
    let reason = match (leaf.status, losses.iter().find(|l| l.id == leaf.id)) {
        (Status::NotApplicable, _) => {
            tr!(lang, "不适用：{}", "not applicable: {}", one_line(leaf.reason.as_deref().unwrap_or("")))
        }
        (_, Some(l)) => one_line(&l.detail),
        _ => String::new(),
    };
    AppendixRow {
        first,
        second,
        third,
        points: score(leaf.points),
        standard: one_line(leaf.standard.as_deref().unwrap_or("")),
        score: crate::number::score_text(leaf.score),
        reason,
    }
}
