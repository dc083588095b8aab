//! Scoring many data files (a finance bureau's whole year): the inputs (`input::walk`) scored
//! by parallel workers and handed over in input order, one at a time, through a bounded
//! reorder window, so that memory stays flat however many files there are. Each file is scored
//! with `-r`, or else with the rubric it names itself (loaded once per spec and shared). What a
//! worker makes of a scored file is the caller's (`render`): a line of CSV, a JSON document, a
//! ranking's summary row. A bad file never loses the others.

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::{self, Evaluation};
use crate::input::walk::{Input, looks_like_rubric, skipped_by_name};
use crate::input::{LoadedData, read_source};
use crate::lang::Lang;
use crate::rubric::Rubric;
use crate::scoring::RubricCache;
use crate::tr;
use crate::yaml::Source;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// How far the workers may run ahead of the file being handed over: the files scored but not
/// yet handed over are at most this many, whatever the number of threads. Large enough that a
/// slow file (a big workbook) rarely stalls the others; small enough that what the window holds
/// (a file's rendered output, a JSON document of a few KiB) stays a few MiB.
pub const WINDOW: usize = 256;

/// One file as `render` sees it.
pub enum Unit<'a> {
    Scored { evaluation: &'a Evaluation, rubric: &'a Arc<Rubric>, spec: &'a str },
    Failed { file: &'a str, error: &'a str },
}

/// One input's report, handed over in input order.
pub struct FileReport<T> {
    /// What `render` made of it; `None` when it was skipped with a note (a rubric, a results
    /// workbook, an Excel lock file found in a folder).
    pub out: Option<T>,
    /// Its warnings and errors rendered with source snippets, or the note of a skipped file.
    pub stderr: String,
    /// The rubric it named (no `-r`): what loading that rubric said goes before the first file
    /// naming it (`RubricCache::notes`).
    pub rubric_spec: Option<String>,
}

/// What the batch needs to know: the rubric, the language, what to compute.
pub struct Job<'a> {
    /// `-r`: the rubric every file is scored with, and its spec.
    pub forced: Option<(Arc<Rubric>, String)>,
    /// The rubrics files name, when no `-r`.
    pub rubrics: &'a RubricCache,
    pub lang: Lang,
    /// Leaf explanations (rules, inputs): only when the output shows them.
    pub explain: bool,
}

/// Scores every input by parallel workers and hands each report to `sink` in input order; the
/// workers stay within [`WINDOW`] files of the one handed over. `sink` returns `false` to stop
/// (the output was closed); `stop` stops the batch from outside (Ctrl-C). Returns whether the
/// batch ran to its end.
pub fn run<T: Send>(
    job: &Job,
    inputs: &[Input],
    render: &(dyn Fn(Unit) -> T + Sync),
    progress: Option<&indicatif::ProgressBar>,
    stop: &AtomicBool,
    mut sink: impl FnMut(FileReport<T>) -> bool,
) -> bool {
    let stdin = if inputs.iter().any(|i| i.path == "-") { Some(read_source("-", job.lang)) } else { None };
    let one = |place: usize| -> Option<FileReport<T>> {
        let input = inputs.get(place)?;
        let report = one_input(job, input, stdin.as_ref(), render);
        if let Some(bar) = progress {
            bar.inc(1);
        }
        Some(report)
    };
    // Workers with a parse-sized stack parse in place instead of starting a thread per file.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::yaml::PARSE_STACK_BYTES + 4 * 1024 * 1024)
        .start_handler(|_| crate::yaml::mark_big_stack())
        .build();
    let Ok(pool) = pool else {
        // No threads to be had: one file after the other, here.
        for place in 0..inputs.len() {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            let Some(report) = one(place) else { return false };
            if !sink(report) {
                return false;
            }
        }
        return true;
    };
    let chunk = chunk_size(inputs.len(), pool.current_num_threads());
    let chunks = inputs.len().div_ceil(chunk);
    let next = AtomicUsize::new(0);
    // How many reports were handed over; workers wait on it to stay within the window.
    let handed = (Mutex::new(0usize), Condvar::new());
    let halt = AtomicBool::new(false);
    let halted = || halt.load(Ordering::Relaxed) || stop.load(Ordering::Relaxed);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<FileReport<T>>)>();
    let mut finished = true;
    pool.in_place_scope(|scope| {
        for _ in 0..pool.current_num_threads().min(chunks) {
            let tx = tx.clone();
            let (next, handed, one, halted) = (&next, &handed, &one, &halted);
            scope.spawn(move |_| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let first = index * chunk;
                    if index >= chunks || halted() {
                        break;
                    }
                    if let Ok(mut done) = handed.0.lock() {
                        while first >= *done + WINDOW && !halted() {
                            match handed.1.wait(done) {
                                Ok(d) => done = d,
                                Err(_) => return,
                            }
                        }
                    }
                    let mut reports = Vec::with_capacity(chunk);
                    for place in first..(first + chunk).min(inputs.len()) {
                        if halted() {
                            return;
                        }
                        let Some(report) = one(place) else { return };
                        reports.push(report);
                    }
                    if halted() || tx.send((index, reports)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, Vec<FileReport<T>>> = BTreeMap::new();
        let mut at = 0;
        let mut handed_over = 0;
        let wake = |handed_over: usize| {
            if let Ok(mut done) = handed.0.lock() {
                *done = handed_over;
            }
            handed.1.notify_all();
        };
        'receive: for (index, reports) in rx.iter() {
            waiting.insert(index, reports);
            while let Some(reports) = waiting.remove(&at) {
                at += 1;
                for report in reports {
                    handed_over += 1;
                    if stop.load(Ordering::Relaxed) || !sink(report) {
                        finished = false;
                        break 'receive;
                    }
                }
                wake(handed_over);
            }
        }
        if handed_over < inputs.len() {
            finished = false;
            halt.store(true, Ordering::Relaxed);
            wake(handed_over);
        }
    });
    finished
}

/// How many consecutive files a worker takes at a time. Handing files over one by one costs a
/// wake-up of the receiving thread each (a tenth of a small file's time); in chunks that cost is
/// shared. Small batches keep small chunks so that every thread gets a share of a few big
/// workbooks; a chunk never exceeds a quarter of the window, so the workers still run ahead.
fn chunk_size(files: usize, threads: usize) -> usize {
    (files / (threads.max(1) * 8)).clamp(1, WINDOW / 8)
}

fn results_note(path: &str, lang: Lang) -> String {
    tr!(
        lang,
        "已跳过：{path} 是 selfeval 写出的结果工作簿\n",
        "skipped: {path} is a results workbook written by selfeval\n"
    )
}

fn rubric_note(path: &str, lang: Lang) -> String {
    tr!(lang, "已跳过：{path} 是指标体系文件\n", "skipped: {path} is a rubric\n")
}

/// Why a file found in a folder walk is no data file, if it is not: an Excel lock file, a
/// results workbook selfeval wrote, a rubric (the file is read to tell). A file that cannot be
/// read is left to the reader, which says why.
pub fn skip_note(path: &str, lang: Lang) -> Option<String> {
    if let Some(note) = skipped_by_name(path, lang) {
        return Some(note);
    }
    if crate::input::is_workbook(path) {
        let bytes = crate::input::read_bytes(path, lang).ok()?;
        return crate::input::workbook::is_results_workbook(&bytes).then(|| results_note(path, lang));
    }
    let source = read_source(path, lang).ok()?;
    looks_like_rubric(&source.text).then(|| rubric_note(path, lang))
}

fn skipped<T>(note: String) -> FileReport<T> {
    FileReport { out: None, stderr: note, rubric_spec: None }
}

/// Reads one input and scores it, unless the walk refused it or it is no data file (a rubric,
/// a results workbook or a lock file found in a walk: skipped with a note).
fn one_input<T>(
    job: &Job,
    input: &Input,
    stdin: Option<&Result<Source, Diagnostic>>,
    render: &(dyn Fn(Unit) -> T + Sync),
) -> FileReport<T> {
    let lang = job.lang;
    let path = input.path.as_str();
    if let Some(why) = &input.refused {
        return failed(path, Diagnostic::error(path, Pos::UNKNOWN, why.clone()).into(), None, render, lang);
    }
    if !input.walked {
        return score_one(job, path, crate::input::load_data(path, stdin, lang), render);
    }
    if let Some(note) = skipped_by_name(path, lang) {
        return skipped(note);
    }
    let loaded = if crate::input::is_workbook(path) {
        match crate::input::read_bytes(path, lang) {
            Ok(bytes) if crate::input::workbook::is_results_workbook(&bytes) => {
                return skipped(results_note(path, lang));
            }
            Ok(bytes) => LoadedData { result: crate::input::workbook::load(path, bytes, lang), source: None },
            Err(message) => {
                LoadedData { result: Err(Diagnostic::error(path, Pos::UNKNOWN, message).into()), source: None }
            }
        }
    } else {
        match read_source(path, lang) {
            Ok(source) if looks_like_rubric(&source.text) => return skipped(rubric_note(path, lang)),
            Ok(source) => LoadedData { result: crate::data::DataFile::load(&source, lang), source: Some(source) },
            Err(d) => LoadedData { result: Err(d.into()), source: None },
        }
    };
    score_one(job, path, loaded, render)
}

fn score_one<T>(job: &Job, path: &str, loaded: LoadedData, render: &(dyn Fn(Unit) -> T + Sync)) -> FileReport<T> {
    let lang = job.lang;
    let source = loaded.source.as_ref();
    let name = source.map_or(path, |s| s.name.as_str());
    let (data, warnings) = match loaded.result {
        Ok(x) => x,
        Err(d) => return failed(name, d, source, render, lang),
    };
    let mut stderr = render_diagnostics(&warnings, source, lang);
    let fail = |d: Diagnostics, stderr: &str, spec: Option<String>| {
        let mut report = failed(&data.file, d, source, render, lang);
        report.stderr.insert_str(0, stderr);
        report.rubric_spec = spec;
        report
    };
    // A batch scored with -r is a bureau's normal case: a warning per file that names its own
    // rubric would bury the real problems, so the choice's warning is not shown here.
    let (rubric, spec) = match crate::scoring::batch_rubric(&data, job.forced.as_ref(), job.rubrics, lang) {
        Ok(found) => found,
        Err((d, spec)) => return fail(d, &stderr, spec),
    };
    let rubric_spec = job.forced.is_none().then(|| spec.clone());
    let explain = job.explain.then_some(lang);
    match engine::score(&rubric, &data, &engine::Options { explain, lang }) {
        Ok((e, w)) => {
            stderr.push_str(&render_diagnostics(&w, source, lang));
            let out = render(Unit::Scored { evaluation: &e, rubric: &rubric, spec: &spec });
            FileReport { out: Some(out), stderr, rubric_spec }
        }
        Err(d) => fail(d, &stderr, rubric_spec),
    }
}

fn render_diagnostics(diags: &Diagnostics, source: Option<&Source>, lang: Lang) -> String {
    if diags.0.is_empty() {
        return String::new();
    }
    let sorted = diags.clone().sorted();
    crate::report::diagnostics::render(&sorted.0, &|name| source.filter(|s| s.name == name), lang)
}

fn failed<T>(
    file: &str,
    diags: Diagnostics,
    source: Option<&Source>,
    render: &(dyn Fn(Unit) -> T + Sync),
    lang: Lang,
) -> FileReport<T> {
    let error = diags.0.iter().filter(|d| d.is_error()).map(ToString::to_string).collect::<Vec<_>>().join("\n");
    let out = render(Unit::Failed { file, error: &error });
    FileReport { out: Some(out), stderr: render_diagnostics(&diags, source, lang), rubric_spec: None }
}
