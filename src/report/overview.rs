//! The bureau's overview page of a batch (`score DIR --format html`): per rubric group the
//! grade distribution (an inline SVG chart), the indicators that lose most points per unit,
//! the over-claims and the ranking; printable on A4, self-contained like the one-file report.

use super::batch::{average_shown, ranked};
use crate::lang::Lang;
use crate::number::display;
use crate::overview;
use crate::ranking::{Summary, Tally, summarize};
use minijinja::value::{Serde, Value};
use minijinja::{Environment, HtmlEscape, UndefinedBehavior};
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json, json};

const TEMPLATE: &str = include_str!("../../templates/overview.html");
const NAME: &str = "overview.html";
/// The longest grade bar, in the chart's units.
const BAR: i64 = 520;
/// The indicators listed per group (the workbook lists them all).
pub(crate) const SHOWN_LOSSES: usize = 20;
// Numbers reach the template as text (with serde_json's arbitrary precision a JSON number
// would reach minijinja as a map), so positions are worked out here.

const LABELS: &[(&str, &str, &str)] = &[
    ("kicker", "预算绩效自评复核", "Budget performance self-evaluations"),
    ("title", "自评结果汇总", "Batch overview"),
    ("files", "文件", "Files"),
    ("scored", "已评分", "Scored"),
    ("failed", "无法评分", "Could not be scored"),
    ("groups", "评分办法", "Rubrics"),
    ("units", "单位数", "Units"),
    ("mean", "平均分", "Mean"),
    ("median", "中位数", "Median"),
    ("min", "最低分", "Lowest"),
    ("max", "最高分", "Highest"),
    ("grades", "等级分布", "Grade distribution"),
    ("no_grade", "无等级", "no grade"),
    ("losses", "扣分最多的指标（按单位平均）", "Indicators losing most points (average per unit)"),
    ("indicator", "指标", "Indicator"),
    ("points", "分值", "Points"),
    ("avg_lost", "平均扣分", "Average lost"),
    ("units_losing", "扣分单位数", "Units losing points"),
    ("share_losing", "扣分单位占比", "Share of units"),
    (
        "losses_note",
        "平均扣分 = 该指标扣分合计 ÷ 本组单位数（含未扣分单位）。",
        "Average lost = points lost there by all units ÷ the group's units (those losing none included).",
    ),
    ("nothing_lost", "没有单位扣分。", "No unit lost points."),
    ("over_claims", "自评多报（申报总分高于计算得分）", "Over-claims (declared total above the computed one)"),
    ("no_over_claims", "没有发现多报。", "No over-claims found."),
    ("subject", "单位", "Unit"),
    ("file", "文件", "File"),
    ("declared", "申报总分", "Declared"),
    ("computed", "计算得分", "Computed"),
    ("difference", "差额", "Difference"),
    ("ranking", "排名", "Ranking"),
    ("rank", "名次", "Rank"),
    ("period", "年度", "Period"),
    ("total", "总分", "Total"),
    ("grade", "等级", "Grade"),
    ("failed_files", "无法评分的文件", "Files that could not be scored"),
    (
        "failed_note",
        "每个文件的错误及其位置见命令的标准错误输出。",
        "Each file's errors, with their places, are on the command's standard error.",
    ),
];

/// One of the overview's labels, for the workbook that shares them.
pub(crate) fn label(lang: Lang, key: &str) -> &'static str {
    LABELS.iter().find(|(k, _, _)| *k == key).map_or("", |(_, zh, en)| lang.pick(zh, en))
}

fn labels(lang: Lang) -> Json {
    Json::Object(
        LABELS.iter().map(|(k, zh, en)| ((*k).to_owned(), Json::String((*lang.pick(zh, en)).to_owned()))).collect(),
    )
}

fn share(part: usize, whole: usize) -> String {
    super::percent(Decimal::from(part).checked_div(Decimal::from(whole)).unwrap_or_default())
}

fn group_json(tally: &Tally, at: usize, tolerance: Decimal, lang: Lang) -> Json {
    let g = &tally.groups[at];
    let rows = tally.rows_of(at);
    let count = rows.len();
    let summary = summarize(g, &rows, tally.failed);
    let grades = summary.as_ref().map(|s| s.grades.clone()).unwrap_or_default();
    let most = grades.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let bars: Vec<Json> = grades
        .iter()
        .map(|(label, n)| {
            let width = i64::try_from(*n).unwrap_or(i64::MAX).saturating_mul(BAR) / i64::try_from(most).unwrap_or(1);
            let label = if label.is_empty() { lang.pick("无等级", "no grade").to_owned() } else { label.clone() };
            json!({
                "label": label, "count": n.to_string(), "share": share(*n, count),
                "width": width.to_string(), "end": (width + 120).to_string(),
            })
        })
        .collect();
    let losses: Vec<Json> = overview::losses(g)
        .into_iter()
        .take(SHOWN_LOSSES)
        .map(|l| {
            json!({
                "id": l.node.id, "title": l.node.title, "points": l.points.map_or_else(|| "—".to_owned(), display),
                "avg": display(average_shown(l.per_unit)),
                "units": l.node.units.to_string(), "share": super::percent(l.share),
            })
        })
        .collect();
    let over_claims = !overview::over_claims(tally, at, tolerance).is_empty();
    let stat = |f: fn(&Summary) -> Decimal| summary.as_ref().map_or_else(String::new, |s| display(f(s)));
    json!({
        "id": g.rubric.id, "title": g.rubric.title, "fingerprint": g.rubric.fingerprint,
        "count": count.to_string(),
        "mean": stat(|s| average_shown(s.mean)), "median": stat(|s| average_shown(s.median)),
        "min": stat(|s| s.min), "max": stat(|s| s.max),
        "grades": bars, "losses": losses, "over_claims": over_claims,
    })
}

fn context(tally: &Tally, tolerance: Decimal, lang: Lang) -> Json {
    let mut m = Map::new();
    m.insert("t".into(), labels(lang));
    m.insert("html_lang".into(), Json::String(lang.pick("zh-CN", "en").into()));
    m.insert("version".into(), Json::String(env!("CARGO_PKG_VERSION").into()));
    m.insert("files".into(), Json::String((tally.scored() + tally.failed).to_string()));
    m.insert("scored".into(), Json::String(tally.scored().to_string()));
    m.insert("failed".into(), Json::String(tally.failed.to_string()));
    let groups = (0..tally.groups.len()).map(|at| group_json(tally, at, tolerance, lang)).collect();
    m.insert("groups".into(), Json::Array(groups));
    m.insert("failed_list".into(), Json::Array(tally.failed_named.iter().map(|f| Json::String(f.clone())).collect()));
    let more = tally.failed.saturating_sub(tally.failed_named.len());
    let more = (more > 0).then(|| crate::tr!(lang, "另有 {more} 个文件未列出", "and {more} more files not listed"));
    m.insert("failed_more".into(), more.map_or(Json::Null, Json::String));
    Json::Object(m)
}

/// Where a group's over-claim and ranking rows go in the rendered page: a marker naming the
/// group (`<!--ranking rows 0-->`), since a group without over-claims has no table for them.
/// A marker cannot come from user text: the template escapes every `<` it is given.
const OVER_CLAIM_ROWS: &str = "<!--over-claim rows ";
const RANKING_ROWS: &str = "<!--ranking rows ";
const MARKER_END: &str = "-->";

/// The page with each group's over-claim and ranking rows written in at their markers. The
/// rows are written here, escaped, rather than through the template's context: a context of
/// 100 000 rows as JSON values takes hundreds of megabytes, the rows as text a few dozen.
fn with_rows(page: &str, tally: &Tally, tolerance: Decimal) -> String {
    // A row is about 250 bytes of markup plus its texts: reserved once, so that a page of
    // 100 000 rows is not grown by doubling (which held up to twice its size).
    let texts: usize = tally.rows.iter().map(|r| r.subject.len() + r.file.len() + 8).sum();
    let mut out = String::with_capacity(page.len() + tally.rows.len() * 300 + texts * 2);
    let mut rest = page;
    loop {
        let next = [OVER_CLAIM_ROWS, RANKING_ROWS]
            .into_iter()
            .filter_map(|m| rest.find(m).map(|at| (at, m)))
            .min_by_key(|(at, _)| *at);
        let Some((at, marker)) = next else { break };
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some((group, tail)) = rest[marker.len()..].split_once(MARKER_END) else { break };
        rest = tail;
        let Some(group) = group.parse::<usize>().ok().filter(|g| *g < tally.groups.len()) else { continue };
        if marker == OVER_CLAIM_ROWS {
            over_claim_rows(&mut out, tally, group, tolerance);
        } else {
            ranking_rows(&mut out, tally, group, tolerance);
        }
    }
    out.push_str(rest);
    out.push('\n');
    out
}

fn over_claim_rows(out: &mut String, tally: &Tally, group: usize, tolerance: Decimal) {
    use std::fmt::Write;
    for r in overview::over_claims(tally, group, tolerance) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"file\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num over\">+{}</td></tr>",
            HtmlEscape(&r.subject),
            HtmlEscape(&r.file),
            r.declared_total.map(display).unwrap_or_default(),
            display(r.total),
            overview::excess(r).map(display).unwrap_or_default(),
        );
    }
}

fn ranking_rows(out: &mut String, tally: &Tally, group: usize, tolerance: Decimal) {
    use std::fmt::Write;
    for (rank, r) in ranked(&tally.rows_of(group)) {
        let over = if overview::excess(r).is_some_and(|x| x > tolerance) { " over" } else { "" };
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{rank}</td><td>{}</td><td class=\"file\">{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td>{}</td><td class=\"num{over}\">{}</td></tr>",
            HtmlEscape(&r.subject),
            HtmlEscape(&r.file),
            HtmlEscape(r.period.as_deref().unwrap_or("")),
            display(r.total),
            HtmlEscape(r.grade.as_deref().unwrap_or("")),
            r.declared_total.map(display).unwrap_or_default(),
        );
    }
}

/// The overview as a self-contained HTML page; declared totals above the computed ones by
/// more than `tolerance` are over-claims.
pub fn render(tally: &Tally, tolerance: Decimal, lang: Lang) -> String {
    let page = || -> Result<String, minijinja::Error> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_syntax(minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build()?);
        env.add_template(NAME, TEMPLATE)?;
        let page = env.get_template(NAME)?.render(Value::from(Serde(&context(tally, tolerance, lang))))?;
        Ok(with_rows(&page, tally, tolerance))
    };
    page().unwrap_or_else(|err| {
        let detail = err.to_string();
        format!(
            "<!doctype html>\n<meta charset=\"utf-8\">\n<title>selfeval</title>\n<pre>{}</pre>\n",
            HtmlEscape(&detail)
        )
    })
}
