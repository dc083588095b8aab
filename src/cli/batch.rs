//! The commands over many data files (`score`, `breakdown`, `explain`, `check` of a folder or
//! several files): the batch runner's reports, in input order, written to the output as they
//! come (csv rows, JSON documents, text sections, 复核 lines), or folded into a small
//! [`Tally`] for the outputs that need every file first (a ranking, a 复核 workbook). Memory
//! stays flat: per file, only a ranking's summary row (or a 复核 finding for a workbook or
//! page) is kept, and stderr is written as it comes.

use super::formats::Format;
use super::output::Pending;
use super::session::Session;
use super::{Payload, Streams};
use crate::batch::{FileReport, Job, Unit};
use crate::diag::{Diagnostic, Pos};
use crate::input::walk::Input;
use crate::ranking::{FileSummary, Tally};
use crate::report::{self, Opts};
use crate::review::{Counts, Finding};
use crate::scoring::RubricCache;
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Which command reads the files.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Score { depth: usize },
    Breakdown,
    Explain,
    Check { tolerance: Decimal },
}

/// What a worker makes of one file.
#[derive(Default)]
struct Piece {
    /// Its part of a streamed output: a csv row, a JSON document, a text section, a 复核 line.
    text: String,
    summary: Option<FileSummary>,
    finding: Option<Finding>,
    failed: Option<String>,
    /// Its rows of the results archive (`--format sqlite`).
    archive: Option<crate::archive::Entry>,
}

/// The command line of a run over many files.
pub(crate) struct Many<'a> {
    pub(crate) kind: Kind,
    pub(crate) rubric: Option<&'a str>,
    pub(crate) format: Format,
    /// `-o` (not `-`).
    pub(crate) output: Option<&'a str>,
    /// The DATA arguments (the files found in folders are added): `-o` must not be one of them.
    pub(crate) guard: &'a [String],
    /// The DATA arguments as given (recorded with a run in the results archive).
    pub(crate) data: &'a [String],
}

/// Whether `format` is written file by file as the batch goes, rather than once at the end.
fn streamed(kind: Kind, format: Format) -> bool {
    match kind {
        Kind::Score { .. } => matches!(format, Format::Csv | Format::Json | Format::Jsonl),
        Kind::Breakdown | Kind::Explain => true,
        Kind::Check { .. } => !matches!(format, Format::Xlsx | Format::Html),
    }
}

/// Runs `many` over `expanded` (the DATA arguments, folders walked).
pub(crate) fn run(
    s: &mut Session,
    io: &mut Streams,
    many: &Many,
    expanded: Result<Vec<Input>, Diagnostic>,
    opts: &Opts,
) -> (Payload, bool) {
    let lang = s.lang;
    let inputs = match expanded {
        Ok(i) => i,
        Err(d) => {
            s.report(&d.into());
            return (Payload::Text(String::new()), false);
        }
    };
    let forced = match many.rubric {
        Some(r) => match s.rubric(r) {
            Ok(l) => Some((Arc::clone(&l.rubric), r.to_owned())),
            // Nothing can be scored; its errors are reported.
            Err(_) => return (Payload::Text(String::new()), false),
        },
        None => None,
    };
    let (kind, format) = (many.kind, many.format);
    let cache = RubricCache::default();
    let explain = matches!(kind, Kind::Breakdown | Kind::Explain | Kind::Check { .. })
        || matches!(format, Format::Json | Format::Jsonl);
    let job = Job { forced, rubrics: &cache, lang, explain };
    let render = |unit: Unit| piece(unit, kind, format, opts);
    let stream = streamed(kind, format);
    let mut dest: Option<Pending> = None;
    if stream && let Some(path) = many.output {
        match Pending::create(path, guard(many, &inputs, None), lang) {
            Ok(p) => dest = Some(p),
            Err(d) => {
                s.report(&d.into());
                return (Payload::Text(String::new()), false);
            }
        }
    }
    let mut archive = None;
    if format == Format::Sqlite {
        match open_archive(many, lang) {
            Ok(a) => archive = Some(a),
            Err(d) => {
                s.report(&d.into());
                return (Payload::Text(String::new()), false);
            }
        }
    }
    let mut archive_run = match archive.as_mut().map(|a| a.begin(&crate::archive::RunInfo { inputs: many.data })) {
        Some(Err(e)) => {
            s.report(&archive_error(many, &e, lang).into());
            return (Payload::Text(String::new()), false);
        }
        Some(Ok(run)) => Some(run),
        None => None,
    };
    let mut archive_error_seen: Option<crate::archive::ArchiveError> = None;
    let bar = progress_bar(inputs.len());
    let _ = io.stderr.write_all(std::mem::take(&mut s.stderr).as_bytes());
    let mut state =
        Fold { tally: Tally::default(), counts: Counts::default(), findings: Vec::new(), items: 0, written: 0 };
    let mut write_error: Option<std::io::Error> = None;
    let keep_rows = matches!(kind, Kind::Score { .. }) && !stream;
    let keep_findings = matches!(kind, Kind::Check { .. }) && !stream;
    let mut announced: HashSet<String> = HashSet::new();
    let finished = {
        let out: &mut dyn Write = match dest.as_mut() {
            Some(p) => p,
            None => &mut *io.stdout,
        };
        let err: &mut dyn Write = &mut *io.stderr;
        let sink = |report: FileReport<Piece>| -> bool {
            let mut text = String::new();
            if let Some(spec) = &report.rubric_spec
                && announced.insert(spec.clone())
            {
                text.push_str(&cache.notes(spec).unwrap_or_default());
            }
            text.push_str(&report.stderr);
            if !text.is_empty() {
                let _ = match &bar {
                    Some(bar) => bar.suspend(|| err.write_all(text.as_bytes())),
                    None => err.write_all(text.as_bytes()),
                };
            }
            let Some(piece) = report.out else { return true };
            if stream && !piece.text.is_empty() {
                let lead = state.lead(kind, format);
                if let Err(e) = out.write_all(lead.as_bytes()).and_then(|()| out.write_all(piece.text.as_bytes())) {
                    write_error = Some(e);
                    return false;
                }
                state.written += 1;
            }
            if let (Some(run), Some(entry)) = (archive_run.as_mut(), &piece.archive)
                && let Err(e) = run.add(entry)
            {
                archive_error_seen = Some(e);
                return false;
            }
            state.fold(piece, keep_rows, keep_findings);
            true
        };
        crate::batch::run(&job, &inputs, &render, bar.as_ref(), &AtomicBool::new(false), sink)
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(e) = write_error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return (Payload::Text(String::new()), true);
        }
        let path = many.output.unwrap_or("-");
        s.report(&Diagnostic::error(path, Pos::UNKNOWN, crate::tr!(lang, "无法写入：{e}", "cannot write: {e}")).into());
        return (Payload::Text(String::new()), false);
    }
    if let Some(e) = archive_error_seen {
        s.report(&archive_error(many, &e, lang).into());
        return (Payload::Text(String::new()), false);
    }
    debug_assert!(finished);
    let Fold { tally, counts, findings, items, written } = state;
    if items == 0 {
        s.report(
            &Diagnostic::error(
                "",
                Pos::UNKNOWN,
                crate::tr!(lang, "没有可评分的数据文件", "no data files to score: only rubrics were found"),
            )
            .into(),
        );
        return (Payload::Text(String::new()), false);
    }
    if tally.failed > 0 {
        s.stderr.push_str(&report::batch::failed_line(&tally, lang));
    }
    let ok = match kind {
        Kind::Check { .. } => counts.passed(),
        _ => tally.failed == 0,
    };
    let closing = match (kind, format) {
        (_, Format::Json) if written == 0 => "[]\n".to_owned(),
        (_, Format::Json) => "\n]\n".to_owned(),
        (Kind::Check { .. }, Format::Table | Format::Markdown) => report::review::summary_text(&counts, opts),
        _ => String::new(),
    };
    if stream {
        let specs = cache.specs();
        let wrote = match dest {
            Some(mut pending) => pending
                .write_all(closing.as_bytes())
                .map_err(|e| Diagnostic::error(many.output.unwrap_or(""), Pos::UNKNOWN, e.to_string()))
                .and_then(|()| pending.commit(guard(many, &inputs, Some(&specs)), lang)),
            None => {
                io.stdout.write_all(closing.as_bytes()).map_err(|e| Diagnostic::error("-", Pos::UNKNOWN, e.to_string()))
            }
        };
        if let Err(d) = wrote {
            s.report(&d.into());
            return (Payload::Text(String::new()), false);
        }
        return (Payload::Text(String::new()), ok);
    }
    if let Some(run) = archive_run {
        // Committed only now: an interrupted or failed run leaves the archive as it was.
        return match run.finish() {
            Ok(id) => {
                let (path, files) = (many.output.unwrap_or(""), items);
                s.stderr.push_str(&crate::tr!(
                    lang,
                    "已追加到 {path}：第 {id} 次运行，{files} 个文件\n",
                    "appended to {path}: run {id}, {files} files\n"
                ));
                (Payload::Text(String::new()), ok)
            }
            Err(e) => {
                s.report(&archive_error(many, &e, lang).into());
                (Payload::Text(String::new()), false)
            }
        };
    }
    let made = match (kind, format) {
        (Kind::Check { .. }, Format::Xlsx) => report::workbook::review_workbook(&findings, &counts, lang),
        (Kind::Check { .. }, _) => Ok(report::review::html(&findings, &counts, opts).into_bytes()),
        (_, Format::Xlsx) => report::workbook::ranking_workbook(&tally, lang),
        (_, Format::Html) => Ok(report::overview::render(&tally, crate::overview::TOLERANCE, lang).into_bytes()),
        (_, Format::Markdown) => Ok(report::batch::ranking_markdown(&tally, opts).into_bytes()),
        _ => Ok(report::batch::ranking_text(&tally, opts).into_bytes()),
    };
    let specs = cache.specs();
    match (made, many.output) {
        (Ok(bytes), Some(path)) => {
            // Written here, where the files found in folders are known, not by the caller.
            let written = Pending::create(path, guard(many, &inputs, None), lang).and_then(|mut pending| {
                pending.write_all(&bytes).map_err(|e| Diagnostic::error(path, Pos::UNKNOWN, e.to_string()))?;
                pending.commit(guard(many, &inputs, Some(&specs)), lang)
            });
            match written {
                Ok(()) => (Payload::Text(String::new()), ok),
                Err(d) => {
                    s.report(&d.into());
                    (Payload::Text(String::new()), false)
                }
            }
        }
        (Ok(bytes), None) => (Payload::Bytes(bytes), ok),
        (Err(message), _) => {
            s.report(&Diagnostic::error("", Pos::UNKNOWN, message).into());
            (Payload::Text(String::new()), false)
        }
    }
}

/// What `-o` must not overwrite: the DATA arguments, the files found in folders, and the
/// rubrics the files named (`specs`, once they are read).
fn guard<'a>(many: &'a Many, inputs: &'a [Input], specs: Option<&'a [String]>) -> impl Iterator<Item = &'a str> {
    let specs = specs.unwrap_or_default().iter().map(String::as_str);
    many.guard.iter().map(String::as_str).chain(inputs.iter().map(|i| i.path.as_str())).chain(specs)
}

/// What the batch adds up as the files are handed over.
struct Fold {
    tally: Tally,
    counts: Counts,
    findings: Vec<Finding>,
    /// Files handed over (skipped ones not counted).
    items: usize,
    /// Pieces written to a streamed output.
    written: usize,
}

impl Fold {
    /// What goes before the next item of a streamed output: a JSON array's bracket or comma,
    /// a csv header, a blank line between text sections.
    fn lead(&self, kind: Kind, format: Format) -> String {
        match (kind, format, self.written) {
            (_, Format::Json, 0) => "[\n".into(),
            (_, Format::Json, _) => ",\n".into(),
            (Kind::Check { .. }, Format::Csv, 0) => report::review::csv_header(),
            (_, Format::Csv, 0) => report::batch::csv_header(),
            (Kind::Breakdown | Kind::Explain, Format::Table | Format::Markdown, n) if n > 0 => "\n".into(),
            _ => String::new(),
        }
    }

    fn fold(&mut self, piece: Piece, keep_rows: bool, keep_findings: bool) {
        self.items += 1;
        if let Some(file) = &piece.failed {
            self.tally.add_failed(file);
        }
        if let Some(summary) = piece.summary {
            self.tally.add(summary, keep_rows);
        }
        if let Some(finding) = piece.finding {
            self.counts.add(finding.outcome);
            if keep_findings {
                self.findings.push(finding);
            }
        }
    }
}

/// The archive at `-o`, which must not be one of the inputs.
fn open_archive(many: &Many, lang: crate::lang::Lang) -> Result<crate::archive::Archive, Diagnostic> {
    let path = many.output.unwrap_or("");
    let canonical = |p: &str| std::fs::canonicalize(p).ok();
    if let Some(target) = canonical(path)
        && many.guard.iter().any(|i| i != "-" && canonical(i).as_ref() == Some(&target))
    {
        return Err(Diagnostic::error(
            path,
            Pos::UNKNOWN,
            crate::tr!(lang, "拒绝写出：输出会覆盖一个输入文件", "refusing to overwrite an input file with the output"),
        ));
    }
    crate::archive::Archive::open(std::path::Path::new(path)).map_err(|e| archive_error(many, &e, lang))
}

fn archive_error(many: &Many, e: &crate::archive::ArchiveError, lang: crate::lang::Lang) -> Diagnostic {
    use crate::archive::ArchiveError;
    let message = match e {
        ArchiveError::Foreign(id) => crate::tr!(
            lang,
            "不是 selfeval 结果库（application_id 为 {id:#x}），未作改动；请换一个 -o 文件",
            "not a selfeval results archive (its application_id is {id:#x}); left as it was: choose another -o file"
        ),
        ArchiveError::Newer(v) => crate::tr!(
            lang,
            "结果库由更新版本的 selfeval 写入（结构版本 {v}），未作改动",
            "the archive was written by a newer selfeval (schema {v}); left as it was"
        ),
        ArchiveError::Sqlite(e) => crate::tr!(lang, "无法写入结果库：{e}", "cannot write the results archive: {e}"),
    };
    Diagnostic::error(many.output.unwrap_or(""), Pos::UNKNOWN, message)
}

fn progress_bar(files: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    (files >= 100 && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(Some(files as u64), indicatif::ProgressDrawTarget::stderr());
        bar.set_message("scoring");
        bar
    })
}

/// What a worker makes of one file for `kind` in `format`.
fn piece(unit: Unit, kind: Kind, format: Format, opts: &Opts) -> Piece {
    let lang = opts.lang;
    let (e, rubric, spec) = match unit {
        Unit::Scored { evaluation, rubric, spec } => (evaluation, rubric, spec),
        Unit::Failed { file, error } => {
            let text = match (kind, format) {
                (_, Format::Json | Format::Jsonl) => {
                    report::batch::json_item(&report::batch::failed_json(file, error), format == Format::Jsonl)
                }
                (Kind::Check { .. }, Format::Csv) => report::review::csv_rows(None, &Finding::failed(file)),
                (_, Format::Csv) => report::batch::csv_failed(file, error),
                (Kind::Breakdown | Kind::Explain, _) => {
                    report::batch::section_failed(file, format == Format::Markdown, lang)
                }
                _ => String::new(),
            };
            let finding = matches!(kind, Kind::Check { .. }).then(|| Finding::failed(file));
            let archive = (format == Format::Sqlite).then(|| crate::archive::Entry::failed(file, error));
            return Piece { text, summary: None, finding, failed: Some(file.to_owned()), archive };
        }
    };
    let json = |value: serde_json::Value| report::batch::json_item(&value, format == Format::Jsonl);
    let markdown = format == Format::Markdown;
    match kind {
        Kind::Score { depth } => match format {
            Format::Json | Format::Jsonl => Piece { text: json(report::json::evaluation_value(e)), ..Piece::default() },
            Format::Csv => Piece { text: report::batch::csv_rows(e, Some(depth)), ..Piece::default() },
            Format::Sqlite => Piece { archive: Some(crate::archive::Entry::scored(e)), ..Piece::default() },
            _ => Piece { summary: Some(FileSummary::of(e, rubric, spec)), ..Piece::default() },
        },
        Kind::Breakdown => {
            let text = match format {
                Format::Json | Format::Jsonl => json(report::json::evaluation_value(e)),
                Format::Csv => report::batch::csv_rows(e, None),
                Format::Markdown => report::batch::section(e, report::markdown::breakdown(e, opts), markdown),
                _ => report::batch::section(e, report::table::breakdown(e, opts), markdown),
            };
            Piece { text, ..Piece::default() }
        }
        Kind::Explain => {
            let x = crate::explain::explain(rubric, e, lang);
            let text = match format {
                Format::Json | Format::Jsonl => json(report::analysis::explain_json(e, &x)),
                Format::Markdown => {
                    report::batch::section(e, report::analysis::explain_markdown(e, &x, opts), markdown)
                }
                _ => report::batch::section(e, report::analysis::explain_text(e, &x, opts), markdown),
            };
            Piece { text, ..Piece::default() }
        }
        Kind::Check { tolerance } => {
            let c = crate::check::check(e, tolerance, lang);
            let finding = Finding::of(&c);
            let text = match format {
                Format::Json | Format::Jsonl => json(report::review::unit_json(&c, &finding)),
                Format::Csv => report::review::csv_rows(Some(&c), &finding),
                Format::Table | Format::Markdown => report::review::line(&finding, format == Format::Markdown, opts),
                _ => String::new(),
            };
            Piece { text, finding: Some(finding), ..Piece::default() }
        }
    }
}

/// Whether `data` (the DATA arguments) is one file: the one-file outputs apply.
pub(crate) fn one_file(data: &[String]) -> bool {
    data.len() == 1 && (data[0] == "-" || !std::path::Path::new(&data[0]).is_dir())
}

/// The paths a run reads (folders expanded), for `-o`'s guard.
pub(crate) fn input_paths(data: &[String], expanded: &Result<Vec<Input>, Diagnostic>) -> Vec<String> {
    expanded.as_ref().map_or_else(|_| data.to_vec(), |found| found.iter().map(|i| i.path.clone()).collect())
}
