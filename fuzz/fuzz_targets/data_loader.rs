//! Arbitrary bytes → `Source::decode` → `DataFile::load` → `engine::score`.
//!
//! The data file is scored against the built-in rubric `cast-dept-2021` (loaded once) and
//! against the synthetic `examples/all-methods` rubric (compiled in), which uses every
//! scoring method. Checks that loading and scoring never panic (no overflow, no division
//! by zero, no unwrap on bad data), and that a successful evaluation keeps every node's
//! score within 0 ..= its points and the total within 0 ..= the rubric's maximum, and that
//! scoring the same file twice gives the same evaluation.
#![no_main]

#[path = "scoring_checks.rs"]
mod scoring_checks;

use libfuzzer_sys::fuzz_target;
use selfeval::data::DataFile;
use selfeval::lang::Lang;
use selfeval::rubric::Rubric;
use selfeval::rubric::load::load;
use selfeval::yaml::Source;
use std::sync::OnceLock;

const ALL_METHODS: &str = include_str!("../../examples/all-methods/rubric.yaml");

fn rubrics() -> &'static [Rubric] {
    static RUBRICS: OnceLock<Vec<Rubric>> = OnceLock::new();
    RUBRICS.get_or_init(|| {
        let Ok(builtin) = selfeval::input::load_rubric("cast-dept-2021", Lang::En) else {
            panic!("the built-in rubric cast-dept-2021 does not load");
        };
        let source = Source { name: "all-methods.yaml".into(), text: ALL_METHODS.into() };
        let Ok((all_methods, _)) = load(&source, Lang::En) else {
            panic!("examples/all-methods/rubric.yaml does not load");
        };
        vec![std::sync::Arc::unwrap_or_clone(builtin.rubric), all_methods]
    })
}

fuzz_target!(|data: &[u8]| {
    let rubrics = rubrics();
    let Ok(source) = Source::decode("fuzz.yaml", data.to_vec(), Lang::En) else {
        return;
    };
    let file = match DataFile::load(&source, Lang::En) {
        Ok((file, warnings)) => {
            assert!(!warnings.has_errors(), "data file loaded with errors among its warnings");
            file
        }
        Err(diags) => {
            assert!(diags.has_errors(), "data file load failed without reporting an error");
            return;
        }
    };
    for rubric in rubrics {
        scoring_checks::check_scoring(rubric, &file);
    }
});
