//! Rubrics compiled into the binary, addressed by id (`selfeval rubrics`).

/// A built-in rubric: its YAML text, and the parser's events of that text recorded by
/// build.rs, from which its tree is built without parsing (`Source::parse_recorded`).
pub struct Builtin {
    pub id: &'static str,
    pub text: &'static str,
    pub events: &'static [u8],
    /// [`crate::rubric::fingerprint`] of `text`, worked out by build.rs.
    pub fingerprint: &'static str,
}

macro_rules! builtin {
    ($id:literal) => {
        Builtin {
            id: $id,
            text: include_str!(concat!("../../rubrics/", $id, ".yaml")),
            events: include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".events")),
            fingerprint: include_str!(concat!(env!("OUT_DIR"), "/", $id, ".sha256")),
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

#[cfg(test)]
mod tests {
    #[test]
    fn recorded_fingerprints_are_the_texts_own() {
        for b in super::BUILTIN {
            assert_eq!(b.fingerprint, crate::rubric::fingerprint(b.text.as_bytes()), "{}", b.id);
            assert_eq!(b.fingerprint.len(), 12, "{}", b.id);
        }
    }
}
