//! Issue 11 ("The bureau's desk"), items 2, 3, 5 and 14: files sent in by others are untrusted.
//! A batch keeps the results of its good files whatever one bad file names (2); nothing found
//! in a folder or named by a file can hang the reader (3); a data file's `rubric:` cannot read
//! a file outside its folder, and every result names its rubric by id and fingerprint (5);
//! `-o -` is standard output, and a folder's own rubric is not scored as data (14).
//!
//! Every run has a timeout: a hang is a failure here, not a stuck test run.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::{Path, PathBuf};
use std::time::Duration;

const SEED: &str = "examples/conghua-cast-2021/data.yaml";
const BUILTIN_TEXT: &str = include_str!("../rubrics/cast-dept-2021.yaml");
/// What a refused file holds: it must never reach the screen.
const SECRET: &str = "password: hunter2-7f3a";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let p = std::env::temp_dir().join(format!("selfeval-trust-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    fn fifo(&self, name: &str) -> String {
        let path = self.path(name);
        let status = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
        assert!(status.success(), "mkfifo {path}");
        path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The seed data file naming `rubric` instead of the built-in, under another subject.
fn seed_naming(rubric: &str, subject: &str) -> String {
    std::fs::read_to_string(SEED)
        .unwrap()
        .replace("rubric: cast-dept-2021", &format!("rubric: {rubric}"))
        .replace("subject: 广州市从化区科学技术协会", &format!("subject: {subject}"))
}

/// Runs selfeval in `cwd` (the crate's folder when `None`) with English messages and a timeout.
fn run_in(cwd: Option<&Path>, args: &[&str]) -> (i32, Vec<u8>, String) {
    let mut cmd = cargo_bin_cmd!("selfeval");
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let out = cmd
        .env_remove("LC_ALL")
        .env("LANG", "en_US.UTF-8")
        .args(args)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // Killed by the timeout: no exit code.
    let code = out.status.code().unwrap_or_else(|| panic!("{args:?} did not finish (a hang):\n{stderr}"));
    (code, out.stdout, stderr)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let (code, out, err) = run_in(None, args);
    (code, String::from_utf8(out).unwrap(), err)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn fingerprint_of(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().take(6).map(|b| format!("{b:02x}")).collect()
}

// ── item 2: one file naming another rubric, or a missing one, loses only itself ─────────────

#[test]
fn item2_a_missing_rubric_fails_its_own_file_and_the_batch_keeps_the_rest() {
    let dir = Dir::new("item2-missing");
    for (i, subject) in ["甲", "乙", "丙"].iter().enumerate() {
        dir.write(&format!("units/{i}.yaml"), &seed_naming("cast-dept-2021", subject));
    }
    // A typo among them: `r1.yml` does not exist.
    dir.write("units/1a.yaml", &seed_naming("r1.yml", "错"));
    let out = dir.path("out.json");
    let (code, stdout, err) = run(&["score", &dir.path("units"), "--format", "json", "-o", &out]);
    assert_eq!(code, 1, "{err}");
    assert!(stdout.is_empty());
    let doc = json(&std::fs::read_to_string(&out).expect("the -o file is written"));
    let items = doc.as_array().unwrap();
    assert_eq!(items.len(), 4, "{doc:#}");
    // Sorted by path: 0, 1, 1a, 2; the failed entry at its place.
    let failed = &items[2];
    assert!(failed["file"].as_str().unwrap().ends_with("1a.yaml"), "{doc:#}");
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("1a.yaml:16:9:") && error.contains("no such file"), "{error}");
    assert!(!error.contains("names rubric"), "{error}");
    for i in [0, 1, 3] {
        assert_eq!(items[i]["total"].to_string(), "92.7", "{doc:#}");
    }
    assert!(!err.contains("names rubric"), "a missing file is called missing:\n{err}");
}

/// Issue 13: each file of a batch is scored with the rubric it names; a file whose values do
/// not fit its rubric is a failed entry at its place, the others keep their results.
#[test]
fn item2_a_file_naming_another_rubric_is_scored_with_it_without_r() {
    let dir = Dir::new("item2-other");
    let a = dir.write("a.yaml", &seed_naming("cast-dept-2021", "甲"));
    let b = dir.write("b.yaml", &seed_naming("mof-project-2020", "乙"));
    let c = dir.write("c.yaml", &seed_naming("cast-dept-2021", "丙"));
    for format in ["json", "jsonl", "csv", "table", "markdown"] {
        let (code, out, err) = run(&["score", &a, &b, &c, "--format", format]);
        assert_eq!(code, 1, "{format}: {err}");
        assert!(out.contains("92.7"), "{format}: the good files keep their results:\n{out}");
        assert!(err.contains("b.yaml") && err.contains("mof-project-2020"), "{format}: {err}");
        assert!(!err.contains("give -r"), "{err}");
    }
    let (_, out, _) = run(&["score", &a, &b, &c, "--format", "json"]);
    let doc = json(&out);
    assert_eq!(doc[0]["total"].to_string(), "92.7");
    assert_eq!(doc[1]["file"], b.as_str());
    assert!(doc[1]["error"].as_str().unwrap().contains("missing value"), "{doc:#}");
    assert_eq!(doc[2]["total"].to_string(), "92.7");
}

/// The batch's rubric is the one named by the first file whose rubric loads: a first file
/// naming a broken rubric does not decide it, and is a failed entry that says why.
#[test]
fn item2_the_batch_rubric_is_the_first_that_loads() {
    let dir = Dir::new("item2-first-loads");
    dir.write("broken.yaml", "id: broken\ntitle: 坏\nsections: 3\n");
    let a = dir.write("a.yaml", &seed_naming("broken.yaml", "甲"));
    let b = dir.write("b.yaml", &seed_naming("cast-dept-2021", "乙"));
    let (code, out, err) = run(&["score", &a, &b, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    assert!(doc[0]["error"].as_str().unwrap().contains("could not be loaded"), "{doc:#}");
    assert_eq!(doc[1]["total"].to_string(), "92.7", "{doc:#}");
    // `check` of several files keeps the good ones the same way.
    let (code, out, err) = run(&["check", &a, &b, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    assert!(doc[0]["error"].as_str().unwrap().contains("could not be loaded"), "{doc:#}");
    assert_eq!(doc[1]["outcome"], "agrees", "{doc:#}");
}

// ── item 3: no hang on pipes, sockets or devices ──────────────────────────────────────────

#[test]
fn item3_a_fifo_in_a_directory_is_a_failed_entry_never_opened() {
    let dir = Dir::new("item3-walk");
    dir.write("units/a.yaml", &seed_naming("cast-dept-2021", "甲"));
    dir.write("units/c.yaml", &seed_naming("cast-dept-2021", "丙"));
    let fifo = dir.fifo("units/b.yaml");
    let (code, out, err) = run(&["score", &dir.path("units"), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    assert_eq!(doc.as_array().unwrap().len(), 3, "{doc:#}");
    assert_eq!(doc[1]["file"], fifo.as_str());
    assert!(doc[1]["error"].as_str().unwrap().contains("not a regular file"), "{doc:#}");
    assert_eq!(doc[0]["total"].to_string(), "92.7");
    assert_eq!(doc[2]["total"].to_string(), "92.7");
}

#[test]
fn item3_a_rubric_key_naming_a_fifo_is_refused_never_opened() {
    let dir = Dir::new("item3-rubric");
    dir.fifo("r.yaml");
    let data = dir.write("data.yaml", &seed_naming("r.yaml", "甲"));
    let (code, out, err) = run(&["score", &data]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("data.yaml:16:9: error: the rubric `r.yaml` this file names is not a regular file"), "{err}");
    // In a batch too.
    let other = dir.write("other.yaml", &seed_naming("cast-dept-2021", "乙"));
    let (code, out, err) = run(&["score", &data, &other, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(json(&out)[1]["total"].to_string(), "92.7");
}

/// A pipe typed on the command line is still read: the user chose it (`<(…)`, `-`).
#[test]
fn item3_a_pipe_named_on_the_command_line_is_still_read() {
    let dir = Dir::new("item3-typed");
    let fifo = dir.fifo("typed.yaml");
    let text = std::fs::read_to_string(SEED).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, text))
    };
    let (code, out, err) = run(&["score", &fifo, "--format", "json"]);
    // Opening a FIFO for writing waits for a reader: if the run never read it, be that reader,
    // so that the writer cannot wait forever.
    if !writer.is_finished() {
        let _ = std::fs::read(&fifo);
    }
    writer.join().unwrap().unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["total"].to_string(), "92.7");
    // And standard input.
    let out = cargo_bin_cmd!("selfeval")
        .args(["score", "-", "--format", "json"])
        .write_stdin(std::fs::read_to_string(SEED).unwrap())
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(json(&String::from_utf8(out.stdout).unwrap())["total"].to_string(), "92.7");
}

// ── item 5: a data file cannot read files through `rubric:` ─────────────────────────────────

/// A folder of secrets beside a folder of submissions.
fn secrets(dir: &Dir) {
    dir.write("secret/creds.yaml", &format!("{SECRET}\nuser: root\n"));
    dir.write("secret/shadow", &format!("root:{SECRET}:19000:0:99999:7:::\n"));
}

#[test]
fn item5_rubric_key_cannot_name_a_file_outside_its_folder() {
    let dir = Dir::new("item5-outside");
    secrets(&dir);
    let absolute = dir.path("secret/shadow");
    let absolute_yaml = dir.path("secret/creds.yaml");
    for (named, message) in [
        ("../secret/creds.yaml", "names a rubric outside its folder; give -r to use it"),
        ("./../secret/creds.yaml", "names a rubric outside its folder; give -r to use it"),
        ("a/../../secret/creds.yaml", "names a rubric outside its folder; give -r to use it"),
        (absolute.as_str(), "names a rubric outside its folder; give -r to use it"),
        (absolute_yaml.as_str(), "names a rubric outside its folder; give -r to use it"),
    ] {
        let data = dir.write("units/data.yaml", &seed_naming(named, "甲"));
        for format in ["table", "json"] {
            let (code, out, err) = run(&["score", &data, "--format", format]);
            assert_eq!(code, 1, "{named}: {err}");
            assert!(out.is_empty(), "{named}: {out}");
            assert!(err.contains(&format!("data.yaml:16:9: error: `{named}` {message}")), "{named}: {err}");
            assert!(!err.contains("hunter2") && !err.contains("root:"), "{named}: the target was shown:\n{err}");
        }
    }
}

/// A bare name that is not a built-in id (`.env`) is never opened, in the working directory or
/// anywhere else; nor is a file in the folder that is not YAML.
#[test]
fn item5_a_bare_name_is_a_built_in_id_or_nothing() {
    let dir = Dir::new("item5-bare");
    dir.write(".env", &format!("{SECRET}\n"));
    dir.write("units/.env", &format!("{SECRET}\n"));
    dir.write("units/notes.txt", &format!("{SECRET}\n"));
    dir.write("units/a.yaml", &seed_naming(".env", "甲"));
    dir.write("units/b.yaml", &seed_naming("notes.txt", "乙"));
    for cwd in [dir.0.clone(), dir.0.join("units")] {
        for file in ["a.yaml", "b.yaml"] {
            let path = dir.path(&format!("units/{file}"));
            let (code, out, err) = run_in(Some(&cwd), &["score", &path]);
            assert_eq!(code, 1, "{file}: {err}");
            assert!(out.is_empty());
            assert!(!err.contains("hunter2"), "{file} in {cwd:?}: the target was shown:\n{err}");
            assert!(err.contains(&format!("{file}:16:9: error:")), "{err}");
        }
    }
    let (_, _, err) = run(&["score", &dir.path("units/a.yaml")]);
    assert!(err.contains("no built-in rubric `.env`"), "{err}");
    let (_, _, err) = run(&["score", &dir.path("units/b.yaml")]);
    assert!(err.contains("no built-in rubric `notes.txt`"), "{err}");
}

/// A symbolic link inside the folder that leads out of it is outside too.
#[test]
fn item5_a_link_in_the_folder_leading_out_is_refused() {
    let dir = Dir::new("item5-link");
    secrets(&dir);
    std::fs::create_dir_all(dir.0.join("units/sub")).unwrap();
    std::os::unix::fs::symlink("../secret/creds.yaml", dir.0.join("units/r.yaml")).unwrap();
    // A folder link on the way.
    std::os::unix::fs::symlink("../../secret", dir.0.join("units/sub/s")).unwrap();
    for named in ["r.yaml", "sub/s/creds.yaml"] {
        let data = dir.write("units/data.yaml", &seed_naming(named, "甲"));
        let (code, _, err) = run(&["score", &data]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("names a rubric outside its folder"), "{named}: {err}");
        assert!(!err.contains("hunter2"), "{named}: the target was shown:\n{err}");
    }
}

/// Inside the folder, a rubric file is used: beside the file, below it, through a link that
/// stays inside, by a route with `..` that stays inside.
#[test]
fn item5_a_rubric_inside_the_folder_is_used() {
    let dir = Dir::new("item5-inside");
    dir.write("units/rubrics/r.yaml", BUILTIN_TEXT);
    dir.write("units/r.yml", BUILTIN_TEXT);
    std::os::unix::fs::symlink("rubrics/r.yaml", dir.0.join("units/link.yaml")).unwrap();
    for named in ["r.yml", "./r.yml", "rubrics/r.yaml", "rubrics/../r.yml", "link.yaml"] {
        let data = dir.write("units/data.yaml", &seed_naming(named, "甲"));
        let (code, out, err) = run(&["score", &data, "--format", "json"]);
        assert_eq!(code, 0, "{named}: {err}");
        assert_eq!(json(&out)["total"].to_string(), "92.7", "{named}");
    }
}

/// `-r` is the user's own choice: it reads any rubric file, relative to the working directory.
#[test]
fn item5_r_is_trusted_as_before() {
    let dir = Dir::new("item5-r");
    dir.write("elsewhere/r.yaml", BUILTIN_TEXT);
    let data = dir.write("units/data.yaml", &seed_naming("../elsewhere/r.yaml", "甲"));
    let (code, out, err) = run_in(Some(&dir.0), &["score", "-r", "elsewhere/r.yaml", &data, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&String::from_utf8(out).unwrap())["total"].to_string(), "92.7");
}

/// A workbook's 信息 sheet is a data file's `rubric:` too.
#[test]
fn item5_a_workbook_info_sheet_is_held_to_the_same_rule() {
    use rust_xlsxwriter::Workbook;
    let dir = Dir::new("item5-xlsx");
    secrets(&dir);
    std::fs::create_dir_all(dir.0.join("units")).unwrap();
    let path = dir.path("units/form.xlsx");
    let mut wb = Workbook::new();
    let info = wb.add_worksheet();
    info.set_name("信息").unwrap();
    for (r, c, text) in [(0, 0, "项目"), (0, 2, "值"), (1, 0, "rubric"), (1, 2, "../secret/creds.yaml")] {
        info.write_string(r, c, text).unwrap();
    }
    let fields = wb.add_worksheet();
    fields.set_name("Fields").unwrap();
    fields.write_string(0, 0, "Field").unwrap();
    fields.write_string(0, 1, "Value").unwrap();
    fields.write_string(1, 0, "tweets").unwrap();
    fields.write_number(1, 1, 95).unwrap();
    wb.save(&path).unwrap();
    let (code, out, err) = run(&["score", &path]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("names a rubric outside its folder; give -r to use it"), "{err}");
    assert!(!err.contains("hunter2"), "the target was shown:\n{err}");
}

/// A directory walk does not follow a link that leads outside the folder given; a link to a
/// file inside is followed.
#[test]
fn item5_a_walk_does_not_follow_links_out_of_the_folder() {
    let dir = Dir::new("item5-walk");
    dir.write("outside/stolen.yaml", &seed_naming("cast-dept-2021", "外"));
    dir.write("units/a.yaml", &seed_naming("cast-dept-2021", "甲"));
    std::os::unix::fs::symlink("../outside/stolen.yaml", dir.0.join("units/b.yaml")).unwrap();
    std::os::unix::fs::symlink("a.yaml", dir.0.join("units/c.yaml")).unwrap();
    let (code, out, err) = run(&["score", &dir.path("units"), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    assert_eq!(doc[0]["subject"], "甲");
    assert!(doc[1]["error"].as_str().unwrap().contains("leading outside the folder"), "{doc:#}");
    assert!(!out.contains("外"), "the link out was followed:\n{out}");
    assert_eq!(doc[2]["subject"], "甲", "a link inside the folder is followed");
}

/// Every result names its rubric by id and by the fingerprint of its text: a rubric that
/// borrows the official id but scores differently shows another fingerprint.
#[test]
fn item5_results_name_the_rubric_by_id_and_fingerprint() {
    let official = fingerprint_of(BUILTIN_TEXT.as_bytes());
    let (code, out, _) = run(&["score", SEED, "--format", "json"]);
    assert_eq!(code, 0);
    let doc = json(&out);
    assert_eq!(doc["rubric"]["id"], "cast-dept-2021");
    assert_eq!(doc["rubric"]["fingerprint"], official.as_str());
    for command in ["score", "breakdown"] {
        let (_, out, _) = run(&[command, SEED]);
        let heading = out.lines().next().unwrap();
        assert!(heading.ends_with(&format!("(cast-dept-2021 · sha256:{official})")), "{command}: {heading}");
    }
    // A lenient copy under the official id.
    let dir = Dir::new("item5-fingerprint");
    let lenient = BUILTIN_TEXT.replacen("target: 100", "target: 50", 1);
    dir.write("r.yaml", &lenient);
    let data = dir.write("data.yaml", &seed_naming("r.yaml", "甲"));
    let (code, out, err) = run(&["score", &data]);
    assert_eq!(code, 0, "{err}");
    let heading = out.lines().next().unwrap();
    let theirs = fingerprint_of(lenient.as_bytes());
    assert_ne!(theirs, official);
    assert!(heading.ends_with(&format!("(cast-dept-2021 · sha256:{theirs})")), "{heading}");
    // A batch names the rubric once, above its ranking, and in every JSON entry.
    let (_, out, _) = run(&["score", &data, SEED]);
    assert!(out.lines().next().unwrap().contains(&format!("sha256:{theirs}")), "{out}");
    let (_, out, _) = run(&["score", "-r", "cast-dept-2021", &data, SEED, "--format", "json"]);
    assert!(json(&out).as_array().unwrap().iter().all(|e| e["rubric"]["fingerprint"] == official.as_str()));
}

/// `init -r PATH` writes a `rubric:` that the rule accepts, or says to score with `-r`.
#[test]
fn item5_init_writes_a_rubric_key_that_resolves() {
    let dir = Dir::new("item5-init");
    let rubric = dir.write("units/rubrics/r.yaml", BUILTIN_TEXT);
    let form = dir.path("units/form.yaml");
    let (code, _, err) = run(&["init", "-r", &rubric, "-o", &form]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&form).unwrap();
    assert!(text.lines().any(|l| l == "rubric: \"rubrics/r.yaml\""), "{text}");
    // Filled in, it is scored with that rubric: the template's key passes the rule.
    let seed = std::fs::read_to_string(SEED).unwrap();
    let filled = seed.replace("rubric: cast-dept-2021", "rubric: \"rubrics/r.yaml\"");
    let filled = dir.write("units/filled.yaml", &filled);
    let (code, _, err) = run(&["score", &filled]);
    assert_eq!(code, 0, "{err}");
    // Outside the output's folder, or printed: no key, and the way to score it.
    let outside = dir.path("elsewhere/form.yaml");
    std::fs::create_dir_all(dir.0.join("elsewhere")).unwrap();
    for args in [vec!["init", "-r", rubric.as_str(), "-o", outside.as_str()], vec!["init", "-r", rubric.as_str()]] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let text = if out.is_empty() { std::fs::read_to_string(&outside).unwrap() } else { out };
        assert!(!text.lines().any(|l| l.starts_with("rubric:")), "{text}");
        assert!(text.contains(&format!("selfeval score -r {rubric} THIS-FILE")), "{text}");
        assert!(text.contains("# rubric: not written"), "{text}");
    }
    // A built-in id is written as it is.
    let (_, out, _) = run(&["init", "-r", "cast-dept-2021"]);
    assert!(out.lines().any(|l| l == "rubric: \"cast-dept-2021\""), "{out}");
}

// ── item 14: `-o -`, and a folder's own rubric ───────────────────────────────────────────

#[test]
fn item14_dash_output_is_standard_output() {
    let dir = Dir::new("item14-dash");
    let seed = std::fs::canonicalize(SEED).unwrap();
    let seed = seed.to_str().unwrap();
    let (code, out, err) = run_in(Some(&dir.0), &["score", seed, "--format", "json", "-o", "-"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&String::from_utf8(out).unwrap())["total"].to_string(), "92.7");
    let (code, out, err) = run_in(Some(&dir.0), &["init", "-r", "cast-dept-2021", "--format", "xlsx", "-o", "-"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(b"PK"), "a workbook on standard output");
    let (code, out, err) = run_in(Some(&dir.0), &["init", "-r", "cast-dept-2021", "-o", "-"]);
    assert_eq!(code, 0, "{err}");
    assert!(String::from_utf8(out).unwrap().contains("rubric: \"cast-dept-2021\""));
    assert!(!dir.0.join("-").exists(), "a file named `-` was written");
}

#[test]
fn item14_a_rubric_in_a_walked_folder_is_skipped_with_a_note() {
    let (code, out, err) = run(&["score", "examples/all-methods", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "skipped: examples/all-methods/rubric.yaml is a rubric\n");
    let doc = json(&out);
    assert_eq!(doc.as_array().unwrap().len(), 1, "{doc:#}");
    assert_eq!(doc[0]["total"].to_string(), "76.5");
    // Named on the command line, a rubric is a data file that fails, as before.
    let (code, _, err) = run(&["score", "examples/all-methods/rubric.yaml", SEED]);
    assert_eq!(code, 1, "{err}");
}
