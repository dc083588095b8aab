//! A leaf's inputs as people read them (`LeafResult::shown`): the rubric's label for each name
//! (the name where there is none), the value — a field's as written, a derived name's at the
//! rubric's precision (`number::human`), 是/否 for a bool, the level's own text — and the unit.

use crate::expr::Value;
use crate::lang::Lang;
use crate::number::{Origin, human};
use crate::rubric::Rubric;

/// Each input as `label = value unit`.
pub(super) fn inputs(rubric: &Rubric, inputs: &[(String, Value)], lang: Lang) -> Vec<String> {
    inputs.iter().map(|(name, value)| input(rubric, name, value, lang)).collect()
}

fn input(rubric: &Rubric, name: &str, value: &Value, lang: Lang) -> String {
    let origin = if rubric.derived(name).is_some() { Origin::Computed } else { Origin::Written };
    let shown = match value {
        Value::Number(n) => human(*n, origin, rubric.figures()),
        Value::Bool(b) => lang.pick(if *b { "是" } else { "否" }, if *b { "yes" } else { "no" }).to_owned(),
        Value::Text(t) => t.clone(),
    };
    format!("{} = {shown}{}", rubric.label_of(name), with_unit(rubric.unit_of(name)))
}

/// A unit after a number: `%` close up, a word after a space.
pub fn with_unit(unit: Option<&str>) -> String {
    match unit {
        None | Some("") => String::new(),
        Some(u) if u.starts_with('%') => u.to_owned(),
        Some(u) => format!(" {u}"),
    }
}
