//! The committed JSON Schemas match the code, and every rubric and data file in the repository
//! validates against them (as the YAML language server would check them in an editor).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use selfeval::schema::{Kind as SchemaKind, schema};
use selfeval::yaml::{Kind, Node, Source};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[test]
fn committed_schemas_do_not_drift() {
    for (kind, path) in
        [(SchemaKind::Rubric, "schemas/rubric.schema.json"), (SchemaKind::Data, "schemas/data.schema.json")]
    {
        let committed = std::fs::read_to_string(path).unwrap();
        assert_eq!(committed, schema(kind), "{path} is stale: run `selfeval schema … > {path}`");
    }
}

/// The YAML tree as JSON, numbers with their exact digits.
fn json(node: &Node) -> Value {
    match &node.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b, _) => Value::Bool(*b),
        Kind::Number(raw) => raw.parse::<serde_json::Number>().map(Value::Number).unwrap_or(Value::String(raw.clone())),
        Kind::Str(s) => Value::String(s.clone()),
        Kind::Seq(items) => Value::Array(items.iter().map(json).collect()),
        Kind::Map(entries) => Value::Object(entries.iter().map(|(k, v)| (k.name.clone(), json(v))).collect()),
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

#[test]
fn every_rubric_and_example_validates() {
    let rubric = jsonschema::validator_for(&serde_json::from_str(&schema(SchemaKind::Rubric)).unwrap()).unwrap();
    let data = jsonschema::validator_for(&serde_json::from_str(&schema(SchemaKind::Data)).unwrap()).unwrap();
    let mut files = Vec::new();
    yaml_files(Path::new("rubrics"), &mut files);
    yaml_files(Path::new("examples"), &mut files);
    assert!(files.len() >= 20, "found only {} files", files.len());
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let header = text.lines().next().unwrap_or("");
        let is_rubric = header.contains("rubric.schema.json");
        assert!(header.starts_with("# yaml-language-server: $schema="), "{} lacks the schema line", f.display());
        let node = Source { name: f.display().to_string(), text }.parse().unwrap();
        let instance = json(&node);
        let validator = if is_rubric { &rubric } else { &data };
        for error in validator.iter_errors(&instance) {
            problems.push(format!("{}: {} at {}", f.display(), error, error.instance_path()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_schemas_reject_what_the_loader_rejects() {
    let rubric = jsonschema::validator_for(&serde_json::from_str(&schema(SchemaKind::Rubric)).unwrap()).unwrap();
    let bad = serde_json::json!({ "id": "x", "title": "t", "sections": [{ "id": "a", "title": "A", "poinst": 5 }] });
    assert!(!rubric.is_valid(&bad), "unknown key");
    let bad = serde_json::json!({ "id": "x", "title": "t", "rounding": "up", "sections": [] });
    assert!(!rubric.is_valid(&bad), "unknown rounding mode");
    let good = serde_json::json!({ "id": "x", "title": "t", "sections": [{ "id": "a", "title": "A", "points": 5, "method": "manual" }] });
    assert!(rubric.is_valid(&good));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = assert_cmd::cargo::cargo_bin_cmd!("selfeval").args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        assert!(String::from_utf8(out.stdout).unwrap().contains("selfeval"), "{shell}");
    }
    let out = assert_cmd::cargo::cargo_bin_cmd!("selfeval").arg("man").output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH selfeval 1") && page.contains("score"), "{page}");
}
