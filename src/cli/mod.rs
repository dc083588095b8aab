//! The command line (SPEC §6). `run` turns arguments into what goes to stdout and stderr and
//! an exit code; it never prints, so the binary stays thin and every command is testable.

mod args;
mod batch;
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
use commands::{score_one, validate};
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

/// Where a run writes as it goes: a batch streams its results to `stdout` (or its `-o` file)
/// and its diagnostics to `stderr` file by file.
pub struct Streams<'w> {
    pub stdout: &'w mut dyn std::io::Write,
    pub stderr: &'w mut dyn std::io::Write,
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
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = run_to(cli, &mut Streams { stdout: &mut stdout, stderr: &mut stderr });
    Finished { stdout, stderr: String::from_utf8_lossy(&stderr).into_owned(), code }
}

/// Runs a parsed command line writing to `io` as it goes (a batch of a million files holds no
/// output in memory); returns the exit code.
pub fn run_to(cli: Cli, io: &mut Streams) -> i32 {
    // Ctrl-C removes an `-o` file being written (`output::on_interrupt`). Set once per process:
    // a second run in the same process keeps the handler the first one set.
    let _ = ctrlc::set_handler(output::on_interrupt);
    // A failure to set up the stack (or a bug) is an error with exit 1, not an unwinding exit.
    let work =
        std::panic::AssertUnwindSafe(|| crate::yaml::on_parse_stack(4 * 1024 * 1024, || run_here(cli, &mut *io)));
    match std::panic::catch_unwind(work) {
        Ok(code) => code,
        Err(_) => {
            let _ = io.stderr.write_all(b"error: selfeval stopped on an internal error (above); please report it\n");
            1
        }
    }
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

use batch::one_file;

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

fn run_here(cli: Cli, io: &mut Streams) -> i32 {
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
    let batch = match &cli.command {
        Command::Score { data, .. } | Command::Breakdown { data, .. } | Command::Explain { data, .. } => {
            (!one_file(data)).then(|| cli.command.name())
        }
        _ => None,
    };
    if let Some(message) = formats::refusal(&cli.command, batch, cli.output.as_deref(), lang) {
        let _ = io.stderr.write_all(format!("error: {message}\n").as_bytes());
        return 2;
    }
    let output = cli.output.clone().filter(|o| o != "-");
    let name = cli.command.name();
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
        Command::Score { data, .. }
        | Command::Check { data, .. }
        | Command::Validate { data, .. }
        | Command::Breakdown { data, .. }
        | Command::Explain { data, .. }
            if stdin_twice(&data) =>
        {
            (stdin_once(lang), false)
        }
        Command::Diff { old, new: Some(new), .. } if old == "-" && new == "-" => (stdin_once(lang), false),
        Command::Score { rubric, data, format, depth } if !one_file(&data) || format == Format::Sqlite => {
            let kind = batch::Kind::Score { depth: usize::from(depth) };
            many(&mut s, io, kind, rubric.as_deref(), &data, format, output.as_deref(), &opts, &mut inputs)
        }
        Command::Score { rubric, data, format, depth } => {
            inputs.clone_from(&data);
            score_one(&mut s, rubric.as_deref(), &data[0], format, usize::from(depth), &opts)
        }
        Command::Breakdown { rubric, data, format } | Command::Explain { rubric, data, format } if !one_file(&data) => {
            let kind = if name == "breakdown" { batch::Kind::Breakdown } else { batch::Kind::Explain };
            many(&mut s, io, kind, rubric.as_deref(), &data, format, output.as_deref(), &opts, &mut inputs)
        }
        Command::Report { rubric, data, format, out_dir } => {
            let expanded = crate::input::walk::expand_inputs(&data, lang);
            inputs =
                expanded.as_ref().map_or_else(|_| data.clone(), |found| found.iter().map(|i| i.path.clone()).collect());
            let asked = narrative::Asked { format, output: cli.output.as_deref(), out_dir: out_dir.as_deref() };
            narrative::report(&mut s, rubric.as_deref(), expanded, asked, &inputs)
        }
        Command::Breakdown { rubric, data, format } => {
            inputs.clone_from(&data);
            commands::breakdown(&mut s, rubric.as_deref(), &data[0], format, &opts)
        }
        Command::Explain { rubric, data, format } => {
            inputs.clone_from(&data);
            commands::explain(&mut s, rubric.as_deref(), &data[0], format, &opts)
        }
        Command::Check { rubric, data, tolerance, format }
            if !one_file(&data) || matches!(format, Format::Xlsx | Format::Html) =>
        {
            let kind = batch::Kind::Check { tolerance };
            many(&mut s, io, kind, rubric.as_deref(), &data, format, output.as_deref(), &opts, &mut inputs)
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
            let expanded =
                if data.is_empty() { Ok(Vec::new()) } else { crate::input::walk::expand_inputs(&data, lang) };
            inputs.push(rubric.clone());
            inputs.extend(batch::input_paths(&data, &expanded));
            validate(&mut s, &rubric, expanded, format)
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
    let output = output.filter(|_| !output_taken);
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
    if let Err(e) = io.stdout.write_all(&stdout)
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        code = 1;
    }
    let _ = io.stderr.write_all(s.stderr.as_bytes());
    code
}

/// A command over many data files (`batch`): the folders walked, the files read and scored
/// in parallel and written as they come.
#[allow(clippy::too_many_arguments)]
fn many(
    s: &mut Session,
    io: &mut Streams,
    kind: batch::Kind,
    rubric: Option<&str>,
    data: &[String],
    format: Format,
    output: Option<&str>,
    opts: &Opts,
    inputs: &mut Vec<String>,
) -> (Payload, bool) {
    // The files inside directory arguments are inputs too: the batch guards `-o` against them
    // (a list of a million paths is not copied for it).
    let expanded = crate::input::walk::expand_inputs(data, s.lang);
    *inputs = data.to_vec();
    inputs.extend(rubric.map(str::to_owned));
    let many = batch::Many { kind, rubric, format, output, guard: inputs, data };
    batch::run(s, io, &many, expanded, opts)
}
