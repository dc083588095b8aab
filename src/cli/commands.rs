//! The commands' work: scoring one file or a batch, and validation.

use super::Payload;
use super::formats::Format;
use super::session::{FileResult, Session};

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine;
use crate::engine::Evaluation;
use crate::lang::Msg;
use crate::report::{self, Opts};
use crate::rubric::Rubric;
use crate::scoring::InForce;
use rust_decimal::Decimal;
use std::sync::Arc;

fn empty() -> (Payload, bool) {
    (Payload::Text(String::new()), false)
}

/// One data file scored, with the rubric it was scored with.
fn evaluate_one(s: &mut Session, rubric: Option<&str>, path: &str) -> Option<(Evaluation, Arc<Rubric>)> {
    let results = s.evaluate(rubric, &[path.to_owned()]);
    let Some(FileResult::Scored(e)) = results.into_iter().next() else { return None };
    let spec = rubric.map(str::to_owned).or_else(|| s.spec_of(&e))?;
    let model = s.rubric(&spec).ok()?.rubric.clone();
    Some((*e, model))
}

/// A workbook, or the reason it could not be written (reported as an error, exit 1).
fn workbook(s: &mut Session, made: Result<Vec<u8>, String>) -> (Payload, bool) {
    match made {
        Ok(bytes) => (Payload::Bytes(bytes), true),
        Err(message) => {
            s.report(&Diagnostic::error("", Pos::UNKNOWN, message).into());
            empty()
        }
    }
}

/// The whole-file reports: a self-contained HTML page, or a workbook.
fn report_of(s: &mut Session, e: &Evaluation, rubric: &Rubric, format: Format, opts: &Opts) -> Option<(Payload, bool)> {
    let explain = || crate::explain::explain(rubric, e, opts.lang);
    match format {
        Format::Html => Some((Payload::Text(report::html::render(e, &explain(), opts)), true)),
        Format::Xlsx => Some(workbook(s, crate::report::workbook::results_workbook(e, &explain(), opts.lang))),
        _ => None,
    }
}

/// One data file scored and reported: the whole-file reports (HTML page, workbook) are the
/// same for every command; `text` renders the command's own formats.
fn one_file(
    s: &mut Session,
    rubric: Option<&str>,
    path: &str,
    format: Format,
    opts: &Opts,
    text: impl FnOnce(&Evaluation, &Rubric) -> String,
) -> (Payload, bool) {
    let Some((e, model)) = evaluate_one(s, rubric, path) else { return empty() };
    if let Some(done) = report_of(s, &e, &model, format, opts) {
        return done;
    }
    (Payload::Text(text(&e, &model)), true)
}

/// The evaluation as one JSON document (`json`) or one line (`jsonl`).
fn evaluation_json(e: &Evaluation, format: Format) -> String {
    report::analysis::json_text(vec![report::json::evaluation_value(e)], format == Format::Jsonl)
}

/// `score` of one data file: the tree to `depth`, or the whole tree as JSON.
pub(crate) fn score_one(
    s: &mut Session,
    rubric: Option<&str>,
    path: &str,
    format: Format,
    depth: usize,
    opts: &Opts,
) -> (Payload, bool) {
    one_file(s, rubric, path, format, opts, |e, _| match format {
        Format::Csv => report::csv::score(e, Some(depth)),
        Format::Markdown => report::markdown::score(e, depth, opts),
        Format::Json | Format::Jsonl => evaluation_json(e, format),
        _ => report::table::score(e, depth, opts),
    })
}

pub(crate) fn breakdown(
    s: &mut Session,
    rubric: Option<&str>,
    path: &str,
    format: Format,
    opts: &Opts,
) -> (Payload, bool) {
    one_file(s, rubric, path, format, opts, |e, _| match format {
        Format::Json | Format::Jsonl => evaluation_json(e, format),
        Format::Csv => report::csv::score(e, None),
        Format::Markdown => report::markdown::breakdown(e, opts),
        _ => report::table::breakdown(e, opts),
    })
}

pub(crate) fn explain(
    s: &mut Session,
    rubric: Option<&str>,
    path: &str,
    format: Format,
    opts: &Opts,
) -> (Payload, bool) {
    one_file(s, rubric, path, format, opts, |e, model| {
        let x = crate::explain::explain(model, e, opts.lang);
        match format {
            Format::Json | Format::Jsonl => {
                report::analysis::json_text(vec![report::analysis::explain_json(e, &x)], format == Format::Jsonl)
            }
            Format::Markdown => report::analysis::explain_markdown(e, &x, opts),
            _ => report::analysis::explain_text(e, &x, opts),
        }
    })
}

pub(crate) fn check(
    s: &mut Session,
    rubric: Option<&str>,
    data: &[String],
    tolerance: Decimal,
    format: Format,
    opts: &Opts,
) -> (Payload, bool) {
    let results = s.evaluate(rubric, data);
    let mut ok = true;
    let mut checks = Vec::new();
    let mut evaluations = Vec::new();
    for r in results {
        match r {
            FileResult::Scored(e) => {
                if e.declared.is_empty() {
                    let note = format!("{}: {}\n", e.file, opts.lang.t(Msg::NoDeclared));
                    s.stderr.push_str(&note);
                    continue;
                }
                let c = crate::check::check(&e, tolerance, opts.lang);
                ok &= c.passed();
                checks.push(c);
                evaluations.push(e);
            }
            FileResult::Failed { .. } => ok = false,
        }
    }
    let text = match (format, checks.as_slice(), evaluations.as_slice()) {
        (_, [], _) => String::new(),
        (Format::Json | Format::Jsonl, all, _) => {
            report::analysis::json_text(all.iter().map(report::analysis::check_json).collect(), format == Format::Jsonl)
        }
        (Format::Csv, all, _) => report::analysis::check_csv(all),
        (Format::Markdown, all, _) => {
            all.iter().map(|c| report::analysis::check_markdown(c, opts)).collect::<Vec<_>>().join("\n")
        }
        // One file: several files and folders are the 复核 of `cli::batch`.
        (_, [one, ..], [e, ..]) => report::analysis::check_table(e, one, opts),
        (_, _, _) => String::new(),
    };
    (Payload::Text(text), ok)
}

pub(crate) fn diff(
    s: &mut Session,
    rubric: Option<&str>,
    rubric_old: Option<&str>,
    old: &str,
    new: Option<&str>,
    format: Format,
    opts: &Opts,
) -> (Payload, bool) {
    let lang = s.lang;
    if new.is_none() && rubric_old.is_none() {
        return (
            Payload::Usage(crate::tr!(
                lang,
                "请给出 NEW，或用 --rubric-old 在同一数据文件上比较两个指标体系",
                "give NEW, or --rubric-old to compare two rubrics on one data file"
            )),
            false,
        );
    }
    // A diff compares scores; the declared ones are `check`'s (and may name ids one rubric lacks).
    s.without_declared = true;
    let first = evaluate_one(s, rubric_old.or(rubric), old);
    let second = evaluate_one(s, rubric, new.unwrap_or(old));
    let (Some((a, _)), Some((b, _))) = (first, second) else { return empty() };
    let d = crate::diff::diff(&a, &b);
    let text = match format {
        Format::Json | Format::Jsonl => {
            report::analysis::json_text(vec![report::analysis::diff_json(&a, &b, &d)], format == Format::Jsonl)
        }
        Format::Markdown => report::analysis::diff_markdown(&a, &b, &d, opts),
        _ => report::analysis::diff_table(&a, &b, &d, opts),
    };
    (Payload::Text(text), true)
}

pub(crate) fn init(
    s: &mut Session,
    rubric: &str,
    format: Format,
    output: Option<&str>,
    lang: crate::lang::Lang,
) -> (Payload, bool) {
    let Ok(loaded) = s.rubric(rubric) else { return empty() };
    let rubric_ref = template_rubric_ref(&loaded.source.name, rubric, output);
    if format == Format::Xlsx {
        let made =
            crate::report::workbook::template_workbook(&loaded.rubric, rubric_ref.as_deref().unwrap_or(""), lang);
        return workbook(s, made);
    }
    let text = crate::template::data_template(&loaded.rubric, rubric_ref.as_deref(), rubric, lang);
    (Payload::Text(text), true)
}

/// What a template's `rubric:` says, so that it resolves under the rule for data files (SPEC
/// §5.1): a built-in id as given; a rubric file by its path relative to the folder of the
/// output file (`-o`) when it lies inside that folder; otherwise nothing, and the template says
/// to score it with `-r`. `source_name` is the loaded rubric's (`builtin:<id>` for a built-in).
fn template_rubric_ref(source_name: &str, spec: &str, output: Option<&str>) -> Option<String> {
    if source_name.starts_with("builtin:") {
        return Some(spec.to_owned());
    }
    let output = std::path::Path::new(output?);
    let folder = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let folder = std::fs::canonicalize(folder).ok()?;
    let target = std::fs::canonicalize(spec).ok()?;
    let inside = target.strip_prefix(&folder).ok()?;
    let steps: Vec<String> = inside.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let written = steps.join("/");
    crate::input::has_yaml_extension(std::path::Path::new(&written)).then_some(written)
}

/// `validate R --data DATA…`: the rubric's problems, then each data file's (folders walked:
/// rubrics, results workbooks and lock files found there skipped with a note).
pub(crate) fn validate(
    s: &mut Session,
    rubric: &str,
    data: Result<Vec<crate::input::walk::Input>, Diagnostic>,
    format: Format,
) -> (Payload, bool) {
    let lang = s.lang;
    let data = match data {
        Ok(d) => d,
        Err(d) => {
            s.report(&d.into());
            return empty();
        }
    };
    let mut errors = 0;
    let mut warnings = 0;
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut count = |d: &Diagnostics| {
        errors += d.0.iter().filter(|x| x.is_error()).count();
        warnings += d.0.iter().filter(|x| !x.is_error()).count();
        all.extend(d.0.iter().cloned());
    };
    let loaded = s.rubric(rubric).ok().map(|l| Arc::clone(&l.rubric));
    count(&s.rubric_diagnostics(rubric));
    if loaded.is_some() {
        let in_force = InForce::given(loaded, rubric);
        let options = engine::Options { explain: Some(s.lang), lang: s.lang };
        for input in &data {
            let path = input.path.as_str();
            if let Some(why) = &input.refused {
                let diags = Diagnostics::from(Diagnostic::error(path, Pos::UNKNOWN, why.clone()));
                count(&diags);
                s.report(&diags);
                continue;
            }
            if let Some(note) = input.walked.then(|| crate::batch::skip_note(path, lang)).flatten() {
                s.stderr.push_str(&note);
                continue;
            }
            let loaded_data = crate::input::load_data(path, None, lang);
            if let Some(source) = &loaded_data.source {
                s.sources.add(source);
            }
            let diags = match loaded_data.result {
                Ok((data, mut warnings)) => {
                    match crate::scoring::score(&data, &in_force, &options) {
                        Ok((_, w)) | Err(w) => warnings.extend(w),
                    }
                    warnings
                }
                Err(d) => d,
            };
            count(&diags);
            s.report(&diags.sorted());
        }
    }
    let line = if errors == 0 {
        crate::tr!(
            lang,
            "validate 通过：{errors} 个错误，{warnings} 个警告\n",
            "validate ok: {errors} error(s), {warnings} warning(s)\n"
        )
    } else {
        crate::tr!(
            lang,
            "validate 未通过：{errors} 个错误，{warnings} 个警告\n",
            "validate failed: {errors} error(s), {warnings} warning(s)\n"
        )
    };
    s.stderr.push_str(&line);
    let text = match format {
        Format::Json | Format::Jsonl => {
            let sorted = Diagnostics(all).sorted();
            report::analysis::json_text(vec![report::analysis::validate_json(&sorted.0)], format == Format::Jsonl)
        }
        _ => String::new(),
    };
    (Payload::Text(text), errors == 0)
}
