//! Renderers for `check` and `explain`.

use super::Opts;
use super::markdown::cell;
use super::table::{heading, table};
use crate::check::{Check, Verdict};
use crate::engine::Evaluation;
use crate::explain::Explanation;
use crate::lang::{Lang, Msg};
use crate::number::display;
use crate::tr;
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};

fn signed(d: Option<Decimal>) -> String {
    match d {
        Some(d) if d > Decimal::ZERO => format!("+{}", display(d)),
        other => super::score_text(other),
    }
}

/// The discrepancies of a check with the computation behind each.
fn discrepancies(c: &Check, opts: &Opts) -> String {
    let l = opts.lang;
    let mut out = String::new();
    for claim in c.claims.iter().filter(|x| x.verdict != Verdict::Agrees) {
        out.push_str(&format!(
            "{} ({}): {} {}, {} {}, {} {}\n",
            claim.title,
            claim.id,
            l.t(Msg::Declared),
            display(claim.declared),
            l.t(Msg::Computed),
            super::score_text(claim.computed),
            claim.verdict.text(l),
            signed(claim.difference()),
        ));
        for line in &claim.evidence {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push_str(&imbalance_lines(c, opts));
    out
}

/// 表内不平衡 (SPEC §6.2), apart from the claims: each declared node its declared parts do not
/// give, with the parts.
fn imbalance_lines(c: &Check, opts: &Opts) -> String {
    let l = opts.lang;
    let mut out = String::new();
    for x in &c.imbalances {
        let (title, id, what, difference) = (&x.title, &x.id, x.describe(l), signed(Some(x.difference())));
        out.push_str(&crate::tr!(
            l,
            "表内不平衡 {title} ({id})：{what}，差额 {difference}\n",
            "table does not add up {title} ({id}): {what}, difference {difference}\n"
        ));
        out.push_str(&format!("  {}\n", x.parts_line(l)));
    }
    out
}

fn status_line(c: &Check, opts: &Opts) -> String {
    let l = opts.lang;
    let verdict = if c.passed() { l.t(Msg::CheckPassed) } else { l.t(Msg::CheckFailed) };
    format!("{verdict} ({} {})\n", l.t(Msg::Tolerance), display(c.tolerance))
}

/// One file: every declared score, then each discrepancy with its computation.
pub fn check_table(e: &Evaluation, c: &Check, opts: &Opts) -> String {
    let l = opts.lang;
    let header = [
        l.t(Msg::Indicator),
        l.t(Msg::Id),
        l.t(Msg::Declared),
        l.t(Msg::Computed),
        l.t(Msg::Difference),
        l.t(Msg::Verdict),
    ];
    let mut t = table(opts, &header, &[2, 3, 4]);
    for claim in &c.claims {
        t.add_row(vec![
            claim.title.clone(),
            claim.id.clone(),
            display(claim.declared),
            super::score_text(claim.computed),
            signed(claim.difference()),
            claim.verdict.text(l).to_owned(),
        ]);
    }
    format!("{}{t}\n{}{}", heading(e), status_line(c, opts), discrepancies(c, opts))
}

pub fn check_json(c: &Check) -> Json {
    let mut m = Map::new();
    m.insert("file".into(), Json::String(c.file.clone()));
    m.insert("subject".into(), Json::String(c.subject.clone()));
    m.insert("period".into(), c.period.clone().map_or(Json::Null, Json::String));
    m.insert("tolerance".into(), super::json::number(c.tolerance));
    m.insert("passed".into(), Json::Bool(c.passed()));
    let claims = c
        .claims
        .iter()
        .map(|x| {
            let mut o = Map::new();
            o.insert("id".into(), Json::String(x.id.clone()));
            o.insert("title".into(), Json::String(x.title.clone()));
            o.insert("declared".into(), super::json::number(x.declared));
            o.insert("computed".into(), super::json::opt_number(x.computed));
            o.insert("difference".into(), super::json::opt_number(x.difference()));
            o.insert("verdict".into(), Json::String(x.verdict.name().into()));
            o.insert("evidence".into(), Json::Array(x.evidence.iter().cloned().map(Json::String).collect()));
            Json::Object(o)
        })
        .collect();
    m.insert("claims".into(), Json::Array(claims));
    let imbalances = c.imbalances.iter().map(imbalance_json).collect();
    m.insert("imbalances".into(), Json::Array(imbalances));
    Json::Object(m)
}

/// One 表内不平衡 of `check --format json` (docs/json.md).
fn imbalance_json(x: &crate::check::Imbalance) -> Json {
    let object = |pairs: Vec<(&str, Json)>| Json::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    let parts = x.parts.iter().map(|p| {
        let source = match p.source {
            crate::check::PartSource::Declared => "declared",
            crate::check::PartSource::Derived => "from_parts",
            crate::check::PartSource::NotApplicable => "not_applicable",
        };
        object(vec![
            ("id", Json::String(p.id.clone())),
            ("title", Json::String(p.title.clone())),
            ("score", super::json::opt_number(p.score)),
            ("source", Json::String(source.into())),
        ])
    });
    object(vec![
        ("id", Json::String(x.id.clone())),
        ("title", Json::String(x.title.clone())),
        ("declared", super::json::number(x.declared)),
        ("from_parts", super::json::number(x.from_parts)),
        ("difference", super::json::number(x.difference())),
        ("parts", Json::Array(parts.collect())),
    ])
}

pub fn check_markdown(c: &Check, opts: &Opts) -> String {
    let l = opts.lang;
    let mut out = format!(
        "## {}\n\n| {} | {} | {} | {} | {} | {} |\n|---|---|--:|--:|--:|---|\n",
        cell(&c.subject),
        l.t(Msg::Indicator),
        l.t(Msg::Id),
        l.t(Msg::Declared),
        l.t(Msg::Computed),
        l.t(Msg::Difference),
        l.t(Msg::Verdict)
    );
    for x in &c.claims {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            cell(&x.title),
            cell(&x.id),
            display(x.declared),
            super::score_text(x.computed),
            signed(x.difference()),
            x.verdict.text(l)
        ));
    }
    out.push_str(&format!("\n{}", status_line(c, opts)));
    let details = discrepancies(c, opts);
    if !details.is_empty() {
        out.push('\n');
        out.push_str(&super::markdown::fenced(&details));
    }
    out
}

/// The columns of `check --format csv`: one row per declared score.
pub(crate) const CHECK_CSV_COLUMNS: [&str; 9] =
    ["file", "subject", "period", "id", "title", "declared", "computed", "difference", "verdict"];

pub fn check_csv(checks: &[Check]) -> String {
    let mut out = format!("{}{}", super::csv::BOM, super::csv::line(&CHECK_CSV_COLUMNS.map(String::from)));
    for c in checks {
        out.push_str(&check_csv_rows(c));
    }
    out
}

/// One file's rows of [`check_csv`].
pub fn check_csv_rows(c: &Check) -> String {
    let mut out = String::new();
    // The claims, then the 表内不平衡 (computed: what the declared parts give).
    let claims = c.claims.iter().map(|x| {
        let (computed, difference) = (super::csv::opt(x.computed), super::csv::opt(x.difference()));
        (&x.id, &x.title, x.declared, computed, difference, x.verdict.name())
    });
    let imbalances = c
        .imbalances
        .iter()
        .map(|x| (&x.id, &x.title, x.declared, display(x.from_parts), display(x.difference()), "imbalance"));
    for (id, title, declared, computed, difference, verdict) in claims.chain(imbalances) {
        out.push_str(&super::csv::line(&[
            c.file.clone(),
            c.subject.clone(),
            c.period.clone().unwrap_or_default(),
            id.clone(),
            title.clone(),
            display(declared),
            computed,
            difference,
            verdict.to_owned(),
        ]));
    }
    out
}

/// What a veto did, in one line: `一票否决 X：总分 72.5 封顶为 59（−13.5），等级 中 → 差`.
pub fn veto_effect(v: &crate::explain::VetoEffect, e: &Evaluation, lang: Lang) -> String {
    let name = v.veto.title.clone().map_or_else(|| v.veto.id.clone(), |t| format!("{t} ({})", v.veto.id));
    let mut what = Vec::new();
    if let Some(cap) = v.veto.cap {
        let (before, cap) = (display(v.total_before), display(cap));
        what.push(if v.lost.is_zero() {
            tr!(
                lang,
                "总分封顶 {cap}（另一项封顶更低或未超出）",
                "total capped at {cap} (another cap is lower, or not reached)"
            )
        } else {
            tr!(lang, "总分 {before} 封顶为 {cap}（扣 {}）", "total {before} capped at {cap} (−{})", display(v.lost))
        });
    }
    if let Some(grade) = &v.veto.grade {
        let before = v.grade_before.as_deref().unwrap_or("—");
        let after = e.grade.as_deref().unwrap_or("—");
        what.push(tr!(
            lang,
            "等级定为 {grade}（原为 {before}，现为 {after}）",
            "grade set to {grade} (was {before}, now {after})"
        ));
    }
    tr!(lang, "{} {name}：{}", "{} {name}: {}", lang.t(Msg::Veto), what.join(lang.t(Msg::Comma)))
}

/// `explain` as text: the vetoes that fired, each lost point with its rule and what would earn
/// more, bonus points not earned, then the parts of all that was lost.
pub fn explain_text(e: &Evaluation, x: &Explanation, opts: &Opts) -> String {
    let l = opts.lang;
    let mut out = heading(e);
    for v in &x.vetoes {
        out.push_str(&format!("{}\n", veto_effect(v, e, l)));
    }
    if x.losses.is_empty() {
        out.push_str(&format!("{}\n", l.t(Msg::NothingLost)));
    }
    for (i, loss) in x.losses.iter().enumerate() {
        // Chinese punctuation under zh: 得分 3 / 5，扣分 2; 规则：….
        let (colon, comma) = (l.t(Msg::Colon), l.t(Msg::Comma));
        out.push_str(&format!(
            "{}. {}  {} {} / {}{comma}{} {}\n",
            i + 1,
            loss.path.join(" › "),
            l.t(Msg::Score),
            display(loss.score),
            display(loss.points),
            l.t(Msg::Lost),
            display(loss.lost)
        ));
        let rule = super::detail_with_inputs(&loss.detail, &loss.shown);
        out.push_str(&format!("   {}{colon}{rule}\n", l.t(Msg::Rule)));
        if let Some(advice) = &loss.advice {
            out.push_str(&format!("   {}{colon}{advice}\n", l.t(Msg::ToEarnMore)));
        }
    }
    for missed in &x.bonus_missed {
        out.push_str(&format!("{}\n", bonus_missed(missed, l)));
    }
    if !x.total_lost.is_zero() {
        out.push_str(&section_summary(x, e, opts));
    }
    out
}

/// A bonus leaf that earned less than its points: `加分项 X：得 0.5 / 2，未得加分 1.5`.
pub(crate) fn bonus_missed(loss: &crate::explain::Loss, lang: Lang) -> String {
    let (score, points, missed) = (display(loss.score), display(loss.points), display(loss.lost));
    tr!(
        lang,
        "{} {}：得 {score} / {points}，未得加分 {missed}（不计入扣分）",
        "{} {}: {score} of {points}, bonus not earned {missed} (not a loss)",
        lang.t(Msg::Bonus),
        loss.path.join(" › ")
    )
}

fn section_summary(x: &Explanation, e: &Evaluation, opts: &Opts) -> String {
    let l = opts.lang;
    let parts: Vec<String> = x
        .by_section
        .iter()
        .zip(x.section_shares())
        .map(|((title, lost), share)| {
            format!("{title} {} ({})", display(*lost), super::share(share.unwrap_or_default(), e.rubric.figures()))
        })
        .collect();
    let (colon, comma, semicolon) = (l.t(Msg::Colon), l.t(Msg::Comma), l.pick("；", "; "));
    format!(
        "{}{colon}{}{semicolon}{} {}\n",
        l.t(Msg::LostBySection),
        parts.join(comma),
        l.t(Msg::InAll),
        display(x.total_lost)
    )
}

pub fn explain_markdown(e: &Evaluation, x: &Explanation, opts: &Opts) -> String {
    let l = opts.lang;
    let mut out = format!("## {}\n\n", cell(&e.subject));
    for v in &x.vetoes {
        out.push_str(&format!("**{}**\n\n", cell(&veto_effect(v, e, l))));
    }
    out.push_str(&format!(
        "| # | {} | {} | {} | {} | {} | {} |\n|--:|---|--:|--:|--:|---|---|\n",
        l.t(Msg::Indicator),
        l.t(Msg::Points),
        l.t(Msg::Score),
        l.t(Msg::Lost),
        l.t(Msg::Rule),
        l.t(Msg::ToEarnMore)
    ));
    for (i, loss) in x.losses.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            cell(&loss.path.join(" › ")),
            display(loss.points),
            display(loss.score),
            display(loss.lost),
            cell(&super::detail_with_inputs(&loss.detail, &loss.shown)),
            cell(loss.advice.as_deref().unwrap_or(""))
        ));
    }
    for missed in &x.bonus_missed {
        out.push_str(&format!("\n{}\n", cell(&bonus_missed(missed, l))));
    }
    if !x.total_lost.is_zero() {
        out.push_str(&format!("\n{}", section_summary(x, e, opts)));
    }
    out
}

pub fn explain_json(e: &Evaluation, x: &Explanation) -> Json {
    let mut m = Map::new();
    m.insert("file".into(), Json::String(e.file.clone()));
    m.insert("subject".into(), Json::String(e.subject.clone()));
    m.insert("total".into(), super::json::number(e.total));
    m.insert("max".into(), super::json::number(e.max));
    m.insert("lost".into(), super::json::number(x.total_lost));
    let losses = x
        .losses
        .iter()
        .map(|loss| {
            let mut o = Map::new();
            o.insert("id".into(), Json::String(loss.id.clone()));
            o.insert("path".into(), Json::Array(loss.path.iter().cloned().map(Json::String).collect()));
            o.insert("points".into(), super::json::number(loss.points));
            o.insert("score".into(), super::json::number(loss.score));
            o.insert("lost".into(), super::json::number(loss.lost));
            o.insert("method".into(), Json::String(loss.method.name().into()));
            o.insert("rule".into(), Json::String(loss.rule.to_string()));
            o.insert("detail".into(), Json::String(loss.detail.clone()));
            o.insert("advice".into(), loss.advice.clone().map_or(Json::Null, Json::String));
            Json::Object(o)
        })
        .collect();
    m.insert("losses".into(), Json::Array(losses));
    let vetoes = x
        .vetoes
        .iter()
        .map(|v| {
            let mut o = Map::new();
            o.insert("id".into(), Json::String(v.veto.id.clone()));
            o.insert("total_before".into(), super::json::number(v.total_before));
            o.insert("grade_before".into(), v.grade_before.clone().map_or(Json::Null, Json::String));
            o.insert("lost".into(), super::json::number(v.lost));
            Json::Object(o)
        })
        .collect();
    m.insert("vetoes".into(), Json::Array(vetoes));
    let missed = x
        .bonus_missed
        .iter()
        .map(|b| {
            let mut o = Map::new();
            o.insert("id".into(), Json::String(b.id.clone()));
            o.insert("points".into(), super::json::number(b.points));
            o.insert("score".into(), super::json::number(b.score));
            Json::Object(o)
        })
        .collect();
    m.insert("bonus_missed".into(), Json::Array(missed));
    let sections = x
        .by_section
        .iter()
        .map(|(t, lost)| {
            let mut o = Map::new();
            o.insert("title".into(), Json::String(t.clone()));
            o.insert("lost".into(), super::json::number(*lost));
            Json::Object(o)
        })
        .collect();
    m.insert("by_section".into(), Json::Array(sections));
    Json::Object(m)
}

/// JSON text: with `lines` (`--format jsonl`) one compact document per value and line;
/// otherwise pretty text of one value, or an array of several.
pub fn json_text(values: Vec<Json>, lines: bool) -> String {
    if lines {
        return values.iter().map(|v| serde_json::to_string(v).unwrap_or_default() + "\n").collect();
    }
    let doc = if values.len() == 1 { values.into_iter().next().unwrap_or(Json::Null) } else { Json::Array(values) };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn value_text(v: &Option<crate::expr::Value>) -> String {
    v.as_ref().map_or_else(|| "—".to_owned(), ToString::to_string)
}

/// `diff` as tables: the total, the changed nodes, the changed inputs.
/// Each side of a diff: whose, which file, under which rubric (by title, id and fingerprint),
/// so that two rubrics compared on one data file are told apart.
fn diff_sides(old: &Evaluation, new: &Evaluation, opts: &Opts) -> String {
    let l = opts.lang;
    let side = |label: Msg, e: &Evaluation| {
        let rubric = super::rubric_tag(&e.rubric.id, &e.rubric.fingerprint);
        format!("{}{}{} ({}) · {} ({rubric})\n", l.t(label), l.t(Msg::Colon), e.subject, e.file, e.rubric.title)
    };
    format!("{}{}", side(Msg::Old, old), side(Msg::New, new))
}

pub fn diff_table(old: &Evaluation, new: &Evaluation, d: &crate::diff::Diff, opts: &Opts) -> String {
    let l = opts.lang;
    let grade = |g: &Option<String>| g.as_deref().map(|g| format!(" {g}")).unwrap_or_default();
    let mut out = format!(
        "{} {}{} → {}{} ({})\n",
        l.t(Msg::Total),
        display(d.old_total),
        grade(&d.old_grade),
        display(d.new_total),
        grade(&d.new_grade),
        signed(Some(d.new_total - d.old_total)),
    );
    out.push_str(&diff_sides(old, new, opts));
    if !d.nodes.is_empty() {
        let header = [l.t(Msg::Indicator), l.t(Msg::Id), l.t(Msg::Old), l.t(Msg::New), l.t(Msg::Change)];
        let mut t = table(opts, &header, &[2, 3, 4]);
        for c in &d.nodes {
            t.add_row(vec![
                c.title.clone(),
                c.id.clone(),
                super::score_text(c.old),
                super::score_text(c.new),
                signed(Some(c.change())),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !d.inputs.is_empty() {
        let header = [l.t(Msg::ChangedInputs), l.t(Msg::Old), l.t(Msg::New)];
        let mut t = table(opts, &header, &[]);
        for c in &d.inputs {
            t.add_row(vec![c.name.clone(), value_text(&c.old), value_text(&c.new)]);
        }
        out.push_str(&format!("{t}\n"));
    }
    out
}

pub fn diff_markdown(old: &Evaluation, new: &Evaluation, d: &crate::diff::Diff, opts: &Opts) -> String {
    let l = opts.lang;
    let mut out = format!(
        "## {} → {}\n\n{} {} → {} ({})\n\n| {} | {} | {} | {} | {} |\n|---|---|--:|--:|--:|\n",
        cell(&old.file),
        cell(&new.file),
        l.t(Msg::Total),
        display(d.old_total),
        display(d.new_total),
        signed(Some(d.new_total - d.old_total)),
        l.t(Msg::Indicator),
        l.t(Msg::Id),
        l.t(Msg::Old),
        l.t(Msg::New),
        l.t(Msg::Change)
    );
    for c in &d.nodes {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&c.title),
            cell(&c.id),
            super::score_text(c.old),
            super::score_text(c.new),
            signed(Some(c.change()))
        ));
    }
    if !d.inputs.is_empty() {
        out.push_str(&format!(
            "\n| {} | {} | {} |\n|---|---|---|\n",
            l.t(Msg::ChangedInputs),
            l.t(Msg::Old),
            l.t(Msg::New)
        ));
        for c in &d.inputs {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&c.name),
                cell(&value_text(&c.old)),
                cell(&value_text(&c.new))
            ));
        }
    }
    out
}

pub fn diff_json(old: &Evaluation, new: &Evaluation, d: &crate::diff::Diff) -> Json {
    let num = super::json::opt_number;
    let val = |v: &Option<crate::expr::Value>| v.as_ref().map_or(Json::Null, super::json::value);
    let mut m = Map::new();
    m.insert("old".into(), Json::String(old.file.clone()));
    m.insert("new".into(), Json::String(new.file.clone()));
    m.insert("old_total".into(), super::json::number(d.old_total));
    m.insert("new_total".into(), super::json::number(d.new_total));
    m.insert("change".into(), super::json::number(d.new_total - d.old_total));
    m.insert("old_grade".into(), d.old_grade.clone().map_or(Json::Null, Json::String));
    m.insert("new_grade".into(), d.new_grade.clone().map_or(Json::Null, Json::String));
    let nodes = d
        .nodes
        .iter()
        .map(|c| {
            let mut o = Map::new();
            o.insert("id".into(), Json::String(c.id.clone()));
            o.insert("title".into(), Json::String(c.title.clone()));
            o.insert("old".into(), num(c.old));
            o.insert("new".into(), num(c.new));
            o.insert("change".into(), super::json::number(c.change()));
            Json::Object(o)
        })
        .collect();
    m.insert("nodes".into(), Json::Array(nodes));
    let inputs = d
        .inputs
        .iter()
        .map(|c| {
            let mut o = Map::new();
            o.insert("name".into(), Json::String(c.name.clone()));
            o.insert("old".into(), val(&c.old));
            o.insert("new".into(), val(&c.new));
            Json::Object(o)
        })
        .collect();
    m.insert("inputs".into(), Json::Array(inputs));
    Json::Object(m)
}

/// A place as JSON: `file`, `line` and `column` (null when not a place in a text), and for a
/// workbook `sheet` and `cell` (`"E5"`, or null for a whole sheet).
fn location(file: &str, pos: &crate::diag::Pos) -> Map<String, Json> {
    use crate::diag::Pos;
    let mut o = Map::new();
    o.insert("file".into(), Json::String(file.to_owned()));
    o.insert("line".into(), pos.line().map_or(Json::Null, Json::from));
    o.insert("column".into(), pos.col().map_or(Json::Null, Json::from));
    if let Pos::Book(place) = pos {
        let cell = place.cell.map(|(row, col)| format!("{}{}", crate::diag::column_letters(col), u64::from(row) + 1));
        o.insert("sheet".into(), Json::String(place.sheet.to_string()));
        o.insert("cell".into(), cell.map_or(Json::Null, Json::String));
    }
    o
}

/// `validate --format json`: every diagnostic, located.
pub fn validate_json(diags: &[crate::diag::Diagnostic]) -> Json {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let list = diags
        .iter()
        .map(|d| {
            let mut o = location(&d.file, &d.pos);
            o.insert("severity".into(), Json::String(d.severity.to_string()));
            o.insert("message".into(), Json::String(d.message.clone()));
            if let Some(also) = &d.also {
                o.insert("also".into(), Json::Object(location(&d.file, also)));
            }
            Json::Object(o)
        })
        .collect();
    serde_json::json!({
        "ok": errors == 0,
        "errors": errors,
        "warnings": diags.len() - errors,
        "diagnostics": Json::Array(list),
    })
}
