//! Formats per command (docs/design.md, "Formats per command"): every `--format` a command's
//! help offers is written, on the built-in example, as that format; every other is refused by
//! the parser (exit 2); what depends on the run (a one-file report of a batch, a workbook
//! without `-o`) is a usage error before anything is read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::cargo::cargo_bin_cmd;
use clap::CommandFactory;
use std::collections::BTreeSet;
use std::path::PathBuf;

const SEED: &str = "examples/conghua-cast-2021/data.yaml";
const OVER: &str = "examples/over-claimed/data.yaml";
const RUBRIC: &str = "cast-dept-2021";

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = cargo_bin_cmd!("selfeval").env_remove("LC_ALL").env("LANG", "en_US.UTF-8").args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

struct Dir(PathBuf);
impl Dir {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("selfeval-formats-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The commands that have `--format`, with the values each one's help lists: read from the
/// binary's `-h` (`[possible values: …]` on the `--format` line), and the same as clap's.
fn offered() -> Vec<(String, Vec<String>)> {
    let cli = selfeval::cli::Cli::command();
    let mut all = Vec::new();
    for sub in cli.get_subcommands() {
        let Some(arg) = sub.get_arguments().find(|a| a.get_id() == "format") else { continue };
        let name = sub.get_name().to_owned();
        let help = run(&[&name, "-h"]);
        assert_eq!(help.code, 0, "{name} -h: {}", help.stderr);
        let help = String::from_utf8(help.stdout).unwrap();
        let line = help.lines().find(|l| l.trim_start().starts_with("--format")).expect("a --format line");
        let (_, list) = line.split_once("[possible values: ").expect("possible values");
        let listed: Vec<String> = list.trim_end().trim_end_matches(']').split(", ").map(String::from).collect();
        let from_clap: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_owned()).collect();
        assert_eq!(listed, from_clap, "{name}");
        all.push((name, listed));
    }
    assert!(all.len() >= 9, "{all:?}");
    all
}

/// A command line of `command` on the built-in example, without `--format`.
fn example(command: &str) -> Vec<&str> {
    match command {
        "score" | "breakdown" | "explain" | "check" => vec![command, SEED],
        "diff" => vec!["diff", "-r", RUBRIC, SEED, OVER],
        "init" => vec!["init", "-r", RUBRIC],
        "validate" => vec!["validate", RUBRIC, "--data", SEED],
        "rubrics" => vec!["rubrics"],
        "show" => vec!["show", RUBRIC],
        "report" => vec!["report", SEED],
        "draft" => vec!["draft", "examples/draft/hunan-2018.csv"],
        other => panic!("tests/formats.rs: give `{other}` a command line on the example"),
    }
}

/// `written` is `format`, not another format under its name.
fn assert_is(format: &str, written: &[u8], what: &str) {
    assert!(!written.is_empty(), "{what}: nothing written");
    let text = || String::from_utf8(written.to_vec()).unwrap();
    match format {
        "json" => drop(serde_json::from_str::<serde_json::Value>(&text()).unwrap()),
        "jsonl" => {
            for line in text().lines() {
                serde_json::from_str::<serde_json::Value>(line).unwrap();
            }
        }
        "csv" => assert!(text().starts_with('\u{feff}') && text().contains(",") && text().contains("\r\n"), "{what}"),
        "markdown" => assert!(text().lines().any(|l| l.starts_with('|')), "{what}: {}", text()),
        "html" => assert!(text().trim_start().to_lowercase().starts_with("<!doctype html"), "{what}"),
        "xlsx" => assert!(written.starts_with(b"PK"), "{what}: not a workbook"),
        "docx" => assert!(written.starts_with(b"PK"), "{what}: not a Word file"),
        // A data-file template (init), or a rubric's source (show).
        "yaml" => assert!(text().lines().any(|l| l == "values:" || l == "sections:"), "{what}: {}", text()),
        "table" => assert!(!text().trim().is_empty(), "{what}"),
        "sqlite" => assert!(written.starts_with(b"SQLite format 3\0"), "{what}: not an SQLite database"),
        other => panic!("tests/formats.rs: say how to recognise `{other}`"),
    }
}

/// Every format a command's help offers is written, as that format, with exit 0: to stdout,
/// or with `-o` into a file for html and xlsx. (`validate --format table` writes only its
/// diagnostics and summary, to stderr.)
#[test]
fn every_offered_format_is_written() {
    let dir = Dir::new("offered");
    for (command, formats) in offered() {
        for format in &formats {
            let what = format!("{command} --format {format}");
            let mut args = example(&command);
            args.extend(["--format", format.as_str()]);
            let file = dir.path(&format!("{command}.{format}"));
            let to_file = matches!(format.as_str(), "html" | "xlsx" | "docx" | "sqlite");
            // `draft --format json`: the summary on stdout, the drafted rubric into -o.
            let rubric_to_file = command == "draft" && format == "json";
            if to_file || rubric_to_file {
                args.extend(["-o", file.as_str()]);
            }
            let r = run(&args);
            assert_eq!(r.code, 0, "{what}: {}", r.stderr);
            if to_file {
                assert!(r.stdout.is_empty(), "{what}");
                assert_is(format, &std::fs::read(&file).unwrap(), &what);
            } else if rubric_to_file {
                assert_is("yaml", &std::fs::read(&file).unwrap(), &what);
                assert_is(format, &r.stdout, &what);
            } else if command == "validate" && format == "table" {
                assert!(r.stdout.is_empty(), "{what}");
                assert!(r.stderr.contains("validate ok"), "{what}: {}", r.stderr);
            } else {
                assert_is(format, &r.stdout, &what);
            }
        }
    }
}

/// A batch writes every format `score` offers: html is the bureau's overview, not a one-file
/// report.
#[test]
fn a_batch_writes_every_format() {
    let dir = Dir::new("batch");
    let (_, formats) = offered().into_iter().find(|(c, _)| c == "score").unwrap();
    for format in &formats {
        for batch in [vec![SEED, OVER], vec!["examples/batch"]] {
            let what = format!("score {batch:?} --format {format}");
            let file = dir.path(&format!("ranking.{format}"));
            std::fs::remove_file(&file).ok();
            let mut args = vec!["score", "-r", RUBRIC];
            args.extend(&batch);
            args.extend(["--format", format.as_ref(), "-o", file.as_str()]);
            let r = run(&args);
            if format == "html" {
                assert_eq!(r.code, 0, "{what}: {}", r.stderr);
                let page = std::fs::read_to_string(&file).unwrap();
                assert!(page.contains("<section class=\"group\""), "{what}: not the overview");
            } else {
                assert_eq!(r.code, 0, "{what}: {}", r.stderr);
                assert_is(format, &std::fs::read(&file).unwrap(), &what);
            }
        }
    }
}

/// A format a command's help does not offer is refused by the parser: exit 2, clap's message,
/// nothing written.
#[test]
fn a_format_not_offered_is_a_parse_error() {
    let offered = offered();
    let every: BTreeSet<&str> =
        offered.iter().flat_map(|(_, f)| f.iter().map(String::as_str)).chain(["bogus", "HTML"]).collect();
    let dir = Dir::new("refused");
    for (command, formats) in &offered {
        for format in every.iter().filter(|f| !formats.iter().any(|o| o == *f)) {
            let what = format!("{command} --format {format}");
            let file = dir.path(&format!("{command}.{format}"));
            let mut args = example(command);
            args.extend(["--format", format, "-o", file.as_str()]);
            let r = run(&args);
            assert_eq!(r.code, 2, "{what}: {}", r.stderr);
            assert!(r.stdout.is_empty(), "{what}");
            assert!(
                r.stderr.starts_with(&format!("error: invalid value '{format}' for '--format <FORMAT>'")),
                "{what}: {}",
                r.stderr
            );
            assert!(r.stderr.contains(&format!("[possible values: {}]", formats.join(", "))), "{what}: {}", r.stderr);
            assert!(!std::path::Path::new(&file).exists(), "{what}");
        }
    }
}

/// A workbook needs `-o` (a file, or `-` for standard output by name), and is refused without
/// it before any file is read: a missing data file is not reported.
#[test]
fn a_workbook_without_output_is_refused_first() {
    for args in [
        vec!["score", "missing.yaml", "--format", "xlsx"],
        vec!["breakdown", "missing.yaml", "--format", "xlsx"],
        vec!["explain", "missing.yaml", "--format", "xlsx"],
        vec!["score", "missing.yaml", SEED, "--format", "xlsx"],
        vec!["init", "-r", "missing.yaml", "--format", "xlsx"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stdout.is_empty());
        assert_eq!(r.stderr, "error: a workbook is binary: give -o FILE.xlsx\n", "{args:?}");
    }
    let r = run(&["explain", SEED, "--format", "xlsx", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with(b"PK"));
}

/// The table in docs/design.md is the one the commands' help offers.
#[test]
fn the_design_notes_show_the_table() {
    let design = std::fs::read_to_string("docs/design.md").unwrap();
    let section = design.split("## Formats per command").nth(1).expect("a section \"Formats per command\"");
    let rows: Vec<Vec<String>> = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect())
        .collect();
    let header = &rows[0];
    let mut shown = Vec::new();
    for row in &rows[2..] {
        let formats: BTreeSet<String> =
            header.iter().zip(row).skip(1).filter(|(_, cell)| !cell.is_empty()).map(|(h, _)| h.clone()).collect();
        for command in row[0].split(", ") {
            shown.push((command.trim_matches('`').to_owned(), formats.clone()));
        }
    }
    let mut offered: Vec<(String, BTreeSet<String>)> =
        offered().into_iter().map(|(c, f)| (c, f.into_iter().collect())).collect();
    offered.sort();
    shown.sort();
    assert_eq!(shown, offered);
}
