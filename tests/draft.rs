//! `selfeval draft` end to end (issue 17): published tables in every format read into a rubric
//! the real loader takes, the built-ins' 评分表 (`show --format csv|xlsx`) read back into the
//! same tree, and every bad table a located error with exit 1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::cargo::cargo_bin_cmd;
use selfeval::lang::Lang;
use selfeval::rubric::{Node, NodeKind, Rubric};

mod common;
use common::Dir;

/// Runs selfeval in English; (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("selfeval").env_remove("LC_ALL").env("LANG", "en_US.UTF-8").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn load(path: &str) -> Rubric {
    let loaded = selfeval::input::load_rubric(path, Lang::En).map_err(|(d, _)| d).unwrap();
    (*loaded.rubric).clone()
}

/// Drafts `table` into `dir/name.yaml`; the summary's JSON.
fn draft_json(dir: &Dir, table: &str, name: &str) -> (String, serde_json::Value) {
    let out = dir.path(&format!("{name}.yaml"));
    let (code, stdout, stderr) = run(&["draft", table, "--format", "json", "-o", &out]);
    assert_eq!(code, 0, "{table}: {stderr}");
    (out, serde_json::from_str(&stdout).unwrap())
}

/// The tree as (depth, title, points), a rows branch counting as a leaf (the 评分表 has no rows).
fn shape(nodes: &[Node], depth: usize, out: &mut Vec<(usize, String, String)>) {
    for n in nodes {
        out.push((depth, n.title.clone(), n.points.normalize().to_string()));
        if let NodeKind::Branch(children) = &n.kind {
            shape(children, depth + 1, out);
        }
    }
}

fn tree(r: &Rubric) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    shape(&r.sections, 0, &mut out);
    out
}

/// Item 4: every built-in's 评分表, as CSV and as a workbook, drafts back into the same tree
/// with the same titles and points; how many standards become methods is what docs/draft.md
/// reports (drafted, manual).
#[test]
fn every_builtin_round_trips_through_its_scoring_table() {
    let dir = Dir::new();
    let expected = [
        ("cast-dept-2021", 28, 3),
        ("dept-overall-gd", 14, 3),
        ("dept-overall-hunan", 19, 1),
        ("dept-overall-sichuan", 26, 2),
        ("mof-project-2020", 1, 3),
    ];
    let ids: Vec<&str> = selfeval::rubric::builtin::ids().collect();
    assert_eq!(ids.len(), expected.len(), "a built-in without a figure here");
    for (id, drafted, manual) in expected {
        let original = load(id);
        let csv = dir.path(&format!("{id}.csv"));
        let (code, _, stderr) = run(&["show", id, "--format", "csv", "-o", &csv]);
        assert_eq!(code, 0, "{stderr}");
        let xlsx = dir.path(&format!("{id}.xlsx"));
        let (code, _, stderr) = run(&["show", id, "--format", "xlsx", "-o", &xlsx]);
        assert_eq!(code, 0, "{stderr}");
        for table in [&csv, &xlsx] {
            let (out, summary) = draft_json(&dir, table, &format!("{id}-{}", table.len()));
            let back = load(&out);
            assert_eq!(tree(&back), tree(&original), "{table}");
            assert_eq!(back.max, original.max);
            assert_eq!(summary["drafted"], drafted, "{table}: {summary:#}");
            assert_eq!(summary["manual"].as_array().unwrap().len(), manual, "{table}: {summary:#}");
            assert_eq!(summary["points_mismatches"], serde_json::json!([]), "{table}");
        }
    }
}

/// The standards go back as written, each drafted method names its phrasing, a manual leaf
/// carries a TODO.
#[test]
fn the_draft_keeps_each_standard_and_says_how_it_was_read() {
    let dir = Dir::new();
    let csv = dir.path("cast.csv");
    run(&["show", "cast-dept-2021", "--format", "csv", "-o", &csv]);
    let (out, _) = draft_json(&dir, &csv, "cast");
    let back = load(&out);
    let original = load("cast-dept-2021");
    let standards = |r: &Rubric| r.nodes().iter().map(|n| n.standard.clone()).collect::<Vec<_>>();
    assert_eq!(standards(&back), standards(&original));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().filter(|l| l.trim_start().starts_with("# TODO")).count(), 3);
    assert_eq!(text.matches("method: manual").count(), 3);
    assert_eq!(text.matches("# read as ").count(), 28, "{text}");
}

/// Titles and standards that would break a hand-written YAML file (quotes, `#`, `: `, line
/// breaks, a leading `-`, a formula) go through `show --format csv` (which puts `'` before a
/// formula) and `draft` (which takes it off) unchanged, and `--id`/`--title` are quoted too.
#[test]
fn hostile_titles_survive_the_round_trip() {
    let dir = Dir::new();
    let titles = [
        "He said \"yes\"",
        "a # not a comment",
        "key: value",
        "two\nlines",
        "- a list?",
        "=cmd|' /C calc'!A0",
        "+1",
        "@SUM(A1)",
        "'quoted'",
        "tab\there",
        "[flow]",
        "{map}",
        "&anchor *alias",
        "!tag",
        "%YAML",
        "null",
        "~",
        "\\back\\slash",
        "… 中文：标题",
    ];
    let mut yaml = String::from("id: hostile\ntitle: hostile\nsections:\n");
    for (i, t) in titles.iter().enumerate() {
        let quoted = serde_json::to_string(t).unwrap();
        yaml.push_str(&format!("  - {{ id: n{i}, title: {quoted}, points: 1, method: manual, standard: {quoted} }}\n"));
    }
    let rubric = dir.write("hostile.yaml", &yaml);
    let csv = dir.path("hostile.csv");
    let (code, _, stderr) = run(&["show", &rubric, "--format", "csv", "-o", &csv]);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(&csv).unwrap().contains("'=cmd"), "the CSV writer makes formulas inert");
    let out = dir.path("back.yaml");
    let title = "My \"title\" # x: y\n- z";
    let (code, _, stderr) = run(&["draft", &csv, "-o", &out, "--id", "id: #1", "--title", title]);
    assert_eq!(code, 0, "{stderr}");
    let back = load(&out);
    let got: Vec<&str> = back.sections.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(got, titles);
    let standards: Vec<&str> = back.sections.iter().map(|n| n.standard.as_deref().unwrap()).collect();
    assert_eq!(standards, titles);
    assert_eq!(back.id, "id: #1");
    assert_eq!(back.title, title);
}

const TABLE: &str = "\u{feff}某区部门整体支出绩效评价指标体系\r\n\
一级指标,二级指标,三级指标,分值,指标解释,评分标准,自评得分\r\n\
投入,预算配置,在职人员控制率,8,在职人员数÷编制数,\"在职人员控制率≤100%，计8分；每超过一个百分点扣0.5分，扣完为止。\",8\r\n\
,,“三公经费”变动率,8,,“三公经费”变动率≤0，计8分；“三公经费”变动率>0，每超过一个百分点扣0.8分，扣完为止。,0\r\n\
过程,预算执行,预算完成率,8,,100%计满分，每低于5%扣2分，扣完为止。,8\r\n\
,,支付进度,3,,由评审组综合评定,3\r\n\
合计,,,27,,,19\r\n";

/// A table as bureaus publish it: a title line above the header, blank (merged) upper cells
/// carried down, extra columns ignored, a totals line skipped.
#[test]
fn a_published_table_with_merged_cells() {
    let dir = Dir::new();
    let table = dir.write("表.csv", TABLE);
    let out = dir.path("r.yaml");
    let (code, stdout, stderr) = run(&["draft", &table, "-o", &out]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.starts_with("read 4 lines, 4 leaf indicators: 3 drafted as methods, 1 left manual.\n"), "{stderr}");
    assert!(stderr.contains(&format!("{table}:6:3 a2_b1_c2 支付进度: 由评审组综合评定")), "{stderr}");
    let r = load(&out);
    assert_eq!(
        tree(&r),
        [
            (0, "投入".into(), "16".into()),
            (1, "预算配置".into(), "16".into()),
            (2, "在职人员控制率".into(), "8".into()),
            (2, "“三公经费”变动率".into(), "8".into()),
            (0, "过程".into(), "11".into()),
            (1, "预算执行".into(), "11".into()),
            (2, "预算完成率".into(), "8".into()),
            (2, "支付进度".into(), "3".into()),
        ]
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("# explanation (指标解释): 在职人员数÷编制数"), "{text}");
    assert!(text.contains("count: \"max(0, a1_b1_c1.value - 100)\""), "{text}");
}

/// The same table as a markdown table and as a workbook (written here with rust_xlsxwriter,
/// points in a 权重 column as percent cells).
#[test]
fn markdown_and_workbook_tables() {
    let dir = Dir::new();
    let md = dir.write(
        "t.md",
        "# 评分表\n\n| 一级指标 | 三级指标 | 权重 | 评分标准 |\n|---|---|--:|---|\n| 产出 | 完成率 | 10% | 得分=完成率×分值，满分为止 |\n| | 质量 \\| 合格 | 5% | 好得满分；较好得80%；一般得60%；差不得分 |\n",
    );
    let (md_out, summary) = draft_json(&dir, &md, "md");
    assert_eq!(summary["drafted"], 2, "{summary:#}");
    let r = load(&md_out);
    assert_eq!(
        tree(&r),
        [(0, "产出".into(), "15".into()), (1, "完成率".into(), "10".into()), (1, "质量 | 合格".into(), "5".into())]
    );

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("指标").unwrap();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0%");
    for (col, h) in ["一级指标", "三级指标", "权重", "评分标准"].iter().enumerate() {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "产出").unwrap();
    ws.write_string(1, 1, "完成率").unwrap();
    ws.write_number_with_format(1, 2, 0.1, &percent).unwrap();
    ws.write_string(1, 3, "得分=完成率×分值，满分为止").unwrap();
    ws.write_string(2, 1, "质量").unwrap();
    ws.write_number(2, 2, 5).unwrap();
    ws.write_string(2, 3, "好得满分；较好得80%；一般得60%；差不得分").unwrap();
    let xlsx = dir.write("t.xlsx", wb.save_to_buffer().unwrap());
    let (xlsx_out, summary) = draft_json(&dir, &xlsx, "xlsx");
    assert_eq!(summary["drafted"], 2);
    assert_eq!(summary["sheet"], "指标");
    assert_eq!(tree(&load(&xlsx_out))[0], (0, "产出".into(), "15".into()));
}

/// A branch whose printed points are not its children's sum takes the sum (so the rubric
/// validates and scores as the rows say); the printed figure stays in a comment and the
/// mismatch is reported.
#[test]
fn points_that_do_not_add_up_take_the_sum() {
    let dir = Dir::new();
    let table = dir
        .write("t.csv", "一级指标,二级指标,分值,评分标准\n投入,,20,\n投入,甲,8,执行率×分值\n投入,乙,8,执行率×分值\n");
    let out = dir.path("r.yaml");
    let (code, _, stderr) = run(&["draft", &table, "-o", &out]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{table}:2:1: warning: a1 “投入” prints 20 points but its children add up to 16; the draft takes the sum"
        )),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("# the table prints 20 points; its children add up to 16"), "{text}");
    assert_eq!(load(&out).max.to_string(), "16");
    let (_, summary) = draft_json(&dir, &table, "json");
    assert_eq!(summary["points_mismatches"][0]["printed"], 20);
    assert_eq!(summary["points_mismatches"][0]["sum"], 16);
}

/// Each bad table is an error at its place, exit 1, and nothing is written.
#[test]
fn bad_tables_are_located_errors() {
    let dir = Dir::new();
    let gbk: &[u8] = b"\xd2\xbb\xbc\xb6\xd6\xb8\xb1\xea,\xb7\xd6\xd6\xb5\n";
    for (name, bytes, expected) in [
        ("empty.csv", b"".as_slice(), "empty.csv:1:1: error: the table is empty"),
        ("blank.csv", b"\xef\xbb\xbf\r\n  \n".as_slice(), "blank.csv:1:1: error: the table is empty"),
        (
            "noheader.csv",
            "名称,数值\n甲,1\n".as_bytes(),
            "noheader.csv:1:1: error: no recognisable header: none of the first 30 lines names an indicator column",
        ),
        (
            "twice.csv",
            "一级指标,二级指标,分值\n甲,乙,1\n丙,乙,1\n甲,乙,2\n".as_bytes(),
            "twice.csv:4:3: error: the indicator “乙” appears twice under the same parent (first at line 2)",
        ),
        (
            "points.csv",
            "一级指标,分值\n甲,十分\n".as_bytes(),
            "points.csv:2:3: error: 分值 `十分` is not a number of points",
        ),
        (
            "nopoints.csv",
            "一级指标,分值\n甲,\n".as_bytes(),
            "nopoints.csv:2:1: error: the indicator “甲” has no points",
        ),
        ("gbk.csv", gbk, "gbk.csv:1:2: error: file is not UTF-8; it looks like GBK/GB18030"),
    ] {
        let table = dir.write(name, bytes);
        let out = dir.path(&format!("{name}.yaml"));
        let (code, stdout, stderr) = run(&["draft", &table, "-o", &out]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(stdout.is_empty());
        let expected = format!("{}{expected}", dir.path(""));
        assert!(stderr.starts_with(&expected), "{name}:\n{stderr}\nexpected: {expected}");
        assert!(!std::path::Path::new(&out).exists(), "{name}");
        if name == "gbk.csv" {
            assert!(stderr.contains("iconv -f GBK -t UTF-8"), "{stderr}");
        }
    }
}

/// The same in a workbook: errors at `sheet!cell`, or at the sheet.
#[test]
fn bad_workbooks_are_located_errors() {
    let dir = Dir::new();
    let book = |cells: &[(u32, u16, &str)]| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("表").unwrap();
        for (r, c, t) in cells {
            ws.write_string(*r, *c, *t).unwrap();
        }
        wb.save_to_buffer().unwrap()
    };
    for (name, bytes, expected) in [
        ("noheader.xlsx", book(&[(0, 0, "名称")]), "noheader.xlsx:表: error: no recognisable header"),
        (
            "points.xlsx",
            book(&[(0, 0, "指标名称"), (0, 1, "分值"), (1, 0, "甲"), (1, 1, "abc")]),
            "points.xlsx:表!B2: error: 分值 `abc` is not a number of points",
        ),
        (
            "twice.xlsx",
            book(&[(0, 0, "指标名称"), (0, 1, "分值"), (1, 0, "甲"), (1, 1, "1"), (2, 0, "甲"), (2, 1, "1")]),
            "twice.xlsx:表!A3: error: the indicator “甲” appears twice under the same parent (first at 表!A2)",
        ),
        ("empty.xlsx", book(&[]), "empty.xlsx:表: error: the table is empty"),
    ] {
        let table = dir.write(name, bytes);
        let (code, _, stderr) = run(&["draft", &table]);
        assert_eq!(code, 1, "{name}: {stderr}");
        let expected = format!("{}{expected}", dir.path(""));
        assert!(stderr.starts_with(&expected), "{name}:\n{stderr}\nexpected: {expected}");
    }
}

/// `--format json` puts the summary on standard output and needs `-o` for the rubric.
#[test]
fn json_needs_an_output_file() {
    let (code, stdout, stderr) = run(&["draft", "missing.csv", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "error: --format json writes the summary to standard output: give -o FILE.yaml for the drafted rubric\n"
    );
    let dir = Dir::new();
    let table = dir.write("表.csv", TABLE);
    let (out, summary) = draft_json(&dir, &table, "r");
    assert_eq!(summary["output"], out.as_str());
    assert_eq!(summary["lines"], 4);
    assert_eq!(summary["indicators"], 4);
    assert_eq!(summary["methods"], serde_json::json!({ "deduct": 3 }));
    assert_eq!(summary["manual"][0]["place"], "6:3");
    assert_eq!(summary["manual"][0]["standard"], "由评审组综合评定");
    load(&out);
}

/// The example table drafted and scored with the Hunan 2018 figures gives the published leaf
/// scores (8, 0, 8 and 0 by the rule: examples/published/hunan-2018).
#[test]
fn the_example_table_scores_as_published() {
    let dir = Dir::new();
    let rubric = dir.path("hunan.yaml");
    let (code, _, stderr) = run(&["draft", "examples/draft/hunan-2018.csv", "-o", &rubric]);
    assert_eq!(code, 0, "{stderr}");
    // 136 ÷ 143 = 95.10 %; (63.46 − 32) ÷ 32 = 98.31 %; 99.27 %; 767.86 ÷ 1922.76 = 39.94 %.
    let data = dir.write(
        "data.yaml",
        "values:\n  a1_b1_c1.value: 95.1\n  a1_b1_c2.value: 98.31\n  a2_b1_c1.value: 99.27\n  a2_b1_c2.value: 39.94\n",
    );
    let (code, stdout, stderr) = run(&["score", "-r", &rubric, &data, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let e: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(e["total"], 16);
    let leaves: Vec<&serde_json::Value> = e["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["children"][0]["children"].as_array().unwrap())
        .map(|l| &l["score"])
        .collect();
    assert_eq!(leaves, [8, 0, 8, 0]);
}

/// A text file of commas or of one-cell lines is refused at a limit, not read into gigabytes of
/// cells; a wide table of siblings is built in linear time.
#[test]
fn huge_tables_are_refused_at_a_limit() {
    let dir = Dir::new();
    let wide = dir.write("wide.csv", format!("一级指标,分值\n{}\n", ",".repeat(5000)));
    let (code, _, stderr) = run(&["draft", &wide]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with(&format!("{wide}:2:1: error: this line has more than 1000 columns")), "{stderr}");
    let long = dir.write("long.csv", "一级指标,分值\n".to_owned() + &"甲,1\n".repeat(150_000));
    let (code, _, stderr) = run(&["draft", &long]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error: the table has more than 200000 filled cells"), "{stderr}");
    let mut many = String::from("一级指标,分值\n");
    for i in 0..10_001 {
        many.push_str(&format!("指标{i},1\n"));
    }
    let many = dir.write("many.csv", many);
    let (code, _, stderr) = run(&["draft", &many]);
    assert_eq!(code, 1);
    assert!(stderr.contains("many.csv:10002:1: error: the table has more than 10000 lines of indicators"), "{stderr}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Whatever a table holds, `draft` returns a rubric the loader takes or located errors:
    /// never a panic, never an invalid draft.
    #[test]
    fn any_table_drafts_or_fails_cleanly(
        tokens in proptest::collection::vec(proptest::sample::select(vec![
            "一级指标", "二级指标", "三级指标", "指标名称", "分值", "权重", "评分标准", "指标解释", "合计",
            ",", ",", ",", "\n", "\n", "\r\n", "\"", "|", "\\|", " ", "'", "'=", "-", "---",
            "甲", "乙", "丙", "1", "2.5", "10%", "十分", "0", "-1", "1e3", "999999999999999",
            "执行率×分值", "≥95%得满分，每低1个百分点扣0.5分，扣完为止", "好得满分；较好得80%；差不得分",
            "90%（含）以上得满分，80%（含）-90%得60%，80%以下不得分", "每发现一处扣1分", "\u{feff}", "\u{2028}", "#", ": ",
        ]), 0..60),
        markdown in proptest::bool::ANY,
        header in proptest::bool::ANY,
    ) {
        let head = match (header, markdown) {
            (false, _) => "",
            (true, false) => "一级指标,二级指标,分值,评分标准\n",
            (true, true) => "| 一级指标 | 二级指标 | 分值 | 评分标准 |\n|---|---|---|---|\n",
        };
        let text: String = head.to_owned() + &tokens.concat();
        let file = if markdown { "t.md" } else { "t.csv" };
        match selfeval::draft::draft(file, text.into_bytes(), &selfeval::draft::Options::default(), Lang::En) {
            Ok(d) => {
                let source = selfeval::yaml::Source { name: "d.yaml".into(), text: d.yaml };
                proptest::prop_assert!(selfeval::rubric::load::load(&source, Lang::En).is_ok());
            }
            Err(diags) => proptest::prop_assert!(diags.has_errors()),
        }
    }
}

/// Upper levels printed with their points in the name (`投入（15分）`, merged over their rows)
/// are the indicator 投入 worth 15: titles without the figure, the figure checked against the
/// children's sum.
#[test]
fn points_printed_in_a_name() {
    let dir = Dir::new();
    let table = dir.write(
        "t.csv",
        "一级指标,二级指标,三级指标,分值,评分标准\n\
         投入（15分）,预算配置(15分),财政供养人员控制率,5,执行率×分值\n\
         ,,三公经费变动率,5,执行率×分值\n\
         ,,重点支出安排率,4,执行率×分值\n\
         过程（6分）,预算执行,预算调整率（含追加）,6,执行率×分值\n",
    );
    let out = dir.path("r.yaml");
    let (code, _, stderr) = run(&["draft", &table, "-o", &out]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("{table}:2:1: warning: a1 “投入” prints 15 points but its children add up to 14")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{table}:2:9: warning: a1_b1 “预算配置” prints 15 points")), "{stderr}");
    let r = load(&out);
    assert_eq!(
        tree(&r),
        [
            (0, "投入".into(), "14".into()),
            (1, "预算配置".into(), "14".into()),
            (2, "财政供养人员控制率".into(), "5".into()),
            (2, "三公经费变动率".into(), "5".into()),
            (2, "重点支出安排率".into(), "4".into()),
            (0, "过程".into(), "6".into()),
            (1, "预算执行".into(), "6".into()),
            (2, "预算调整率（含追加）".into(), "6".into()),
        ]
    );
}

/// docs/draft.md's figures for the published tables: each rubric's 评分表 (`show --format csv`)
/// drafted back, leaves and leaves drafted as methods.
#[test]
fn published_tables_draft_as_measured() {
    let dir = Dir::new();
    for (case, leaves, drafted) in [
        ("changjiang-fishing-2020", 3, 1),
        ("chongqing-2021", 8, 1),
        ("fuwumaoyi-2020", 3, 1),
        ("genga-2021", 1, 0),
        ("hunan-2018", 4, 4),
        ("sichuan-2017", 7, 0),
        ("tanghu-2020", 4, 1),
        ("tangxi-2022", 3, 0),
        ("tianchang-2022", 9, 3),
        ("yongde-2022", 4, 2),
        ("zhongjiang-2022", 4, 2),
    ] {
        let csv = dir.path(&format!("{case}.csv"));
        let rubric = format!("examples/published/{case}/rubric.yaml");
        let (code, _, stderr) = run(&["show", &rubric, "--format", "csv", "-o", &csv]);
        assert_eq!(code, 0, "{stderr}");
        let (out, summary) = draft_json(&dir, &csv, case);
        assert_eq!(
            (summary["indicators"].as_u64(), summary["drafted"].as_u64()),
            (Some(leaves), Some(drafted)),
            "{case}"
        );
        assert_eq!(tree(&load(&out)), tree(&load(&rubric)), "{case}");
    }
}
