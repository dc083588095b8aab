//! The command line end to end: exit codes, stdout/stderr separation, every format.
//! Snapshots were reviewed by hand against docs/seed.md (92.7 = 42.7 + 50).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use std::io::Write;

const SEED: &str = "examples/conghua-cast-2021/data.yaml";
const ALL: &str = "examples/all-methods/data.yaml";

fn selfeval() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("selfeval");
    // Chinese output unless a test says otherwise (the default follows LC_ALL / LANG).
    cmd.env_remove("NO_COLOR").env_remove("LC_ALL").env("LANG", "zh_CN.UTF-8");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let out = selfeval().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{args:?} wrote to stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn temp_file(name: &str, text: &str) -> (tempdir::Dir, String) {
    let dir = tempdir::Dir::new();
    let path = dir.0.join(name);
    std::fs::File::create(&path).unwrap().write_all(text.as_bytes()).unwrap();
    let p = path.to_string_lossy().into_owned();
    (dir, p)
}

mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Self {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static N: AtomicUsize = AtomicUsize::new(0);
            let p = std::env::temp_dir().join(format!(
                "selfeval-test-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ));
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[test]
fn score_seed_table() {
    insta::assert_snapshot!(stdout_of(&["score", SEED]));
}

#[test]
fn score_seed_ascii_depth_2() {
    insta::assert_snapshot!(stdout_of(&["score", SEED, "--depth", "2", "--style", "ascii"]));
}

#[test]
fn score_seed_markdown() {
    insta::assert_snapshot!(stdout_of(&["score", SEED, "--format", "markdown"]));
}

#[test]
fn score_seed_csv() {
    insta::assert_snapshot!(stdout_of(&["score", SEED, "--format", "csv"]));
}

#[test]
fn score_all_methods_json() {
    insta::assert_snapshot!(stdout_of(&["score", ALL, "--format", "json"]));
}

#[test]
fn breakdown_seed() {
    insta::assert_snapshot!(stdout_of(&["breakdown", SEED]));
}

#[test]
fn breakdown_all_methods_markdown() {
    insta::assert_snapshot!(stdout_of(&["breakdown", ALL, "--format", "markdown"]));
}

#[test]
fn rubrics_lists_the_builtin() {
    let out = stdout_of(&["rubrics"]);
    assert!(out.contains("cast-dept-2021"));
    insta::assert_snapshot!(out);
}

#[test]
fn show_builtin() {
    insta::assert_snapshot!(stdout_of(&["show", "cast-dept-2021"]));
}

#[test]
fn json_has_the_spec_shape_and_exact_numbers() {
    let text = stdout_of(&["score", SEED, "--format", "json"]);
    // Exact digits, no trailing zeros, never floats.
    assert!(text.contains("\"total\": 92.7"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["subject"], "广州市从化区科学技术协会");
    assert_eq!(v["period"], "2021");
    assert_eq!(v["rubric"]["id"], "cast-dept-2021");
    assert_eq!(v["max"].to_string(), "100");
    assert_eq!(v["grade"], "优");
    assert_eq!(v["vetoes"], serde_json::json!([]));
    let management = &v["nodes"][0];
    assert_eq!(management["id"], "management");
    assert_eq!(management["score"].to_string(), "42.7");
    assert_eq!(management["lost"].to_string(), "7.3");
    assert_eq!(management["status"], "scored");
    let execution = &management["children"][0]["children"][0];
    assert_eq!(execution["method"], "ratio");
    assert_eq!(execution["inputs"]["execution_rate"].to_string(), "100");
    assert!(execution["detail"].as_str().unwrap().contains("100"));
}

#[test]
fn json_nulls_for_dropped_nodes_and_numbers_for_full() {
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&["score", ALL, "--format", "json"])).unwrap();
    let find = |id: &str| -> serde_json::Value {
        fn walk(v: &serde_json::Value, id: &str) -> Option<serde_json::Value> {
            if v["id"] == id {
                return Some(v.clone());
            }
            v["children"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(v["nodes"].as_array().into_iter().flatten())
                .find_map(|c| walk(c, id))
        }
        walk(&v, id).unwrap()
    };
    let dropped = find("asset_disposal");
    assert_eq!(dropped["status"], "not_applicable");
    assert!(dropped["score"].is_null() && dropped["lost"].is_null());
    assert_eq!(dropped["reason"], "本年度无资产处置事项");
    let full = find("hotline");
    assert_eq!(full["status"], "not_applicable");
    assert_eq!(full["score"].to_string(), "5");
    assert_eq!(find("award")["status"], "bonus");
    assert_eq!(find("task_completion")["score"].to_string(), "4.38");
}

#[test]
fn several_files_are_ranked_and_json_is_an_array_in_order() {
    // A copy of the seed whose 绩效指标明确性 is 不明确 (0 %) instead of 较明确 (70 %): 5 × 70 / 100 = 3.5
    // points fewer, so 92.7 − 3.5 = 89.2 and grade 良.
    let seed = std::fs::read_to_string(SEED).unwrap();
    let worse = seed
        .replace("clarity: 较明确", "clarity: 不明确")
        .replace("subject: 广州市从化区科学技术协会", "subject: 对照单位");
    assert_ne!(seed, worse);
    let (_dir, path) = temp_file("worse.yaml", &worse);
    let out = stdout_of(&["score", "-r", "cast-dept-2021", &path, SEED]);
    let seed_line = out.lines().position(|l| l.contains("92.7")).unwrap();
    let worse_line =
        out.lines().position(|l| l.contains("89.2") && l.contains("良") && l.contains("对照单位")).unwrap();
    assert!(seed_line < worse_line, "ranked by total:\n{out}");
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&["score", "-r", "cast-dept-2021", &path, SEED, "--format", "json"])).unwrap();
    let totals: Vec<String> = v.as_array().unwrap().iter().map(|e| e["total"].to_string()).collect();
    assert_eq!(totals, vec!["89.2", "92.7"], "JSON keeps the input order");
}

#[test]
fn several_files_naming_different_rubrics_are_ranked_per_rubric() {
    let out = selfeval().args(["score", SEED, ALL]).assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    // One ranking per rubric group, each headed by its rubric (id and fingerprint).
    assert!(out.contains("cast-dept-2021 · sha256:"), "{out}");
    assert_eq!(out.matches("sha256:").count(), 2, "{out}");
}

#[test]
fn stdin_is_read_with_dash() {
    let text = std::fs::read_to_string(SEED).unwrap();
    selfeval()
        .args(["score", "-r", "cast-dept-2021", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::contains("92.7"));
}

#[test]
fn rubric_flag_wins_over_the_files_key_with_a_warning() {
    selfeval()
        .args(["score", "-r", "examples/all-methods/rubric.yaml", SEED])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("本文件指定的指标体系是 `cast-dept-2021`，但按 -r"));
}

#[test]
fn bad_data_fails_with_exit_1_empty_stdout_and_a_located_error() {
    let text = std::fs::read_to_string(SEED).unwrap().replace("issues: 95", "issues: \"95篇\"");
    let (_dir, path) = temp_file("data.yaml", &text);
    let out = selfeval().args(["score", "-r", "cast-dept-2021", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("tweets.issues"), "{err}");
    assert!(err.contains("\"95篇\""), "{err}");
    assert!(err.contains(&format!("{path}:")), "{err}");
}

#[test]
fn a_report_block_with_unknown_keys_or_non_text_is_a_located_error() {
    let seed = std::fs::read_to_string(SEED).unwrap();
    let text = seed[..seed.find("\nreport:").unwrap() + 1].to_owned()
        + "report:\n  unit: 区科协\n  reviwer: 李四\n  overview: [一, 二]\n  date: {y: 2022}\n";
    let (_dir, path) = temp_file("data.yaml", &text);
    let out = selfeval().args(["score", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    let lines = text.lines().count();
    let (key, list, map) = (lines - 2, lines - 1, lines);
    assert!(
        err.contains(&format!("{path}:{key}:3: error: `report`：未知的键 `reviwer`；你是不是想写 `reviewer`？")),
        "{err}"
    );
    assert!(err.contains(&format!("{path}:{list}:13: error: `report.overview`：应为文本，实际为列表")), "{err}");
    assert!(err.contains(&format!("{path}:{map}:9: error: `report.date`：应为文本，实际为映射")), "{err}");
}

#[test]
fn missing_fields_are_all_listed() {
    let text = std::fs::read_to_string(SEED).unwrap().replace("issues: 95", "").replace("articles: 455", "");
    let (_dir, path) = temp_file("data.yaml", &text);
    let err = selfeval().args(["score", &path]).assert().code(1).get_output().stderr.clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("tweets.issues") && err.contains("tweets.articles"), "{err}");
    assert!(err.contains("公众号推文期数"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    selfeval().args(["score"]).assert().code(2);
    selfeval().args(["score", SEED, "--format", "xml"]).assert().code(2);
    selfeval().args(["frobnicate"]).assert().code(2);
    selfeval().args(["score", SEED, "--depth", "0"]).assert().code(2);
}

/// Standard input can be read once; named twice, the second read found it empty ("file is
/// empty", exit 1). Now a usage error, before anything is read.
#[test]
fn standard_input_named_twice_is_a_usage_error() {
    let seed = std::fs::read_to_string(SEED).unwrap();
    for args in [
        &["check", "-", "-"][..],
        &["score", "-r", "cast-dept-2021", "-", "-"],
        &["diff", "-", "-"],
        &["validate", "cast-dept-2021", "--data", "-", SEED, "-"],
    ] {
        selfeval()
            .args(args)
            .write_stdin(seed.clone())
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("标准输入（-）只能读取一次"));
    }
    // Once is fine, beside other files.
    selfeval().args(["check", "-", SEED]).write_stdin(seed).assert().success();
}

#[test]
fn unknown_rubric_and_missing_file_exit_1() {
    selfeval()
        .args(["show", "cast-dept-2012"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("你是不是想写 `cast-dept-2021`？"));
    selfeval()
        .args(["score", "nope.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nope.yaml: error: 无法读取：文件不存在"));
}

#[test]
fn validate_reports_to_stderr_with_a_count() {
    selfeval()
        .args(["validate", "cast-dept-2021", "--data", SEED])
        .assert()
        .success()
        .stdout("")
        .stderr("validate 通过：0 个错误，0 个警告\n");
    let rubric = "id: x\ntitle: t\nsections:\n  - id: a\n    title: A\n    points: 5\n    method: ratio\n    value: v\n    target: 10\n    wieght: 3\n";
    let (_dir, path) = temp_file("r.yaml", rubric);
    let out = selfeval().args(["validate", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(":10:5: error: 指标 `a`：未知的键 `wieght`"), "{err}");
    assert!(err.contains("unknown field `v`") || err.contains("unknown name `v`") || err.contains("`v`"), "{err}");
    assert!(err.contains("10 |     wieght: 3"), "{err}");
    assert!(err.ends_with("个错误，0 个警告\n"), "{err}");
}

#[test]
fn no_color_and_pipes_get_plain_text() {
    let plain = stdout_of(&["score", SEED]);
    assert!(!plain.contains('\u{1b}'));
    let with_no_color = selfeval().env("NO_COLOR", "1").args(["score", SEED]).output().unwrap();
    assert_eq!(String::from_utf8(with_no_color.stdout).unwrap(), plain);
}

#[test]
fn closed_pipe_is_not_an_error() {
    use std::process::{Command, Stdio};
    let bin = assert_cmd::cargo::cargo_bin!("selfeval");
    let mut child = Command::new(bin)
        .args(["show", "cast-dept-2021"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.code() == Some(0), "{out:?}");
}

/// The deepest evaluation a rubric may ask for: a chain of 100 derived names (the limit), each
/// one expression 255 operators deep in 60 parentheses with the previous name at the bottom.
/// Evaluated name into name, that nested 25 600 evaluations and overflowed the stack of a
/// debug build (this test binary's); dependencies first, it needs one expression's depth.
#[test]
fn the_deepest_derived_chain_allowed_scores_without_exhausting_the_stack() {
    let dir = tempdir::Dir::new();
    let mut rubric = String::from("id: deep\ntitle: deep\nfields:\n  x: { type: number }\nderived:\n  d0: \"x\"\n");
    for i in 1..100 {
        let inner = format!("d{}{}", i - 1, " + 0".repeat(254));
        rubric += &format!("  d{i}: \"{}{inner}{}\"\n", "(".repeat(60), ")".repeat(60));
    }
    rubric += "sections:\n  - { id: a, title: a, points: 100, method: formula, expr: \"min(points, d99)\" }\n";
    std::fs::write(dir.0.join("rubric.yaml"), rubric).unwrap();
    let data = dir.0.join("data.yaml");
    std::fs::write(&data, "subject: s\nperiod: '1'\nrubric: rubric.yaml\nvalues:\n  x: 50.5\n").unwrap();
    // d99 = x + 0 + … = 50.5, within 100 points → 50.5, shown with the default precision.
    let out = stdout_of(&["score", "--format", "csv", data.to_str().unwrap()]);
    assert!(out.contains(",50.5,"), "{out}");
    let explained = stdout_of(&["explain", data.to_str().unwrap()]);
    assert!(explained.contains("50.5"), "{explained}");
}

/// The deepest indicator tree allowed (31 levels: 62 levels of YAML under the root's two),
/// over a formula of 60 parentheses and 256 operators, in every output that walks the tree.
#[test]
fn the_deepest_indicator_tree_allowed_is_scored_and_explained() {
    let dir = tempdir::Dir::new();
    let mut rubric = String::from("id: nest\ntitle: nest\nfields:\n  x: { type: number }\nsections:\n");
    for level in 0..31 {
        let pad = "  ".repeat(2 * level + 1);
        rubric += &format!("{}- id: n{level}\n{pad}title: n{level}\n{pad}points: 10\n", &pad[2..]);
        if level < 30 {
            rubric += &format!("{pad}children:\n");
        } else {
            let deep = format!("{}x{}{}", "(".repeat(60), " + 0".repeat(254), ")".repeat(60));
            rubric += &format!("{pad}method: formula\n{pad}expr: \"min(points, {deep})\"\n");
        }
    }
    std::fs::write(dir.0.join("rubric.yaml"), rubric).unwrap();
    let data = dir.0.join("data.yaml");
    let declared = "declared:\n  total: 4.5\n  n30: 4.5\n";
    std::fs::write(&data, format!("subject: s\nperiod: '1'\nrubric: rubric.yaml\nvalues:\n  x: 4.5\n{declared}"))
        .unwrap();
    let data = data.to_str().unwrap();
    // The leaf: min(10, 4.5) = 4.5; every branch above holds it alone, so the total is 4.5.
    assert!(stdout_of(&["score", "--format", "csv", data]).contains(",4.5,"));
    for command in ["score", "breakdown", "explain", "check"] {
        for format in ["table", "json", "markdown"] {
            stdout_of(&[command, "--format", format, data]);
        }
    }
}

/// `show` in markdown says what the table says: a bonus leaf's points with `+` (they add to
/// the total, not to full marks) and a rescaled branch as `scale` (the markdown copy had drifted).
#[test]
fn show_markdown_marks_bonus_points_and_scaled_branches_like_the_table() {
    let md = stdout_of(&["show", "examples/all-methods/rubric.yaml", "--format", "markdown"]);
    // In the output's language (issue 14): the methods by their Chinese names under zh.
    assert!(md.contains("| award | +2 | 公式 |"), "{md}");
    assert!(md.contains("| procurement | 10 | 按权重折算 |"), "{md}");
    let md = stdout_of(&["show", "examples/all-methods/rubric.yaml", "--format", "markdown", "--lang", "en"]);
    assert!(md.contains("| award | +2 | formula |"), "{md}");
    assert!(md.contains("| procurement | 10 | scale |"), "{md}");
    assert!(md.contains("| Indicator | id | Points | Method | Standard |"), "{md}");
}

/// `-o` never overwrites what the command read: the rubric (given by -r, by the command, or by
/// the data file's `rubric:`) and validate's data files too (review: `init -r m.yaml -o m.yaml`
/// replaced the rubric with a template, exit 0).
#[test]
fn output_never_overwrites_a_rubric_or_validated_data_file() {
    let dir = tempdir::Dir::new();
    let rubric = dir.0.join("rubric.yaml"); // the name the data file's `rubric:` gives
    std::fs::copy("examples/all-methods/rubric.yaml", &rubric).unwrap();
    let data = dir.0.join("d.yaml");
    std::fs::copy(ALL, &data).unwrap();
    let (r, d) = (rubric.to_str().unwrap(), data.to_str().unwrap());
    for args in [
        vec!["init", "-r", r, "-o", r],
        vec!["score", d, "-o", r],
        vec!["score", "-r", r, d, "-o", r],
        vec!["validate", r, "--data", d, "--format", "json", "-o", d],
        vec!["show", r, "-o", r],
    ] {
        selfeval().args(&args).assert().code(1).stderr(predicate::str::contains("输入文件"));
    }
    assert_eq!(std::fs::read(&rubric).unwrap(), std::fs::read("examples/all-methods/rubric.yaml").unwrap());
    assert_eq!(std::fs::read(&data).unwrap(), std::fs::read(ALL).unwrap());
}

/// A format a command does not write is a usage error, not another format under its name
/// (review: `rubrics --format xlsx -o r.xlsx` wrote a text table into r.xlsx).
#[test]
fn formats_a_command_does_not_write_are_usage_errors() {
    for args in [
        &["rubrics", "--format", "xlsx"][..],
        &["rubrics", "--format", "html"],
        &["show", "cast-dept-2021", "--format", "html"],
        // A workbook with nowhere to go (show writes csv and xlsx since issue 17).
        &["show", "cast-dept-2021", "--format", "xlsx"],
        &["draft", "examples/draft/hunan-2018.csv", "--format", "csv"],
        &["explain", SEED, "--format", "csv"],
    ] {
        selfeval().args(args).assert().code(2).stdout("");
    }
}
