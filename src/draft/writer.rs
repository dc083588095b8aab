//! The drafted rubric as YAML text. Written by hand rather than serialised, because the draft
//! needs comments (which phrasing each method was read from, the printed points that did not
//! add up, the TODOs); every text from the table goes through [`quoted`], and every comment
//! through [`comment`], so no title or standard can change the document's structure.

use super::phrasing::{Award, Band, FieldKind, FieldSpec, Method, Reading};
use super::tree::TableNode;
use crate::lang::Lang;
use crate::number::display;
use crate::tr;
use std::fmt::Write as _;

/// A YAML double-quoted scalar holding exactly `text`: `"` and `\` escaped, and every character
/// YAML does not allow as it is (controls, line and paragraph separators, byte-order marks,
/// non-characters) as `\uXXXX`.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a comment: one line, without control or separator characters.
pub(crate) fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}') { ' ' } else { c })
        .collect()
}

/// The rubric's head: what was drafted from where, and what to check.
pub(crate) struct Head<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    pub drafted: usize,
    pub manual: usize,
    pub indicator_precision: u32,
}

/// A leaf's reading, or `None` for a manual leaf (with why).
pub(crate) type Readings<'a> = dyn Fn(&str) -> Option<&'a Reading> + 'a;

pub(crate) fn write(head: &Head, sections: &[TableNode], reading: &Readings, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}",
        comment(&tr!(
            lang,
            "由 `selfeval draft` 从 {} 起草：{} 个指标读成评分方法，{} 个留作人工评分（见 # TODO）。",
            "Drafted by `selfeval draft` from {}: {} indicators read into methods, {} left manual (see # TODO).",
            head.source,
            head.drafted,
            head.manual
        ))
    );
    let _ = writeln!(
        out,
        "# {}",
        tr!(
            lang,
            "每个方法都要对照它的 standard（原表评分标准）核对后再用；字段名为 <指标 id>.<用途>。",
            "Check every method against its standard (the table's 评分标准) before use; fields are named <indicator id>.<role>."
        )
    );
    let _ = writeln!(out, "id: {}", quoted(head.id));
    let _ = writeln!(out, "title: {}", quoted(head.title));
    let _ = writeln!(out, "precision: {{ indicator: {}, total: 1 }}", head.indicator_precision);
    out.push_str("rounding: half_up\n");
    let mut fields: Vec<&FieldSpec> = Vec::new();
    collect_fields(sections, reading, &mut fields);
    if !fields.is_empty() {
        out.push_str("fields:\n");
        for f in fields {
            let _ = writeln!(out, "  {}: {}", f.name, field_map(f));
        }
    }
    out.push_str("sections:\n");
    for s in sections {
        node(&mut out, s, 1, reading, lang);
    }
    out
}

fn collect_fields<'a>(nodes: &[TableNode], reading: &Readings<'a>, out: &mut Vec<&'a FieldSpec>) {
    for n in nodes {
        if n.children.is_empty() {
            if let Some(r) = reading(&n.id) {
                out.extend(r.fields.iter());
            }
        } else {
            collect_fields(&n.children, reading, out);
        }
    }
}

fn field_map(f: &FieldSpec) -> String {
    let ty = match &f.kind {
        FieldKind::Percent => "percent".to_owned(),
        FieldKind::Number => "number".to_owned(),
        FieldKind::Integer => "integer".to_owned(),
        FieldKind::Bool => "bool".to_owned(),
        FieldKind::Level(levels) => {
            let list: Vec<String> = levels.iter().map(|l| quoted(l)).collect();
            format!("level, levels: [{}]", list.join(", "))
        }
    };
    let mut parts = vec![format!("type: {ty}")];
    if let Some(u) = &f.unit {
        parts.push(format!("unit: {}", quoted(u)));
    }
    parts.push(format!("label: {}", quoted(&f.label)));
    if let Some(m) = f.min {
        parts.push(format!("min: {}", display(m)));
    }
    if let Some(m) = f.max {
        parts.push(format!("max: {}", display(m)));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn node(out: &mut String, n: &TableNode, depth: usize, reading: &Readings, lang: Lang) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(out, "{pad}- id: {}", n.id);
    let inner = format!("{pad}  ");
    let _ = writeln!(out, "{inner}title: {}", quoted(&n.title));
    if let Some(e) = &n.explanation {
        let _ = writeln!(out, "{inner}# {}", comment(&tr!(lang, "指标解释：{e}", "explanation (指标解释): {e}")));
    }
    if !n.children.is_empty() {
        match n.printed {
            Some(p) if p != n.points => {
                let _ = writeln!(
                    out,
                    "{inner}# {}",
                    tr!(
                        lang,
                        "原表分值 {}，下级指标合计 {}：按下级合计",
                        "the table prints {} points; its children add up to {}, which this draft takes",
                        display(p),
                        display(n.points)
                    )
                );
            }
            Some(p) => {
                let _ = writeln!(out, "{inner}points: {}", display(p));
            }
            None => {}
        }
        if let Some(s) = &n.standard {
            let _ = writeln!(out, "{inner}standard: {}", quoted(s));
        }
        let _ = writeln!(out, "{inner}children:");
        for c in &n.children {
            node(out, c, depth + 2, reading, lang);
        }
        return;
    }
    let _ = writeln!(out, "{inner}points: {}", display(n.points));
    if let Some(s) = &n.standard {
        let _ = writeln!(out, "{inner}standard: {}", quoted(s));
    }
    match reading(&n.id) {
        Some(r) => {
            let _ = writeln!(
                out,
                "{inner}# {}",
                tr!(lang, "读作 {}：{}。请核对", "read as {}: {}. Check it", r.method.name(), r.phrasing.describe())
            );
            for note in &r.notes {
                let _ = writeln!(
                    out,
                    "{inner}# {}",
                    comment(&tr!(
                        lang,
                        "原文“{note}”：不适用时在数据文件的 not_applicable 中列出",
                        "the standard says “{note}”: list it under not_applicable in the data file when so"
                    ))
                );
            }
            method(out, &inner, &r.method);
        }
        None => {
            let why = if n.standard.is_some() {
                tr!(
                    lang,
                    "TODO 评分标准未能确定地读成评分方法：请人工评分（数据文件 manual:），或改写为评分方法",
                    "TODO the standard could not be read into a method with certainty: score it by hand (the data file's manual:) or write its method"
                )
            } else {
                tr!(
                    lang,
                    "TODO 原表没有评分标准：请人工评分，或补上评分方法",
                    "TODO the table gives no standard: score it by hand or write its method"
                )
            };
            let _ = writeln!(out, "{inner}# {why}");
            let _ = writeln!(out, "{inner}method: manual");
        }
    }
}

fn method(out: &mut String, pad: &str, m: &Method) {
    let _ = writeln!(out, "{pad}method: {}", m.name());
    match m {
        Method::Ratio { value, target, lower } => {
            let _ = writeln!(out, "{pad}value: {}", quoted(value));
            let _ = writeln!(out, "{pad}target: {}", quoted(target));
            if *lower {
                let _ = writeln!(out, "{pad}direction: lower");
            }
        }
        Method::Linear { value, full, zero } => {
            let _ = writeln!(out, "{pad}value: {}", quoted(value));
            let _ = writeln!(out, "{pad}full: {}", display(*full));
            let _ = writeln!(out, "{pad}zero: {}", display(*zero));
        }
        Method::Bands { value, bands } => {
            let _ = writeln!(out, "{pad}value: {}", quoted(value));
            let _ = writeln!(out, "{pad}bands:");
            for b in bands {
                let _ = writeln!(out, "{pad}  - {}", band(b));
            }
        }
        Method::Deduct { count, per, max } => {
            let _ = writeln!(out, "{pad}count: {}", quoted(count));
            let _ = writeln!(out, "{pad}per: {}", display(*per));
            if let Some(max) = max {
                let _ = writeln!(out, "{pad}max: {}", display(*max));
            }
        }
        Method::Checklist { items } => {
            let _ = writeln!(out, "{pad}items:");
            for (field, points) in items {
                let _ = writeln!(out, "{pad}  - {{ field: {}, points: {} }}", quoted(field), display(*points));
            }
        }
        Method::Levels { value, levels } => {
            let _ = writeln!(out, "{pad}value: {}", quoted(value));
            let map: Vec<String> = levels.iter().map(|(l, p)| format!("{}: {}", quoted(l), display(*p))).collect();
            let _ = writeln!(out, "{pad}levels: {{ {} }}", map.join(", "));
        }
        Method::Formula { expr } => {
            let _ = writeln!(out, "{pad}expr: {}", quoted(expr));
        }
    }
}

fn band(b: &Band) -> String {
    let mut parts = Vec::new();
    if let Some(l) = b.lower {
        parts.push(format!("{}: {}", if l.inclusive { "gte" } else { "gt" }, display(l.value)));
    }
    if let Some(u) = b.upper {
        parts.push(format!("{}: {}", if u.inclusive { "lte" } else { "lt" }, display(u.value)));
    }
    parts.push(match b.award {
        Award::Percent(p) => format!("percent: {}", display(p)),
        Award::Score(s) => format!("score: {}", display(s)),
    });
    format!("{{ {} }}", parts.join(", "))
}
