//! A rubric and the rubric library in the machine-readable formats (`show`, `rubrics`).

use super::json::number;
use super::markdown::cell;

use crate::lang::{Lang, Msg};
use crate::number::display;
use crate::rubric::{FieldType, Node, NodeKind, Rubric};
use serde_json::{Map, Value as Json};

fn text(s: &str) -> Json {
    Json::String(s.to_owned())
}

fn opt_text(s: Option<&str>) -> Json {
    s.map_or(Json::Null, text)
}

fn node_json(n: &Node) -> Json {
    let mut m = Map::new();
    m.insert("id".into(), text(&n.id));
    m.insert("title".into(), text(&n.title));
    m.insert("points".into(), number(n.points));
    if n.bonus {
        m.insert("bonus".into(), Json::Bool(true));
    }
    if n.scale {
        m.insert("scale".into(), Json::Bool(true));
    }
    if let Some(p) = n.not_applicable {
        m.insert("not_applicable".into(), text(p.name()));
    }
    if let Some(s) = &n.standard {
        m.insert("standard".into(), text(s));
    }
    match &n.kind {
        NodeKind::Leaf(method) => {
            m.insert("method".into(), text(method.name()));
        }
        NodeKind::Rows(spec) => {
            m.insert("rows".into(), text(&spec.source));
        }
        NodeKind::Branch(children) => {
            m.insert("children".into(), Json::Array(children.iter().map(node_json).collect()));
        }
    }
    Json::Object(m)
}

/// `show --format json`: the rubric's settings, fields and indicator tree.
pub fn rubric_json(r: &Rubric) -> Json {
    let mut m = Map::new();
    m.insert("id".into(), text(&r.id));
    m.insert("title".into(), text(&r.title));
    m.insert("version".into(), opt_text(r.version.as_deref()));
    m.insert("max".into(), number(r.max));
    m.insert("rounding".into(), text(r.rounding.name()));
    m.insert("precision".into(), serde_json::json!({ "indicator": r.precision.indicator, "total": r.precision.total }));
    m.insert("not_applicable".into(), text(r.not_applicable.name()));
    let grades = r.grades.iter().map(|g| serde_json::json!({ "min": number(g.min), "label": g.label })).collect();
    m.insert("grades".into(), Json::Array(grades));
    let fields = r
        .fields
        .iter()
        .map(|f| {
            let mut o = Map::new();
            o.insert("name".into(), text(&f.name));
            o.insert("type".into(), text(f.ty.name()));
            o.insert("label".into(), opt_text(f.label.as_deref()));
            o.insert("unit".into(), opt_text(f.unit.as_deref()));
            if let FieldType::Level(levels) = &f.ty {
                o.insert("levels".into(), Json::Array(levels.iter().map(|l| text(l)).collect()));
            }
            Json::Object(o)
        })
        .collect();
    m.insert("fields".into(), Json::Array(fields));
    m.insert("sections".into(), Json::Array(r.sections.iter().map(node_json).collect()));
    Json::Object(m)
}

fn leaves(r: &Rubric) -> usize {
    r.nodes().iter().filter(|n| !matches!(n.kind, NodeKind::Branch(_))).count()
}

/// `rubrics --format json`.
pub fn list_json(rubrics: &[&Rubric]) -> Json {
    Json::Array(
        rubrics
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "title": r.title, "version": r.version,
                    "max": number(r.max), "indicators": leaves(r)
                })
            })
            .collect(),
    )
}

/// `rubrics --format markdown|csv`: the markdown's header in the report's language, the CSV's
/// the same stable keys in every language (a machine format; docs/spec.md gives their meaning).
pub fn list_text(rubrics: &[&Rubric], markdown: bool, lang: Lang) -> String {
    let mut out = if markdown {
        let header =
            [lang.t(Msg::Id), lang.t(Msg::Title), lang.t(Msg::Version), lang.t(Msg::FullMarks), lang.t(Msg::Leaves)];
        format!("| {} |\n|---|---|---|--:|--:|\n", header.join(" | "))
    } else {
        format!(
            "{}{}",
            super::csv::BOM,
            super::csv::line(&["id", "title", "version", "max", "indicators"].map(String::from))
        )
    };
    for r in rubrics {
        let fields = [
            r.id.clone(),
            r.title.clone(),
            r.version.clone().unwrap_or_default(),
            display(r.max),
            leaves(r).to_string(),
        ];
        if markdown {
            out.push_str(&format!("| {} |\n", fields.map(|f| cell(&f)).join(" | ")));
        } else {
            out.push_str(&super::csv::line(&fields));
        }
    }
    out
}

/// `show --format markdown`: the indicator tree with points, method and standard.
/// How `show` names the way a node is scored: its method, the rows' list, or rescaling for a
/// branch whose children's points are weights — in Chinese words, or the rubric's keywords.
pub(crate) fn method_text(n: &Node, lang: Lang) -> String {
    match &n.kind {
        NodeKind::Leaf(m) => m.kind().label(lang).to_owned(),
        NodeKind::Rows(spec) => crate::tr!(lang, "绩效目标表（{}）", "rows: {}", spec.source),
        NodeKind::Branch(_) if n.scale => lang.pick("按权重折算", "scale").into(),
        NodeKind::Branch(_) => String::new(),
    }
}

/// A node's points as `show` writes them: a bonus node's with a `+`, as they add to the total.
pub(crate) fn points_text(n: &Node) -> String {
    if n.bonus { format!("+{}", display(n.points)) } else { display(n.points) }
}

pub fn show_markdown(r: &Rubric, lang: Lang) -> String {
    let header =
        [lang.t(Msg::Indicator), lang.t(Msg::Id), lang.t(Msg::Points), lang.t(Msg::Method), lang.t(Msg::Standard)];
    let mut out =
        format!("## {} ({})\n\n| {} |\n|---|---|--:|---|---|\n", cell(&r.title), cell(&r.id), header.join(" | "));
    fn add(out: &mut String, n: &Node, depth: usize, lang: Lang) {
        let indent = "&nbsp;&nbsp;".repeat(depth);
        let standard = cell(n.standard.as_deref().unwrap_or(""));
        out.push_str(&format!(
            "| {indent}{} | {} | {} | {} | {standard} |\n",
            cell(&n.title),
            cell(&n.id),
            points_text(n),
            cell(&method_text(n, lang))
        ));
        for c in n.children() {
            add(out, c, depth + 1, lang);
        }
    }
    for s in &r.sections {
        add(&mut out, s, 0, lang);
    }
    out
}
