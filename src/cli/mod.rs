//! The command line (SPEC §6). `run` turns arguments into what goes to stdout and stderr and
//! an exit code; it never prints, so the binary stays thin and every command is testable.

mod args;
mod commands;
mod draft;
mod formats;
pub mod help;
mod narrative;
mod output;
mod session;

pub use args::{Cli, Command, LangArg, SchemaKind, StyleArg};
pub use formats::Format;
pub use session::FileResult;

use crate::lang::Lang;
use crate::report::{self, Opts, table::Style};
use crate::rubric::builtin;
use commands::{score_batch, score_one, validate};
use session::{Session, Sources};
use std::collections::HashMap;

/// What a command run produced: its output, its diagnostics and its exit code.
#[derive(Debug, Default)]
pub struct Finished {
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub code: i32,
}

/// A command's result before it goes to stdout or to `-o FILE`.
pub(crate) enum Payload {
    Text(String),
    Bytes(Vec<u8>),
    /// Command-line misuse: the message for stderr, exit code 2.
    Usage(String),
}

impl Payload {
    fn is_empty(&self) -> bool {
        match self {
            Payload::Text(t) => t.is_empty(),
            Payload::Bytes(b) => b.is_empty(),
            Payload::Usage(_) => true,
        }
    }
}

/// The command line of this process, parsed with its help in the language asked for
/// (`--lang`, else the environment's); exits, as clap does, on `--help` or a syntax error.
pub fn parse_args() -> Cli {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help::lang_of_args(&args).unwrap_or_else(Lang::from_env);
    let matches = help::command(lang).get_matches_from(args);
    if let Some(help) = help::help_asked(&matches, lang) {
        #[allow(clippy::print_stdout)]
        {
            print!("{help}");
        }
        std::process::exit(0);
    }
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Runs a parsed command line. The work happens on a parse-sized stack (on this thread), so
/// that the files it reads parse in place (see `yaml::PARSE_STACK_BYTES`), with room for the
/// rest: derived names and expressions recurse up to their limits.
pub fn run(cli: Cli) -> Finished {
    // A failure to set up the stack (or a bug) is an error with exit 1, not an unwinding exit.
    let work = std::panic::AssertUnwindSafe(|| crate::yaml::on_parse_stack(4 * 1024 * 1024, || run_here(cli)));
    std::panic::catch_unwind(work).unwrap_or_else(|_| Finished {
        stdout: Vec::new(),
        stderr: "error: selfeval stopped on an internal error (above); please report it\n".into(),
        code: 1,
    })
}

/// The terminal's width when the output goes to one (no `-o FILE`, stdout a terminal): tables
/// then wrap to it. A pipe or a file gets every row whole.
fn terminal_width(output: Option<&str>) -> Option<u16> {
    use std::io::IsTerminal;
    if output.is_some_and(|o| o != "-") || !std::io::stdout().is_terminal() {
        return None;
    }
    // comfy-table asks the terminal (crossterm); COLUMNS where it cannot.
    comfy_table::Table::new()
        .width()
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .filter(|w| *w >= 40)
}

/// Whether `score`'s arguments are one data file (else a batch: several, or a directory).
fn one_file(data: &[String]) -> bool {
    data.len() == 1 && (data[0] == "-" || !std::path::Path::new(&data[0]).is_dir())
}

/// Whether `-` (standard input) is named more than once: it can be read only once.
fn stdin_twice(paths: &[String]) -> bool {
    paths.iter().filter(|p| *p == "-").count() > 1
}

fn stdin_once(lang: Lang) -> Payload {
    Payload::Usage(crate::tr!(
        lang,
        "标准输入（-）只能读取一次，不能作为两个文件给出",
        "standard input (-) can be read only once; give it as one file at most"
    ))
}

fn run_here(cli: Cli) -> Finished {
    let style = match cli.style {
        StyleArg::Utf8 => Style::Utf8,
        StyleArg::Ascii => Style::Ascii,
    };
    let lang = match cli.lang {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    };
    let opts = Opts { style, lang, width: terminal_width(cli.output.as_deref()) };
    let batch = matches!(&cli.command, Command::Score { data, .. } if !one_file(data));
    if let Some(message) = formats::refusal(&cli.command, batch, cli.output.as_deref(), lang) {
        return Finished { stdout: Vec::new(), stderr: format!("error: {message}\n"), code: 2 };
    }
    let mut s = Session {
        lang,
        sources: Sources::default(),
        stderr: String::new(),
        specs: HashMap::new(),
        rubrics: HashMap::new(),
        without_declared: false,
    };
    let mut inputs: Vec<String> = Vec::new();
    let mut output_taken = false;
    let (payload, ok) = match cli.command {
        Command::Score { data, .. } | Command::Check { data, .. } | Command::Validate { data, .. }
            if stdin_twice(&data) =>
        {
            (stdin_once(lang), false)
        }
        Command::Diff { old, new: Some(new), .. } if old == "-" && new == "-" => (stdin_once(lang), false),
        Command::Score { rubric, data, format, depth } => {
            // The files inside directory arguments are inputs too: `-o` must not overwrite them.
            let expanded = crate::input::walk::expand_inputs(&data, lang);
            inputs =
                expanded.as_ref().map_or_else(|_| data.clone(), |found| found.iter().map(|i| i.path.clone()).collect());
            if one_file(&data) {
                score_one(&mut s, rubric.as_deref(), &data[0], format, usize::from(depth), &opts)
            } else {
                score_batch(&mut s, rubric.as_deref(), expanded, format, &opts)
            }
        }
        Command::Report { rubric, data, format, out_dir } => {
            let expanded = crate::input::walk::expand_inputs(&data, lang);
            inputs =
                expanded.as_ref().map_or_else(|_| data.clone(), |found| found.iter().map(|i| i.path.clone()).collect());
            let asked = narrative::Asked { format, output: cli.output.as_deref(), out_dir: out_dir.as_deref() };
            narrative::report(&mut s, rubric.as_deref(), expanded, asked, &inputs)
        }
        Command::Breakdown { rubric, data, format } => {
            inputs.push(data.clone());
            commands::breakdown(&mut s, rubric.as_deref(), &data, format, &opts)
        }
        Command::Explain { rubric, data, format } => {
            inputs.push(data.clone());
            commands::explain(&mut s, rubric.as_deref(), &data, format, &opts)
        }
        Command::Check { rubric, data, tolerance, format } => {
            inputs.clone_from(&data);
            commands::check(&mut s, rubric.as_deref(), &data, tolerance, format, &opts)
        }
        Command::Diff { rubric, rubric_old, old, new, format } => {
            inputs.push(old.clone());
            inputs.extend(new.clone());
            commands::diff(&mut s, rubric.as_deref(), rubric_old.as_deref(), &old, new.as_deref(), format, &opts)
        }
        Command::Init { rubric, format } => {
            let output = cli.output.as_deref().filter(|o| *o != "-");
            commands::init(&mut s, &rubric, format, output, lang)
        }
        Command::Validate { rubric, data, format } => {
            inputs.push(rubric.clone());
            inputs.extend(data.iter().cloned());
            validate(&mut s, &rubric, &data, format)
        }
        Command::Schema { kind } => {
            let kind = match kind {
                SchemaKind::Rubric => crate::schema::Kind::Rubric,
                SchemaKind::Data => crate::schema::Kind::Data,
            };
            (Payload::Text(crate::schema::schema(kind)), true)
        }
        Command::Completions { shell } => (Payload::Text(help::completions(shell, lang)), true),
        Command::Man { command } => match help::man_page(command.as_deref(), lang) {
            Ok(page) => (Payload::Text(page), true),
            Err(message) => (Payload::Usage(message), false),
        },
        Command::Rubrics { format } => {
            let mut loaded = Vec::new();
            let mut ok = true;
            for id in builtin::ids() {
                match s.rubric(id) {
                    Ok(l) => loaded.push(l.rubric.clone()),
                    Err(_) => ok = false,
                }
            }
            let refs: Vec<&crate::rubric::Rubric> = loaded.iter().map(|r| &**r).collect();
            let text = match format {
                Format::Json | Format::Jsonl => {
                    report::analysis::json_text(vec![report::rubric::list_json(&refs)], format == Format::Jsonl)
                }
                Format::Markdown => report::rubric::list_text(&refs, true, lang),
                Format::Csv => report::rubric::list_text(&refs, false, lang),
                _ => report::table::rubric_list(&refs, &opts),
            };
            (Payload::Text(text), ok)
        }
        Command::Show { rubric, format } => match s.rubric(&rubric) {
            Ok(l) => {
                let payload = match format {
                    Format::Json | Format::Jsonl => Payload::Text(report::analysis::json_text(
                        vec![report::rubric::rubric_json(&l.rubric)],
                        format == Format::Jsonl,
                    )),
                    Format::Markdown => Payload::Text(report::rubric::show_markdown(&l.rubric, lang)),
                    Format::Csv => Payload::Text(report::scoring_table::csv(&l.rubric)),
                    Format::Xlsx => match report::workbook::scoring_table(&l.rubric, lang) {
                        Ok(bytes) => Payload::Bytes(bytes),
                        Err(message) => Payload::Usage(message),
                    },
                    // The rubric's source as read (a built-in's embedded text): to copy and adapt.
                    Format::Yaml => Payload::Text(l.source.text.clone()),
                    _ => Payload::Text(report::table::show(&l.rubric, &opts)),
                };
                (payload, true)
            }
            Err(_) => (Payload::Text(String::new()), false),
        },
        Command::Draft { table, id, title, format } => {
            inputs.push(table.clone());
            let output = cli.output.as_deref().filter(|o| *o != "-");
            // With JSON, `-o` is the drafted rubric, written there; the summary goes to stdout.
            output_taken = format == Format::Json;
            draft::draft(&mut s, &table, crate::draft::Options { id, title }, format, output, lang)
        }
    };
    let mut code = if ok { 0 } else { 1 };
    // `-o -` is standard output, as `-` is standard input.
    let output = cli.output.filter(|o| o != "-" && !output_taken);
    let stdout = match (payload, output) {
        (Payload::Usage(message), _) => {
            s.stderr.push_str(&format!("error: {message}\n"));
            code = 2;
            Vec::new()
        }
        (payload, Some(path)) if !payload.is_empty() => {
            // Rubrics read (by -r or a data file's `rubric:`) are inputs too.
            inputs.extend(s.rubrics.keys().cloned());
            let bytes = match payload {
                Payload::Text(t) => t.into_bytes(),
                Payload::Bytes(b) => b,
                Payload::Usage(_) => Vec::new(),
            };
            if let Err(d) = output::write_output(&path, &bytes, &inputs, lang) {
                s.report(&d.into());
                code = 1;
            }
            Vec::new()
        }
        // Asked for by name (`-o -`; without `-o`, `formats::refusal` refused a workbook): a
        // workbook goes to a pipe or a redirection.
        (Payload::Bytes(b), None) => b,
        (Payload::Text(t), _) => t.into_bytes(),
        (_, _) => Vec::new(),
    };
    Finished { stdout, stderr: s.stderr, code }
}
