//! `--format json` (SPEC §6.1): the whole tree, exact digits, nulls for dropped nodes.

use crate::engine::{Evaluation, NodeResult};
use crate::expr::Value;
use crate::number::display;
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};

/// A JSON number with exactly the decimal's digits (no trailing zeros, never via f64).
pub fn number(d: Decimal) -> Json {
    display(d).parse::<serde_json::Number>().map(Json::Number).unwrap_or(Json::Null)
}

pub(crate) fn opt_number(d: Option<Decimal>) -> Json {
    d.map_or(Json::Null, number)
}

fn opt_text(s: Option<&str>) -> Json {
    s.map_or(Json::Null, |s| Json::String(s.to_owned()))
}

pub fn evaluation_value(e: &Evaluation) -> Json {
    let mut m = Map::new();
    m.insert("file".into(), Json::String(e.file.clone()));
    m.insert("subject".into(), Json::String(e.subject.clone()));
    m.insert("period".into(), opt_text(e.period.as_deref()));
    let mut rubric = Map::new();
    rubric.insert("id".into(), Json::String(e.rubric.id.clone()));
    rubric.insert("title".into(), Json::String(e.rubric.title.clone()));
    rubric.insert("version".into(), opt_text(e.rubric.version.as_deref()));
    rubric.insert("fingerprint".into(), Json::String(e.rubric.fingerprint.clone()));
    rubric.insert("path".into(), opt_text(e.rubric.path.as_deref()));
    m.insert("rubric".into(), Json::Object(rubric));
    m.insert("max".into(), number(e.max));
    m.insert("total".into(), number(e.total));
    m.insert("grade".into(), opt_text(e.grade.as_deref()));
    let vetoes = e
        .vetoes
        .iter()
        .map(|v| {
            let mut o = Map::new();
            o.insert("id".into(), Json::String(v.id.clone()));
            o.insert("title".into(), opt_text(v.title.as_deref()));
            o.insert("cap".into(), opt_number(v.cap));
            o.insert("grade".into(), opt_text(v.grade.as_deref()));
            Json::Object(o)
        })
        .collect();
    m.insert("vetoes".into(), Json::Array(vetoes));
    m.insert("warnings".into(), Json::Array(e.warnings.iter().cloned().map(Json::String).collect()));
    m.insert("nodes".into(), Json::Array(e.nodes.iter().map(node_value).collect()));
    if !e.declared.is_empty() {
        let mut d = Map::new();
        for (k, v) in &e.declared {
            d.insert(k.clone(), number(*v));
        }
        m.insert("declared".into(), Json::Object(d));
    }
    Json::Object(m)
}

fn node_value(n: &NodeResult) -> Json {
    let mut m = Map::new();
    m.insert("id".into(), Json::String(n.id.clone()));
    m.insert("title".into(), Json::String(n.title.clone()));
    m.insert("points".into(), number(n.points));
    m.insert("score".into(), opt_number(n.score));
    m.insert("lost".into(), opt_number(n.lost()));
    m.insert("status".into(), Json::String(n.status.name().into()));
    if let Some(reason) = &n.reason {
        m.insert("reason".into(), Json::String(reason.clone()));
    }
    if let Some(s) = &n.standard {
        m.insert("standard".into(), Json::String(s.clone()));
    }
    if let Some(s) = n.rescaled_from {
        m.insert("unscaled".into(), number(s));
    }
    if let Some(leaf) = &n.leaf {
        m.insert("method".into(), Json::String(leaf.method.name().into()));
        let mut inputs = Map::new();
        for (name, v) in &leaf.inputs {
            inputs.insert(name.clone(), value(v));
        }
        m.insert("inputs".into(), Json::Object(inputs));
        m.insert("rule".into(), Json::String(leaf.rule.to_string()));
        m.insert("detail".into(), Json::String(leaf.detail.clone()));
    }
    if !n.children.is_empty() {
        m.insert("children".into(), Json::Array(n.children.iter().map(node_value).collect()));
    }
    Json::Object(m)
}

pub(crate) fn value(v: &Value) -> Json {
    match v {
        Value::Number(d) => number(*d),
        Value::Bool(b) => Json::Bool(*b),
        Value::Text(t) => Json::String(t.clone()),
    }
}
