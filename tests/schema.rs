//! The committed JSON Schemas match the code, and every rubric and data file in the repository
//! validates against them (as the YAML language server would check them in an editor).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use selfeval::lang::Lang;
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
        let node = Source { name: f.display().to_string(), text }.parse(Lang::En).unwrap();
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

/// The schema's keyword lists are the loader's own (`keywords!` in src/schema.rs); its keys are
/// checked here the other way: every key the schema offers is one the loader reads, so an editor
/// completing from the schema never writes a key that `validate` then calls unknown. (Keys the
/// loader reads but the schema lacks fail `every_rubric_and_example_validates`, whose files use
/// every key.)
#[test]
fn every_key_the_schema_offers_is_read_by_the_loader() {
    let rubric: Value = serde_json::from_str(&schema(SchemaKind::Rubric)).unwrap();
    let data: Value = serde_json::from_str(&schema(SchemaKind::Data)).unwrap();
    let keys = |v: &Value| -> Vec<String> { v["properties"].as_object().unwrap().keys().cloned().collect() };
    let unknown = |diagnostics: String, key: &str| diagnostics.contains(&format!("unknown key `{key}`"));
    let base = "id: t\ntitle: t\nfields:\n  x: {type: number}\nsections:\n  - id: a\n    title: a\n    points: 10\n    method: manual\n";
    let mut checked = 0;
    // A node key belongs to a leaf, a branch or an indicator table: one of them must read it.
    let rows = base.replace("    method: manual\n", "    rows: out\n");
    let branch = base.replace(
        "    points: 10\n    method: manual\n",
        "    children:\n      - {id: b, title: b, points: 1, method: manual}\n",
    );
    for key in keys(&rubric["definitions"]["Node"]) {
        let read =
            [base, &rows, &branch].iter().any(|b| !unknown(load_rubric_text(&format!("{b}    {key}: 1\n")), &key));
        assert!(read, "node key `{key}`");
        checked += 1;
    }
    for key in keys(&rubric) {
        let text = format!("{key}: 1\n{base}");
        assert!(!unknown(load_rubric_text(&text), &key), "rubric key `{key}`");
        checked += 1;
    }
    for key in keys(&rubric["definitions"]["FieldDef"]) {
        let text = base.replace("x: {type: number}", &format!("x: {{type: number, {key}: 1}}"));
        assert!(!unknown(load_rubric_text(&text), &key), "field key `{key}`");
        checked += 1;
    }
    for key in keys(&data) {
        let text = format!("{key}: 1\nvalues: {{x: 1}}\n");
        let source = Source { name: "d.yaml".into(), text };
        let found = match selfeval::data::DataFile::load(&source, Lang::En) {
            Ok((_, w)) => w.to_string(),
            Err(e) => e.to_string(),
        };
        assert!(!unknown(found, &key), "data key `{key}`");
        checked += 1;
    }
    let report: Vec<String> = keys(&data["definitions"]["ReportBlock"]);
    let read: Vec<String> = selfeval::data::REPORT_KEYS.iter().map(|(k, _, _)| (*k).to_owned()).collect();
    assert_eq!(report, read, "the schema's `report:` keys are the loader's");
    checked += report.len();
    assert!(checked > 40, "checked only {checked} keys");
}

fn load_rubric_text(text: &str) -> String {
    let source = Source { name: "r.yaml".into(), text: text.to_owned() };
    match source.parse(Lang::En) {
        Ok(root) => match selfeval::rubric::load::load_tree("r.yaml", &root, Lang::En) {
            Ok((_, w)) => w.to_string(),
            Err(e) => e.to_string(),
        },
        Err(e) => e.to_string(),
    }
}
