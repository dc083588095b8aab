//! The YAML loader has two paths (src/yaml/): a fast one that builds the tree straight from
//! the parser's events for plain documents, and the full serde-saphyr parse for everything
//! else. Wherever the fast path answers, its tree must be the full parse's tree, node for node,
//! positions included. The built-in rubrics' events are recorded at build time and replayed:
//! a replay must give exactly the parser's events, and the tree of a parse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use selfeval::lang::Lang;
use selfeval::rubric::builtin::BUILTIN;
use selfeval::yaml::Source;
use selfeval::yaml::events::{Event, live, record, replay};
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn agree(source: &Source) -> bool {
    let Some(fast) = source.parse_fast() else { return false };
    match source.parse_full(Lang::En) {
        Ok(full) => assert_eq!(fast, full, "{}: the fast path's tree differs", source.name),
        Err(e) => panic!("{}: fast path accepted what the full parse refuses: {}", source.name, e.message),
    }
    true
}

#[test]
fn fast_path_equals_full_parse_on_every_repository_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["rubrics", "examples", "tests"] {
        yaml_files(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() > 100, "only {} YAML files found", files.len());
    let mut left = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let Ok(source) = Source::decode(&path.display().to_string(), bytes, Lang::En) else { continue };
        if !agree(&source) && !path.starts_with(root.join("tests/corpus")) {
            left.push(path.strip_prefix(root).unwrap().display().to_string());
        }
    }
    // The seed's rubric (every one-file run of the seed parses it) takes the fast path; the
    // rubrics with anchors (mof-project-2020) leave it.
    let seed = Source::decode("r", std::fs::read(root.join("rubrics/cast-dept-2021.yaml")).unwrap(), Lang::En).unwrap();
    assert!(seed.parse_fast().is_some(), "the seed's rubric leaves the fast path");
    // Only rubrics with anchors (`&name` … `*name`) leave it; every data file takes it.
    assert!(left.iter().all(|p| p.ends_with("rubric.yaml") || p.starts_with("rubrics/")), "{left:?}");
}

#[test]
fn fast_path_leaves_doubtful_documents_to_the_full_parse() {
    let cases = [
        "a: 1e3\n",
        "a: 0x1F\n",
        "a: 010\n",
        "a: 1_000\n",
        "a: .inf\n",
        "a: +1\n",
        "a: True\n",
        "a: NULL\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "<<: {b: 1}\n",
        "a: 1\na: 2\n",
        "1: a\n",
        "? [a]\n: b\n",
        "--- 1\n--- 2\n",
        "a: [1, 2\n",
        "a: 123456789012345678901234567890\n",
        "a: 1:20\n",
        "a: 12 items\n",
    ];
    for text in cases {
        let source = Source { name: "t.yaml".into(), text: text.into() };
        assert!(source.parse_fast().is_none(), "fast path took {text:?}");
    }
}

#[test]
fn fast_path_agrees_on_ordinary_spellings() {
    let cases = [
        "a: 282.40\nb: -0.5\nc: 0\nd: 0.25\ne: 100\n",
        "a: yes\nb: no\nc: on\nd: \"true\"\ne: 'x'\nf: ~\ng:\nh: null\ni: true\nj: false\n",
        "a: |\n  line one\n  line two\nb: >\n  folded\n  text\n",
        "a: \"esc\\tape\"\nb: 'it''s'\nc: \"预算 执行率\"\n",
        "list:\n  - {id: x, v: 1}\n  - [1, 2, three]\n  -\n  - - nested\n",
        "formula: rate * 100 / target\nmulti: a plain\n  scalar over lines\n",
        "\u{feff}a: 1\r\nb: 2\r\n",
        "# a comment, then\n---\na: 1\n",
        "a: 95%\nb: 2020年\nc: -\u{4e00}\nd: １２３\ne: 1.5％\n",
        "? |\n  block key\n: 1\n",
        "'quoted key': 1\n\"<<\": 2\n",
        "empty_map: {}\nempty_list: []\n",
    ];
    for text in cases {
        let source = Source { name: "t.yaml".into(), text: text.trim_start_matches('\u{feff}').into() };
        assert!(agree(&source), "fast path left {text:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Random short texts of YAML's punctuation, digits and words: wherever the fast path
    /// answers, the full parse gives the same tree.
    #[test]
    fn fast_path_never_disagrees(text in "([a-z]{1,3}|[0-9]{1,3}|[ :.\\-+\\[\\]{},'\"#%&*!|>~?_]|\n  ?|\n- |预算|e|0x){0,24}") {
        let source = Source { name: "t.yaml".into(), text };
        agree(&source);
        // A recording replays the very events of the parse, errors (as `Other`) included.
        let recording = record(&source.text);
        prop_assert_eq!(replay(&recording, &source.text).collect::<Vec<_>>(), live(&source.text).collect::<Vec<_>>());
        prop_assert_eq!(source.parse_recorded(&recording, Lang::En).map_err(|e| e.message), source.parse(Lang::En).map_err(|e| e.message));
    }
}

#[test]
fn both_paths_draw_the_node_limit_alike() {
    let limit = selfeval::yaml::MAX_NODES;
    for items in [limit - 2, limit + 2] {
        let text = format!("[{}]\n", vec!["1"; items].join(", "));
        let source = Source { name: "t.yaml".into(), text };
        match source.parse_fast() {
            Some(fast) => assert_eq!(Ok(fast), source.parse_full(Lang::En).map_err(|e| e.message), "{items} items"),
            None => assert!(items > limit - 2, "the fast path left a list of {items} items"),
        }
    }
}

/// The recordings compiled into the binary are of the very texts compiled beside them, and
/// are used: every built-in rubric replays the parser's events without an `Other`, and its
/// tree is the full parse's.
#[test]
fn built_in_rubrics_replay_their_recorded_events() {
    assert_eq!(BUILTIN.len(), 5);
    for builtin in BUILTIN {
        let replayed: Vec<_> = replay(builtin.events, builtin.text).collect();
        assert_eq!(replayed, live(builtin.text).collect::<Vec<_>>(), "{}", builtin.id);
        let source = Source { name: builtin.id.into(), text: builtin.text.into() };
        match source.parse_fast() {
            Some(_) => assert!(replayed.iter().all(|e| e.event != Event::Other), "{}", builtin.id),
            None => assert!(replayed.iter().any(|e| e.event == Event::Other), "{}", builtin.id),
        }
        let full = source.parse_full(Lang::En).map_err(|e| e.message);
        assert_eq!(source.parse_recorded(builtin.events, Lang::En).map_err(|e| e.message), full, "{}", builtin.id);
    }
}

/// A recording of another text, or a damaged one, is not trusted: the text is parsed.
#[test]
fn a_recording_that_does_not_fit_is_parsed_instead() {
    let source = Source { name: "t.yaml".into(), text: "a: 1\nb: [x, \"y\"]\n".into() };
    let parsed = source.parse(Lang::En).unwrap();
    let own = record(&source.text);
    let other = record("a: 2\nb: [x, \"y\"]\n"); // same length, other value
    assert_eq!(source.parse_recorded(&own, Lang::En).unwrap(), parsed);
    assert_eq!(source.parse_recorded(&other, Lang::En).unwrap(), parsed);
    assert!(replay(&other, &source.text).all(|e| e.event == Event::Other));
    let longer = record("a: 10\nb: [x, \"y\"]\n");
    assert_eq!(source.parse_recorded(&longer, Lang::En).unwrap(), parsed);
    for cut in 0..own.len() {
        let damaged = &own[..cut];
        assert_eq!(source.parse_recorded(damaged, Lang::En).unwrap(), parsed, "cut at {cut}");
    }
    let mut flipped = own.clone();
    for i in 0..flipped.len() {
        flipped[i] ^= 0x80;
        // Whatever a flipped byte does, it gives a tree or an error, never a panic.
        let _ = source.parse_recorded(&flipped, Lang::En);
        flipped[i] ^= 0x80;
    }
}
