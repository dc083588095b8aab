//! The bad-input corpus (issue "Diagnostics and bad input"): every directory under
//! `tests/corpus/` is one case, run with the case directory as the working directory.
//!
//! A case is a directory `NN-name/` holding its input files (`rubric.yaml`, `data.yaml`, …; data
//! cases name the shared rubric `../_shared/base.yaml` and are scored with it as `-r`, since a
//! data file's own `rubric:` may not lead out of its folder) and an `expect.txt` of `key: value`
//! lines (`#` starts a comment):
//!
//! | key | meaning |
//! |---|---|
//! | `args:` | the command line after `selfeval`, split on whitespace (required, once) |
//! | `code:` | the expected exit code (required, once) |
//! | `stderr:` | a fragment that must appear in the diagnostics' message lines (not in the quoted source lines) |
//! | `stderr_any:` | fragments separated by ` \| `; at least one must appear like `stderr:` |
//! | `stderr_not:` | a fragment that must not appear anywhere in stderr |
//! | `quoted:` | an offending value that must appear quoted in a message: `"v"`, `` `v` ``, `'v'` or `“v”` |
//! | `stdout:` | a fragment that must appear in stdout |
//! | `generate:` | `large FILE` (over 32 MiB) or `deep FILE` (200 000 nested `[`), written at test time into a temporary copy of the case, not committed |
//! | `max_seconds:` | the run must finish within this many seconds (a generous safety net, not a benchmark) |
//!
//! Every case also checks: no panic (exit 101 or "panicked" in stderr), a failing case (code ≠ 0)
//! prints nothing on stdout (unless it lists `stdout:` fragments: a batch keeps the results of
//! its good files) and something on stderr, a passing one reports no `error:`.
//! Every problem of every case is collected and reported in one assertion.
//!
//! Binary inputs (GBK, UTF-16, NUL bytes) are committed as files; they were written once by a
//! small python3 script.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Cases that show a real defect (see the report in each entry); skipped until fixed. They still
/// run: one that starts passing is reported on stderr so it can be removed from this list.
const KNOWN_BAD: &[&str] = &[];

/// The corpus must not silently shrink.
const MIN_FAILING_CASES: usize = 45;

struct Case {
    args: Vec<String>,
    code: i32,
    stderr: Vec<String>,
    stderr_any: Vec<Vec<String>>,
    stderr_not: Vec<String>,
    quoted: Vec<String>,
    stdout: Vec<String>,
    generate: Vec<(String, String)>,
    max_seconds: Option<f64>,
}

fn parse_expect(text: &str) -> Result<Case, String> {
    let mut case = Case {
        args: Vec::new(),
        code: -1,
        stderr: Vec::new(),
        stderr_any: Vec::new(),
        stderr_not: Vec::new(),
        quoted: Vec::new(),
        stdout: Vec::new(),
        generate: Vec::new(),
        max_seconds: None,
    };
    let (mut have_args, mut have_code) = (false, false);
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("expect.txt line {}: no `key:` in {line:?}", n + 1));
        };
        let value = value.strip_prefix(' ').unwrap_or(value).to_string();
        if value.is_empty() {
            return Err(format!("expect.txt line {}: empty value for `{key}`", n + 1));
        }
        match key {
            "args" => {
                have_args = true;
                case.args = value.split_whitespace().map(str::to_string).collect();
            }
            "code" => {
                have_code = true;
                case.code = value.trim().parse().map_err(|_| format!("expect.txt line {}: bad code", n + 1))?;
            }
            "stderr" => case.stderr.push(value),
            "stderr_any" => case.stderr_any.push(value.split(" | ").map(|s| s.trim().to_string()).collect()),
            "stderr_not" => case.stderr_not.push(value),
            "quoted" => case.quoted.push(value),
            "stdout" => case.stdout.push(value),
            "generate" => {
                let Some((kind, file)) = value.split_once(' ') else {
                    return Err(format!("expect.txt line {}: `generate: KIND FILE`", n + 1));
                };
                if !matches!(kind, "large" | "deep") {
                    return Err(format!("expect.txt line {}: unknown generator `{kind}`", n + 1));
                }
                case.generate.push((kind.to_string(), file.trim().to_string()));
            }
            "max_seconds" => {
                case.max_seconds =
                    Some(value.trim().parse().map_err(|_| format!("expect.txt line {}: bad max_seconds", n + 1))?);
            }
            _ => return Err(format!("expect.txt line {}: unknown key `{key}`", n + 1)),
        }
    }
    if !have_args || !have_code {
        return Err("expect.txt needs `args:` and `code:`".into());
    }
    Ok(case)
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("selfeval-corpus-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn generate(kind: &str, path: &Path) {
    let bytes: Vec<u8> = match kind {
        // A syntactically ordinary file, just too big: 33 MiB of one text value.
        "large" => {
            let mut s = String::from("rubric: ../_shared/base.yaml\nvalues:\n  padding: \"");
            s.push_str(&"x".repeat(33 * 1024 * 1024));
            s.push_str("\"\n");
            s.into_bytes()
        }
        // 200 000 nested flow lists.
        "deep" => {
            let n = 200_000;
            let mut s = String::from("rubric: ../_shared/base.yaml\nvalues: ");
            s.push_str(&"[".repeat(n));
            s.push_str(&"]".repeat(n));
            s.push('\n');
            s.into_bytes()
        }
        _ => unreachable!("checked by parse_expect"),
    };
    std::fs::write(path, bytes).unwrap();
}

/// stderr without the source excerpts (`12 |     tweets: 95篇`, `   |     ^^^`), so that a name
/// counts only when the message itself says it.
fn message_lines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| {
            let t = l.trim_start().trim_start_matches(|c: char| c.is_ascii_digit());
            !t.trim_start().starts_with('|')
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_quoted(messages: &str, value: &str) -> bool {
    [('"', '"'), ('`', '`'), ('\'', '\''), ('“', '”')].iter().any(|(l, r)| messages.contains(&format!("{l}{value}{r}")))
}

/// Runs one case and returns its problems (empty when it passes).
fn run_case(dir: &Path, case: &Case, name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let _temp;
    let cwd = if case.generate.is_empty() {
        dir.to_path_buf()
    } else {
        let temp = TempDir::new(name);
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), temp.0.join(entry.file_name())).unwrap();
            }
        }
        for (kind, file) in &case.generate {
            generate(kind, &temp.0.join(file));
        }
        let p = temp.0.clone();
        _temp = temp;
        p
    };

    let started = Instant::now();
    let output = Command::new(assert_cmd::cargo::cargo_bin!("selfeval"))
        .args(&case.args)
        .current_dir(&cwd)
        .env("NO_COLOR", "1")
        // The corpus asserts English messages; Chinese ones are tested in tests/cli.rs.
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let messages = message_lines(&stderr);
    let code = output.status.code();

    if code == Some(101) || stderr.contains("panicked") {
        problems.push("PANIC".to_string());
    }
    if code != Some(case.code) {
        problems.push(format!("exit code {code:?}, expected {}", case.code));
    }
    if case.code != 0 {
        if !stdout.is_empty() && case.stdout.is_empty() {
            problems.push(format!("stdout is not empty ({} bytes)", stdout.len()));
        }
        if stderr.trim().is_empty() {
            problems.push("stderr is empty".to_string());
        }
    } else if stderr.contains("error:") {
        problems.push("a passing case reported an error".to_string());
    }
    for want in &case.stderr {
        if !messages.contains(want.as_str()) {
            problems.push(format!("stderr lacks {want:?}"));
        }
    }
    for any in &case.stderr_any {
        if !any.iter().any(|w| messages.contains(w.as_str())) {
            problems.push(format!("stderr lacks all of {any:?}"));
        }
    }
    for not in &case.stderr_not {
        if stderr.contains(not.as_str()) {
            problems.push(format!("stderr contains {not:?}"));
        }
    }
    for value in &case.quoted {
        if !is_quoted(&messages, value) {
            problems.push(format!("stderr does not quote the value {value:?}"));
        }
    }
    for want in &case.stdout {
        if !stdout.contains(want.as_str()) {
            problems.push(format!("stdout lacks {want:?}"));
        }
    }
    if let Some(max) = case.max_seconds {
        // The limit guards against a hang (an exponential expansion takes minutes), not for
        // speed: it is stretched by the machine's load per core, so that a busy machine running
        // several builds at once does not fail a case that finishes in a fraction of it idle.
        let max = max * load_per_core().max(1.0);
        if elapsed > Duration::from_secs_f64(max) {
            problems.push(format!("took {:.2} s, limit {max:.1} s", elapsed.as_secs_f64()));
        }
    }
    if !problems.is_empty() {
        let mut shown = stderr.chars().take(2000).collect::<String>();
        if shown.len() < stderr.len() {
            shown.push_str("\n…");
        }
        problems.push(format!("stderr was:\n{shown}"));
        if !stdout.is_empty() && case.code != 0 {
            problems.push(format!("stdout was:\n{}", stdout.chars().take(1000).collect::<String>()));
        }
    }
    problems
}

#[test]
fn corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    dirs.sort();

    let mut report = String::new();
    let (mut failing_cases, mut passing_cases, mut failed) = (0, 0, 0);
    let names: Vec<String> = dirs.iter().map(|d| d.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for bad in KNOWN_BAD {
        if !names.iter().any(|n| n == bad) {
            writeln!(report, "KNOWN_BAD names `{bad}`, which is not a case directory").unwrap();
            failed += 1;
        }
    }
    for (dir, name) in dirs.iter().zip(&names) {
        let text = match std::fs::read_to_string(dir.join("expect.txt")) {
            Ok(t) => t,
            Err(e) => {
                writeln!(report, "── {name}: cannot read expect.txt: {e}").unwrap();
                failed += 1;
                continue;
            }
        };
        let case = match parse_expect(&text) {
            Ok(c) => c,
            Err(e) => {
                writeln!(report, "── {name}: {e}").unwrap();
                failed += 1;
                continue;
            }
        };
        if case.code == 0 {
            passing_cases += 1;
        } else {
            failing_cases += 1;
        }
        let problems = run_case(dir, &case, name);
        let known_bad = KNOWN_BAD.contains(&name.as_str());
        match (problems.is_empty(), known_bad) {
            (true, true) => eprintln!("note: KNOWN_BAD case `{name}` passes now; remove it from KNOWN_BAD"),
            (false, true) | (true, false) => {}
            (false, false) => {
                failed += 1;
                writeln!(report, "── {name} (selfeval {})", case.args.join(" ")).unwrap();
                for p in problems {
                    writeln!(report, "   {}", p.replace('\n', "\n   ")).unwrap();
                }
            }
        }
    }
    if failing_cases < MIN_FAILING_CASES {
        writeln!(report, "only {failing_cases} bad-input cases, expected at least {MIN_FAILING_CASES}").unwrap();
        failed += 1;
    }
    if passing_cases == 0 {
        writeln!(report, "no control case (code: 0)").unwrap();
        failed += 1;
    }
    assert!(failed == 0, "{failed} corpus problem(s):\n{report}");
}

/// The one-minute load average per core (Linux), or 1 where it cannot be read.
fn load_per_core() -> f64 {
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next().and_then(|l| l.parse::<f64>().ok()))
        .unwrap_or(1.0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    load / cores
}
