//! Scoring many data files against one rubric (a finance bureau's whole year): inputs from
//! files, directories and standard input; files scored in parallel, reported in input order;
//! a ranking and summary statistics. A bad file never loses the others.

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::{self, Evaluation};
use crate::input::read_source;
use crate::lang::Lang;
use crate::rubric::Rubric;
use crate::tr;
use crate::yaml::Source;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// One DATA input once directories are expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path as given, or as found under a directory argument (`-`: standard input).
    pub path: String,
    /// Found by walking a directory rather than named: a rubric found there is skipped.
    pub walked: bool,
    /// Why the walk will not open it (a pipe, a device, a link out of the folder): it is a
    /// failed entry at its place, never read.
    pub refused: Option<String>,
}

impl Input {
    fn given(path: &str) -> Input {
        Input { path: path.to_owned(), walked: false, refused: None }
    }
}

/// Expands the DATA arguments: files as given, directories recursively (`*.yaml`, `*.yml`,
/// sorted by path), `-` for standard input. A walk opens regular files only: a pipe, socket or
/// device found there would hang or feed the reader forever, so it is a refused input. Symbolic
/// links to directories are not followed; one to a file is followed only when the file lies
/// inside the directory argument.
pub fn expand_inputs(args: &[String]) -> Result<Vec<Input>, Diagnostic> {
    let mut out = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if arg != "-" && path.is_dir() {
            let cannot = |e: std::io::Error| {
                Diagnostic::error(arg, Pos::UNKNOWN, tr!("无法读取目录：{e}", "cannot read directory: {e}"))
            };
            let root = std::fs::canonicalize(path).map_err(cannot)?;
            let mut found = Vec::new();
            walk(path, &root, &mut found).map_err(cannot)?;
            found.sort_by(|a, b| a.path.cmp(&b.path));
            if found.is_empty() {
                return Err(Diagnostic::error(
                    arg,
                    Pos::UNKNOWN,
                    tr!("目录中没有 .yaml 或 .yml 文件", "directory holds no .yaml or .yml files"),
                ));
            }
            out.extend(found);
        } else {
            out.push(Input::given(arg));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<Input>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // The entry itself, not what a link leads to.
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, root, out)?;
            continue;
        }
        if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        let refused = if kind.is_file() {
            None
        } else if kind.is_symlink() {
            link_refused(&path, root)
        } else {
            Some(tr!(
                "不是普通文件（而是管道、套接字或设备），不会读取",
                "not a regular file (a pipe, socket or device); it is not read"
            ))
        };
        out.push(Input { path: path.to_string_lossy().into_owned(), walked: true, refused });
    }
    Ok(())
}

/// Why a symbolic link found in a walk is not followed, if it is not: it leads outside the
/// directory argument `root`, or to something that is not a regular file. A broken link is
/// left to the reader, which says "no such file".
fn link_refused(link: &Path, root: &Path) -> Option<String> {
    let target = std::fs::canonicalize(link).ok()?;
    if !target.starts_with(root) {
        return Some(tr!(
            "这是指向所在目录之外的符号链接，不会跟随",
            "a symbolic link leading outside the folder given; it is not followed"
        ));
    }
    match std::fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => Some(tr!(
            "这是指向非普通文件（目录、管道或设备）的符号链接，不会读取",
            "a symbolic link to something other than a regular file (a folder, pipe or device); it is not read"
        )),
        _ => None,
    }
}

/// Whether a YAML text is a rubric rather than a data file: it has a top-level `sections:` key,
/// which no data file may have. Seen on the text alone (a line starting with `sections:`), so a
/// rubric in a folder of data files costs no parse.
pub fn looks_like_rubric(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        line.strip_prefix("sections").is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
    })
}

/// A scored file, kept small: what rankings and summaries need, and its JSON when asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub file: String,
    pub subject: String,
    pub period: Option<String>,
    pub total: Decimal,
    pub grade: Option<String>,
    /// Section id, title, score (None when dropped); the names are shared by every file.
    pub sections: Vec<(Arc<str>, Arc<str>, Option<Decimal>)>,
    /// Leaves that lost points: id, title, lost.
    pub losses: Vec<(Arc<str>, Arc<str>, Decimal)>,
    pub json: Option<serde_json::Value>,
}

/// A node's id and title, shared by all the files of a batch so that what each keeps stays small.
type Names = (Arc<str>, Arc<str>);

impl Scored {
    fn from(e: &Evaluation, job: &Job) -> Scored {
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

/// One input's outcome, and the diagnostics it produced (already rendered, in order).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Scored(Box<Scored>),
    Failed { file: String, error: String },
}

pub struct FileReport {
    /// `None`: a rubric found in a directory walk, skipped with a note (not an input).
    pub outcome: Option<Outcome>,
    /// Its warnings and errors, rendered with source snippets (or the note of a skipped file).
    pub stderr: String,
}

/// What a batch needs to know about the rubric and the output.
pub struct Job<'a> {
    /// The rubric in force and its spec, or none when no file names one that loads (then every
    /// file is a failed entry saying why).
    pub rubric: Option<(&'a Rubric, &'a str)>,
    /// `-r` was given: it wins over the files' own `rubric:` keys.
    pub forced: bool,
    /// Rubrics named by files that could not be loaded, by spec: why (their errors were
    /// reported once, when they were tried).
    pub unloadable: HashMap<String, String>,
    pub lang: Lang,
    pub keep_json: bool,
    /// Keep each file's lost points for the summary (table, markdown and workbook output).
    pub keep_losses: bool,
    /// Every node's id and title, made once for the whole batch.
    pub names: HashMap<String, Names>,
}

impl<'a> Job<'a> {
    pub fn new(
        rubric: Option<(&'a Rubric, &'a str)>,
        forced: bool,
        lang: Lang,
        keep_json: bool,
        keep_losses: bool,
    ) -> Job<'a> {
        let names = rubric
            .map(|(r, _)| r.nodes())
            .unwrap_or_default()
            .into_iter()
            .map(|n| (n.id.clone(), (Arc::from(n.id.as_str()), Arc::from(n.title.as_str()))))
            .collect();
        Job { rubric, forced, unloadable: HashMap::new(), lang, keep_json, keep_losses, names }
    }
}

/// Scores every input in parallel; the reports come back in input order.
pub fn run(job: &Job, inputs: &[Input], progress: Option<&indicatif::ProgressBar>) -> Vec<FileReport> {
    let stdin = if inputs.iter().any(|i| i.path == "-") { Some(read_source("-")) } else { None };
    // Workers with a parse-sized stack parse in place instead of starting a thread per file.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::yaml::PARSE_STACK_BYTES + 4 * 1024 * 1024)
        .start_handler(|_| crate::yaml::mark_big_stack())
        .build();
    let work = || -> Vec<FileReport> {
        inputs
            .par_iter()
            .map(|input| {
                let report = one_input(job, input, stdin.as_ref());
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
    let path = input.path.as_str();
    if let Some(why) = &input.refused {
        return failed(path, Diagnostic::error(path, Pos::UNKNOWN, why.clone()).into(), None);
    }
    if !input.walked || crate::input::is_workbook(path) {
        return score_one(job, path, crate::input::load_data(path, stdin));
    }
    let loaded = match read_source(path) {
        Ok(source) if looks_like_rubric(&source.text) => {
            let note = tr!("已跳过：{path} 是指标体系文件\n", "skipped: {path} is a rubric\n");
            return FileReport { outcome: None, stderr: note };
        }
        Ok(source) => crate::input::LoadedData { result: crate::data::DataFile::load(&source), source: Some(source) },
        Err(d) => crate::input::LoadedData { result: Err(d.into()), source: None },
    };
    score_one(job, path, loaded)
}

fn score_one(job: &Job, path: &str, loaded: crate::input::LoadedData) -> FileReport {
    let source = loaded.source.as_ref();
    let name = source.map_or(path, |s| s.name.as_str());
    let (data, warnings) = match loaded.result {
        Ok(x) => x,
        Err(d) => return failed(name, d, source),
    };
    let stderr = render(&warnings, source);
    let fail = |d: Diagnostics, extra: Option<&String>| {
        let mut report = failed(&data.file, d, source);
        report.stderr.insert_str(0, &stderr);
        if let (Some(extra), Some(Outcome::Failed { error, .. })) = (extra, report.outcome.as_mut()) {
            error.push('\n');
            error.push_str(extra);
        }
        report
    };
    let at_key = |message: String| {
        let pos = data.rubric.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
        Diagnostics::from(Diagnostic::error(&data.file, pos, message))
    };
    let own = if job.forced { None } else { crate::input::named_rubric(&data) };
    let rubric = match (own, job.rubric) {
        (Some(Err(refused)), _) => return fail(refused.into(), None),
        (Some(Ok(own)), _) if job.unloadable.contains_key(&own) => {
            let message = tr!(
                "本文件指定的指标体系 `{own}` 无法加载（错误见上）",
                "the rubric this file names, `{own}`, could not be loaded (its errors are above)"
            );
            return fail(at_key(message), job.unloadable.get(&own));
        }
        (Some(Ok(own)), Some((_, spec))) if own != spec => {
            let message = tr!(
                "此文件指定的指标体系是 `{own}`，但这一批按 `{spec}` 评分；要放在一起评分，请用 -r 指定指标体系",
                "this file names rubric `{own}` but the batch is scored with `{spec}`; give -r to score them together"
            );
            return fail(at_key(message), None);
        }
        (_, Some((rubric, _))) => rubric,
        (_, None) => {
            let message = tr!(
                "没有指标体系：请用 -r 指定，或在数据文件中写 `rubric:`",
                "no rubric: give -r RUBRIC or a `rubric:` key in the data file"
            );
            return fail(Diagnostic::error(&data.file, Pos::UNKNOWN, message).into(), None);
        }
    };
    let mut stderr = stderr.clone();
    // Leaf explanations only when the output shows them (JSON); a ranking needs the numbers.
    let explain = job.keep_json.then_some(job.lang);
    match engine::score(rubric, &data, &engine::Options { explain }) {
        Ok((e, w)) => {
            stderr.push_str(&render(&w, source));
            FileReport { outcome: Some(Outcome::Scored(Box::new(Scored::from(&e, job)))), stderr }
        }
        Err(d) => fail(d, None),
    }
}

fn render(diags: &Diagnostics, source: Option<&Source>) -> String {
    let sorted = diags.clone().sorted();
    crate::report::diagnostics::render(&sorted.0, &|name| source.filter(|s| s.name == name))
}

fn failed(file: &str, diags: Diagnostics, source: Option<&Source>) -> FileReport {
    let error = diags.0.iter().filter(|d| d.is_error()).map(ToString::to_string).collect::<Vec<_>>().join("\n");
    FileReport { outcome: Some(Outcome::Failed { file: file.to_owned(), error }), stderr: render(&diags, source) }
}

/// Statistics over the scored files of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub failed: usize,
    pub mean: Decimal,
    pub median: Decimal,
    pub min: Decimal,
    pub max: Decimal,
    /// Grade label → files, in the grade table's order; files without a grade last as "".
    pub grades: Vec<(String, usize)>,
    /// Section title → average score over the files where it was scored (`None`: in none).
    pub sections: Vec<(String, Option<Decimal>)>,
    /// The indicators that lose most points across files: title, points lost in all, files.
    pub top_losses: Vec<(String, Decimal, usize)>,
}

pub fn summarize(rubric: &Rubric, scored: &[&Scored], failed: usize) -> Option<Summary> {
    if scored.is_empty() {
        return None;
    }
    let n = Decimal::from(scored.len());
    let mut totals: Vec<Decimal> = scored.iter().map(|s| s.total).collect();
    totals.sort();
    let mid = totals.len() / 2;
    let median = if totals.len() % 2 == 1 { totals[mid] } else { (totals[mid - 1] + totals[mid]) / Decimal::TWO };
    let sum: Decimal = totals.iter().sum();
    let mut grades: Vec<(String, usize)> = rubric.grades.iter().map(|g| (g.label.clone(), 0)).collect();
    let mut ungraded = 0;
    for s in scored {
        match s.grade.as_ref().and_then(|g| grades.iter_mut().find(|(l, _)| l == g)) {
            Some(entry) => entry.1 += 1,
            None => ungraded += 1,
        }
    }
    if ungraded > 0 {
        grades.push((String::new(), ungraded));
    }
    let sections = rubric
        .sections
        .iter()
        .map(|section| {
            let scores: Vec<Decimal> = scored
                .iter()
                .filter_map(|s| s.sections.iter().find(|(id, _, _)| **id == *section.id).and_then(|x| x.2))
                .collect();
            let avg = (!scores.is_empty()).then(|| scores.iter().sum::<Decimal>() / Decimal::from(scores.len()));
            (section.title.clone(), avg)
        })
        .collect();
    let mut losses: Vec<(Arc<str>, Arc<str>, Decimal, usize)> = Vec::new();
    for s in scored {
        for (id, title, lost) in &s.losses {
            match losses.iter_mut().find(|x| x.0 == *id) {
                Some(x) => {
                    x.2 += *lost;
                    x.3 += 1;
                }
                None => losses.push((Arc::clone(id), Arc::clone(title), *lost, 1)),
            }
        }
    }
    losses.sort_by_key(|x| std::cmp::Reverse(x.2));
    let top_losses = losses.into_iter().take(10).map(|(_, t, l, c)| (t.to_string(), l, c)).collect();
    Some(Summary {
        count: scored.len(),
        failed,
        mean: sum / n,
        median,
        min: totals[0],
        max: totals[totals.len() - 1],
        grades,
        sections,
        top_losses,
    })
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so the
/// file is either the old one or the whole new one. Refuses to overwrite any input.
pub fn write_output(path: &str, bytes: &[u8], inputs: &[String]) -> Result<(), Diagnostic> {
    let target = Path::new(path);
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(t) = canonical(target)
        && inputs.iter().any(|i| i != "-" && canonical(Path::new(i)).as_ref() == Some(&t))
    {
        return Err(Diagnostic::error(
            path,
            Pos::UNKNOWN,
            tr!("拒绝写出：输出会覆盖一个输入文件", "refusing to overwrite an input file with the output"),
        ));
    }
    let cannot = |e: std::io::Error| Diagnostic::error(path, Pos::UNKNOWN, tr!("无法写入：{e}", "cannot write: {e}"));
    // A device, a pipe or a link is written to as it is: replacing it with a renamed file would
    // destroy it (`-o /dev/stdout`) and hide write errors (`-o /dev/full`).
    if let Ok(meta) = std::fs::symlink_metadata(target)
        && !meta.file_type().is_file()
    {
        return std::fs::write(target, bytes).map_err(cannot);
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    // A fresh temporary file (never an existing one, nor a link someone left there), renamed
    // over the target once it is complete: the target is either the old file or the new one.
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(cannot(e)),
        }
    };
    use std::io::Write;
    let result = file.write_all(bytes).and_then(|()| file.sync_all()).and_then(|()| std::fs::rename(&temp, target));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(cannot(e));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn directories_expand_sorted_and_recursive() {
        let dir = std::env::temp_dir().join(format!("selfeval-batch-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("b/c")).unwrap();
        for f in ["b/c/z.yaml", "a.yml", "b/x.yaml", "notes.txt"] {
            std::fs::write(dir.join(f), "x: 1\n").unwrap();
        }
        let found = expand_inputs(&[dir.to_string_lossy().into_owned()]).unwrap();
        let rel: Vec<String> =
            found.iter().map(|f| f.path.trim_start_matches(&*dir.to_string_lossy()).to_owned()).collect();
        assert_eq!(rel, vec!["/a.yml", "/b/c/z.yaml", "/b/x.yaml"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn item14_a_rubric_is_seen_by_its_top_level_sections_key() {
        assert!(looks_like_rubric("id: x\ntitle: y\nsections:\n  - id: a\n"));
        assert!(looks_like_rubric("\u{feff}sections : []\n"));
        for data in ["values:\n  sections: 3\n", "subject: sections:\n", "sections_done: 1\n", "# sections:\n"] {
            assert!(!looks_like_rubric(data), "{data}");
        }
    }

    #[test]
    fn output_is_written_whole_and_never_over_an_input() {
        let dir = std::env::temp_dir().join(format!("selfeval-out-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.yaml");
        std::fs::write(&input, "values: {}\n").unwrap();
        let input = input.to_string_lossy().into_owned();
        assert!(write_output(&input, b"x", std::slice::from_ref(&input)).is_err());
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "values: {}\n");
        let out = dir.join("out.csv").to_string_lossy().into_owned();
        write_output(&out, b"a,b\n", std::slice::from_ref(&input)).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "a,b\n");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
