//! The command line (SPEC §6). `run` turns arguments into text for stdout and stderr and an
//! exit code; it never prints, so the binary stays thin and every command is testable.

use crate::data::DataFile;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::{self, Evaluation};
use crate::input::{LoadedRubric, load_rubric, read_source, rubric_named_by};
use crate::lang::Lang;
use crate::report::{self, Opts, table::Style};
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
    /// Language of tables, explanations and notes (JSON keys stay English); by default from
    /// LC_ALL / LANG: zh_* → Chinese, otherwise English.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
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
    /// One compact JSON document per line (batches).
    Jsonl,
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
        /// Data files, directories (searched for *.yaml / *.yml) and `-` for standard input.
        #[arg(required = true)]
        data: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Levels of the tree to show (1 = sections); JSON always holds the whole tree.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
        depth: u16,
        /// Write the result to FILE (atomically) instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<String>,
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
    /// Where the points were lost, largest first, and what would have earned more.
    Explain {
        #[arg(short, long)]
        rubric: Option<String>,
        /// The data file (`-` for standard input).
        data: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Compares the data files' declared scores with the computed ones (复核); exit 1 on any
    /// over- or under-claim beyond the tolerance.
    Check {
        #[arg(short, long)]
        rubric: Option<String>,
        #[arg(required = true)]
        data: Vec<String>,
        /// The largest difference that still agrees.
        #[arg(long, default_value = "0", value_parser = parse_tolerance)]
        tolerance: rust_decimal::Decimal,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Two data files side by side (e.g. 2021 and 2022, or before and after a correction):
    /// the total and every node's score change, and the inputs that changed.
    Diff {
        /// The rubric (of NEW, and of OLD unless --rubric-old is given).
        #[arg(short, long)]
        rubric: Option<String>,
        /// Score OLD with this rubric instead: compares two rubric versions (NEW may then be omitted).
        #[arg(long)]
        rubric_old: Option<String>,
        old: String,
        new: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Prints a data-file template: every field with its label, unit, type and allowed values.
    Init {
        #[arg(short, long)]
        rubric: String,
        /// Template format (yaml).
        #[arg(long, default_value = "yaml", value_parser = ["yaml"])]
        format: String,
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

fn parse_tolerance(text: &str) -> Result<rust_decimal::Decimal, String> {
    match crate::number::parse_literal(text) {
        Ok(d) if d >= rust_decimal::Decimal::ZERO => Ok(d),
        Ok(_) => Err("the tolerance must be ≥ 0".into()),
        Err(e) => Err(format!("`{text}` {e}")),
    }
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
    lang: Lang,
    sources: Sources,
    stderr: String,
    /// The rubric spec each scored data file was scored with.
    specs: HashMap<String, String>,
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

    fn spec_of(&self, e: &Evaluation) -> Option<String> {
        self.specs.get(&e.file).cloned()
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
            let lang = self.lang;
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
                Ok(rubric) => match engine::score_in(&rubric.rubric, &data, lang) {
                    Ok((evaluation, warnings)) => {
                        self.report(&warnings);
                        self.specs.insert(data.file.clone(), spec.clone());
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

/// `score` of one data file: the tree to `depth`, or the whole tree as JSON.
fn score_one(
    s: &mut Session,
    rubric: Option<&str>,
    path: &str,
    format: Format,
    depth: usize,
    opts: &Opts,
) -> (String, bool) {
    let results = s.evaluate(rubric, &[path.to_owned()]).unwrap_or_default();
    let Some(FileResult::Scored(e)) = results.into_iter().next() else { return (String::new(), false) };
    let text = match format {
        Format::Table => report::table::score(&e, depth, opts),
        Format::Csv => report::csv::score(&e, Some(depth)),
        Format::Markdown => report::markdown::score(&e, depth, opts),
        Format::Json => report::json::render(std::slice::from_ref(&e)),
        Format::Jsonl => {
            let mut line = serde_json::to_string(&report::json::evaluation_value(&e)).unwrap_or_default();
            line.push('\n');
            line
        }
    };
    (text, true)
}

/// The rubric spec a batch is scored with: `-r`, else the first readable file's `rubric:`.
fn batch_spec(s: &mut Session, rubric: Option<&str>, inputs: &[String]) -> Option<String> {
    if let Some(r) = rubric {
        return Some(r.to_owned());
    }
    for path in inputs.iter().filter(|p| *p != "-") {
        if let Ok(source) = read_source(path)
            && let Ok((data, _)) = DataFile::load(&source)
            && let Some(spec) = rubric_named_by(&data)
        {
            return Some(spec);
        }
    }
    s.report(
        &Diagnostic::error("", Pos::UNKNOWN, "no rubric: give -r RUBRIC or a `rubric:` key in the data files").into(),
    );
    None
}

/// `score` of many files: scored in parallel, reported in input order, ranked and summarised.
fn score_batch(s: &mut Session, rubric: Option<&str>, data: &[String], format: Format, opts: &Opts) -> (String, bool) {
    use std::io::IsTerminal;
    let inputs = match crate::batch::expand_inputs(data) {
        Ok(i) => i,
        Err(d) => {
            s.report(&d.into());
            return (String::new(), false);
        }
    };
    let Some(spec) = batch_spec(s, rubric, &inputs) else { return (String::new(), false) };
    let Ok(loaded) = s.rubric(&spec) else { return (String::new(), false) };
    let rubric_model = loaded.rubric.clone();
    let job = crate::batch::Job {
        rubric: &rubric_model,
        spec: &spec,
        forced: rubric.is_some(),
        lang: opts.lang,
        keep_json: matches!(format, Format::Json | Format::Jsonl),
    };
    let bar = (inputs.len() >= 100 && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(inputs.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        bar.set_message("scoring");
        bar
    });
    let reports = crate::batch::run(&job, &inputs, bar.as_ref());
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut failed_files = Vec::new();
    for r in &reports {
        s.stderr.push_str(&r.stderr);
        if let crate::batch::Outcome::Failed { file, .. } = &r.outcome {
            failed_files.push(file.clone());
        }
    }
    // SPEC §5.1: files naming different rubrics cannot be scored together without -r.
    if rubric.is_none() && reports.iter().any(|r| r.mismatch) {
        return (String::new(), false);
    }
    if !failed_files.is_empty() {
        s.stderr.push_str(&format!("{} file(s) failed: {}\n", failed_files.len(), failed_files.join(", ")));
    }
    let outcomes: Vec<&crate::batch::Outcome> = reports.iter().map(|r| &r.outcome).collect();
    let scored: Vec<&crate::batch::Scored> = outcomes
        .iter()
        .filter_map(|o| match o {
            crate::batch::Outcome::Scored(x) => Some(x.as_ref()),
            crate::batch::Outcome::Failed { .. } => None,
        })
        .collect();
    let summary = crate::batch::summarize(&rubric_model, &scored, failed_files.len());
    let text = match format {
        Format::Json => report::batch::json_array(&outcomes),
        Format::Jsonl => report::batch::json_lines(&outcomes),
        _ if scored.is_empty() => String::new(),
        Format::Csv => report::batch::ranking_csv(&scored),
        Format::Markdown => report::batch::ranking_markdown(&scored, summary.as_ref(), opts),
        Format::Table => {
            let summary = summary.as_ref().map(|x| report::batch::summary_text(x, opts)).unwrap_or_default();
            format!("{}{summary}", report::batch::ranking_table(&scored, opts))
        }
    };
    (text, failed_files.is_empty())
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Outcome {
    let style = match cli.style {
        StyleArg::Utf8 => Style::Utf8,
        StyleArg::Ascii => Style::Ascii,
    };
    let lang = match cli.lang {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    };
    let opts = Opts { style, lang };
    let mut s = Session {
        lang,
        sources: Sources::default(),
        stderr: String::new(),
        specs: HashMap::new(),
        rubrics: HashMap::new(),
    };
    let (stdout, ok) = match cli.command {
        Command::Score { rubric, data, format, depth, output } => {
            let single = data.len() == 1 && (data[0] == "-" || !std::path::Path::new(&data[0]).is_dir());
            let (text, ok) = if single {
                score_one(&mut s, rubric.as_deref(), &data[0], format, usize::from(depth), &opts)
            } else {
                score_batch(&mut s, rubric.as_deref(), &data, format, &opts)
            };
            match output {
                Some(path) if !text.is_empty() => match crate::batch::write_output(&path, &text, &data) {
                    Ok(()) => (String::new(), ok),
                    Err(d) => {
                        s.report(&d.into());
                        (String::new(), false)
                    }
                },
                _ => (text, ok),
            }
        }
        Command::Breakdown { rubric, data, format } => {
            let results = s.evaluate(rubric.as_deref(), std::slice::from_ref(&data)).unwrap_or_default();
            let text = match (format, results.first()) {
                (_, None | Some(FileResult::Failed { .. })) => String::new(),
                (Format::Table, Some(FileResult::Scored(e))) => report::table::breakdown(e, &opts),
                (Format::Json | Format::Jsonl, Some(FileResult::Scored(e))) => {
                    report::json::render(std::slice::from_ref(e))
                }
                (Format::Csv, Some(FileResult::Scored(e))) => report::csv::score(e, None),
                (Format::Markdown, Some(FileResult::Scored(e))) => report::markdown::breakdown(e, &opts),
            };
            let ok = matches!(results.first(), Some(FileResult::Scored(_)));
            (text, ok)
        }
        Command::Explain { rubric, data, format } => {
            let results = s.evaluate(rubric.as_deref(), std::slice::from_ref(&data)).unwrap_or_default();
            match results.into_iter().next() {
                Some(FileResult::Scored(e)) => {
                    let spec = rubric.clone().or_else(|| s.spec_of(&e)).unwrap_or_default();
                    match s.rubric(&spec) {
                        Ok(loaded) => {
                            let x = crate::explain::explain(&loaded.rubric, &e, lang);
                            let text = match format {
                                Format::Json | Format::Jsonl => {
                                    report::analysis::json_text(vec![report::analysis::explain_json(&e, &x)])
                                }
                                Format::Markdown => report::analysis::explain_markdown(&e, &x, &opts),
                                Format::Table | Format::Csv => report::analysis::explain_text(&e, &x, &opts),
                            };
                            (text, true)
                        }
                        Err(_) => (String::new(), false),
                    }
                }
                _ => (String::new(), false),
            }
        }
        Command::Check { rubric, data, tolerance, format } => match s.evaluate(rubric.as_deref(), &data) {
            Err(()) => (String::new(), false),
            Ok(results) => {
                let mut ok = true;
                let mut checks = Vec::new();
                let mut evaluations = Vec::new();
                for r in results {
                    match r {
                        FileResult::Scored(e) => {
                            if e.declared.is_empty() {
                                let note = format!("{}: {}\n", e.file, lang.t(crate::lang::Msg::NoDeclared));
                                s.stderr.push_str(&note);
                                continue;
                            }
                            let c = crate::check::check(&e, tolerance, lang);
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
                        report::analysis::json_text(all.iter().map(report::analysis::check_json).collect())
                    }
                    (Format::Csv, all, _) => report::analysis::check_csv(all),
                    (Format::Table, [one], [e]) if data.len() == 1 => report::analysis::check_table(e, one, &opts),
                    (Format::Markdown, all, _) => {
                        all.iter().map(|c| report::analysis::check_markdown(c, &opts)).collect::<Vec<_>>().join("\n")
                    }
                    (Format::Table, all, _) => report::analysis::check_summary(all, &opts),
                };
                (text, ok)
            }
        },
        Command::Diff { rubric, rubric_old, old, new, format } => {
            let new_path = new.clone().unwrap_or_else(|| old.clone());
            if new.is_none() && rubric_old.is_none() {
                s.stderr.push_str("error: give NEW, or --rubric-old to compare two rubrics on one data file\n");
                return Outcome { stdout: String::new(), stderr: s.stderr, code: 2 };
            }
            let old_rubric = rubric_old.as_deref().or(rubric.as_deref());
            let first = s.evaluate(old_rubric, std::slice::from_ref(&old)).unwrap_or_default().into_iter().next();
            let second =
                s.evaluate(rubric.as_deref(), std::slice::from_ref(&new_path)).unwrap_or_default().into_iter().next();
            match (first, second) {
                (Some(FileResult::Scored(a)), Some(FileResult::Scored(b))) => {
                    let d = crate::diff::diff(&a, &b);
                    let text = match format {
                        Format::Json | Format::Jsonl => {
                            report::analysis::json_text(vec![report::analysis::diff_json(&a, &b, &d)])
                        }
                        Format::Markdown => report::analysis::diff_markdown(&a, &b, &d, &opts),
                        Format::Table | Format::Csv => report::analysis::diff_table(&a, &b, &d, &opts),
                    };
                    (text, true)
                }
                _ => (String::new(), false),
            }
        }
        Command::Init { rubric, .. } => match s.rubric(&rubric) {
            Ok(l) => (crate::template::data_template(&l.rubric, &rubric, lang), true),
            Err(_) => (String::new(), false),
        },
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
            (report::table::rubric_list(&refs, &opts), ok)
        }
        Command::Show { rubric } => match s.rubric(&rubric) {
            Ok(l) => (report::table::show(&l.rubric, &opts), true),
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
                Ok((data, mut warnings)) => match engine::score_in(&loaded.rubric, &data, s.lang) {
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
