//! `init` (SPEC §6): a data-file template for a rubric. Every field is a flat dotted key
//! (SPEC §5.1 accepts them), grouped under the indicator that first uses it, with its label,
//! type, unit, allowed levels and default as comments. Filling in the values is all it takes
//! to score it.

use crate::expr::Value;
use crate::lang::Lang;
use crate::method::Method;
use crate::number::display;
use crate::rubric::{Field, FieldType, Node, NodeKind, Rubric};
use crate::tr;
use std::fmt::Write;

/// A YAML data-file template for `rubric`; `rubric_ref` is what its `rubric:` key says. Without
/// one (a rubric file a data file could not name, SPEC §5.1) the template says to score it with
/// `-r spec`.
pub fn data_template(rubric: &Rubric, rubric_ref: Option<&str>, spec: &str, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} — {} ({})", lang.pick("数据文件模板", "Data file template"), rubric.title, rubric.id);
    let command = match rubric_ref {
        Some(_) => String::new(),
        None => format!("-r {} ", shell_word(spec)),
    };
    let _ = writeln!(
        out,
        "# {}",
        tr!(
            lang,
            "填写每个值后即可评分：selfeval score {command}本文件",
            "Fill in every value, then score it: selfeval score {command}THIS-FILE"
        )
    );
    let _ = writeln!(out, "subject: \"\"");
    let _ = writeln!(out, "period: \"\"");
    match rubric_ref {
        Some(r) => {
            let _ = writeln!(out, "rubric: {}", yaml_text(r));
        }
        None => {
            let _ = writeln!(
                out,
                "# {}",
                lang.pick("rubric: 未写出。数据文件只能指定内置指标体系，或其所在文件夹中的 .yaml/.yml 文件；请用 -r 评分", "rubric: not written. A data file names a built-in rubric or a .yaml/.yml file in its own folder; score it with -r")
            );
        }
    }
    let _ = writeln!(out, "values:");
    let mut placed: Vec<&str> = Vec::new();
    for section in &rubric.sections {
        for node in section.walk() {
            let names = node_inputs(rubric, node);
            let fresh: Vec<&Field> =
                names.iter().filter_map(|n| rubric.field(n)).filter(|f| !placed.contains(&f.name.as_str())).collect();
            if let NodeKind::Rows(spec) = &node.kind {
                let path: Vec<&str> = rubric.path(&node.id).iter().map(|n| n.title.as_str()).collect();
                let (path, points) = (path.join(" › "), display(node.points));
                let _ = writeln!(
                    out,
                    "{}",
                    tr!(
                        lang,
                        "  # ── {path}（绩效目标表，每个指标一行；分值 {points}）──",
                        "  # ── {path} (indicator table, one row per indicator: {points}) ──"
                    )
                );
                let points = match spec.row_points {
                    crate::rubric::RowPoints::Written => ", points:  ",
                    crate::rubric::RowPoints::Equal => "",
                };
                let _ = writeln!(out, "  {}:", spec.source);
                let _ = writeln!(
                    out,
                    "    - {{ name: \"\", unit: \"\", op: \">=\", target: , actual: {points}}}   # op: >= | <= | = | 定性"
                );
                let _ = writeln!(
                    out,
                    "    # {}",
                    lang.pick(
                        "目标值/完成值可照表填写：150万元、96.5%、2021年12月底前；或 { field: 字段名 } 取自字段",
                        "target/actual as printed: 150万元, 96.5%, 2021年12月底前; or { field: NAME } to take a field's value"
                    )
                );
                if spec.row_points == crate::rubric::RowPoints::Equal {
                    let _ = writeln!(
                        out,
                        "    # {}",
                        lang.pick(
                            "分值由各行平均分配，行内不写 points",
                            "points are shared equally; rows give no points"
                        )
                    );
                }
                if let Some(q) = &spec.qualitative {
                    let levels: Vec<&str> = q.iter().map(|(l, _)| l.as_str()).collect();
                    let _ = writeln!(
                        out,
                        "    # {}{}",
                        lang.pick(
                            "定性指标：完成值与目标相同即达成，否则填 ",
                            "定性: an actual equal to its target is met, else one of "
                        ),
                        levels.join(" / ")
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "    # {}",
                        lang.pick("定性指标：完成值与目标相同即达成", "定性: an actual equal to its target is met")
                    );
                }
                continue;
            }
            if fresh.is_empty() {
                continue;
            }
            let path: Vec<&str> = rubric.path(&node.id).iter().map(|n| n.title.as_str()).collect();
            let _ = writeln!(out, "  # ── {} ──", path.join(" › "));
            for f in fresh {
                write_field(&mut out, f, lang);
                placed.push(&f.name);
            }
        }
    }
    let vetoed: Vec<&Field> = rubric
        .vetoes
        .iter()
        .flat_map(|v| v.when.expr.names())
        .flat_map(|n| rubric.fields_read_by(n))
        .filter_map(|n| rubric.field(&n))
        .filter(|f| !placed.contains(&f.name.as_str()))
        .collect();
    if !vetoed.is_empty() {
        let _ = writeln!(out, "  # ── {} ──", lang.pick("一票否决", "vetoes"));
        for f in vetoed {
            if !placed.contains(&f.name.as_str()) {
                write_field(&mut out, f, lang);
                placed.push(&f.name);
            }
        }
    }
    let rest: Vec<&Field> = rubric.fields.iter().filter(|f| !placed.contains(&f.name.as_str())).collect();
    if !rest.is_empty() {
        let _ = writeln!(out, "  # ── {} ──", lang.pick("其他（不参与评分）", "other (not used in scoring)"));
        for f in rest {
            write_field(&mut out, f, lang);
        }
    }
    let ids: Vec<&str> = rubric.nodes().iter().map(|n| n.id.as_str()).collect();
    let _ = writeln!(
        out,
        "not_applicable: {{}}   # {}: {}",
        lang.pick("不适用的指标 id: 原因", "indicator id: reason"),
        ids.join(", ")
    );
    let manual: Vec<&Node> = rubric
        .nodes()
        .into_iter()
        .filter(|n| matches!(&n.kind, NodeKind::Leaf(m) if matches!(**m, Method::Manual)))
        .collect();
    if manual.is_empty() {
        let _ = writeln!(out, "manual: {{}}");
    } else {
        let _ = writeln!(out, "manual:");
        for n in manual {
            let _ = writeln!(out, "  {}: {{ score: , reason: \"\" }}   # {}, 0–{}", n.id, n.title, display(n.points));
        }
    }
    let _ = writeln!(
        out,
        "declared: {{}}   # {}",
        lang.pick(
            "自评得分，供 selfeval check 核对：total 或指标 id: 分数",
            "the unit's own scores for `selfeval check`: total or indicator id: score"
        )
    );
    let _ = writeln!(
        out,
        "# {}",
        lang.pick(
            "报告：签署信息与自评报告正文（selfeval report），均可选；未填写的在报告中显示为【待填写】",
            "report: sign-off and the self-evaluation report's prose (selfeval report), all optional; what is left empty shows as a placeholder"
        )
    );
    let _ = writeln!(out, "report:");
    for (key, zh, en) in crate::data::REPORT_KEYS {
        let _ = writeln!(out, "  {key}: \"\"   # {}", lang.pick(zh, en));
    }
    out
}

/// A field's type as the template's comment says it: a Chinese word, or the rubric's keyword.
fn type_word(ty: &FieldType, lang: Lang) -> &'static str {
    match ty {
        FieldType::Number => lang.pick("数字", "number"),
        FieldType::Integer => lang.pick("整数", "integer"),
        FieldType::Percent => lang.pick("百分比", "percent"),
        FieldType::Bool => lang.pick("是否", "bool"),
        FieldType::Level(_) => lang.pick("等级", "level"),
        FieldType::Text => lang.pick("文本", "text"),
    }
}

fn write_field(out: &mut String, f: &Field, lang: Lang) {
    let mut notes = vec![f.display_name().to_owned(), type_word(&f.ty, lang).to_owned()];
    if let Some(u) = &f.unit {
        notes.push(u.clone());
    }
    if let FieldType::Level(levels) = &f.ty {
        notes.push(levels.join(" / "));
    }
    if matches!(f.ty, FieldType::Bool) {
        notes.push(lang.pick("是 / 否（或 true / false）", "true / false").into());
    }
    match (f.min, f.max) {
        (Some(lo), Some(hi)) => notes.push(format!("{}–{}", display(lo), display(hi))),
        (Some(lo), None) => notes.push(format!("≥ {}", display(lo))),
        (None, Some(hi)) => notes.push(format!("≤ {}", display(hi))),
        (None, None) => {}
    }
    let value = match &f.default {
        Some(v) => {
            notes.push(lang.pick("默认", "default").into());
            value_text(v)
        }
        None => String::new(),
    };
    let _ = writeln!(out, "  {}: {value}   # {}", f.name, notes.join(" · "));
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Number(d) => display(*d),
        Value::Bool(b) => b.to_string(),
        Value::Text(t) => yaml_text(t),
    }
}

/// A path as a shell word: as it is when it holds only safe characters, else in single quotes.
fn shell_word(t: &str) -> String {
    let safe = |c: char| c.is_alphanumeric() || "-_./+,:@%".contains(c);
    if !t.is_empty() && t.chars().all(safe) {
        t.to_owned()
    } else if t.chars().any(char::is_control) {
        // Never a line break inside the comment it is written in.
        format!("{t:?}")
    } else {
        format!("'{}'", t.replace('\'', "'\\''"))
    }
}

fn yaml_text(t: &str) -> String {
    format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The fields a node's own method reads, following derived names, in first-use order.
fn node_inputs(rubric: &Rubric, node: &Node) -> Vec<String> {
    let NodeKind::Leaf(method) = &node.kind else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for name in method.names() {
        for f in rubric.fields_read_by(name) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}
