//! Rubrics compiled into the binary, addressed by id (`selfeval rubrics`).

/// (id, YAML text) of every built-in rubric, in listing order.
pub const BUILTIN: &[(&str, &str)] = &[("cast-dept-2021", include_str!("../../rubrics/cast-dept-2021.yaml"))];

pub fn find(id: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(i, _)| *i == id).map(|(_, text)| *text)
}

pub fn ids() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(id, _)| *id)
}
