//! What a command run keeps: the sources seen (for snippets), the rubrics loaded, stderr.

use crate::data::DataFile;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::{self, Evaluation};
use crate::input::{LoadedRubric, load_rubric, named_rubric};
use crate::lang::Lang;
use crate::report;
use crate::scoring::InForce;
use crate::yaml::Source;
use std::collections::HashMap;
use std::sync::Arc;

/// Source texts seen so far, for diagnostics with snippets.
#[derive(Default)]
pub(crate) struct Sources(Vec<Source>);

impl Sources {
    pub(crate) fn add(&mut self, s: &Source) {
        if !self.0.iter().any(|x| x.name == s.name) {
            self.0.push(s.clone());
        }
    }

    fn render(&self, diags: &[Diagnostic], lang: Lang) -> String {
        report::diagnostics::render(diags, &|name| self.0.iter().find(|s| s.name == name), lang)
    }
}

pub(crate) struct Session {
    pub(crate) lang: Lang,
    pub(crate) sources: Sources,
    pub(crate) stderr: String,
    /// The rubric spec each scored data file was scored with.
    pub(crate) specs: HashMap<String, String>,
    /// Rubrics by spec, loaded once; `Err` holds why one could not be loaded.
    pub(crate) rubrics: HashMap<String, Result<LoadedRubric, Diagnostics>>,
    /// Score without the data files' `declared` blocks (`diff`, which never shows them: a
    /// declared id the other rubric lacks must not stop the comparison).
    pub(crate) without_declared: bool,
}

/// One data file of a command: scored, or why not.
pub enum FileResult {
    Scored(Box<Evaluation>),
    Failed { file: String, error: String },
}

/// The error lines of some diagnostics, for a batch's JSON `error`.
fn error_text(diags: &Diagnostics) -> String {
    diags.0.iter().filter(|d| d.is_error()).map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

impl Session {
    pub(crate) fn report(&mut self, diags: &Diagnostics) {
        let text = self.sources.render(&diags.0, self.lang);
        self.stderr.push_str(&text);
    }

    /// Loads a rubric once per spec, reporting its problems once.
    pub(crate) fn rubric(&mut self, spec: &str) -> Result<&LoadedRubric, String> {
        let lang = self.lang;
        if !self.rubrics.contains_key(spec) {
            let loaded = match load_rubric(spec, lang) {
                Ok(loaded) => {
                    self.sources.add(&loaded.source);
                    let warnings = loaded.warnings.clone();
                    self.report(&warnings);
                    Ok(loaded)
                }
                Err((diags, source)) => {
                    if let Some(s) = &source {
                        self.sources.add(s);
                    }
                    let diags = diags.sorted();
                    self.report(&diags);
                    Err(diags)
                }
            };
            self.rubrics.insert(spec.to_owned(), loaded);
        }
        match self.rubrics.get(spec) {
            Some(Ok(l)) => Ok(l),
            Some(Err(e)) => Err(error_text(e)),
            None => Err(crate::tr!(lang, "指标体系 `{spec}` 无法加载", "rubric `{spec}` could not be loaded")),
        }
    }

    /// What loading a rubric found: its warnings, or its errors.
    pub(crate) fn rubric_diagnostics(&self, spec: &str) -> Diagnostics {
        match self.rubrics.get(spec) {
            Some(Ok(loaded)) => loaded.warnings.clone(),
            Some(Err(errors)) => errors.clone(),
            None => Diagnostics::default(),
        }
    }

    /// Loads a data file (YAML or a workbook), keeping its source for snippets.
    pub(crate) fn data(&mut self, path: &str) -> Result<DataFile, Diagnostics> {
        let lang = self.lang;
        let loaded = crate::input::load_data(path, None, lang);
        if let Some(source) = &loaded.source {
            self.sources.add(source);
        }
        let (data, warnings) = loaded.result?;
        self.report(&warnings);
        Ok(data)
    }

    pub(crate) fn spec_of(&self, e: &Evaluation) -> Option<String> {
        self.specs.get(&e.file).cloned()
    }

    pub(crate) fn failed(&mut self, file: &str, diags: Diagnostics) -> FileResult {
        let diags = diags.sorted();
        self.report(&diags);
        FileResult::Failed { file: file.to_owned(), error: error_text(&diags) }
    }

    /// Loads and scores each data file, in order, by the one rule of [`crate::scoring`]: with
    /// `-r`, or else with the rubric named by the first file whose rubric loads; a file naming
    /// another, or one that does not load, is a failed entry (SPEC §5.1).
    pub(crate) fn evaluate(&mut self, cli_rubric: Option<&str>, paths: &[String]) -> Vec<FileResult> {
        let lang = self.lang;
        let mut loaded: Vec<Result<DataFile, FileResult>> = Vec::new();
        for path in paths {
            let name = if path == "-" { "<stdin>" } else { path.as_str() };
            loaded.push(self.data(path).map_err(|d| self.failed(name, d)));
        }
        let in_force = match cli_rubric {
            Some(r) => {
                let rubric = self.rubric(r).ok().map(|l| Arc::clone(&l.rubric));
                InForce::given(rubric, r)
            }
            None => {
                let named: Vec<String> =
                    loaded.iter().flatten().filter_map(|d| named_rubric(d, lang).and_then(Result::ok)).collect();
                InForce::first_that_loads(named, |spec| self.rubric(spec).map(|l| Arc::clone(&l.rubric)))
            }
        };
        let options = engine::Options { explain: Some(self.lang), lang: self.lang };
        let mut results = Vec::new();
        for item in loaded {
            let mut data = match item {
                Ok(data) => data,
                Err(failed) => {
                    results.push(failed);
                    continue;
                }
            };
            if self.without_declared {
                data.declared.clear();
            }
            let result = match crate::scoring::score(&data, &in_force, &options) {
                Ok((evaluation, warnings)) => {
                    self.report(&warnings.sorted());
                    if let Some(spec) = in_force.spec() {
                        self.specs.insert(data.file.clone(), spec.to_owned());
                    }
                    FileResult::Scored(Box::new(evaluation))
                }
                Err(diags) => self.failed(&data.file, diags),
            };
            results.push(result);
        }
        results
    }
}
