//! The built-in rubric library and the reproduced published evaluations (examples/published,
//! whose README and file headers work every number out by hand from the published tables).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::cargo::cargo_bin_cmd;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("selfeval").env("LANG", "C").env_remove("LC_ALL").args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn total(path: &str) -> String {
    let (code, out, err) = run(&["score", path, "--format", "json"]);
    assert_eq!(code, 0, "{path}: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["total"].to_string()
}

#[test]
fn builtin_library_lists_five_rubrics() {
    let (code, out, _) = run(&["rubrics"]);
    assert_eq!(code, 0);
    for id in ["cast-dept-2021", "mof-project-2020", "dept-overall-gd", "dept-overall-hunan", "dept-overall-sichuan"] {
        assert!(out.contains(id), "{id} missing:\n{out}");
    }
}

#[test]
fn every_builtin_rubric_and_example_validates_without_warnings() {
    for (rubric, data) in [
        ("cast-dept-2021", "examples/conghua-cast-2021/data.yaml"),
        ("mof-project-2020", "examples/mof-project-2020/data.yaml"),
        ("dept-overall-gd", "examples/dept-overall-gd/data.yaml"),
        ("dept-overall-hunan", "examples/dept-overall-hunan/data.yaml"),
        ("dept-overall-sichuan", "examples/dept-overall-sichuan/data.yaml"),
        ("mof-project-2020", "examples/published/langfang-2019/data.yaml"),
    ] {
        let (code, _, err) = run(&["validate", rubric, "--data", data]);
        assert_eq!(code, 0, "{rubric} / {data}: {err}");
        assert_eq!(err, "validate ok: 0 error(s), 0 warning(s)\n", "{rubric} / {data}");
    }
}

#[test]
fn builtin_examples_score_as_worked_by_hand() {
    assert_eq!(total("examples/mof-project-2020/data.yaml"), "95.1");
    assert_eq!(total("examples/dept-overall-gd/data.yaml"), "87.4");
    assert_eq!(total("examples/dept-overall-hunan/data.yaml"), "78");
    assert_eq!(total("examples/dept-overall-sichuan/data.yaml"), "86.2");
}

/// (case, computed total, `check` exit code): exit 1 only where the published table is itself
/// inconsistent, as each data file's header explains.
const PUBLISHED: &[(&str, &str, i32)] = &[
    ("changjiang-fishing-2020", "100", 0),
    ("chongqing-2021", "97.1", 1),
    ("fuwumaoyi-2020", "120", 1),
    ("genga-2021", "100", 0),
    ("hunan-2018", "16", 0),
    ("langfang-2019", "97.2", 1),
    ("sichuan-2017", "90", 0),
    ("tanghu-2020", "100", 0),
    ("tangxi-2022", "80", 0),
    ("tianchang-2022", "100", 0),
    ("yongde-2022", "99.8", 1),
    ("zhongjiang-2022", "110", 1),
];

/// The cases whose computed total agrees with a published total (not only with visible rows).
const AGREE_WITH_PUBLISHED_TOTAL: &[&str] =
    &["changjiang-fishing-2020", "genga-2021", "sichuan-2017", "tanghu-2020", "tianchang-2022"];

#[test]
fn published_evaluations_reproduce_or_report_their_discrepancy() {
    for (case, expected, check_code) in PUBLISHED {
        let path = format!("examples/published/{case}/data.yaml");
        assert_eq!(&total(&path), expected, "{case}");
        let (code, out, err) = run(&["check", &path]);
        assert_eq!(code, *check_code, "{case}: {out}{err}");
        let header = std::fs::read_to_string(&path).unwrap();
        assert!(
            header.contains("http") || header.contains("天长市") || header.contains("索引号"),
            "{case} names its source"
        );
        assert!(header.contains("declared:"), "{case} declares the published scores");
    }
    assert!(PUBLISHED.iter().filter(|c| c.2 == 0).count() >= 5);
    for case in AGREE_WITH_PUBLISHED_TOTAL {
        let text = std::fs::read_to_string(format!("examples/published/{case}/data.yaml")).unwrap();
        let declared = &text[text.find("\ndeclared:").unwrap()..];
        assert!(declared.contains("total:"), "{case} declares a published total");
        assert!(PUBLISHED.iter().any(|c| c.0 == *case && c.2 == 0), "{case} agrees");
    }
}

#[test]
fn chongqing_discrepancy_is_the_procurement_row() {
    // 政府采购执行率 72.74 % against 100 %: the form's own rule gives 2 × 72.74 / 100 = 1.4548 →
    // 1.45, the unit printed 2; the total is 97.1, not the published 97.6.
    let (_, out, _) = run(&["check", "examples/published/chongqing-2021/data.yaml"]);
    assert!(out.contains("97.6") && out.contains("97.1"), "{out}");
    assert!(out.contains("1.45"), "{out}");
}

/// Issue 15: rows re-entered as printed (定性 texts that print their target, "20万元", "≧", a
/// rate taken from the budget columns) score as the retyped rows did; the tables whose parts
/// do not give their printed 总分 are reported as 表内不平衡, and only there.
#[test]
fn issue15_rows_entered_as_printed_score_as_before_and_imbalances_are_found() {
    let rows = |case: &str| -> serde_json::Value {
        let (code, out, err) = run(&["breakdown", &format!("examples/published/{case}/data.yaml"), "--format", "json"]);
        assert_eq!(code, 0, "{case}: {err}");
        serde_json::from_str(&out).unwrap()
    };
    let score = |v: &serde_json::Value, id: &str| -> String {
        fn find<'a>(nodes: &'a [serde_json::Value], id: &str) -> Option<&'a serde_json::Value> {
            nodes.iter().find_map(|n| {
                if n["id"] == id { Some(n) } else { find(n["children"].as_array().map_or(&[][..], |c| c), id) }
            })
        }
        find(v["nodes"].as_array().unwrap(), id).map(|n| n["score"].to_string()).unwrap_or_default()
    };
    let tanghu = rows("tanghu-2020");
    assert_eq!(
        [score(&tanghu, "outcome.1"), score(&tanghu, "outcome.2"), score(&tanghu, "satisfaction.1")],
        ["10", "10", "20"]
    );
    let yongde = rows("yongde-2022");
    assert_eq!([score(&yongde, "outcome.1"), score(&yongde, "output.1")], ["10", "10"]);
    let zhongjiang = rows("zhongjiang-2022");
    assert_eq!([score(&zhongjiang, "output.6"), score(&zhongjiang, "outcome.2")], ["10", "10"]);
    let fuwumaoyi = rows("fuwumaoyi-2020");
    assert_eq!(score(&fuwumaoyi, "output.5"), "10");
    for (case, imbalances) in [("fuwumaoyi-2020", 1), ("zhongjiang-2022", 1), ("yongde-2022", 0), ("chongqing-2021", 0)]
    {
        let (_, out, _) = run(&["check", &format!("examples/published/{case}/data.yaml"), "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["imbalances"].as_array().unwrap().len(), imbalances, "{case}: {out}");
    }
    let (_, out, _) = run(&["check", "examples/published/fuwumaoyi-2020/data.yaml"]);
    assert!(out.contains("declared parts add up to 120, declared total 100"), "{out}");
}
