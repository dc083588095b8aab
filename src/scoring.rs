//! One path from a loaded data file to its score (SPEC §5.1): which rubric a file is scored
//! with, or why it cannot be, and the scoring itself. The command line's one-file commands
//! (`cli::session`), the batch runner (`batch`) and `validate` all go through here, so a file
//! is judged by the same rule and told the same words whichever command reads it.

use crate::data::DataFile;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::{self, Evaluation};
use crate::input::{named_rubric, rubric_named_by};
use crate::lang::Lang;
use crate::rubric::Rubric;
use crate::tr;
use std::collections::HashMap;
use std::sync::Arc;

/// The rubric a set of data files is scored with: `-r` (`forced`), or else the rubric named by
/// the first file whose rubric loads. `None` when no file names one that loads: every file then
/// fails, saying why.
#[derive(Default)]
pub struct InForce {
    pub rubric: Option<(Arc<Rubric>, String)>,
    /// `-r` was given: it wins over the files' own `rubric:` keys.
    pub forced: bool,
    /// Rubrics named by files that could not be loaded, by spec: why (their own errors are
    /// reported once, where they were tried).
    pub unloadable: HashMap<String, String>,
}

impl InForce {
    /// `-r RUBRIC`, loaded (or not) by the caller.
    pub fn given(rubric: Option<Arc<Rubric>>, spec: &str) -> InForce {
        InForce { rubric: rubric.map(|r| (r, spec.to_owned())), forced: true, unloadable: HashMap::new() }
    }

    /// The rubric named by the first of `named` (the specs the files name, in input order) that
    /// `load` loads; the ones that did not load are kept with why.
    pub fn first_that_loads(
        named: impl IntoIterator<Item = String>,
        mut load: impl FnMut(&str) -> Result<Arc<Rubric>, String>,
    ) -> InForce {
        let mut unloadable = HashMap::new();
        for spec in named {
            if unloadable.contains_key(&spec) {
                continue;
            }
            match load(&spec) {
                Ok(rubric) => return InForce { rubric: Some((rubric, spec)), forced: false, unloadable },
                Err(why) => {
                    unloadable.insert(spec, why);
                }
            }
        }
        InForce { rubric: None, forced: false, unloadable }
    }

    /// Why the rubric `data` names could not be loaded, when that is why it fails.
    pub fn why_unloadable(&self, data: &DataFile, lang: Lang) -> Option<&String> {
        named_rubric(data, lang).and_then(Result::ok).and_then(|own| self.unloadable.get(&own))
    }

    /// The spec of the rubric in force, if any.
    pub fn spec(&self) -> Option<&str> {
        self.rubric.as_ref().map(|(_, spec)| spec.as_str())
    }
}

/// The rubric `data` is scored with, and a warning when `-r` overrides the one the file names;
/// or why the file cannot be scored: its `rubric:` is refused (SPEC §5.1 trust rule), names a
/// rubric that does not load, names another rubric than the one in force, or there is none.
pub fn rubric_for<'a>(
    data: &DataFile,
    in_force: &'a InForce,
    lang: Lang,
) -> Result<(&'a Arc<Rubric>, Diagnostics), Diagnostics> {
    let at_key = || data.rubric.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
    let fail = |pos: Pos, message: String| Diagnostics::from(Diagnostic::error(&data.file, pos, message));
    if in_force.forced {
        let mut warnings = Diagnostics::default();
        if let (Some((named, pos)), Some(given)) = (&data.rubric, in_force.spec())
            && named != given
            && rubric_named_by(data, lang).is_none_or(|own| own != given)
        {
            let message = tr!(
                lang,
                "本文件指定的指标体系是 `{named}`，但按 -r `{given}` 评分",
                "the file names rubric `{named}`, but -r `{given}` is used"
            );
            warnings.warning(&data.file, pos.clone(), message);
        }
        return match &in_force.rubric {
            Some((rubric, _)) => Ok((rubric, warnings)),
            // `-r` that does not load: its own errors were reported when it was tried.
            None => Err(fail(Pos::UNKNOWN, tr!(lang, "指标体系无法加载", "the rubric could not be loaded"))),
        };
    }
    match (named_rubric(data, lang), &in_force.rubric) {
        (Some(Err(refused)), _) => Err(refused.into()),
        (Some(Ok(own)), _) if in_force.unloadable.contains_key(&own) => Err(fail(
            at_key(),
            tr!(
                lang,
                "本文件指定的指标体系 `{own}` 无法加载（错误见上）",
                "the rubric this file names, `{own}`, could not be loaded (its errors are above)"
            ),
        )),
        (Some(Ok(own)), Some((_, spec))) if own != *spec => Err(fail(
            at_key(),
            tr!(
                lang,
                "此文件指定的指标体系是 `{own}`，但这一批按 `{spec}` 评分；要放在一起评分，请用 -r 指定指标体系",
                "this file names rubric `{own}` but the batch is scored with `{spec}`; give -r to score them together"
            ),
        )),
        (_, Some((rubric, _))) => Ok((rubric, Diagnostics::default())),
        (_, None) => Err(fail(
            Pos::UNKNOWN,
            tr!(
                lang,
                "没有指标体系：请用 -r 指定，或在数据文件中写 `rubric:`",
                "no rubric: give -r RUBRIC or a `rubric:` key in the data file"
            ),
        )),
    }
}

/// Scores `data` with the rubric chosen for it: the evaluation and its warnings (the choice's
/// included), or every problem found.
pub fn score(
    data: &DataFile,
    in_force: &InForce,
    options: &engine::Options,
) -> Result<(Evaluation, Diagnostics), Diagnostics> {
    let (rubric, mut warnings) = rubric_for(data, in_force, options.lang)?;
    match engine::score(rubric, data, options) {
        Ok((evaluation, w)) => {
            warnings.extend(w);
            Ok((evaluation, warnings))
        }
        Err(mut errors) => {
            warnings.extend(std::mem::take(&mut errors));
            Err(warnings)
        }
    }
}

/// The rubric a file of a batch names, under the trust rule (SPEC §5.1), when no `-r` is given:
/// its spec, or why the file cannot be scored (refused, or it names none).
pub fn own_rubric(data: &DataFile, lang: Lang) -> Result<String, Diagnostics> {
    match named_rubric(data, lang) {
        Some(Ok(spec)) => Ok(spec),
        Some(Err(refused)) => Err(refused.into()),
        None => Err(Diagnostic::error(
            &data.file,
            Pos::UNKNOWN,
            tr!(
                lang,
                "没有指标体系：请用 -r 指定，或在数据文件中写 `rubric:`",
                "no rubric: give -r RUBRIC or a `rubric:` key in the data file"
            ),
        )
        .into()),
    }
}

/// A rubric as a batch's cache holds it: loaded or not, and what loading it said (rendered
/// with its source), to be shown once, before the first file that names it.
pub struct CachedRubric {
    pub rubric: Option<Arc<Rubric>>,
    pub notes: String,
}

/// Rubrics loaded once per spec, shared by the workers of a batch whose files name their own.
#[derive(Default)]
pub struct RubricCache {
    loaded: std::sync::Mutex<HashMap<String, Arc<std::sync::OnceLock<CachedRubric>>>>,
}

impl RubricCache {
    /// The rubric `spec` names, loaded by the first worker that asks (the others wait for it).
    pub fn get(&self, spec: &str, lang: Lang) -> Arc<std::sync::OnceLock<CachedRubric>> {
        let cell = match self.loaded.lock() {
            Ok(mut map) => Arc::clone(map.entry(spec.to_owned()).or_default()),
            Err(_) => Arc::new(std::sync::OnceLock::new()),
        };
        cell.get_or_init(|| load_for_cache(spec, lang));
        cell
    }

    /// What loading `spec` said, once loaded.
    pub fn notes(&self, spec: &str) -> Option<String> {
        let map = self.loaded.lock().ok()?;
        map.get(spec).and_then(|cell| cell.get()).map(|c| c.notes.clone())
    }

    /// Every spec asked for (rubrics read are inputs: `-o` must not overwrite them).
    pub fn specs(&self) -> Vec<String> {
        self.loaded.lock().map(|m| m.keys().cloned().collect()).unwrap_or_default()
    }
}

fn load_for_cache(spec: &str, lang: Lang) -> CachedRubric {
    let render = |diags: &Diagnostics, source: Option<&crate::yaml::Source>| {
        let sorted = diags.clone().sorted();
        crate::report::diagnostics::render(&sorted.0, &|name| source.filter(|s| s.name == name), lang)
    };
    match crate::input::load_rubric(spec, lang) {
        Ok(loaded) => {
            CachedRubric { notes: render(&loaded.warnings, Some(&loaded.source)), rubric: Some(loaded.rubric) }
        }
        Err((diags, source)) => CachedRubric { rubric: None, notes: render(&diags, source.as_ref()) },
    }
}

/// The rubric a file of a batch is scored with: `forced` (`-r`) or the one it names itself,
/// loaded through `cache`; or why not. `spec` is how it was named.
pub fn batch_rubric(
    data: &DataFile,
    forced: Option<&(Arc<Rubric>, String)>,
    cache: &RubricCache,
    lang: Lang,
) -> Result<(Arc<Rubric>, String), (Diagnostics, Option<String>)> {
    if let Some((rubric, spec)) = forced {
        return Ok((Arc::clone(rubric), spec.clone()));
    }
    let spec = own_rubric(data, lang).map_err(|d| (d, None))?;
    let cell = cache.get(&spec, lang);
    match cell.get().and_then(|c| c.rubric.as_ref()) {
        Some(rubric) => Ok((Arc::clone(rubric), spec)),
        None => {
            let at = data.rubric.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
            let message = tr!(
                lang,
                "本文件指定的指标体系 `{spec}` 无法加载（错误见上）",
                "the rubric this file names, `{spec}`, could not be loaded (its errors are above)"
            );
            Err((Diagnostic::error(&data.file, at, message).into(), Some(spec)))
        }
    }
}
