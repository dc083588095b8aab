//! Rubrics compiled into the binary, addressed by id (`selfeval rubrics`).

/// (id, YAML text) of every built-in rubric, in listing order.
pub const BUILTIN: &[(&str, &str)] = &[
    ("cast-dept-2021", include_str!("../../rubrics/cast-dept-2021.yaml")),
    ("mof-project-2020", include_str!("../../rubrics/mof-project-2020.yaml")),
    ("dept-overall-gd", include_str!("../../rubrics/dept-overall-gd.yaml")),
    ("dept-overall-hunan", include_str!("../../rubrics/dept-overall-hunan.yaml")),
    ("dept-overall-sichuan", include_str!("../../rubrics/dept-overall-sichuan.yaml")),
];

pub fn find(id: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(i, _)| *i == id).map(|(_, text)| *text)
}

pub fn ids() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(id, _)| *id)
}
