//! The results archive (src/archive.rs, docs/archive.md): runs appended in one transaction,
//! exact figures, foreign databases refused, and the documented queries run as written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Dir;
use rusqlite::Connection;
use selfeval::archive::{Archive, ArchiveError, Entry, RunInfo};
use selfeval::engine::Evaluation;

fn evaluate(path: &str) -> Evaluation {
    common::scoring::evaluate_file(path).1
}

/// The `-- name:` queries of docs/archive.md, as written there.
fn documented_queries() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string("docs/archive.md").unwrap();
    doc.split("```sql\n")
        .skip(1)
        .map(|block| {
            let sql = block.split("```").next().unwrap();
            let name = sql.lines().next().unwrap().trim_start_matches("-- name:").trim().to_owned();
            (name, sql.to_owned())
        })
        .collect()
}

fn query(conn: &Connection, name: &str, params: &[(&str, &dyn rusqlite::ToSql)]) -> Vec<Vec<String>> {
    let (_, sql) = documented_queries().into_iter().find(|(n, _)| n == name).expect("documented query");
    let mut stmt = conn.prepare(&sql).unwrap();
    let columns = stmt.column_count();
    let rows = stmt
        .query_map(params, |row| {
            (0..columns)
                .map(|i| {
                    row.get_ref(i).map(|v| match v {
                        rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                        rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                        rusqlite::types::ValueRef::Real(f) => f.to_string(),
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        rusqlite::types::ValueRef::Blob(_) => "<blob>".to_owned(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// unit-a of the batch example a year later, with a weaker 推文 figure.
fn next_year(dir: &Dir) -> String {
    let text = std::fs::read_to_string("examples/batch/unit-a.yaml").unwrap();
    assert!(text.contains("period: \"2021\""));
    dir.write("unit-a-2022.yaml", text.replace("period: \"2021\"", "period: \"2022\""))
}

fn two_runs(db: &std::path::Path, dir: &Dir) -> (Evaluation, Evaluation) {
    let a2021 = evaluate("examples/batch/unit-a.yaml");
    let b2021 = evaluate("examples/batch/unit-b.yaml");
    let seed = evaluate("examples/over-claimed/data.yaml");
    let project = evaluate("examples/mof-project-2020/data.yaml");
    let a2022 = evaluate(&next_year(dir));
    let mut archive = Archive::open(db).unwrap();
    let inputs = vec!["examples".to_owned()];
    let mut run = archive.begin(&RunInfo { inputs: &inputs }).unwrap();
    for e in [&a2021, &b2021, &seed, &project] {
        run.add(&Entry::scored(e)).unwrap();
    }
    run.add(&Entry::failed("bad.yaml", "bad.yaml:3:1: error")).unwrap();
    assert_eq!(run.finish().unwrap(), 1);
    let mut archive = Archive::open(db).unwrap();
    let mut run = archive.begin(&RunInfo { inputs: &inputs }).unwrap();
    run.add(&Entry::scored(&a2022)).unwrap();
    run.add(&Entry::scored(&a2021)).unwrap();
    assert_eq!(run.finish().unwrap(), 2);
    (a2021, a2022)
}

#[test]
fn runs_are_appended_with_exact_figures_and_every_node() {
    let dir = Dir::new();
    let db = dir.0.join("results.db");
    let (a2021, _) = two_runs(&db, &dir);
    let conn = Connection::open(&db).unwrap();
    let runs = query(&conn, "runs", &[]);
    assert_eq!(runs.len(), 2);
    assert_eq!(
        (runs[0][0].as_str(), runs[0][2].as_str(), runs[0][3].as_str(), runs[0][4].as_str()),
        ("2", "2", "2", "0")
    );
    assert_eq!(
        (runs[1][0].as_str(), runs[1][2].as_str(), runs[1][3].as_str(), runs[1][4].as_str()),
        ("1", "5", "4", "1")
    );
    // recorded_at: an ISO 8601 UTC time, e.g. 2026-12-03T18:22:03Z.
    assert!(runs[0][1].len() == 20 && runs[0][1].ends_with('Z') && runs[0][1].as_bytes()[10] == b'T', "{}", runs[0][1]);
    // The seed's total, exactly as its digits (a REAL column would hold 92.7 as 92.7000000000000028…).
    let total: String = conn
        .query_row("SELECT total FROM file WHERE path = 'examples/over-claimed/data.yaml'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(total, "92.7");
    // Re-scored in run 2: the run-1 rows are still there.
    let copies: i64 = conn.query_row("SELECT count(*) FROM file WHERE path = ?1", [&a2021.file], |r| r.get(0)).unwrap();
    assert_eq!(copies, 2);
    // One row per node, in the rubric's depth-first order, with the parent and depth.
    let file_id: i64 =
        conn.query_row("SELECT id FROM file WHERE run_id = 1 AND path = ?1", [&a2021.file], |r| r.get(0)).unwrap();
    let mut stmt =
        conn.prepare("SELECT node_id, parent_id, depth, score FROM node WHERE file_id = ?1 ORDER BY position").unwrap();
    let nodes: Vec<(String, Option<String>, i64, Option<String>)> = stmt
        .query_map([file_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let walked = a2021.walk();
    assert_eq!(nodes.len(), walked.len());
    for ((id, parent, depth, score), (want_depth, n)) in nodes.iter().zip(&walked) {
        assert_eq!(id, &n.id);
        assert_eq!(*depth as usize, *want_depth);
        assert_eq!(score.as_deref(), n.score.map(|s| s.normalize().to_string()).as_deref(), "{id}");
        assert_eq!(parent.is_none(), *want_depth == 1, "{id}");
    }
    // The failed file is a row with its error and no scores.
    let (error, total): (String, Option<String>) = conn
        .query_row("SELECT error, total FROM file WHERE path = 'bad.yaml'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((error.as_str(), total), ("bad.yaml:3:1: error", None));
    // Both rubric groups of run 1, with their files.
    let mut stmt = conn.prepare("SELECT rubric_id, files FROM rubric WHERE run_id = 1 ORDER BY rubric_id").unwrap();
    let groups: Vec<(String, i64)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    assert_eq!(groups, vec![("cast-dept-2021".to_owned(), 3), ("mof-project-2020".to_owned(), 1)]);
}

#[test]
fn the_documented_queries_answer() {
    let dir = Dir::new();
    let db = dir.0.join("results.db");
    let (a2021, a2022) = two_runs(&db, &dir);
    let conn = Connection::open(&db).unwrap();
    let years = query(&conn, "unit_over_years", &[(":subject", &"甲单位")]);
    let periods: Vec<(&str, &str)> = years.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(
        periods,
        vec![
            ("2021", a2021.total.normalize().to_string().as_str()),
            ("2022", a2022.total.normalize().to_string().as_str())
        ]
    );
    // Run 2 holds the later copy of 2021.
    let over = query(&conn, "over_claims", &[(":run", &1)]);
    assert_eq!(over.len(), 1, "{over:?}");
    assert_eq!((over[0][2].as_str(), over[0][3].as_str()), ("95", "92.7"));
    assert!((over[0][4].parse::<f64>().unwrap() - 2.3).abs() < 1e-9);
    let lost = query(
        &conn,
        "most_lost_this_year_vs_last",
        &[(":rubric", &"cast-dept-2021"), (":this", &"2022"), (":last", &"2021")],
    );
    // 2022 holds unit-a alone; 2021's latest run (2) holds unit-a alone too: the same losses.
    let want: Vec<(String, String)> = a2022
        .walk()
        .into_iter()
        .filter(|(_, n)| n.leaf.is_some() && !n.bonus && n.lost().is_some_and(|l| !l.is_zero()))
        .map(|(_, n)| (n.id.clone(), n.lost().unwrap().normalize().to_string()))
        .collect();
    assert!(!want.is_empty());
    let mut got: Vec<(String, String)> = lost.iter().map(|r| (r[0].clone(), r[2].clone())).collect();
    got.sort();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    assert_eq!(got.iter().map(|g| &g.0).collect::<Vec<_>>(), want_sorted.iter().map(|w| &w.0).collect::<Vec<_>>());
    for row in &lost {
        assert_eq!(row[2], row[4], "same unit, same figures both years: {row:?}");
    }
}

#[test]
fn an_unfinished_run_leaves_the_archive_as_it_was() {
    let dir = Dir::new();
    let db = dir.0.join("results.db");
    let e = evaluate("examples/batch/unit-a.yaml");
    {
        let mut archive = Archive::open(&db).unwrap();
        let mut run = archive.begin(&RunInfo { inputs: &[] }).unwrap();
        run.add(&Entry::scored(&e)).unwrap();
        // Dropped without finish: as when the process is stopped mid-run.
    }
    let conn = Connection::open(&db).unwrap();
    for table in ["run", "file", "node", "rubric"] {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "{table}");
    }
}

#[test]
fn a_database_that_is_not_an_archive_is_never_altered() {
    let dir = Dir::new();
    let db = dir.0.join("other.db");
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE accounts (id INTEGER); INSERT INTO accounts VALUES (1);").unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    assert!(matches!(Archive::open(&db), Err(ArchiveError::Foreign(0))));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // Not SQLite at all.
    let text = dir.write("notes.db", "just some text that is not a database, long enough to be read as a header");
    assert!(Archive::open(std::path::Path::new(&text)).is_err());
    // A newer schema.
    let newer = dir.0.join("newer.db");
    drop(Archive::open(&newer).unwrap());
    Connection::open(&newer).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
    assert!(matches!(Archive::open(&newer), Err(ArchiveError::Newer(99))));
}

// ---- From the command line ----

fn selfeval() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_selfeval"))
}

fn runs(db: &std::path::Path) -> i64 {
    Connection::open(db).unwrap().query_row("SELECT count(*) FROM run", [], |r| r.get(0)).unwrap()
}

#[test]
fn score_appends_each_run_and_refuses_what_is_not_an_archive() {
    let dir = Dir::new();
    let db = dir.path("results.db");
    for expected in [1, 2] {
        let out = selfeval()
            .args([
                "score",
                "examples/batch",
                "examples/mof-project-2020",
                "--format",
                "sqlite",
                "-o",
                &db,
                "--lang",
                "en",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("appended to {db}: run {expected}, 4 files")), "{stderr}");
        assert_eq!(runs(std::path::Path::new(&db)), expected);
    }
    // One file goes to the archive too (not the one-file report).
    let out =
        selfeval().args(["score", "examples/batch/unit-a.yaml", "--format", "sqlite", "-o", &db]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(runs(std::path::Path::new(&db)), 3);
    // A bad file is a row with its error; the others are scored; exit 1.
    let bad = dir.write("bad.yaml", "subject: x\nrubric: cast-dept-2021\nvalues: [\n");
    let out = selfeval()
        .args(["score", "examples/batch/unit-b.yaml", &bad, "--format", "sqlite", "-o", &db])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let conn = Connection::open(&db).unwrap();
    let (scored, failed): (i64, i64) =
        conn.query_row("SELECT scored, failed FROM run WHERE id = 4", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((scored, failed), (1, 1));
    // Without -o, or -o -: a usage error.
    for args in [&["--format", "sqlite"][..], &["--format", "sqlite", "-o", "-"][..]] {
        let out = selfeval().args(["score", "examples/batch"]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    // Another SQLite database, and a text file: refused, untouched.
    let other = dir.0.join("other.db");
    Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let text = dir.write("notes.txt", "meeting notes, not a database at all; several lines of them\n".repeat(20));
    for target in [other.to_string_lossy().into_owned(), text] {
        let before = std::fs::read(&target).unwrap();
        let out = selfeval().args(["score", "examples/batch", "--format", "sqlite", "-o", &target]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{target}");
        assert!(out.stdout.is_empty());
        assert_eq!(std::fs::read(&target).unwrap(), before, "{target} altered");
    }
    // Never over an input.
    let input = dir.write("unit.yaml", std::fs::read("examples/batch/unit-a.yaml").unwrap());
    let before = std::fs::read(&input).unwrap();
    let out = selfeval().args(["score", &input, "--format", "sqlite", "-o", &input]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn ctrl_c_leaves_the_archive_as_it_was() {
    let dir = Dir::new();
    let db = dir.path("results.db");
    let unit = std::fs::read("examples/batch/unit-a.yaml").unwrap();
    let folder = dir.0.join("units");
    std::fs::create_dir(&folder).unwrap();
    for i in 0..4000 {
        std::fs::write(folder.join(format!("u{i:05}.yaml")), &unit).unwrap();
    }
    let out = selfeval().args(["score", "examples/batch", "--format", "sqlite", "-o", &db]).output().unwrap();
    assert!(out.status.success());
    let before = runs(std::path::Path::new(&db));
    let mut child = selfeval()
        .args(["score"])
        .arg(&folder)
        .args(["--format", "sqlite", "-o", &db])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    // 130: stopped mid-run (4000 files take several seconds in a debug build).
    assert_eq!(status.code(), Some(130), "the run was not interrupted");
    assert_eq!(runs(std::path::Path::new(&db)), before, "an interrupted run left rows");
    let files: i64 = Connection::open(&db).unwrap().query_row("SELECT count(*) FROM file", [], |r| r.get(0)).unwrap();
    assert_eq!(files, 3);
}
