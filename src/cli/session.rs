//! What a command run keeps: the sources seen (for snippets), the rubrics loaded, stderr.

use crate::data::DataFile;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::{self, Evaluation};
use crate::input::{LoadedRubric, load_rubric, named_rubric, rubric_named_by};
use crate::lang::Lang;
use crate::report;
use crate::yaml::Source;
use std::collections::HashMap;

/// Source texts seen so far, for diagnostics with snippets.
#[derive(Default)]
pub(crate) struct Sources(Vec<Source>);

impl Sources {
    pub(crate) fn add(&mut self, s: &Source) {
        if !self.0.iter().any(|x| x.name == s.name) {
            self.0.push(s.clone());
        }
    }

    fn render(&self, diags: &[Diagnostic]) -> String {
        report::diagnostics::render(diags, &|name| self.0.iter().find(|s| s.name == name))
    }
}

pub(crate) struct Session {
    pub(crate) lang: Lang,
    pub(crate) sources: Sources,
    pub(crate) stderr: String,
    /// The rubric spec each scored data file was scored with.
    pub(crate) specs: HashMap<String, String>,
    /// Rubrics by spec, loaded once; `Err` holds the text of why one could not be loaded.
    pub(crate) rubrics: HashMap<String, Result<LoadedRubric, String>>,
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
        let text = self.sources.render(&diags.0);
        self.stderr.push_str(&text);
    }

    /// Loads a rubric once per spec, reporting its problems once.
    pub(crate) fn rubric(&mut self, spec: &str) -> Result<&LoadedRubric, String> {
        if !self.rubrics.contains_key(spec) {
            let loaded = match load_rubric(spec) {
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
                    Err(error_text(&diags))
                }
            };
            self.rubrics.insert(spec.to_owned(), loaded);
        }
        match self.rubrics.get(spec) {
            Some(Ok(l)) => Ok(l),
            Some(Err(e)) => Err(e.clone()),
            None => Err(crate::tr!("指标体系 `{spec}` 无法加载", "rubric `{spec}` could not be loaded")),
        }
    }

    /// Loads a data file (YAML or a workbook), keeping its source for snippets.
    pub(crate) fn data(&mut self, path: &str) -> Result<DataFile, Diagnostics> {
        let loaded = crate::input::load_data(path, None);
        if let Some(source) = &loaded.source {
            self.sources.add(source);
        }
        let (data, warnings) = loaded.result?;
        self.report(&warnings);
        Ok(data)
    }

    /// The rubric spec for a data file: `-r` wins over the file's own `rubric:` (SPEC §5.1),
    /// which is held to the rule for files from elsewhere ([`crate::input::named_rubric`]).
    pub(crate) fn rubric_spec(&mut self, cli_rubric: Option<&str>, data: &DataFile) -> Result<String, Diagnostics> {
        if let Some(r) = cli_rubric {
            if let Some((named, pos)) = &data.rubric
                && named != r
                && rubric_named_by(data).is_none_or(|own| own != r)
            {
                let message = crate::tr!(
                    "本文件指定的指标体系是 `{named}`，但按 -r `{r}` 评分",
                    "the file names rubric `{named}`, but -r `{r}` is used"
                );
                self.report(&Diagnostic::warning(&data.file, pos.clone(), message).into());
            }
            return Ok(r.to_owned());
        }
        match named_rubric(data) {
            Some(Ok(own)) => Ok(own),
            Some(Err(refused)) => Err(refused.into()),
            None => Err(Diagnostic::error(
                &data.file,
                Pos::UNKNOWN,
                crate::tr!(
                    "没有指标体系：请用 -r 指定，或在数据文件中写 `rubric:`",
                    "no rubric: give -r RUBRIC or a `rubric:` key in the data file"
                ),
            )
            .into()),
        }
    }

    pub(crate) fn spec_of(&self, e: &Evaluation) -> Option<String> {
        self.specs.get(&e.file).cloned()
    }

    pub(crate) fn failed(&mut self, file: &str, diags: Diagnostics) -> FileResult {
        let diags = diags.sorted();
        self.report(&diags);
        FileResult::Failed { file: file.to_owned(), error: error_text(&diags) }
    }

    /// Loads and scores each data file, in order. Without `-r`, the files are scored with the
    /// rubric named by the first one whose rubric loads; a file naming another is a failed
    /// entry (SPEC §5.1), and so is one whose rubric does not load.
    pub(crate) fn evaluate(&mut self, cli_rubric: Option<&str>, paths: &[String]) -> Vec<FileResult> {
        let mut loaded: Vec<Result<(DataFile, String), FileResult>> = Vec::new();
        for path in paths {
            let name = if path == "-" { "<stdin>" } else { path.as_str() };
            let item = match self.data(path) {
                Ok(data) => match self.rubric_spec(cli_rubric, &data) {
                    Ok(spec) => Ok((data, spec)),
                    Err(d) => Err(self.failed(name, d)),
                },
                Err(d) => Err(self.failed(name, d)),
            };
            loaded.push(item);
        }
        let in_force: Option<String> = match cli_rubric {
            Some(r) => Some(r.to_owned()),
            None => {
                let specs: Vec<String> =
                    loaded.iter().filter_map(|r| r.as_ref().ok()).map(|(_, s)| s.clone()).collect();
                specs.into_iter().find(|spec| self.rubric(spec).is_ok())
            }
        };
        let mut results = Vec::new();
        for item in loaded {
            let (data, spec) = match item {
                Ok(x) => x,
                Err(failed) => {
                    results.push(failed);
                    continue;
                }
            };
            let at_key = data.rubric.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
            let lang = self.lang;
            let tried_and_failed = matches!(self.rubrics.get(&spec), Some(Err(_)));
            let result = match in_force.as_ref().filter(|first| **first != spec) {
                // Not loaded: mixed batches come later (SPEC §5.1).
                Some(first) if !tried_and_failed => {
                    let message = crate::tr!(
                        "本文件指定的指标体系是 `{spec}`，而前面的文件指定的是 `{first}`；请用 -r 指定指标体系后一起评分",
                        "this file names rubric `{spec}` but an earlier one names `{first}`; give -r to score them together"
                    );
                    self.failed(&data.file, Diagnostic::error(&data.file, at_key, message).into())
                }
                _ => match self.rubric(&spec) {
                    Err(error) => {
                        if let Some((named, pos)) = &data.rubric
                            && cli_rubric.is_none()
                        {
                            let message = crate::tr!(
                                "本文件指定的指标体系 `{named}` 无法加载",
                                "the rubric this file names, `{named}`, could not be loaded"
                            );
                            self.report(&Diagnostic::error(&data.file, pos.clone(), message).into());
                        }
                        FileResult::Failed { file: data.file.clone(), error }
                    }
                    Ok(rubric) => {
                        match engine::score(&rubric.rubric, &data, &engine::Options { explain: Some(lang) }) {
                            Ok((evaluation, warnings)) => {
                                self.report(&warnings);
                                self.specs.insert(data.file.clone(), spec.clone());
                                FileResult::Scored(Box::new(evaluation))
                            }
                            Err(diags) => self.failed(&data.file, diags),
                        }
                    }
                },
            };
            results.push(result);
        }
        results
    }
}
