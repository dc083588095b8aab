#![allow(clippy::print_stdout, clippy::print_stderr)]
//! The parse-only baseline of the batch benchmark (scripts/bench-batch.sh): reads every
//! `*.yaml` file of a folder and parses each into a generic value, on one thread.
//!
//! `parse_baseline DIR` uses serde_yaml 0.9 (libyaml, the fastest YAML parse in the Rust
//! ecosystem); `parse_baseline --ours DIR` uses selfeval's own loader (`yaml::Source::parse`:
//! a located tree with source texts), to show what the YAML layer alone costs;
//! `parse_baseline --events DIR` only pulls the event stream (with spans) of granit-parser, the
//! parser under serde-saphyr, which selfeval's loader builds plain documents from — its floor.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = if args.iter().any(|a| a == "--ours") {
        Mode::Ours
    } else if args.iter().any(|a| a == "--events") {
        Mode::Events
    } else {
        Mode::Libyaml
    };
    let Some(dir) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: parse_baseline [--ours] DIR");
        std::process::exit(2);
    };
    let mut paths = Vec::new();
    files(Path::new(dir), &mut paths);
    paths.sort();
    // selfeval parses on a thread with a parse-sized stack (as its batch workers do), so the
    // loader is measured the same way: one such thread, files parsed in place.
    let parsed = std::thread::Builder::new()
        .stack_size(selfeval::yaml::PARSE_STACK_BYTES + 4 * 1024 * 1024)
        .spawn(move || parse_all(&paths, mode))
        .map(|h| h.join().unwrap_or(0))
        .unwrap_or(0);
    println!("{parsed} files parsed");
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Libyaml,
    Ours,
    Events,
}

fn parse_all(paths: &[PathBuf], mode: Mode) -> usize {
    if mode == Mode::Ours {
        selfeval::yaml::mark_big_stack();
    }
    let mut parsed = 0usize;
    for path in paths {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let ok = match mode {
            Mode::Ours => selfeval::yaml::Source { name: path.to_string_lossy().into_owned(), text }
                .parse(selfeval::lang::Lang::En)
                .is_ok(),
            Mode::Libyaml => serde_yaml::from_str::<serde_yaml::Value>(&text).is_ok(),
            Mode::Events => granit_parser::Parser::new_from_str(&text).all(|event| event.is_ok()),
        };
        parsed += usize::from(ok);
    }
    parsed
}
