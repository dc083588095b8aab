//! The YAML loader has two paths (src/yaml/): a fast one that builds the tree straight from
//! the parser's events for plain documents, and the full serde-saphyr parse for everything
//! else. Wherever the fast path answers, its tree must be the full parse's tree, node for node,
//! positions included. The built-in rubrics' events are recorded at build time and replayed:
//! a replay must give exactly the parser's events, and the tree of a parse. Simple block
//! documents (every data file) are read by a line scanner instead of the parser: wherever it
//! gives events, they must be the parser's, event for event.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use selfeval::lang::Lang;
use selfeval::rubric::builtin::BUILTIN;
use selfeval::yaml::Source;
use selfeval::yaml::events::{Event, live, record, replay};
use selfeval::yaml::lines;
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

/// Whether the line scanner reads `text`; where it does, its events are the parser's.
fn scanned_alike(text: &str) -> bool {
    let Some(scanned) = lines::events(text) else { return false };
    let parsed: Vec<_> = live(text).collect();
    assert_eq!(scanned, parsed, "the line scanner's events differ for {text:?}");
    true
}

fn agree(source: &Source) -> bool {
    scanned_alike(&source.text);
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
    let mut scanned = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let Ok(source) = Source::decode(&path.display().to_string(), bytes, Lang::En) else { continue };
        if scanned_alike(&source.text) {
            scanned.push(path.strip_prefix(root).unwrap().to_path_buf());
        }
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
    // The line scanner reads the forms a bureau receives in bulk (the batch examples, in the
    // shape of scripts/gen-data.py's); not the seed's data, for its block texts (`|-`).
    for data in ["examples/batch/unit-a.yaml", "examples/batch/unit-b.yaml", "examples/batch/unit-c.yaml"] {
        assert!(scanned.iter().any(|p| p == Path::new(data)), "the line scanner leaves {data}");
    }
    assert!(scanned.len() > 50, "the line scanner reads only {} files", scanned.len());
}

/// Texts in the shapes of scripts/gen-data.py (both rubrics), and other ordinary shapes, are
/// read by the line scanner, with the parser's events.
#[test]
fn line_scanner_reads_ordinary_data_files() {
    let cases = [
        "subject: 示例单位00000\nperiod: \"2024\"\nrubric: cast-dept-2021\nvalues:\n  budget:\n    initial: 2923.35\n    executed: 2770.37\n  kpi:\n    clarity: 不明确\n  major_violation: false\ndeclared:\n  total: 84.2\n",
        "values:\n  outputs:\n    - { name: 产出指标0, unit: \"处\", op: \">=\", target: 441, actual: 325.83, points: 15 }\n    - { name: 产出指标2, op: 定性, target: 达成, actual: 达成, points: 10 }\ndeclared:\n  total: 89.9\n",
        "# 2024 年自评\nsubject: 某单位  # 全称\n\nvalues:\n  a: [1, 2, 3]\n  b: {}\n  c: []\n  d: 'x'\n",
        "items:\n  - name: a\n    value: 1\n  - name: b\n    value: -2.5\nend: true",
        "- 1\n- x\n- {a: b}\n",
        "  indented: root\n  second: 2\n",
    ];
    for text in cases {
        assert!(scanned_alike(text), "the line scanner leaves {text:?}");
        assert!(agree(&Source { name: "t.yaml".into(), text: text.into() }), "{text:?}");
    }
}

/// What the line scanner leaves to the parser, however ordinary: it gives up rather than
/// guess, and the parser's events (or error) decide.
#[test]
fn line_scanner_leaves_the_rest_to_the_parser() {
    let cases = [
        "a:\n",
        "a: 1\r\nb: 2\r\n",
        "a:\tb\n",
        "a: x\n  continued\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: |\n  block\n",
        "a: \"esc\\tape\"\n",
        "a: 'it''s'\n",
        "a: 1:20\n",
        "a: x#y\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "a:\n- 1\n",
        "- - 1\n",
        "-\n  a: 1\n",
        "- \n",
        "a: [1,\n  2]\n",
        "a: {b: 1,}\n",
        "a: {b}\n",
        "a: {b:1}\n",
        "? a\n: b\n",
        "a: 1\n b: 2\n",
        "\u{feff}a: 1\n",
        "a: \u{85}\n",
        "a: b\u{2028}c\n",
    ];
    for text in cases {
        assert!(lines::events(text).is_none(), "the line scanner read {text:?}");
    }
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

/// A document of random block structure, written in random but ordinary ways, and lines of
/// YAML's punctuation: wherever the line scanner answers, the parser gives the same events.
mod scanner {
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    pub enum Tree {
        Scalar(String),
        /// Entries, whether written as a flow, and the indentation step.
        Map(Vec<(String, Tree)>, bool, usize),
        List(Vec<Tree>, bool, usize),
    }

    /// Scalars as data files write them, three times in four; the rest are what the scanner
    /// must leave to the parser or read exactly as it does.
    pub fn scalar() -> impl Strategy<Value = String> {
        let ordinary = prop::sample::select(vec![
            "1",
            "-0.5",
            "282.40",
            "x y",
            "中文 值",
            "\"q\"",
            "'s'",
            "\"\"",
            "true",
            "false",
            "达成",
            "0",
            "1590.53",
        ]);
        prop_oneof![3 => ordinary, 1 => odd_scalar()].prop_map(str::to_owned)
    }

    fn odd_scalar() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "~",
            "null",
            "a # c",
            "x  ",
            "达成预期指标",
            "95%",
            "1:20",
            "http://x",
            "a#b",
            "\u{a0}x",
            "x\u{3000}",
            "ünï",
            "-x",
            "-5",
            "a, b",
            "a]",
            "[x",
            "{x",
            "a: b",
            "'it''s'",
            "\"t\\tab\"",
            "@x",
            "`x",
            "!x",
            "&a x",
            "*a",
            "|",
            ">",
            "",
            "#c",
            "- y",
            "x ]",
            "a:b",
            "\"k\": v",
            "0x1F",
            "1e3",
            "010",
            "+1",
            ".inf",
            "True",
        ])
    }

    pub fn key() -> impl Strategy<Value = String> {
        let ordinary = prop::sample::select(vec!["a", "b", "c", "键", "k 1", "\"q\"", "'s'", "a b", "x_y", "budget"]);
        let odd = prop::sample::select(vec![
            "x-y",
            "1",
            "-1",
            "a#b",
            "a:b",
            "~",
            "<<",
            "? a",
            "&x a",
            "\"e\\\"\"",
            "a ",
            " a",
            "[a]",
            "{a}",
            "-",
            "a,b",
        ]);
        prop_oneof![3 => ordinary, 1 => odd].prop_map(str::to_owned)
    }

    pub fn tree() -> impl Strategy<Value = Tree> {
        scalar().prop_map(Tree::Scalar).prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                (prop::collection::vec((key(), inner.clone()), 0..5), any::<bool>(), 1..5usize)
                    .prop_map(|(e, f, s)| Tree::Map(e, f, s)),
                (prop::collection::vec(inner, 0..5), any::<bool>(), 1..5usize)
                    .prop_map(|(e, f, s)| Tree::List(e, f, s)),
            ]
        })
    }

    fn flow(tree: &Tree, out: &mut String) {
        match tree {
            Tree::Scalar(s) => out.push_str(s),
            Tree::Map(entries, ..) => {
                out.push_str("{ ");
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push_str(": ");
                    flow(v, out);
                }
                out.push_str(" }");
            }
            Tree::List(items, ..) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    flow(v, out);
                }
                out.push(']');
            }
        }
    }

    /// `tree` as the value after a key or `-` (the line's text so far is in `out`), its
    /// block lines at `indent`.
    fn value(tree: &Tree, indent: usize, out: &mut String, extra: &str) {
        match tree {
            Tree::Map(e, false, step) if !e.is_empty() => {
                out.push_str(extra);
                out.push('\n');
                block(tree, indent + step, out);
            }
            Tree::List(e, false, step) if !e.is_empty() => {
                out.push_str(extra);
                out.push('\n');
                block(tree, indent + step, out);
            }
            _ => {
                out.push(' ');
                flow(tree, out);
                out.push_str(extra);
                out.push('\n');
            }
        }
    }

    pub fn block(tree: &Tree, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match tree {
            Tree::Map(entries, ..) => {
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i % 3 == 2 {
                        out.push_str(&pad);
                        out.push_str("# 注释\n\n");
                    }
                    out.push_str(&pad);
                    out.push_str(k);
                    out.push(':');
                    value(v, indent, out, if i % 2 == 1 { "  # c" } else { "" });
                }
            }
            Tree::List(items, ..) => {
                for item in items {
                    out.push_str(&pad);
                    out.push('-');
                    match item {
                        // A map's first key on the `-` line, the others under it.
                        Tree::Map(entries, false, _) if !entries.is_empty() => {
                            out.push(' ');
                            let mut inner = String::new();
                            block(item, indent + 2, &mut inner);
                            out.push_str(inner.trim_start());
                        }
                        _ => value(item, indent, out, ""),
                    }
                }
            }
            Tree::Scalar(s) => {
                out.push_str(s);
                out.push('\n');
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn line_scanner_gives_the_parsers_events(tree in scanner::tree(), cut in any::<bool>(), edit in (any::<prop::sample::Index>(), prop::sample::select(vec!["", " ", "  ", "\n", "#", ":", "-", "'", "\"", "\n  ", "\n- ", "{", "]", ",", "\t", "中"]))) {
        let mut text = String::new();
        scanner::block(&tree, 0, &mut text);
        if cut {
            text.pop();
        }
        scanned_alike(&text);
        // One slip somewhere: a space, a line break, a quote, an indicator.
        let (at, what) = edit;
        let mut at = at.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, what);
        scanned_alike(&text);
    }

    #[test]
    fn line_scanner_never_disagrees_on_punctuation(text in "([a-z]{1,3}|[0-9]{1,3}|[ :.\\-+\\[\\]{},'\"#%&*!|>~?_]|\n  ?|\n- |\n  - |预算|: |\u{a0}|\u{3000}){0,30}") {
        scanned_alike(&text);
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

/// The generated documents are not all left to the parser: a good share are read by the
/// line scanner, so the comparison above compares something.
#[test]
fn the_generator_makes_documents_the_line_scanner_reads() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut read = 0;
    for _ in 0..1000 {
        let tree = scanner::tree().new_tree(&mut runner).unwrap().current();
        let mut text = String::new();
        scanner::block(&tree, 0, &mut text);
        read += usize::from(scanned_alike(&text));
    }
    assert!(read > 200, "the line scanner read {read} of 1000 generated documents");
}
