//! Scoring a rubric and a data file given as text, for the engine's integration tests.

use rust_decimal::Decimal;
use selfeval::data::DataFile;
use selfeval::diag::Diagnostics;
use selfeval::engine::{self, Evaluation};
use selfeval::lang::Lang;
use selfeval::rubric::Rubric;
use selfeval::rubric::load::load;
use selfeval::yaml::Source;

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("bad decimal literal in test: {s}"))
}

/// A rubric read as `r.yaml`; panics when it does not load.
pub fn rubric(text: &str) -> Rubric {
    match load(&Source { name: "r.yaml".into(), text: text.into() }, Lang::En) {
        Ok((r, _)) => r,
        Err(e) => panic!("rubric should load, got:\n{e}\n{text}"),
    }
}

/// A data file read as `d.yaml`; panics when it does not load.
pub fn data(text: &str) -> DataFile {
    match DataFile::load(&Source { name: "d.yaml".into(), text: text.into() }, Lang::En) {
        Ok((d, _)) => d,
        Err(e) => panic!("data should load, got:\n{e}\n{text}"),
    }
}

pub fn score(rubric_text: &str, data_text: &str) -> Result<(Evaluation, Diagnostics), Diagnostics> {
    engine::score(&rubric(rubric_text), &data(data_text), &engine::Options::default())
}

pub fn scored(rubric_text: &str, data_text: &str) -> Evaluation {
    match score(rubric_text, data_text) {
        Ok((e, _)) => e,
        Err(e) => panic!("scoring should succeed, got:\n{e}\n{data_text}"),
    }
}

/// The errors of a file that must not score.
pub fn refused(rubric_text: &str, data_text: &str) -> String {
    match score(rubric_text, data_text) {
        Ok((e, _)) => panic!("scoring should fail, got total {}\n{data_text}", e.total),
        Err(e) => e.to_string(),
    }
}

/// A shipped data file scored with the rubric it names, as the command line would: the rubric
/// (shared, as a batch holds it), the evaluation and the warnings.
pub fn evaluate_file(path: &str) -> (std::sync::Arc<Rubric>, Evaluation, Diagnostics) {
    use selfeval::input::{load_rubric, read_source, rubric_named_by};
    let source = read_source(path, Lang::En).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (data, _) = DataFile::load(&source, Lang::En).unwrap_or_else(|e| panic!("{path}: {e}"));
    let spec = rubric_named_by(&data, Lang::En).unwrap_or_else(|| panic!("{path} names no rubric"));
    let loaded = load_rubric(&spec, Lang::En).unwrap_or_else(|(e, _)| panic!("{path}: {e}"));
    match engine::score(&loaded.rubric, &data, &engine::Options::default()) {
        Ok((e, warnings)) => (loaded.rubric, e, warnings),
        Err(e) => panic!("{path} should score, got:\n{e}"),
    }
}
