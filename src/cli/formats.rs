//! What each command can write (`--format`), in one table, and what depends on the run.
//!
//! [`WRITES`] is the whole truth of what a command can ever write: each command's `--format`
//! is parsed by [`parser`], built from its row, so it accepts and lists (in `--help`, the man
//! page and the completions) only those; anything else is refused by clap (exit 2). What a
//! command writes only in some runs — a one-file report asked of a batch, a workbook with
//! nowhere to go — is decided by [`refusal`] before anything is read.

use crate::lang::Lang;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

/// An output format. Which commands write it is said by [`WRITES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
    Markdown,
    Html,
    Xlsx,
    Yaml,
    Docx,
    Sqlite,
}

use Format::{Csv, Docx, Html, Json, Jsonl, Markdown, Sqlite, Table, Xlsx, Yaml};

/// What each command can ever write, in the order `--help` lists them (the default first);
/// a command without a row has no `--format`. `html` and `xlsx` of one data file are the same
/// whole-file report whichever of score, breakdown and explain asks; `xlsx` of a batch is the
/// ranking workbook. docs/design.md shows this table (tests/formats.rs keeps the two equal).
pub const WRITES: &[(&str, &[Format])] = &[
    ("score", &[Table, Json, Jsonl, Csv, Markdown, Html, Xlsx, Sqlite]),
    ("breakdown", &[Table, Json, Jsonl, Csv, Markdown, Html, Xlsx]),
    ("explain", &[Table, Json, Jsonl, Markdown, Html, Xlsx]),
    ("check", &[Table, Json, Jsonl, Csv, Markdown, Xlsx, Html]),
    ("diff", &[Table, Json, Jsonl, Markdown]),
    ("init", &[Yaml, Xlsx]),
    ("validate", &[Table, Json, Jsonl]),
    ("rubrics", &[Table, Json, Jsonl, Csv, Markdown]),
    ("report", &[Docx, Markdown, Html]),
    ("show", &[Table, Json, Jsonl, Csv, Markdown, Xlsx, Yaml]),
    ("draft", &[Yaml, Json]),
];

/// Formats that are of one data file, by command: refused when it is given a batch (`xlsx` of
/// a batch is `score`'s ranking workbook; `check` writes every format of many files).
const ONE_FILE_ONLY: &[(&str, &[Format])] = &[("breakdown", &[Html, Xlsx]), ("explain", &[Html, Xlsx])];

impl Format {
    const ALL: [Format; 10] = [Table, Json, Jsonl, Csv, Markdown, Html, Xlsx, Yaml, Docx, Sqlite];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Table => "table",
            Json => "json",
            Jsonl => "jsonl",
            Csv => "csv",
            Markdown => "markdown",
            Html => "html",
            Xlsx => "xlsx",
            Yaml => "yaml",
            Docx => "docx",
            Sqlite => "sqlite",
        }
    }

    fn possible_value(self) -> PossibleValue {
        let help = match self {
            Jsonl => "Compact JSON, one document per line",
            Html => "A self-contained HTML report (of several files: the overview)",
            Xlsx => "An Excel workbook (with -o)",
            Docx => "A Word document (with -o or --out-dir)",
            Sqlite => "Append the run to an SQLite results archive (with -o)",
            Table | Json | Csv | Markdown | Yaml => return PossibleValue::new(self.name()),
        };
        PossibleValue::new(self.name()).help(help)
    }
}

/// The formats `command` (a subcommand's name) writes: its row of [`WRITES`].
pub fn writes(command: &str) -> &'static [Format] {
    WRITES.iter().find(|(name, _)| *name == command).map_or(&[], |(_, formats)| formats)
}

/// The value parser of `command`'s `--format`: its row of [`WRITES`], and nothing else.
pub fn parser(command: &str) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(writes(command).iter().map(|f| f.possible_value()))
        .try_map(|name| Format::ALL.into_iter().find(|f| f.name() == name).ok_or("not a format"))
}

/// Why this run cannot write the format `asked` (by a command that has `--format`), though its
/// command can (a usage error, exit 2, before anything is read): a one-file report asked of a
/// `batch` (several data files or a folder); a workbook without
/// `-o` (`output` is `-o` as given: `-o -` asks for standard output by name, a pipe); `draft`'s
/// JSON summary without `-o` for the rubric it drafts. `batch`: the command's name, when it is
/// given several files or a folder.
pub(crate) fn refusal(
    command: &super::Command,
    batch: Option<&str>,
    output: Option<&str>,
    lang: Lang,
) -> Option<String> {
    let format = command.format()?;
    if matches!(command, super::Command::Draft { .. }) && format == Json && output.is_none_or(|o| o == "-") {
        return Some(crate::tr!(
            lang,
            "--format json 把摘要写到标准输出：起草的指标体系请用 -o FILE.yaml 写入文件",
            "--format json writes the summary to standard output: give -o FILE.yaml for the drafted rubric"
        ));
    }
    let only = |command: &str| -> &[Format] {
        ONE_FILE_ONLY.iter().find(|(name, _)| *name == command).map_or(&[], |(_, formats)| formats)
    };
    if let Some(command) = batch
        && only(command).contains(&format)
    {
        let others: Vec<&str> =
            writes(command).iter().filter(|f| !only(command).contains(f)).map(|f| f.name()).collect();
        let (last, first) = others.split_last().map_or(("", &[][..]), |(l, f)| (*l, f));
        let first = first.join(", ");
        let what = if format == Html {
            crate::tr!(lang, "HTML 报告", "an HTML report")
        } else {
            crate::tr!(lang, "结果工作簿", "a results workbook")
        };
        return Some(crate::tr!(
            lang,
            "{what}针对单个数据文件；多个文件请用 {first} 或 {last}",
            "{what} is of one data file; use {first} or {last} for several"
        ));
    }
    if format == Sqlite && output.is_none_or(|o| o == "-") {
        return Some(crate::tr!(
            lang,
            "结果库是 SQLite 文件：请用 -o FILE.db 指定（追加到该文件）",
            "the results archive is an SQLite file: give -o FILE.db (the run is appended to it)"
        ));
    }
    if format == Xlsx && output.is_none() {
        return Some(crate::tr!(
            lang,
            "工作簿是二进制文件：请用 -o FILE.xlsx 写入文件",
            "a workbook is binary: give -o FILE.xlsx"
        ));
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command with `--format` has a row, every row is a command's, and `--format`
    /// offers exactly that row, in its order.
    #[test]
    fn the_table_is_what_clap_offers() {
        let cli = super::super::Cli::command();
        let mut rows: Vec<&str> = Vec::new();
        for sub in cli.get_subcommands() {
            let Some(arg) = sub.get_arguments().find(|a| a.get_id() == "format") else { continue };
            let offered: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_owned()).collect();
            let row: Vec<&str> = writes(sub.get_name()).iter().map(|f| f.name()).collect();
            assert_eq!(offered, row, "{}", sub.get_name());
            let default: Vec<_> = arg.get_default_values().iter().map(|d| d.to_string_lossy()).collect();
            // `report` has no fixed default: it follows `-o`'s extension (cli/narrative.rs).
            if sub.get_name() != "report" {
                assert_eq!(default, [row[0]], "{}: the default is the row's first", sub.get_name());
            }
            rows.push(sub.get_name());
        }
        let table: Vec<&str> = WRITES.iter().map(|(name, _)| *name).collect();
        assert_eq!(rows, table);
        for f in Format::ALL {
            assert!(WRITES.iter().any(|(_, row)| row.contains(&f)), "{f:?} is written by no command");
        }
    }
}
