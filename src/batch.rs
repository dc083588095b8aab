//! Scoring many data files against one rubric (a finance bureau's whole year): inputs from
//! files, directories and standard input; files scored in parallel, reported in input order;
//! a ranking and summary statistics. A bad file never loses the others.

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::{self, Evaluation};
use crate::input::{read_source, rubric_named_by};
use crate::lang::Lang;
use crate::rubric::Rubric;
use crate::tr;
use crate::yaml::Source;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Expands the DATA arguments: files as given, directories recursively (`*.yaml`, `*.yml`,
/// sorted by path), `-` for standard input. Symbolic links to directories are not followed.
pub fn expand_inputs(args: &[String]) -> Result<Vec<String>, Diagnostic> {
    let mut out = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if arg != "-" && path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found).map_err(|e| {
                Diagnostic::error(arg, Pos::UNKNOWN, tr!("无法读取目录：{e}", "cannot read directory: {e}"))
            })?;
            found.sort();
            if found.is_empty() {
                return Err(Diagnostic::error(
                    arg,
                    Pos::UNKNOWN,
                    tr!("目录中没有 .yaml 或 .yml 文件", "directory holds no .yaml or .yml files"),
                ));
            }
            out.extend(found.into_iter().map(|p| p.to_string_lossy().into_owned()));
        } else {
            out.push(arg.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
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
    pub outcome: Outcome,
    /// The file names a different rubric than the batch's (an error without `-r`).
    pub mismatch: bool,
    /// Its warnings and errors, rendered with source snippets.
    pub stderr: String,
}

/// What a batch needs to know about the rubric and the output.
pub struct Job<'a> {
    pub rubric: &'a Rubric,
    /// The rubric spec in force; a file naming another rubric is an error unless `forced`.
    pub spec: &'a str,
    /// `-r` was given: it wins over the files' own `rubric:` keys.
    pub forced: bool,
    pub lang: Lang,
    pub keep_json: bool,
    /// Keep each file's lost points for the summary (table, markdown and workbook output).
    pub keep_losses: bool,
    /// Every node's id and title, made once for the whole batch.
    pub names: HashMap<String, Names>,
}

impl<'a> Job<'a> {
    pub fn new(
        rubric: &'a Rubric,
        spec: &'a str,
        forced: bool,
        lang: Lang,
        keep_json: bool,
        keep_losses: bool,
    ) -> Job<'a> {
        let names = rubric
            .nodes()
            .into_iter()
            .map(|n| (n.id.clone(), (Arc::from(n.id.as_str()), Arc::from(n.title.as_str()))))
            .collect();
        Job { rubric, spec, forced, lang, keep_json, keep_losses, names }
    }
}

/// Scores every input in parallel; the reports come back in input order.
pub fn run(job: &Job, inputs: &[String], progress: Option<&indicatif::ProgressBar>) -> Vec<FileReport> {
    let stdin = if inputs.iter().any(|i| i == "-") { Some(read_source("-")) } else { None };
    // Workers with a parse-sized stack parse in place instead of starting a thread per file.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::yaml::PARSE_STACK_BYTES + 4 * 1024 * 1024)
        .start_handler(|_| crate::yaml::mark_big_stack())
        .build();
    let work = || -> Vec<FileReport> {
        inputs
            .par_iter()
            .map(|path| {
                let report = score_one(job, path, crate::input::load_data(path, stdin.as_ref()));
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

fn score_one(job: &Job, path: &str, loaded: crate::input::LoadedData) -> FileReport {
    let source = loaded.source.as_ref();
    let name = source.map_or(path, |s| s.name.as_str());
    let (data, warnings) = match loaded.result {
        Ok(x) => x,
        Err(d) => return failed(name, d, source),
    };
    let mut stderr = render(&warnings, source);
    if !job.forced
        && let Some(own) = rubric_named_by(&data)
        && own != job.spec
    {
        let pos = data.rubric.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
        let d = Diagnostic::error(
            &data.file,
            pos,
            tr!(
                "此文件指定的指标体系是 `{own}`，但这一批按 `{}` 评分；要放在一起评分，请用 -r 指定指标体系",
                "this file names rubric `{own}` but the batch is scored with `{}`; give -r to score them together",
                job.spec
            ),
        );
        let mut report = failed(&data.file, d.into(), source);
        report.stderr.insert_str(0, &stderr);
        report.mismatch = true;
        return report;
    }
    // Leaf explanations only when the output shows them (JSON); a ranking needs the numbers.
    let explain = job.keep_json.then_some(job.lang);
    match engine::score(job.rubric, &data, &engine::Options { explain }) {
        Ok((e, w)) => {
            stderr.push_str(&render(&w, source));
            FileReport { outcome: Outcome::Scored(Box::new(Scored::from(&e, job))), mismatch: false, stderr }
        }
        Err(d) => {
            let mut report = failed(&data.file, d, source);
            report.stderr.insert_str(0, &stderr);
            report
        }
    }
}

fn render(diags: &Diagnostics, source: Option<&Source>) -> String {
    let sorted = diags.clone().sorted();
    crate::report::diagnostics::render(&sorted.0, &|name| source.filter(|s| s.name == name))
}

fn failed(file: &str, diags: Diagnostics, source: Option<&Source>) -> FileReport {
    let error = diags.0.iter().filter(|d| d.is_error()).map(ToString::to_string).collect::<Vec<_>>().join("\n");
    FileReport {
        outcome: Outcome::Failed { file: file.to_owned(), error },
        mismatch: false,
        stderr: render(&diags, source),
    }
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
        let rel: Vec<String> = found.iter().map(|f| f.trim_start_matches(&*dir.to_string_lossy()).to_owned()).collect();
        assert_eq!(rel, vec!["/a.yml", "/b/c/z.yaml", "/b/x.yaml"]);
        std::fs::remove_dir_all(&dir).unwrap();
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
