//! 复核 of many units (`check DIR…`, see [`crate::review`]): one line per unit that disagrees
//! and the counts (text, markdown), the records (csv, JSON), a printable page (HTML). The
//! workbook is in `report::workbook`.

use super::Opts;
use super::markdown::cell;
use crate::check::Check;
use crate::lang::{Lang, Msg};
use crate::number::display;
use crate::review::{Counts, Finding, Outcome};
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};

fn signed(d: Option<Decimal>) -> String {
    match d {
        Some(d) if d > Decimal::ZERO => format!("+{}", display(d)),
        other => super::score_text(other),
    }
}

pub fn outcome_text(o: Outcome, lang: Lang) -> &'static str {
    match o {
        Outcome::Agrees => lang.t(Msg::Agrees),
        Outcome::OverClaim => lang.t(Msg::OverClaim),
        Outcome::UnderClaim => lang.t(Msg::UnderClaim),
        Outcome::Imbalance => lang.pick("表内不平衡", "imbalance"),
        Outcome::NoClaim => lang.pick("未申报", "no claim"),
        Outcome::Failed => lang.pick("无法评分", "could not be scored"),
    }
}

/// The line of a unit that disagrees (nothing for one that agrees): subject and file,
/// declared, computed, difference, verdict, and the first rule behind it.
pub fn line(f: &Finding, markdown: bool, opts: &Opts) -> String {
    if !f.outcome.disagrees() {
        return String::new();
    }
    let l = opts.lang;
    let c = l.t(Msg::Comma);
    let who = if markdown {
        format!("{} (`{}`)", cell(&f.subject), f.file.replace('`', "'"))
    } else {
        format!("{} ({})", f.subject, f.file)
    };
    let claim = match f.id.as_deref() {
        Some("total") | None => String::new(),
        Some(id) => format!(" [{id}]"),
    };
    let rule = f.rule.as_deref().map(|r| format!("{c}{}{}{r}", l.t(Msg::Rule), l.t(Msg::Colon))).unwrap_or_default();
    let rule = if markdown { cell(&rule) } else { rule };
    let bullet = if markdown { "- " } else { "" };
    format!(
        "{bullet}{who}{claim}{}{} {}{c}{} {}{c}{} {}{c}{}{rule}\n",
        l.t(Msg::Colon),
        l.t(Msg::Declared),
        super::score_text(f.declared),
        l.t(Msg::Computed),
        super::score_text(f.computed),
        l.t(Msg::Difference),
        signed(f.difference()),
        outcome_text(f.outcome, l),
    )
}

/// The counts of a folder's 复核, in the order a bureau reads them.
pub(crate) fn count_items(n: &Counts, lang: Lang) -> Vec<(&'static str, usize)> {
    vec![
        (lang.pick("复核单位", "units checked"), n.checked),
        (lang.t(Msg::Agrees), n.agrees),
        (lang.t(Msg::OverClaim), n.over_claim),
        (lang.t(Msg::UnderClaim), n.under_claim),
        (outcome_text(Outcome::Imbalance, lang), n.imbalance),
        (outcome_text(Outcome::NoClaim, lang), n.no_claim),
        (outcome_text(Outcome::Failed, lang), n.failed),
    ]
}

/// `复核 120 个单位：一致 100，多报 12，…` (after the lines, with a blank line between).
pub fn summary_text(n: &Counts, opts: &Opts) -> String {
    let l = opts.lang;
    let items = count_items(n, l);
    let rest: Vec<String> = items[1..].iter().map(|(label, v)| format!("{label} {v}")).collect();
    let lead = if n.over_claim + n.under_claim + n.imbalance > 0 { "\n" } else { "" };
    format!("{lead}{} {}{}{}\n", items[0].0, items[0].1, l.t(Msg::Colon), rest.join(l.t(Msg::Comma)))
}

/// The columns of a folder's 复核 as csv: `check`'s one-file columns (one row per declared
/// score) and `outcome`, the unit's; a unit with no claim or that could not be scored is one
/// row with its outcome.
pub fn csv_header() -> String {
    let mut header: Vec<String> = super::analysis::CHECK_CSV_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    header.push("outcome".into());
    format!("{}{}", super::csv::BOM, super::csv::line(&header))
}

pub fn csv_rows(c: Option<&Check>, f: &Finding) -> String {
    let outcome = f.outcome.name();
    let rows = c.map(super::analysis::check_csv_rows).unwrap_or_default();
    if rows.is_empty() {
        let mut row = vec![f.file.clone(), f.subject.clone(), f.period.clone().unwrap_or_default()];
        row.resize(super::analysis::CHECK_CSV_COLUMNS.len(), String::new());
        row.push(outcome.to_owned());
        return super::csv::line(&row);
    }
    // Each row ends in CRLF: the outcome goes before it.
    rows.split_inclusive("\r\n").map(|r| format!("{},{outcome}\r\n", r.trim_end_matches("\r\n"))).collect()
}

/// A unit in a folder's 复核 JSON: `check`'s one-file object and its `outcome`.
pub fn unit_json(c: &Check, f: &Finding) -> Json {
    let mut value = super::analysis::check_json(c);
    if let Json::Object(m) = &mut value {
        m.insert("outcome".into(), Json::String(f.outcome.name().into()));
    }
    value
}

/// The 复核 of a folder as a printable page: the counts, then every unit that disagrees or
/// could not be scored.
pub fn html(findings: &[Finding], n: &Counts, opts: &Opts) -> String {
    let l = opts.lang;
    let counts: Vec<Json> = count_items(n, l)
        .into_iter()
        .map(|(label, value)| serde_json::json!({ "label": label, "value": value.to_string() }))
        .collect();
    // The rows are written here, not by the template: a folder of 100 000 units would be held
    // three times over (context, template values, page) where the page alone is needed.
    let mut rows = String::new();
    for f in findings.iter().filter(|f| f.outcome.disagrees() || f.outcome == Outcome::Failed) {
        let class = match f.outcome {
            Outcome::OverClaim => "over",
            Outcome::UnderClaim => "under",
            _ => "",
        };
        let e = |t: &str| minijinja::HtmlEscape(t).to_string();
        rows.push_str(&format!(
            "<tr class=\"{class}\"><td>{}<div class=\"small\">{}</div></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
            e(&f.subject),
            e(&f.file),
            super::score_text(f.declared),
            super::score_text(f.computed),
            signed(f.difference()),
            e(outcome_text(f.outcome, l)),
            e(f.rule.as_deref().unwrap_or("")),
        ));
    }
    let mut labels = Map::new();
    for (key, text) in [
        ("title", l.pick("绩效自评复核", "Review of declared scores (复核)")),
        ("subject", l.t(Msg::Subject)),
        ("declared", l.t(Msg::Declared)),
        ("computed", l.t(Msg::Computed)),
        ("difference", l.t(Msg::Difference)),
        ("verdict", l.t(Msg::Verdict)),
        ("rule", l.t(Msg::Rule)),
        (
            "all_agree",
            l.pick("所有单位的申报得分与核算结果一致。", "Every unit's declared scores agree with the computation."),
        ),
    ] {
        labels.insert(key.into(), Json::String(text.into()));
    }
    let ctx = serde_json::json!({
        "lang": l.pick("zh-CN", "en"), "labels": labels, "counts": counts, "units": !rows.is_empty(),
    });
    let page = super::html::page_from(REVIEW_TEMPLATE, "review.html", &ctx);
    match page.split_once("<!--ROWS-->") {
        Some((head, tail)) => [head, &rows, tail].concat(),
        None => page,
    }
}

const REVIEW_TEMPLATE: &str = include_str!("../../templates/review.html");

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A subject, file or rule from a department's file is text on the page, never markup.
    #[test]
    fn the_page_escapes_what_the_files_say() {
        let mut f = Finding::failed("a<b>.yaml");
        f.subject = "<script>alert(1)</script>".into();
        let mut counts = Counts::default();
        counts.add(f.outcome);
        let page = html(&[f], &counts, &Opts::default());
        assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"), "{page}");
        assert!(page.contains("a&lt;b&gt;.yaml") && !page.contains("<script>"), "{page}");
        assert!(!page.contains("<!--ROWS-->"), "{page}");
    }
}
