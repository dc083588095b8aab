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
