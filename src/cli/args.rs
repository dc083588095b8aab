//! The command-line arguments (SPEC §6), declared with clap.

use super::formats::{Format, parser};
use clap::{Parser, Subcommand, ValueEnum};

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
    /// Write the result to FILE (atomically: a temporary file renamed into place) instead of
    /// standard output; never over an input file. Needed for `--format xlsx`.
    #[arg(short, long, global = true, value_name = "FILE")]
    pub output: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    Rubric,
    Data,
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The total, grade and per-section scores of one or more data files.
    Score {
        /// Rubric file or built-in id; may be omitted when the data file names its rubric.
        #[arg(short, long)]
        rubric: Option<String>,
        /// Data files, directories (searched for *.yaml, *.yml and *.xlsx) and `-` for standard input.
        #[arg(required = true)]
        data: Vec<String>,
        /// Output format.
        #[arg(long, default_value = "table", value_parser = parser("score"))]
        format: Format,
        /// Levels of the tree to show (1 = sections); JSON always holds the whole tree.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
        depth: u16,
    },
    /// The full tree: points, score, lost points and the rule and inputs behind each leaf.
    Breakdown {
        /// Rubric file or built-in id; may be omitted when the data file names its rubric.
        #[arg(short, long)]
        rubric: Option<String>,
        /// Data files, directories (searched for *.yaml, *.yml and *.xlsx) and `-` for
        /// standard input; several: one section each (html and xlsx are of one file).
        #[arg(required = true)]
        data: Vec<String>,
        /// Output format.
        #[arg(long, default_value = "table", value_parser = parser("breakdown"))]
        format: Format,
    },
    /// Where the points were lost, largest first, and what would have earned more.
    Explain {
        /// Rubric file or built-in id; may be omitted when the data file names its rubric.
        #[arg(short, long)]
        rubric: Option<String>,
        /// Data files, directories (searched for *.yaml, *.yml and *.xlsx) and `-` for
        /// standard input; several: one section each (html and xlsx are of one file).
        #[arg(required = true)]
        data: Vec<String>,
        /// Output format.
        #[arg(long, default_value = "table", value_parser = parser("explain"))]
        format: Format,
    },
    /// Compares the data files' declared scores with the computed ones (复核); exit 1 on any
    /// over- or under-claim beyond the tolerance.
    Check {
        /// Rubric file or built-in id; may be omitted when the data file names its rubric.
        #[arg(short, long)]
        rubric: Option<String>,
        /// Data files, directories (searched for *.yaml, *.yml and *.xlsx) and `-` for
        /// standard input; several: one line per unit that disagrees, and the counts.
        #[arg(required = true)]
        data: Vec<String>,
        /// The largest difference that still agrees.
        #[arg(long, default_value = "0", value_parser = parse_tolerance)]
        tolerance: rust_decimal::Decimal,
        /// Output format.
        #[arg(long, default_value = "table", value_parser = parser("check"))]
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
        /// The earlier data file (`-` for standard input).
        old: String,
        /// The later data file.
        new: Option<String>,
        /// Output format.
        #[arg(long, default_value = "table", value_parser = parser("diff"))]
        format: Format,
    },
    /// Prints a data-file template: every field with its label, unit, type and allowed values.
    Init {
        /// Rubric file or built-in id.
        #[arg(short, long)]
        rubric: String,
        /// Template format: a commented YAML file, or an Excel fill-in workbook (with -o).
        #[arg(long, default_value = "yaml", value_parser = parser("init"))]
        format: Format,
    },
    /// Checks a rubric, and data files against it, listing every problem.
    Validate {
        /// Rubric file or built-in id.
        rubric: String,
        /// Data files (and directories of them) to check against the rubric.
        #[arg(long, num_args = 1..)]
        data: Vec<String>,
        /// `table`: the diagnostics on stderr only; `json` / `jsonl`: also a summary document on stdout.
        #[arg(long, default_value = "table", value_parser = parser("validate"))]
        format: Format,
    },
    /// Prints the JSON Schema (draft-07) of the rubric or the data-file format, for editors
    /// (`# yaml-language-server: $schema=…`).
    Schema {
        /// Which format's schema.
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Prints a shell completion script.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Prints the man page (roff).
    Man {
        /// Print this subcommand's page instead (by default selfeval's own).
        command: Option<String>,
    },
    /// Lists the built-in rubrics.
    Rubrics {
        /// Output format.
        #[arg(long, default_value = "table", value_parser = parser("rubrics"))]
        format: Format,
    },
    /// Drafts the 自评报告 (the self-evaluation report a department hands in) from the score: a
    /// Word document (or Markdown, HTML) with every figure computed, the department's prose
    /// from the data file's `report:` block, placeholders for what is missing, and the 自评表
    /// attached.
    Report {
        /// Rubric file or built-in id; may be omitted when the data file names its rubric.
        #[arg(short, long)]
        rubric: Option<String>,
        /// Data files or folders; several need --out-dir.
        #[arg(required = true)]
        data: Vec<String>,
        /// By default docx when -o ends in .docx or with --out-dir, html for .html, else markdown.
        #[arg(long, value_parser = parser("report"))]
        format: Option<Format>,
        /// Writes one report per data file into DIR, named after the data file (`<stem>.docx`).
        #[arg(long, value_name = "DIR")]
        out_dir: Option<String>,
    },
    /// Prints a rubric as a table of indicators, points and standards; `csv` and `xlsx` write
    /// the 评分表 columns (一级/二级/三级指标, 分值, 评分标准), which `draft` reads back;
    /// `yaml` prints its YAML source.
    Show {
        /// Rubric file or built-in id.
        rubric: String,
        /// Output format.
        #[arg(long, default_value = "table", value_parser = parser("show"))]
        format: Format,
    },
    /// Drafts a rubric from a published 评分表 (.xlsx, .csv or a markdown table): the indicator
    /// tree with its points, each 评分标准 read into a method where that is certain, `manual`
    /// with a TODO where not. The rubric goes to standard output (or -o), a summary to stderr.
    Draft {
        /// The table: .xlsx, .csv (UTF-8) or .md.
        table: String,
        /// The rubric's id (default: from the table's file name).
        #[arg(long)]
        id: Option<String>,
        /// The rubric's title (default: the table's file name).
        #[arg(long)]
        title: Option<String>,
        /// `yaml`: the rubric; `json`: the summary as JSON on standard output (the rubric then needs -o).
        #[arg(long, default_value = "yaml", value_parser = parser("draft"))]
        format: Format,
    },
}

impl Command {
    /// The subcommand's name on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Score { .. } => "score",
            Command::Breakdown { .. } => "breakdown",
            Command::Explain { .. } => "explain",
            Command::Check { .. } => "check",
            Command::Diff { .. } => "diff",
            Command::Init { .. } => "init",
            Command::Validate { .. } => "validate",
            Command::Schema { .. } => "schema",
            Command::Completions { .. } => "completions",
            Command::Man { .. } => "man",
            Command::Rubrics { .. } => "rubrics",
            Command::Show { .. } => "show",
            Command::Draft { .. } => "draft",
            Command::Report { .. } => "report",
        }
    }

    /// The format this command line asks for, if its command has `--format`.
    pub fn format(&self) -> Option<Format> {
        match self {
            Command::Score { format, .. }
            | Command::Breakdown { format, .. }
            | Command::Explain { format, .. }
            | Command::Check { format, .. }
            | Command::Diff { format, .. }
            | Command::Init { format, .. }
            | Command::Validate { format, .. }
            | Command::Rubrics { format }
            | Command::Show { format, .. }
            | Command::Draft { format, .. } => Some(*format),
            Command::Report { format, .. } => *format,
            Command::Schema { .. } | Command::Completions { .. } | Command::Man { .. } => None,
        }
    }
}

fn parse_tolerance(text: &str) -> Result<rust_decimal::Decimal, String> {
    match crate::number::parse_literal(text) {
        Ok(d) if d >= rust_decimal::Decimal::ZERO => Ok(d),
        Ok(_) => Err("the tolerance must be ≥ 0".into()),
        Err(e) => Err(format!("`{text}` {e}")),
    }
}
