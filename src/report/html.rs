//! `--format html`: one self-contained report page (no scripts, fonts or stylesheets from
//! elsewhere), printable on A4.
//!
//! The page is the minijinja template `templates/report.html`, rendered with HTML auto-escaping
//! from the JSON result ([`super::json::evaluation_value`] and [`super::analysis::explain_json`])
//! and the labels of the report's language. Every JSON number reaches the template as the text
//! of its exact digits, so the page shows `92.7` exactly as `--format json` does.

use super::Opts;
use crate::engine::{Evaluation, NodeResult};
use crate::explain::Explanation;
use crate::lang::{Lang, Msg};
use crate::number::Figures;
use minijinja::value::{Serde, Value};
use minijinja::{Environment, HtmlEscape, UndefinedBehavior};
use serde_json::{Map, Value as Json};

const TEMPLATE: &str = include_str!("../../templates/report.html");
/// The name decides the auto-escaping: `.html` escapes for HTML.
const NAME: &str = "report.html";

/// The labels only this page uses: (key, Chinese, English).
const LABELS: &[(&str, &str, &str)] = &[
    ("report_title", "预算绩效自评报告", "Budget performance self-evaluation"),
    ("rubric", "评分办法", "Rubric"),
    ("sections", "各部分得分", "Score by section"),
    ("bar_note", "条长为分值，深色为得分", "bar length is the points; the dark part is the score"),
    ("losses", "扣分说明", "Where points were lost"),
    ("breakdown", "评分明细", "Full breakdown"),
    ("na_items", "不适用指标", "Indicators not applicable"),
    ("reason", "原因", "Reason"),
    ("dropped", "不计分，其分值按权重分配给同级指标", "not scored; its points are shared among its siblings"),
    ("vetoes", "触发的一票否决", "Vetoes applied"),
    ("warnings", "提示", "Warnings"),
    ("semicolon", "；", "; "),
    ("file", "数据文件", "Data file"),
];

/// The labels the page shares with the other reports, from the catalogue.
const MSGS: &[(&str, Msg)] = &[
    ("indicator", Msg::Indicator),
    ("points", Msg::Points),
    ("score", Msg::Score),
    ("lost", Msg::Lost),
    ("basis", Msg::Basis),
    ("total", Msg::Total),
    ("grade", Msg::Grade),
    ("period", Msg::Period),
    ("standard", Msg::Standard),
    ("version", Msg::Version),
    ("weight", Msg::Weight),
    ("not_applicable", Msg::NotApplicable),
    ("bonus", Msg::Bonus),
    ("rescaled", Msg::Rescaled),
    ("capped_at", Msg::CappedAt),
    ("grade_set_to", Msg::GradeSetTo),
    ("advice", Msg::ToEarnMore),
    ("rule", Msg::Rule),
    ("by_section", Msg::LostBySection),
    ("nothing_lost", Msg::NothingLost),
    ("in_all", Msg::InAll),
    ("colon", Msg::Colon),
    ("comma", Msg::Comma),
    ("unsure", Msg::ManualShare),
    ("unsure_long", Msg::FromManual),
];

/// The catalogue labels the page uses mid-sentence, left lower-case in English.
const MID_SENTENCE: &[&str] = &["in_all", "capped_at", "grade_set_to", "colon", "comma"];

fn labels(lang: Lang) -> Json {
    let mut m = Map::new();
    for (key, zh, en) in LABELS {
        m.insert((*key).into(), Json::String(lang.pick(zh, en).to_string()));
    }
    for (key, msg) in MSGS {
        let text = lang.t(*msg);
        // Most labels start a line or a column here; the catalogue's lower-case ones are for
        // mid-sentence, as these few still are.
        let text = match lang {
            Lang::En if !MID_SENTENCE.contains(key) => capitalised(text),
            _ => text.to_owned(),
        };
        m.insert((*key).into(), Json::String(text));
    }
    Json::Object(m)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The same JSON with every number and boolean as its JSON text: numbers as their digits
/// (exact: the JSON numbers are arbitrary precision, and the template only shows them or
/// measures bars with them). No `serde_json::Number` may reach minijinja: with
/// `arbitrary_precision` it serializes as a map.
fn digits(v: Json) -> Json {
    match v {
        Json::Number(n) => Json::String(n.to_string()),
        // Inputs' booleans as JSON and the other reports write them (minijinja would say `True`).
        Json::Bool(b) => Json::String(b.to_string()),
        Json::Array(items) => Json::Array(items.into_iter().map(digits).collect()),
        Json::Object(m) => Json::Object(m.into_iter().map(|(k, v)| (k, digits(v))).collect()),
        other => other,
    }
}

/// The JSON nodes depth first, numbers as digits, without their children, each with its `depth`
/// (sections are 1), whether it is a `branch`, its `weight` (share of the whole maximum, as
/// a percent), which the JSON leaves out, and its inputs as people read them.
fn flatten(json: &[Json], nodes: &[NodeResult], depth: usize, figures: Figures, out: &mut Vec<Json>) {
    for (j, n) in json.iter().zip(nodes) {
        let mut row = match digits(j.clone()) {
            Json::Object(row) => row,
            _ => Map::new(),
        };
        let children = row.remove("children");
        row.insert("depth".into(), Json::String(depth.to_string()));
        row.insert("branch".into(), Json::Bool(!n.children.is_empty()));
        row.insert("weight".into(), n.weight.map_or(Json::Null, |w| Json::String(super::share(w, figures))));
        if let Some(leaf) = &n.leaf {
            row.insert("inputs".into(), shown(&leaf.shown));
        }
        out.push(Json::Object(row));
        if let Some(Json::Array(children)) = children {
            flatten(&children, &n.children, depth + 1, figures, out);
        }
    }
}

/// `explain_json` with what the page adds: each section's share of the points lost, and each
/// loss's inputs.
fn explained(e: &Evaluation, x: &Explanation) -> Json {
    let mut v = super::analysis::explain_json(e, x);
    if let Some(sections) = v.get_mut("by_section").and_then(Json::as_array_mut) {
        for (s, share) in sections.iter_mut().zip(x.section_shares()) {
            if let Some(o) = s.as_object_mut() {
                o.insert("share".into(), Json::String(super::share(share.unwrap_or_default(), e.rubric.figures())));
            }
        }
    }
    if let Some(losses) = v.get_mut("losses").and_then(Json::as_array_mut) {
        for (loss, source) in losses.iter_mut().filter_map(Json::as_object_mut).zip(&x.losses) {
            loss.insert("inputs".into(), shown(&source.shown));
        }
    }
    v
}

/// Inputs as people read them, for the page.
fn shown(inputs: &[String]) -> Json {
    Json::Array(inputs.iter().cloned().map(Json::String).collect())
}

fn context(e: &Evaluation, x: &Explanation, lang: Lang) -> Json {
    let result = super::json::evaluation_value(e);
    let mut rows = Vec::new();
    if let Some(nodes) = result.get("nodes").and_then(Json::as_array) {
        flatten(nodes, &e.nodes, 1, e.rubric.figures(), &mut rows);
    }
    let explained = explained(e, x);
    let mut m = Map::new();
    m.insert("r".into(), digits(result));
    m.insert("x".into(), digits(explained));
    m.insert("rows".into(), Json::Array(rows));
    m.insert("unsure".into(), Json::String(super::share(e.unsure_share, e.rubric.figures())));
    m.insert("t".into(), labels(lang));
    let sign_off = super::sign_off(&e.report, lang)
        .into_iter()
        .map(|(label, value)| serde_json::json!({ "label": label, "value": value }))
        .collect();
    m.insert("sign_off".into(), Json::Array(sign_off));
    m.insert("html_lang".into(), Json::String(lang.pick("zh-CN", "en").into()));
    m.insert("version".into(), Json::String(env!("CARGO_PKG_VERSION").into()));
    Json::Object(m)
}

fn page(template: &str, name: &str, ctx: &Json) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_syntax(minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build()?);
    env.add_template(name, template)?;
    let mut text = env.get_template(name)?.render(Value::from(Serde(ctx)))?;
    text.push('\n');
    Ok(text)
}

/// The report of one evaluation as a self-contained HTML page.
pub fn render(e: &Evaluation, x: &Explanation, opts: &Opts) -> String {
    page_from(TEMPLATE, NAME, &context(e, x, opts.lang))
}

/// A page rendered from `template` (named `name`: `.html` escapes for HTML) with `ctx`.
pub(crate) fn page_from(template: &str, name: &str, ctx: &Json) -> String {
    page(template, name, ctx).unwrap_or_else(|err| {
        // The template is fixed and tested: this is a bug, but still a page that says so.
        let detail = err.to_string();
        format!(
            "<!doctype html>\n<meta charset=\"utf-8\">\n<title>selfeval</title>\n<pre>{}</pre>\n",
            HtmlEscape(&detail)
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::{FiredVeto, LeafResult, RubricInfo, Status};
    use crate::expr::Value as V;
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn leaf(id: &str, points: &str, score: Option<&str>, status: Status) -> NodeResult {
        NodeResult {
            id: id.into(),
            title: format!("指标<{id}>"),
            points: d(points),
            score: score.map(d),
            status,
            bonus: status == Status::Bonus,
            reason: (status == Status::NotApplicable).then(|| "本年度无此事项 <i>".to_owned()),
            standard: None,
            rescaled_from: None,
            weight: score.filter(|_| status != Status::Bonus).map(|_| d("0.25")),
            leaf: Some(LeafResult {
                method: crate::method::MethodKind::Ratio,
                inputs: vec![("rate".into(), V::Number(d("97.50"))), ("ok".into(), V::Bool(true))],
                shown: vec!["完成率 = 97.50%".into(), "达标 = 是".into()],
                rule: crate::method::Rule::Proportion,
                detail: "actual 97.5 / target 100".into(),
                rate: None,
            }),
            children: vec![],
        }
    }

    fn evaluation() -> Evaluation {
        let section = NodeResult {
            id: "s".into(),
            title: "部分 & 一".into(),
            points: d("8"),
            score: Some(d("7.80")),
            status: Status::Scored,
            bonus: false,
            reason: None,
            standard: Some("标准 \"<x>\"".into()),
            rescaled_from: Some(d("3.9")),
            weight: Some(d("0.5")),
            leaf: None,
            children: vec![leaf("a", "4", Some("3.9"), Status::Scored), leaf("b", "4", None, Status::NotApplicable)],
        };
        Evaluation {
            file: "d/<data>.yaml".into(),
            subject: "单位 <script>alert(1)</script>".into(),
            period: None,
            rubric: RubricInfo {
                id: "r".into(),
                title: "办法".into(),
                version: None,
                fingerprint: "0123456789ab".into(),
                path: None,
                precision: crate::rubric::Precision::default(),
                rounding: crate::number::RoundingMode::default(),
            },
            max: d("10"),
            total: d("6.0"),
            before_vetoes: d("9.4"),
            grade: None,
            vetoes: vec![FiredVeto {
                id: "major".into(),
                title: Some("重大违规".into()),
                cap: Some(d("6")),
                grade: Some("差".into()),
            }],
            warnings: vec!["注意 <this>".into()],
            nodes: vec![section, leaf("bonus", "2", Some("1.5"), Status::Bonus)],
            declared: vec![],
            report: crate::data::ReportInfo { preparer: Some("张三 <b>".into()), ..Default::default() },
            unsure_share: d("0.4"),
        }
    }

    fn explanation() -> Explanation {
        Explanation {
            vetoes: vec![],
            losses: vec![],
            bonus_missed: vec![],
            by_section: vec![("部分 & 一".into(), d("0.2"))],
            total_lost: d("4"),
        }
    }

    #[test]
    fn renders_every_part_escaped_with_exact_digits() {
        let html = render(&evaluation(), &explanation(), &Opts { lang: Lang::Zh, ..Opts::default() });
        assert!(html.starts_with("<!doctype html>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("指标&lt;a&gt;"));
        // Trailing zeros kept as the JSON keeps them (Decimal digits).
        assert!(html.contains("<span class=\"value\">6</span>"), "{html}");
        assert!(html.contains("重大违规") && html.contains("封顶 6") && html.contains("等级定为 差"), "{html}");
        assert!(html.contains("注意 &lt;this&gt;"));
        assert!(html.contains("本年度无此事项 &lt;i&gt;"));
        assert!(html.contains("加分项") && html.contains("不适用指标"));
        assert!(html.contains("按权重折算：3.9 → 7.8"), "{html}");
        assert!(html.contains("没有扣分项"));
        // Inputs as people read them (`LeafResult::shown`), not the JSON's names and values.
        assert!(html.contains("<code>完成率 = 97.50%</code>") && html.contains("<code>达标 = 是</code>"), "{html}");
        assert!(html.contains("40%"));
        // The sign-off ends the page: what the data file gives, escaped; blanks to fill by hand.
        assert!(html.contains("<span>填报人：</span><span class=\"line\">张三 &lt;b&gt;</span>"), "{html}");
        assert!(html.contains("<span>审核人：</span><span class=\"line\"></span>"), "{html}");
    }

    #[test]
    fn english_labels() {
        let html = render(&evaluation(), &explanation(), &Opts { lang: Lang::En, ..Opts::default() });
        assert!(html.contains("<html lang=\"en\">"));
        for label in ["Full breakdown", "Indicator", "Not applicable", "Bonus", "Vetoes applied", "capped at 6"] {
            assert!(html.contains(label), "{label} missing");
        }
        assert!(!html.contains("评分明细"));
    }
}
