//! Issue 13, the bureau at scale: folders of forms, every data command over files and folders,
//! mixed rubrics ranked per rubric group, 复核 of a whole folder, streaming that gives the same
//! output whatever the number of threads, and an interrupted run that leaves no `-o` file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Dir;

const SEED: &str = "examples/conghua-cast-2021/data.yaml";
const PROJECT: &str = "examples/mof-project-2020/data.yaml";
const OVER: &str = "examples/over-claimed/data.yaml";

fn run_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("selfeval"));
    cmd.args(args).env("LANG", "en_US.UTF-8").env_remove("LC_ALL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn run(args: &[&str]) -> (i32, String, String) {
    run_env(args, &[])
}

fn copy(dir: &Dir, from: &str, to: &str) -> String {
    write(dir, to, std::fs::read(from).unwrap())
}

/// Writes a file into the folder, making the folders on its way.
fn write(dir: &Dir, name: &str, bytes: impl AsRef<[u8]>) -> String {
    std::fs::create_dir_all(dir.0.join(name).parent().unwrap()).unwrap();
    dir.write(name, bytes)
}

/// A folder as a bureau receives it: units of two rubrics, one that over-claims, one without a
/// `declared:` block, one broken file, and the rubric file of a unit beside it.
fn bureau(dir: &Dir) {
    copy(dir, SEED, "dept/a-seed.yaml");
    copy(dir, OVER, "dept/b-over.yaml");
    let seed = std::fs::read_to_string(SEED).unwrap();
    let no_claim = seed
        .replace("declared:", "ignored_declared:")
        .replace("subject: 广州市从化区科学技术协会", "subject: 无申报单位");
    let no_claim: String =
        no_claim.lines().take_while(|l| !l.starts_with("ignored_declared:")).map(|l| format!("{l}\n")).collect();
    write(dir, "dept/c-no-claim.yaml", no_claim);
    write(dir, "dept/d-broken.yaml", "subject: [unclosed\n");
    copy(dir, PROJECT, "project/e-project.yaml");
}

#[test]
fn a_folder_of_mixed_rubrics_is_ranked_per_rubric_group() {
    let dir = Dir::new();
    bureau(&dir);
    let (code, out, err) = run(&["score", &dir.path(""), "--style", "ascii"]);
    assert_eq!(code, 1, "the broken file fails the run: {err}");
    // Two groups, each headed by its rubric, in the order their first file came.
    let cast = out.find("(cast-dept-2021 · sha256:00e0168d2235)").expect(&out);
    let mof = out.find("(mof-project-2020 · sha256:").expect(&out);
    assert!(cast < mof, "{out}");
    assert!(out[mof..].contains("95.1") && !out[mof..].contains("92.7"), "{out}");
    assert!(err.contains("d-broken.yaml") && err.contains("1 file(s) failed:"), "{err}");
}

#[test]
fn csv_of_a_mixed_batch_has_one_header_and_each_files_rubric() {
    let dir = Dir::new();
    bureau(&dir);
    let (_, out, _) = run(&["score", &dir.path(""), "--format", "csv"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(out.matches("file,rubric,fingerprint").count(), 1, "{out}");
    assert!(lines[0].starts_with("\u{feff}file,rubric,fingerprint,subject,period,id,title,level,points,score,lost"));
    let total = |name: &str| lines.iter().find(|l| l.contains(name) && l.contains(",total,")).copied().unwrap_or("");
    assert!(total("a-seed.yaml").contains(",cast-dept-2021,00e0168d2235,") && total("a-seed.yaml").contains(",92.7,"));
    assert!(total("e-project.yaml").contains(",mof-project-2020,") && total("e-project.yaml").contains(",95.1,"));
    // The broken file is a row at its place, with its error.
    let broken = lines.iter().position(|l| l.contains("d-broken.yaml")).unwrap();
    let project = lines.iter().position(|l| l.contains("e-project.yaml")).unwrap();
    assert!(broken < project && lines[broken].contains("error"), "{out}");
}

#[test]
fn json_names_each_files_rubric_by_id_path_and_fingerprint() {
    let dir = Dir::new();
    bureau(&dir);
    // Two copies of one rubric file are one group; a borrowed id with other text is another.
    let rubric = std::fs::read_to_string("rubrics/cast-dept-2021.yaml").unwrap();
    write(&dir, "copies/one/r.yaml", &rubric);
    write(&dir, "copies/two/r.yaml", &rubric);
    write(&dir, "copies/three/r.yaml", rubric.replacen("title:", "# a lenient copy\ntitle:", 1));
    let seed = std::fs::read_to_string(SEED).unwrap();
    for unit in ["one", "two", "three"] {
        write(&dir, &format!("copies/{unit}/unit.yaml"), seed.replace("rubric: cast-dept-2021", "rubric: r.yaml"));
    }
    let (code, out, err) = run(&["score", &dir.path("copies"), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("skipped:") && err.contains("is a rubric"), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let items = doc.as_array().unwrap();
    assert_eq!(items.len(), 3);
    let fingerprints: Vec<&str> = items.iter().map(|i| i["rubric"]["fingerprint"].as_str().unwrap()).collect();
    // Sorted by path: one, three, two.
    assert_eq!(fingerprints[0], fingerprints[2], "{fingerprints:?}");
    assert_ne!(fingerprints[0], fingerprints[1], "{fingerprints:?}");
    assert!(items[0]["rubric"]["path"].as_str().unwrap().ends_with("one/r.yaml"), "{out}");
    // The table ranks two groups: one of the two copies, one of the lenient copy.
    let (_, table, _) = run(&["score", &dir.path("copies"), "--style", "ascii"]);
    assert_eq!(table.matches("(cast-dept-2021 · sha256:").count(), 2, "{table}");
}

#[test]
fn a_file_naming_no_rubric_without_r_is_a_failed_entry() {
    let dir = Dir::new();
    let seed = std::fs::read_to_string(SEED).unwrap();
    dir.write("a.yaml", seed.replace("rubric: cast-dept-2021\n", ""));
    copy(&dir, SEED, "b.yaml");
    let (code, out, err) = run(&["score", &dir.path(""), "--format", "jsonl"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("\"error\"") && lines[0].contains("no rubric"), "{out}");
    assert!(lines[1].contains("\"total\":92.7"), "{out}");
    assert!(err.contains("no rubric: give -r RUBRIC"), "{err}");
}

#[test]
fn check_of_a_folder_prints_one_line_per_disagreeing_unit_and_the_counts() {
    let dir = Dir::new();
    bureau(&dir);
    let (code, out, err) = run(&["check", &dir.path("")]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("广州市从化区科学技术协会 (") && lines[0].contains("b-over.yaml)"), "{out}");
    assert!(lines[0].contains(": Declared 95, Computed 92.7, Difference +2.3, over-claim, Rule: "), "{out}");
    assert_eq!(
        lines[2],
        "units checked 5: agrees 2, over-claim 1, under-claim 0, imbalance 0, no claim 1, could not be scored 1"
    );
    // Every unit agrees: exit 0, the counts only.
    let (code, out, _) = run(&["check", SEED, PROJECT]);
    assert_eq!(
        (code, out.as_str()),
        (0, "units checked 2: agrees 2, over-claim 0, under-claim 0, imbalance 0, no claim 0, could not be scored 0\n")
    );
}

#[test]
fn check_of_a_folder_keeps_records_in_csv_json_xlsx_and_html() {
    let dir = Dir::new();
    bureau(&dir);
    let (_, csv, _) = run(&["check", &dir.path(""), "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\u{feff}file,subject,period,id,title,declared,computed,difference,verdict,outcome");
    assert!(
        lines.iter().any(|l| l.contains("b-over.yaml")
            && l.contains(",total,")
            && l.ends_with(",95,92.7,2.3,over_claim,over_claim")),
        "{csv}"
    );
    assert!(lines.iter().any(|l| l.contains("c-no-claim.yaml") && l.ends_with(",no_claim")), "{csv}");
    assert!(lines.iter().any(|l| l.contains("d-broken.yaml") && l.ends_with(",error")), "{csv}");
    let (_, json, _) = run(&["check", &dir.path(""), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let outcomes: Vec<&str> =
        doc.as_array().unwrap().iter().map(|u| u["outcome"].as_str().unwrap_or("(failed)")).collect();
    assert_eq!(outcomes, ["agrees", "over_claim", "no_claim", "(failed)", "agrees"]);
    assert!(doc[3]["error"].is_string());
    let page = dir.path("review.html");
    let (code, _, err) = run(&["check", &dir.path("dept"), "--format", "html", "-o", &page]);
    assert_eq!(code, 1, "{err}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<td>over-claim</td>") && html.contains("b-over.yaml"), "{html}");
    let book = dir.path("dept/review.xlsx");
    let (code, _, err) = run(&["check", &dir.path("dept"), "--format", "xlsx", "-o", &book]);
    assert_eq!(code, 1, "{err}");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    use calamine::Reader;
    let sheet = wb.worksheet_range("Review").unwrap();
    let over = sheet.rows().find(|r| r.iter().any(|c| c.to_string().ends_with("b-over.yaml"))).unwrap();
    assert_eq!(over[2].to_string(), "95");
    assert_eq!(over[5].to_string(), "over-claim");
    // A results workbook selfeval wrote is skipped when its folder is walked again.
    let (_, _, err) = run(&["check", &dir.path("dept")]);
    assert!(err.contains("review.xlsx is a results workbook written by selfeval"), "{err}");
}

#[test]
fn breakdown_and_explain_of_many_files_write_one_section_each() {
    let (code, out, err) = run(&["breakdown", SEED, PROJECT, "--style", "ascii"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&format!("── {SEED} ──\n")), "{out}");
    assert!(out.contains(&format!("\n── {PROJECT} ──\n")), "{out}");
    let (_, out, _) = run(&["explain", "examples/batch", "--format", "jsonl"]);
    assert_eq!(out.lines().count(), 3, "{out}");
    let (_, out, _) = run(&["breakdown", SEED, PROJECT, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc[1]["total"].to_string(), "95.1");
    let (_, out, _) = run(&["explain", SEED, PROJECT, "--format", "markdown"]);
    assert!(out.contains(&format!("<!-- {PROJECT} -->")), "{out}");
    let (code, _, err) = run(&["breakdown", SEED, PROJECT, "--format", "html"]);
    assert_eq!(code, 2);
    assert!(err.contains("an HTML report is of one data file"), "{err}");
}

#[test]
fn validate_checks_every_file_of_a_folder() {
    let dir = Dir::new();
    bureau(&dir);
    let (code, _, err) = run(&["validate", "cast-dept-2021", "--data", &dir.path("dept")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("d-broken.yaml") && err.contains("validate failed"), "{err}");
}

/// The output is the same byte for byte whatever the number of worker threads: the reorder
/// window hands files over in input order.
#[test]
fn the_same_output_whatever_the_number_of_threads() {
    let dir = Dir::new();
    bureau(&dir);
    let seed = std::fs::read_to_string(SEED).unwrap();
    for i in 0..300 {
        let variant = seed.replace("tweets:\n    issues: 95", &format!("tweets:\n    issues: {}", 40 + i % 60));
        write(&dir, &format!("many/u{i:03}.yaml"), variant);
    }
    write(&dir, "many/u150.yaml", "subject: [broken\n");
    for args in [
        vec!["score", "--format", "csv"],
        vec!["score", "--format", "json"],
        vec!["score"],
        vec!["check"],
        vec!["check", "--format", "jsonl"],
    ] {
        let mut args = args.clone();
        let path = dir.path("");
        args.push(&path);
        let one = run_env(&args, &[("RAYON_NUM_THREADS", "1")]);
        let four = run_env(&args, &[("RAYON_NUM_THREADS", "4")]);
        assert_eq!(one, four, "{args:?}");
        assert_eq!(one.0, 1);
    }
}

/// Ctrl-C during a batch written with `-o`: the run ends with exit 130 and leaves neither the
/// output nor a temporary file. A pipe among the inputs holds the run until the signal.
#[test]
fn an_interrupted_run_leaves_no_output_file() {
    let dir = Dir::new();
    let fifo = dir.path("hold.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = dir.path("out.csv");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("selfeval"))
        .args(["score", SEED, &fifo, "--format", "csv", "-o", &out])
        .spawn()
        .unwrap();
    let temp_exists =
        || std::fs::read_dir(&dir.0).unwrap().flatten().any(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
    let start = std::time::Instant::now();
    while !temp_exists() && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(temp_exists(), "the output is being written");
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!std::path::Path::new(&out).exists());
    assert!(!temp_exists(), "no temporary file is left");
}
