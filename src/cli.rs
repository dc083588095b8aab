//! The command line (SPEC §6). `run` turns arguments into text for stdout and stderr and an
//! exit code; it never prints, so the binary stays thin and every command is testable.

use crate::data::DataFile;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::{self, Evaluation};
use crate::input::{LoadedRubric, load_rubric, read_source, rubric_named_by};
use crate::report::{self, table::Style};
use crate::rubric::builtin;
use crate::yaml::Source;
use clap::{Parser, Subcommand, ValueEnum};
use std::collections::HashMap;

#[derive(Debug, Parser)]
#[command(
    name = "selfeval",
    version,
    about = "Scores budget performance self-evaluations (预算绩效自评) exactly and explains every lost point",
    after_help = "Exit codes: 0 success; 1 a problem with a file, a rubric or its contents, or a failed validation; 2 command-line syntax."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Table borders: `utf8` box drawing or plain `ascii` (for terminals that draw box characters wide).
    #[arg(long, global = true, value_enum, default_value_t = StyleArg::Utf8)]
    pub style: StyleArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StyleArg {
    Utf8,
    Ascii,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The total, grade and per-section scores of one or more data files.
    Score {
        /// Rubric file or built-in id; may be omitted when the data file names its rubric.
        #[arg(short, long)]
        rubric: Option<String>,
        /// Data files (`-` for standard input).
        #[arg(required = true)]
        data: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Levels of the tree to show (1 = sections); JSON always holds the whole tree.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
        depth: u16,
    },
    /// The full tree: points, score, lost points and the rule and inputs behind each leaf.
    Breakdown {
        #[arg(short, long)]
        rubric: Option<String>,
        /// The data file (`-` for standard input).
        data: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Checks a rubric, and data files against it, listing every problem.
    Validate {
        /// Rubric file or built-in id.
        rubric: String,
        /// Data files to check against the rubric.
        #[arg(long, num_args = 1..)]
        data: Vec<String>,
    },
    /// Lists the built-in rubrics.
    Rubrics,
    /// Prints a rubric as a table of indicators, points and standards.
    Show {
        /// Rubric file or built-in id.
        rubric: String,
    },
}

/// What a command produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Source texts seen so far, for diagnostics with snippets.
#[derive(Default)]
struct Sources(Vec<Source>);

impl Sources {
    fn add(&mut self, s: &Source) {
        if !self.0.iter().any(|x| x.name == s.name) {
            self.0.push(s.clone());
        }
    }

    fn render(&self, diags: &[Diagnostic]) -> String {
        report::diagnostics::render(diags, &|name| self.0.iter().find(|s| s.name == name))
    }
}

struct Session {
    sources: Sources,
    stderr: String,
    /// Rubrics by spec, loaded once; `Err` holds the text of why one could not be loaded.
    rubrics: HashMap<String, Result<LoadedRubric, String>>,
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
    fn report(&mut self, diags: &Diagnostics) {
        let text = self.sources.render(&diags.0);
        self.stderr.push_str(&text);
    }

    /// Loads a rubric once per spec, reporting its problems once.
    fn rubric(&mut self, spec: &str) -> Result<&LoadedRubric, String> {
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
            None => Err(format!("rubric `{spec}` could not be loaded")),
        }
    }

    fn data(&mut self, path: &str) -> Result<DataFile, Diagnostics> {
        let source = read_source(path).map_err(Diagnostics::from)?;
        self.sources.add(&source);
        let (data, warnings) = DataFile::load(&source)?;
        self.report(&warnings);
        Ok(data)
    }

    /// The rubric spec for a data file: `-r` wins over the file's own `rubric:` (SPEC §5.1).
    fn rubric_spec(&mut self, cli_rubric: Option<&str>, data: &DataFile) -> Result<String, Diagnostics> {
        match (cli_rubric, rubric_named_by(data)) {
            (Some(r), Some(own)) => {
                if let Some((named, pos)) = &data.rubric
                    && own != r
                    && named != r
                {
                    let message = format!("the file names rubric `{named}`, but -r `{r}` is used");
                    self.report(&Diagnostic::warning(&data.file, *pos, message).into());
                }
                Ok(r.to_owned())
            }
            (Some(r), None) => Ok(r.to_owned()),
            (None, Some(own)) => Ok(own),
            (None, None) => Err(Diagnostic::error(
                &data.file,
                Pos::UNKNOWN,
                "no rubric: give -r RUBRIC or a `rubric:` key in the data file",
            )
            .into()),
        }
    }

    fn failed(&mut self, file: &str, diags: Diagnostics) -> FileResult {
        let diags = diags.sorted();
        self.report(&diags);
        FileResult::Failed { file: file.to_owned(), error: error_text(&diags) }
    }

    /// Loads and scores each data file, in order. `Err` when the files cannot be scored together
    /// at all (they name different rubrics and no `-r` was given).
    fn evaluate(&mut self, cli_rubric: Option<&str>, paths: &[String]) -> Result<Vec<FileResult>, ()> {
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
        if cli_rubric.is_none() {
            let mut specs = loaded.iter().filter_map(|r| r.as_ref().ok());
            if let Some((_, first)) = specs.next()
                && let Some((other, spec)) = specs.find(|(_, s)| s != first)
            {
                let message = format!(
                    "this file names rubric `{spec}` but an earlier one names `{first}`; give -r to score them together"
                );
                self.report(&Diagnostic::error(&other.file, Pos::UNKNOWN, message).into());
                return Err(());
            }
        }
        let mut results = Vec::new();
        for item in loaded {
            let (data, spec) = match item {
                Ok(x) => x,
                Err(failed) => {
                    results.push(failed);
                    continue;
                }
            };
            let result = match self.rubric(&spec) {
                Err(error) => {
                    if let Some((named, pos)) = &data.rubric
                        && cli_rubric.is_none()
                    {
                        let message = format!("the rubric this file names, `{named}`, could not be loaded");
                        self.report(&Diagnostic::error(&data.file, *pos, message).into());
                    }
                    FileResult::Failed { file: data.file.clone(), error }
                }
                Ok(rubric) => match engine::score(&rubric.rubric, &data) {
                    Ok((evaluation, warnings)) => {
                        self.report(&warnings);
                        FileResult::Scored(Box::new(evaluation))
                    }
                    Err(diags) => self.failed(&data.file, diags),
                },
            };
            results.push(result);
        }
        Ok(results)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Outcome {
    let style = match cli.style {
        StyleArg::Utf8 => Style::Utf8,
        StyleArg::Ascii => Style::Ascii,
    };
    let mut s = Session { sources: Sources::default(), stderr: String::new(), rubrics: HashMap::new() };
    let (stdout, ok) = match cli.command {
        Command::Score { rubric, data, format, depth } => match s.evaluate(rubric.as_deref(), &data) {
            Err(()) => (String::new(), false),
            Ok(results) => {
                let ok = results.iter().all(|r| matches!(r, FileResult::Scored(_)));
                let scored: Vec<Evaluation> = results
                    .iter()
                    .filter_map(|r| match r {
                        FileResult::Scored(e) => Some((**e).clone()),
                        FileResult::Failed { .. } => None,
                    })
                    .collect();
                let depth = usize::from(depth);
                let text = match (format, scored.as_slice()) {
                    // A single file that failed prints nothing (SPEC §6).
                    (_, []) if data.len() == 1 => String::new(),
                    (Format::Table, [one]) if data.len() == 1 => report::table::score(one, depth, style),
                    (Format::Csv, [one]) if data.len() == 1 => report::csv::score(one, Some(depth)),
                    (Format::Markdown, [one]) if data.len() == 1 => report::markdown::score(one, depth),
                    (Format::Json, [one]) if data.len() == 1 => report::json::render(std::slice::from_ref(one)),
                    (Format::Json, _) => {
                        let items: Vec<report::json::Item> = results
                            .iter()
                            .map(|r| match r {
                                FileResult::Scored(e) => report::json::Item::Scored(e),
                                FileResult::Failed { file, error } => report::json::Item::Failed { file, error },
                            })
                            .collect();
                        report::json::render_batch(&items)
                    }
                    (_, []) => String::new(),
                    (Format::Table, all) => report::table::ranking(all, style),
                    (Format::Csv, all) => report::csv::ranking(all),
                    (Format::Markdown, all) => report::markdown::ranking(all),
                };
                (text, ok)
            }
        },
        Command::Breakdown { rubric, data, format } => {
            let results = s.evaluate(rubric.as_deref(), std::slice::from_ref(&data)).unwrap_or_default();
            let text = match (format, results.first()) {
                (_, None | Some(FileResult::Failed { .. })) => String::new(),
                (Format::Table, Some(FileResult::Scored(e))) => report::table::breakdown(e, style),
                (Format::Json, Some(FileResult::Scored(e))) => report::json::render(std::slice::from_ref(e)),
                (Format::Csv, Some(FileResult::Scored(e))) => report::csv::score(e, None),
                (Format::Markdown, Some(FileResult::Scored(e))) => report::markdown::breakdown(e),
            };
            let ok = matches!(results.first(), Some(FileResult::Scored(_)));
            (text, ok)
        }
        Command::Validate { rubric, data } => validate(&mut s, &rubric, &data),
        Command::Rubrics => {
            let mut loaded = Vec::new();
            let mut ok = true;
            for id in builtin::ids() {
                match s.rubric(id) {
                    Ok(l) => loaded.push(l.rubric.clone()),
                    Err(_) => ok = false,
                }
            }
            let refs: Vec<&crate::rubric::Rubric> = loaded.iter().collect();
            (report::table::rubric_list(&refs, style), ok)
        }
        Command::Show { rubric } => match s.rubric(&rubric) {
            Ok(l) => (report::table::show(&l.rubric, style), true),
            Err(_) => (String::new(), false),
        },
    };
    Outcome { stdout, stderr: s.stderr, code: if ok { 0 } else { 1 } }
}

fn validate(s: &mut Session, rubric: &str, data: &[String]) -> (String, bool) {
    let mut errors = 0;
    let mut warnings = 0;
    let mut count = |d: &Diagnostics| {
        errors += d.0.iter().filter(|x| x.is_error()).count();
        warnings += d.0.iter().filter(|x| !x.is_error()).count();
    };
    let loaded = match load_rubric(rubric) {
        Ok(l) => {
            s.sources.add(&l.source);
            count(&l.warnings);
            let w = l.warnings.clone().sorted();
            s.report(&w);
            Some(l)
        }
        Err((diags, source)) => {
            if let Some(src) = &source {
                s.sources.add(src);
            }
            count(&diags);
            s.report(&diags.sorted());
            None
        }
    };
    if let Some(loaded) = &loaded {
        for path in data {
            let source = match read_source(path) {
                Ok(src) => src,
                Err(d) => {
                    let d: Diagnostics = d.into();
                    count(&d);
                    s.report(&d);
                    continue;
                }
            };
            s.sources.add(&source);
            let diags = match DataFile::load(&source) {
                Ok((data, mut warnings)) => match engine::score(&loaded.rubric, &data) {
                    Ok((_, w)) => {
                        warnings.extend(w);
                        warnings
                    }
                    Err(e) => {
                        warnings.extend(e);
                        warnings
                    }
                },
                Err(d) => d,
            };
            count(&diags);
            s.report(&diags.sorted());
        }
    }
    let status = if errors == 0 { "ok" } else { "failed" };
    s.stderr.push_str(&format!("validate {status}: {errors} error(s), {warnings} warning(s)\n"));
    (String::new(), errors == 0)
}
