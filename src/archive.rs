//! The results archive (`--format sqlite -o results.db`): every run of a batch appended to an
//! SQLite file, so that a bureau keeps its results across years and asks them with SQL
//! (docs/archive.md has the schema and the queries).
//!
//! The one `-o` target that is added to rather than replaced: a run goes in as one transaction,
//! so an interrupted run leaves the archive as it was, and a file scored again in a later run
//! gets new rows beside the old ones. Scores are stored as the text of their exact digits (a
//! REAL column would round them to binary floating point); SQL arithmetic over them is
//! SQLite's own, for browsing. The run's time is the only clock reading selfeval records, and
//! it is SQLite's (`strftime`), taken when the run is written.

use crate::engine::{Evaluation, NodeResult};
use crate::number::display;
use rusqlite::{Connection, OpenFlags, Transaction, params};
use rust_decimal::Decimal;
use std::path::Path;

/// Marks a database as a selfeval archive (`PRAGMA application_id`, the ASCII of "sfev").
pub const APPLICATION_ID: i32 = 0x7366_6576;
/// The schema's version (`PRAGMA user_version`), raised when a later release changes it.
pub const SCHEMA_VERSION: i32 = 1;

const SCHEMA: &str = "
CREATE TABLE run (
    id            INTEGER PRIMARY KEY,
    recorded_at   TEXT NOT NULL,
    selfeval      TEXT NOT NULL,
    inputs        TEXT NOT NULL,
    files         INTEGER NOT NULL DEFAULT 0,
    scored        INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE rubric (
    run_id        INTEGER NOT NULL REFERENCES run(id),
    rubric_id     TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    title         TEXT NOT NULL,
    version       TEXT,
    files         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, rubric_id, fingerprint)
);
CREATE TABLE file (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES run(id),
    position      INTEGER NOT NULL,
    path          TEXT NOT NULL,
    subject       TEXT,
    period        TEXT,
    rubric_id     TEXT,
    fingerprint   TEXT,
    total         TEXT,
    max           TEXT,
    grade         TEXT,
    declared_total TEXT,
    error         TEXT
);
CREATE TABLE node (
    file_id       INTEGER NOT NULL REFERENCES file(id),
    position      INTEGER NOT NULL,
    node_id       TEXT NOT NULL,
    parent_id     TEXT,
    depth         INTEGER NOT NULL,
    title         TEXT NOT NULL,
    points        TEXT NOT NULL,
    score         TEXT,
    lost          TEXT,
    status        TEXT NOT NULL,
    method        TEXT,
    declared      TEXT,
    PRIMARY KEY (file_id, position)
);
CREATE INDEX file_by_run ON file(run_id);
CREATE INDEX file_by_subject ON file(subject, period);
CREATE INDEX node_by_id ON node(node_id);
";

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("not a selfeval results archive (its application_id is {0:#x}); choose another -o file")]
    Foreign(i32),
    #[error("written by a newer selfeval (schema {0}; this one knows {SCHEMA_VERSION})")]
    Newer(i32),
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// An open archive.
pub struct Archive {
    conn: Connection,
}

/// What is recorded of the command that made a run.
pub struct RunInfo<'a> {
    /// The DATA arguments as given.
    pub inputs: &'a [String],
}

/// One input's result as the archive keeps it, made by the worker that scored it (so that
/// the writer, which takes the results in input order, holds no evaluation).
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Scored(Box<ScoredEntry>),
    Failed { file: String, error: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoredEntry {
    pub file: String,
    pub subject: String,
    pub period: Option<String>,
    pub rubric: crate::engine::RubricInfo,
    pub total: Decimal,
    pub max: Decimal,
    pub grade: Option<String>,
    pub declared_total: Option<Decimal>,
    /// Depth first, in the rubric's order.
    pub nodes: Vec<NodeEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeEntry {
    pub id: String,
    pub parent: Option<String>,
    pub depth: usize,
    pub title: String,
    pub points: Decimal,
    pub score: Option<Decimal>,
    /// Points minus score; `None` for bonus and dropped nodes.
    pub lost: Option<Decimal>,
    pub status: &'static str,
    pub method: Option<&'static str>,
    pub declared: Option<Decimal>,
}

impl Entry {
    pub fn scored(e: &Evaluation) -> Entry {
        let declared = |id: &str| e.declared.iter().find(|(k, _)| k == id).map(|(_, v)| *v);
        let mut nodes = Vec::new();
        let mut stack: Vec<(&NodeResult, Option<&str>, usize)> = e.nodes.iter().rev().map(|n| (n, None, 1)).collect();
        while let Some((n, parent, depth)) = stack.pop() {
            nodes.push(NodeEntry {
                id: n.id.clone(),
                parent: parent.map(str::to_owned),
                depth,
                title: n.title.clone(),
                points: n.points,
                score: n.score,
                lost: if n.bonus { None } else { n.lost() },
                status: if n.bonus { "bonus" } else { n.status.name() },
                method: n.leaf.as_ref().map(|l| l.method.name()),
                declared: declared(&n.id),
            });
            stack.extend(n.children.iter().rev().map(|c| (c, Some(n.id.as_str()), depth + 1)));
        }
        Entry::Scored(Box::new(ScoredEntry {
            file: e.file.clone(),
            subject: e.subject.clone(),
            period: e.period.clone(),
            rubric: e.rubric.clone(),
            total: e.total,
            max: e.max,
            grade: e.grade.clone(),
            declared_total: declared("total"),
            nodes,
        }))
    }

    pub fn failed(file: &str, error: &str) -> Entry {
        Entry::Failed { file: file.to_owned(), error: error.to_owned() }
    }
}

impl Archive {
    /// Opens the archive at `path`, creating it (and its schema) when there is none. An SQLite
    /// file that is not an archive is refused, never altered.
    pub fn open(path: &Path) -> Result<Archive, ArchiveError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        // Another process appending at the same moment waits for this one's transaction.
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let app: i32 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if app == 0 && tables == 0 {
            tx.execute_batch(SCHEMA)?;
            tx.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
            ))?;
        } else if app != APPLICATION_ID {
            return Err(ArchiveError::Foreign(app));
        } else if version > SCHEMA_VERSION {
            return Err(ArchiveError::Newer(version));
        }
        tx.commit()?;
        Ok(Archive { conn })
    }

    /// Starts a run; nothing of it is in the archive until [`RunWriter::finish`].
    pub fn begin(&mut self, info: &RunInfo) -> Result<RunWriter<'_>, ArchiveError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let inputs = serde_json::to_string(info.inputs).unwrap_or_default();
        tx.execute(
            "INSERT INTO run (recorded_at, selfeval, inputs) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2)",
            params![env!("CARGO_PKG_VERSION"), inputs],
        )?;
        let run = tx.last_insert_rowid();
        Ok(RunWriter { tx, run, files: 0, scored: 0, failed: 0 })
    }
}

/// A run being written, in one transaction.
pub struct RunWriter<'a> {
    tx: Transaction<'a>,
    run: i64,
    files: i64,
    scored: i64,
    failed: i64,
}

impl RunWriter<'_> {
    /// Adds the next input's result (in input order).
    pub fn add(&mut self, entry: &Entry) -> Result<(), ArchiveError> {
        let position = self.files;
        self.files += 1;
        let e = match entry {
            Entry::Failed { file, error } => {
                self.failed += 1;
                self.tx
                    .prepare_cached("INSERT INTO file (run_id, position, path, error) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![self.run, position, file, error])?;
                return Ok(());
            }
            Entry::Scored(e) => e,
        };
        self.scored += 1;
        let r = &e.rubric;
        self.tx
            .prepare_cached(
                "INSERT INTO rubric (run_id, rubric_id, fingerprint, title, version, files) VALUES (?1, ?2, ?3, ?4, ?5, 1)
                 ON CONFLICT (run_id, rubric_id, fingerprint) DO UPDATE SET files = files + 1",
            )?
            .execute(params![self.run, r.id, r.fingerprint, r.title, r.version])?;
        self.tx
            .prepare_cached(
                "INSERT INTO file (run_id, position, path, subject, period, rubric_id, fingerprint, total, max, grade, declared_total)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                self.run,
                position,
                e.file,
                e.subject,
                e.period,
                r.id,
                r.fingerprint,
                display(e.total),
                display(e.max),
                e.grade,
                e.declared_total.map(display),
            ])?;
        let file = self.tx.last_insert_rowid();
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO node (file_id, position, node_id, parent_id, depth, title, points, score, lost, status, method, declared)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for (position, n) in e.nodes.iter().enumerate() {
            insert.execute(params![
                file,
                i64::try_from(position).unwrap_or(i64::MAX),
                n.id,
                n.parent,
                i64::try_from(n.depth).unwrap_or(i64::MAX),
                n.title,
                display(n.points),
                n.score.map(display),
                n.lost.map(display),
                n.status,
                n.method,
                n.declared.map(display),
            ])?;
        }
        Ok(())
    }

    /// Records the run's counts and commits it; returns the run's id.
    pub fn finish(self) -> Result<i64, ArchiveError> {
        self.tx.execute(
            "UPDATE run SET files = ?2, scored = ?3, failed = ?4 WHERE id = ?1",
            params![self.run, self.files, self.scored, self.failed],
        )?;
        self.tx.commit()?;
        Ok(self.run)
    }
}
