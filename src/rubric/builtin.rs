//! Rubrics compiled into the binary, addressed by id (`selfeval rubrics`).

/// A built-in rubric: its YAML text, and the parser's events of that text recorded by
/// build.rs, from which its tree is built without parsing (`Source::parse_recorded`).
pub struct Builtin {
    pub id: &'static str,
    pub text: &'static str,
    pub events: &'static [u8],
}

macro_rules! builtin {
    ($id:literal) => {
        Builtin {
            id: $id,
            text: include_str!(concat!("../../rubrics/", $id, ".yaml")),
            events: include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".events")),
        }
    };
}

/// Every built-in rubric, in listing order.
pub const BUILTIN: &[Builtin] = &[
    builtin!("cast-dept-2021"),
    builtin!("mof-project-2020"),
    builtin!("dept-overall-gd"),
    builtin!("dept-overall-hunan"),
    builtin!("dept-overall-sichuan"),
];

pub fn find(id: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.id == id)
}

pub fn ids() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|b| b.id)
}
