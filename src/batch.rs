//! Scoring many data files against one rubric (a finance bureau's whole year): the inputs
//! (`input::walk`) scored in parallel and reported in input order, each kept as a small
//! [`Scored`] row for the ranking (`ranking`). A bad file never loses the others.

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::{self, Evaluation};
use crate::input::read_source;
use crate::input::walk::{Input, looks_like_rubric};
use crate::lang::Lang;
use crate::ranking::{FileOutcome, Names, Scored};
use crate::scoring::InForce;
use crate::tr;
use crate::yaml::Source;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

/// What the ranking keeps of an evaluation: its numbers, the names shared by the batch, and its
/// JSON only when the output shows it.
fn scored(e: &Evaluation, job: &Job) -> Scored {
    {
        let names = &job.names;
        let shared = |id: &str, title: &str| -> Names {
            match names.get(id) {
                Some((i, t)) if **t == *title => (Arc::clone(i), Arc::clone(t)),
                // Rows come from each data file: their names are the file's own.
                _ => (Arc::from(id), Arc::from(title)),
            }
        };
        // Only a printed summary needs them; skip the walk over the tree otherwise.
        let walked = if job.keep_losses { e.walk() } else { Vec::new() };
        let losses = walked
            .into_iter()
            .filter(|(_, n)| n.leaf.is_some() && !n.bonus)
            .filter_map(|(_, n)| {
                n.lost().filter(|l| *l > Decimal::ZERO).map(|l| {
                    let (id, title) = shared(&n.id, &n.title);
                    (id, title, l)
                })
            })
            .collect();
        Scored {
            file: e.file.clone(),
            subject: e.subject.clone(),
            period: e.period.clone(),
            total: e.total,
            grade: e.grade.clone(),
            sections: e
                .nodes
                .iter()
                .map(|n| {
                    let (id, title) = shared(&n.id, &n.title);
                    (id, title, n.score)
                })
                .collect(),
            losses,
            json: job.keep_json.then(|| crate::report::json::evaluation_value(e)),
        }
    }
}

pub struct FileReport {
    /// `None`: a rubric found in a directory walk, skipped with a note (not an input).
    pub outcome: Option<FileOutcome>,
    /// Its warnings and errors, rendered with source snippets (or the note of a skipped file).
    pub stderr: String,
}

/// What a batch needs to know about the rubric and the output.
pub struct Job {
    /// The rubric the files are scored with (SPEC §5.1).
    pub in_force: InForce,
    pub lang: Lang,
    pub keep_json: bool,
    /// Keep each file's lost points for the summary (table, markdown and workbook output).
    pub keep_losses: bool,
    /// Every node's id and title, made once for the whole batch.
    pub names: HashMap<String, Names>,
}

impl Job {
    pub fn new(in_force: InForce, lang: Lang, keep_json: bool, keep_losses: bool) -> Job {
        let names = in_force
            .rubric
            .as_ref()
            .map(|(r, _)| r.nodes())
            .unwrap_or_default()
            .into_iter()
            .map(|n| (n.id.clone(), (Arc::from(n.id.as_str()), Arc::from(n.title.as_str()))))
            .collect();
        Job { in_force, lang, keep_json, keep_losses, names }
    }
}

/// Scores every input in parallel; the reports come back in input order. `read`: inputs already
/// loaded (while the rubric in force was looked for), by their place.
pub fn run(
    job: &Job,
    inputs: &[Input],
    read: Vec<(usize, crate::input::LoadedData)>,
    progress: Option<&indicatif::ProgressBar>,
) -> Vec<FileReport> {
    let lang = job.lang;
    let stdin = if inputs.iter().any(|i| i.path == "-") { Some(read_source("-", lang)) } else { None };
    let read = std::sync::Mutex::new(read.into_iter().collect::<HashMap<_, _>>());
    // Workers with a parse-sized stack parse in place instead of starting a thread per file.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::yaml::PARSE_STACK_BYTES + 4 * 1024 * 1024)
        .start_handler(|_| crate::yaml::mark_big_stack())
        .build();
    let work = || -> Vec<FileReport> {
        inputs
            .par_iter()
            .enumerate()
            .map(|(place, input)| {
                let loaded = read.lock().ok().and_then(|mut read| read.remove(&place));
                let report = match loaded {
                    Some(loaded) => score_one(job, &input.path, loaded),
                    None => one_input(job, input, stdin.as_ref()),
                };
                if let Some(bar) = progress {
                    bar.inc(1);
                }
                report
            })
            .collect()
    };
    match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// Reads one input and scores it, unless the walk refused it or it is a rubric found in a walk.
fn one_input(job: &Job, input: &Input, stdin: Option<&Result<Source, Diagnostic>>) -> FileReport {
    let lang = job.lang;
    let path = input.path.as_str();
    if let Some(why) = &input.refused {
        return failed(path, Diagnostic::error(path, Pos::UNKNOWN, why.clone()).into(), None, lang);
    }
    if !input.walked || crate::input::is_workbook(path) {
        return score_one(job, path, crate::input::load_data(path, stdin, lang));
    }
    let loaded = match read_source(path, lang) {
        Ok(source) if looks_like_rubric(&source.text) => {
            let note = tr!(lang, "已跳过：{path} 是指标体系文件\n", "skipped: {path} is a rubric\n");
            return FileReport { outcome: None, stderr: note };
        }
        Ok(source) => {
            crate::input::LoadedData { result: crate::data::DataFile::load(&source, lang), source: Some(source) }
        }
        Err(d) => crate::input::LoadedData { result: Err(d.into()), source: None },
    };
    score_one(job, path, loaded)
}

fn score_one(job: &Job, path: &str, loaded: crate::input::LoadedData) -> FileReport {
    let lang = job.lang;
    let source = loaded.source.as_ref();
    let name = source.map_or(path, |s| s.name.as_str());
    let (data, warnings) = match loaded.result {
        Ok(x) => x,
        Err(d) => return failed(name, d, source, lang),
    };
    let stderr = render(&warnings, source, lang);
    let fail = |d: Diagnostics, extra: Option<&String>| {
        let mut report = failed(&data.file, d, source, lang);
        report.stderr.insert_str(0, &stderr);
        if let (Some(extra), Some(FileOutcome::Failed { error, .. })) = (extra, report.outcome.as_mut()) {
            error.push('\n');
            error.push_str(extra);
        }
        report
    };
    // A batch scored with -r is a bureau's normal case: a warning per file that names its own
    // rubric would bury the real problems, so the choice's warning is not shown here.
    let rubric = match crate::scoring::rubric_for(&data, &job.in_force, lang) {
        Ok((rubric, _)) => rubric,
        Err(d) => return fail(d, job.in_force.why_unloadable(&data, lang)),
    };
    let mut stderr = stderr.clone();
    // Leaf explanations only when the output shows them (JSON); a ranking needs the numbers.
    let explain = job.keep_json.then_some(job.lang);
    match engine::score(rubric, &data, &engine::Options { explain, lang: job.lang }) {
        Ok((e, w)) => {
            stderr.push_str(&render(&w, source, lang));
            FileReport { outcome: Some(FileOutcome::Scored(Box::new(scored(&e, job)))), stderr }
        }
        Err(d) => fail(d, None),
    }
}

fn render(diags: &Diagnostics, source: Option<&Source>, lang: Lang) -> String {
    let sorted = diags.clone().sorted();
    crate::report::diagnostics::render(&sorted.0, &|name| source.filter(|s| s.name == name), lang)
}

fn failed(file: &str, diags: Diagnostics, source: Option<&Source>, lang: Lang) -> FileReport {
    let error = diags.0.iter().filter(|d| d.is_error()).map(ToString::to_string).collect::<Vec<_>>().join("\n");
    FileReport {
        outcome: Some(FileOutcome::Failed { file: file.to_owned(), error }),
        stderr: render(&diags, source, lang),
    }
}
