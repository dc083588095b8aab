//! Issue 15: published 绩效目标表 entered as printed — operators, numbers with units, rows
//! whose figure is a field, 定性 rows printing their target, deadlines, forms without a 分值
//! column — and `check`'s 表内不平衡 and rounded-rate hints. Each item at its edges.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::scoring::{d, refused, scored};
use rust_decimal::Decimal;
use selfeval::engine::Evaluation;
use selfeval::lang::Lang;
use selfeval::rubric::load::load;
use selfeval::yaml::Source;

fn row_score(e: &Evaluation, id: &str) -> Decimal {
    e.node(id).and_then(|n| n.score).unwrap_or_else(|| panic!("no score for {id}"))
}

/// One rows branch `out` of `points` over `values.rows`, with `extra` branch keys.
fn table(points: &str, extra: &str) -> String {
    format!(
        "id: t\ntitle: t\nprecision: {{ indicator: 2, total: 2 }}\nfields:\n  budget.total: {{ type: number, unit: 万元 }}\n  budget.spent: {{ type: number, unit: 元 }}\n  exec_rate: {{ type: percent }}\n  people: {{ type: integer, unit: 人 }}\n  done: {{ type: text }}\nderived:\n  spent_rate: \"budget.spent / 10000 * 100 / budget.total\"\nsections:\n  - id: out\n    title: 产出\n    points: {points}\n    rows: rows\n{extra}"
    )
}

fn rows(rows: &str) -> String {
    format!("period: \"2021\"\nvalues:\n  rows:\n{rows}")
}

// item 3 ---------------------------------------------------------------------------------------

#[test]
fn item3_operators_as_printed() {
    let r = table("70", "");
    let e = scored(
        &r,
        &rows(
            "    - { name: a, op: \"﹦\", target: 10, actual: 8, points: 10 }
    - { name: b, op: ＞＝, target: 10, actual: 8, points: 10 }
    - { name: c, op: ＜＝, target: 8, actual: 10, points: 10 }
    - { name: d, op: ≧, target: 10, actual: 12, points: 10 }
    - { name: e, op: ≦, target: 10, actual: 12, points: 10 }
    - { name: f, op: 不低于, target: 10, actual: 5, points: 10 }
    - { name: g, op: 不超过, target: 10, actual: 20, points: 10 }
",
        ),
    );
    let got: Vec<String> = (1..=7).map(|i| row_score(&e, &format!("out.{i}")).to_string()).collect();
    assert_eq!(got, ["8", "8", "8", "10", "8.33", "5", "5"]);
    for word in ["不少于", "大于等于", "达到", "不高于", "小于等于", "低于等于", "等于", "定性指标"]
    {
        let e = scored(
            &table("10", ""),
            &rows(&format!("    - {{ name: a, op: {word}, target: 10, actual: 10, points: 10 }}\n")),
        );
        assert_eq!(e.total, d("10"), "{word}");
    }
    let errors = refused(&r, &rows("    - { name: a, op: \"==\", target: 10, actual: 8, points: 70 }\n"));
    assert!(errors.contains("operator \"==\" is not one of >= ≥ ≧ 不低于"), "{errors}");
    let errors = refused(&r, &rows("    - { name: a, op: 高于, target: 10, actual: 8, points: 70 }\n"));
    assert!(errors.contains("d.yaml:4:22: error: row `out.1` (a): operator \"高于\""), "{errors}");
}

// item 2 ---------------------------------------------------------------------------------------

#[test]
fn item2_numbers_with_units_convert_exactly_into_the_rows_unit() {
    let r = table("40", "");
    let e = scored(
        &r,
        &rows(
            "    - { name: a, unit: 万元, op: \">=\", target: 150万, actual: 1500000元, points: 10 }
    - { name: b, unit: 万元, op: \">=\", target: \"1.2亿元\", actual: 6000万元, points: 10 }
    - { name: c, unit: 人, op: \">=\", target: 1.2万人, actual: 2370人, points: 10 }
    - { name: d, op: \"<=\", target: 35 万元, actual: 350001元, points: 10 }
",
        ),
    );
    let leaf = |id: &str| e.node(id).unwrap().leaf.clone().unwrap();
    assert_eq!(row_score(&e, "out.1"), d("10"));
    assert_eq!(row_score(&e, "out.2"), d("5"));
    // 10 × 2370 / 12000 = 1.975 → 1.98.
    assert_eq!(row_score(&e, "out.3"), d("1.98"));
    // No `unit`: the target's 万元; 350001 元 is 35.0001 万元; 10 × 35 / 35.0001 → 10.00 (9.99997…).
    assert_eq!(row_score(&e, "out.4"), d("10"));
    assert!(leaf("out.4").inputs.iter().any(|(n, v)| n == "actual" && v.to_string() == "35.0001"));
    assert!(leaf("out.4").detail.contains("万元"), "{}", leaf("out.4").detail);
    // A unit that does not agree, naming the row at the figure.
    let errors =
        refused(&r, &rows("    - { name: a, unit: 万元, op: \">=\", target: 150, actual: 150人, points: 40 }\n"));
    assert!(
        errors.contains(
            "d.yaml:4:59: error: row `out.1` (a): `actual`: \"150人\" is in “人”, which does not convert to “万元”"
        ),
        "{errors}"
    );
    // Without `unit`, target and actual must agree.
    let errors = refused(&r, &rows("    - { name: a, op: \">=\", target: 150万元, actual: 3人, points: 40 }\n"));
    assert!(errors.contains("\"3人\" is in “人”, which does not convert to “万元”"), "{errors}");
    // Thousands separators stay an error.
    let errors =
        refused(&r, &rows("    - { name: a, unit: 元, op: \">=\", target: \"1,500元\", actual: 1500, points: 40 }\n"));
    assert!(errors.contains("contains '_' or ','"), "{errors}");
}

// item 1 ---------------------------------------------------------------------------------------

#[test]
fn item1_a_rows_figure_taken_from_a_field_or_derived_name() {
    let r = table("20", "");
    let data = "period: \"2021\"
values:
  budget: { total: 150, spent: 1252500 }
  exec_rate: 83.5
  rows:
    - { name: 预算执行率, op: \">=\", target: \"100%\", actual: { field: exec_rate }, points: 10 }
    - { name: 执行率（派生）, unit: \"%\", op: \">=\", target: 100, actual: { field: spent_rate }, points: 5 }
    - { name: 支出, unit: 万元, op: \">=\", target: { field: budget.total }, actual: { field: budget.spent }, points: 5 }
";
    let e = scored(&r, data);
    // 83.5 % against 100 %: 10 × 83.5 / 100 = 8.35.
    assert_eq!(row_score(&e, "out.1"), d("8.35"));
    // 1252500 元 / 10000 × 100 / 150 = 83.5.
    assert_eq!(row_score(&e, "out.2"), d("4.18"));
    // 1252500 元 in a 万元 row is 125.25: 5 × 125.25 / 150 = 4.175 → 4.18.
    assert_eq!(row_score(&e, "out.3"), d("4.18"));
    let inputs = &e.node("out.3").unwrap().leaf.as_ref().unwrap().inputs;
    let shown: Vec<String> = inputs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    assert_eq!(shown[..2], ["actual=125.25".to_owned(), "target=150".to_owned()]);
    // An unknown name, a name of the wrong type, a unit that does not convert: located at the name.
    let bad = "period: \"2021\"
values:
  people: 3
  done: 是
  rows:
    - { name: a, op: \">=\", target: 100, actual: { field: exec_rat }, points: 10 }
    - { name: b, op: \">=\", target: 100, actual: { field: done }, points: 5 }
    - { name: c, unit: 万元, op: \">=\", target: 10, actual: { field: people }, points: 5 }
";
    let errors = refused(&r, bad);
    assert!(
        errors.contains("d.yaml:6:58: error: row `out.1` (a): `actual`: `field`: \"exec_rat\" is not a field or derived name of the rubric; did you mean `exec_rate`?"),
        "{errors}"
    );
    assert!(
        errors
            .contains("d.yaml:7:58: error: row `out.2` (b): `actual`: `field`: `done` is text; this row needs number"),
        "{errors}"
    );
    assert!(
        errors.contains(
            "row `out.3` (c): `actual`: field `people` is in “人”, which does not convert to this row's “万元”"
        ),
        "{errors}"
    );
}

// item 4 ---------------------------------------------------------------------------------------

#[test]
fn item4_qualitative_rows_printing_their_target_are_met() {
    let with_map = table("30", "    qualitative: { 达成: 100, 部分达成: 60 }\n");
    let e = scored(
        &with_map,
        &rows(
            "    - { name: a, op: 定性, target: 符合相关文件要求, actual: 符合相关文件要求, points: 10 }
    - { name: b, op: 定性, target: 达成, actual: 部分达成, points: 10 }
    - { name: c, op: 定性, target: ＡＢＣ, actual: \" ABC \", points: 10 }
",
        ),
    );
    assert_eq!([row_score(&e, "out.1"), row_score(&e, "out.2"), row_score(&e, "out.3")], [d("10"), d("6"), d("10")]);
    // The map decides when it has the actual, even when it equals the target.
    let e = scored(
        &table("10", "    qualitative: { 有效: 80 }\n"),
        &rows("    - { name: a, op: 定性, target: 有效, actual: 有效, points: 10 }\n"),
    );
    assert_eq!(e.total, d("8"));
    let errors = refused(&with_map, &rows("    - { name: a, op: 定性, target: 达成, actual: 差不多, points: 30 }\n"));
    assert!(
        errors.contains("level \"差不多\" is not in the branch's `qualitative` map and differs from the target"),
        "{errors}"
    );
}

// item 6 ---------------------------------------------------------------------------------------

#[test]
fn item6_row_points_equal_shares_the_branch() {
    let r = table("30", "    row_points: equal\n");
    let seven: String =
        (1..=7).map(|i| format!("    - {{ name: r{i}, op: \">=\", target: 10, actual: 10 }}\n")).collect();
    let e = scored(&r, &rows(&seven));
    let points: Vec<String> = e.node("out").unwrap().children.iter().map(|c| c.points.to_string()).collect();
    assert_eq!(points, ["4.29", "4.29", "4.29", "4.29", "4.28", "4.28", "4.28"]);
    assert_eq!(e.total, d("30"));
    // A row with points is an error at them; an unknown `row_points` at the rubric.
    let errors = refused(&r, &rows("    - { name: a, op: \">=\", target: 10, actual: 10, points: 30 }\n"));
    assert!(errors.contains("d.yaml:4:60: error: row `out.1` (a): the branch shares its points equally (`row_points: equal`); remove `points`"), "{errors}");
    let bad = table("30", "    row_points: even\n");
    let e = load(&Source { name: "r.yaml".into(), text: bad }, Lang::En).err().unwrap().to_string();
    assert!(e.contains("r.yaml:17:17: error") && e.contains("\"even\""), "{e}");
}

// item 5 ---------------------------------------------------------------------------------------

#[test]
fn item5_deadlines_met_late_and_across_year_ends() {
    let r = table("50", "    late: { per_month: 10% }\n");
    let e = scored(
        &r,
        &rows(
            "    - { name: a, op: 定性, target: 2021年12月完成, actual: 2021年11月完成, points: 10 }
    - { name: b, op: \"<=\", target: 2021年12月31日前, actual: 2022-01, points: 10 }
    - { name: c, op: \"=\", target: 12月底前, actual: 2022年2月1日, points: 10 }
    - { name: d, op: 定性, target: 2021-06, actual: 2022-12, points: 10 }
    - { name: e, op: 定性, target: 11月底前, actual: 2021年12月, points: 10 }
",
        ),
    );
    // On time; one month begun late across the year end (10 % off); two months (20 % off);
    // 18 months (100 % off, not below 0); 30 Nov → 31 Dec is one month.
    let got: Vec<String> = (1..=5).map(|i| row_score(&e, &format!("out.{i}")).to_string()).collect();
    assert_eq!(got, ["10", "9", "8", "0", "9"]);
    // Without `late`, any delay earns 0.
    let e = scored(
        &table("10", ""),
        &rows("    - { name: a, op: 定性, target: 12月底前, actual: 2022年1月1日, points: 10 }\n"),
    );
    assert_eq!(e.total, d("0"));
    // 12月底前 takes the period's year: 2020's deadline, met in 2020.
    let e = scored(
        &table("10", ""),
        "period: \"2020年度\"\nvalues:\n  rows:\n    - { name: a, op: \"<=\", target: 12月底前, actual: 2020-12-31, points: 10 }\n",
    );
    assert_eq!(e.total, d("10"));
    // No usable period; ≥ with dates; a date against a number.
    let errors = refused(
        &table("10", ""),
        "values:\n  rows:\n    - { name: a, op: 定性, target: 12月底前, actual: 12月, points: 10 }\n",
    );
    assert!(
        errors.contains("d.yaml:3:34: error: row `out.1` (a): `target`: the date \"12月底前\" gives no year"),
        "{errors}"
    );
    let errors = refused(
        &table("10", ""),
        &rows("    - { name: a, op: \">=\", target: 2021-12, actual: 2021-11, points: 10 }\n"),
    );
    assert!(errors.contains("deadlines cannot be compared with ≥"), "{errors}");
    let errors =
        refused(&table("10", ""), &rows("    - { name: a, op: \"<=\", target: 2021-12, actual: 3, points: 10 }\n"));
    assert!(errors.contains("one of target and actual is a date and the other is not"), "{errors}");
    let bad = table("10", "    late: { per_month: 110 }\n");
    let e = load(&Source { name: "r.yaml".into(), text: bad }, Lang::En).err().unwrap().to_string();
    assert!(e.contains("`late.per_month` is a percent and must be 0–100, found `110`"), "{e}");
}

// item 7 ---------------------------------------------------------------------------------------

const LEVELS: &str = "\
id: levels
title: levels
precision: { indicator: 2, total: 1 }
sections:
  - id: s1
    title: 一
    points: 20
    children:
      - { id: a, title: A, points: 10, method: manual }
      - { id: b, title: B, points: 10, method: manual }
  - id: s2
    title: 二
    points: 30
    children:
      - id: s2a
        title: 二甲
        points: 20
        children:
          - { id: c, title: C, points: 10, method: manual }
          - { id: d, title: D, points: 10, method: manual }
      - { id: e, title: E, points: 10, method: manual }
  - id: w
    title: 权重
    points: 10
    scale: true
    children:
      - { id: w1, title: W1, points: 30, method: manual }
      - { id: w2, title: W2, points: 30, method: manual }
      - { id: w3, title: W3, points: 40, method: manual }
      - { id: plus, title: 加分, points: 2, bonus: true, method: manual }
";

fn levels_data(declared: &str, not_applicable: &str) -> String {
    let manual = ["a", "b", "c", "d", "e", "w1", "w2", "w3", "plus"]
        .iter()
        .map(|id| format!("  {id}: {{ score: 0, reason: r }}\n"))
        .collect::<String>();
    format!("values: {{}}\nnot_applicable: {{{not_applicable}}}\nmanual:\n{manual}declared:\n{declared}")
}

fn imbalances(declared: &str, not_applicable: &str, tolerance: &str) -> Vec<(String, String, String)> {
    let e = scored(LEVELS, &levels_data(declared, not_applicable));
    selfeval::check::check(&e, d(tolerance), Lang::En)
        .imbalances
        .iter()
        .map(|x| (x.id.clone(), x.declared.normalize().to_string(), x.from_parts.normalize().to_string()))
        .collect()
}

fn found(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter().map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned())).collect()
}

#[test]
fn item7_imbalance_at_every_level() {
    // A balanced table: nothing (its claims disagree with the computation, which is apart).
    // w: weights 30 + 30 + 25 = 85 of 100 over 10 points → 8.5, + bonus 0.5 = 9.
    let balanced = "  total: 48\n  s1: 19\n  a: 10\n  b: 9\n  s2: 20\n  s2a: 15\n  c: 10\n  d: 5\n  e: 5\n  w: 9\n  w1: 30\n  w2: 30\n  w3: 25\n  plus: 0.5\n";
    assert_eq!(imbalances(balanced, "", "0"), found(&[]));
    // The issue's case at the top: sections add up to 94 (here 48), the total says 50.
    let top = balanced.replace("total: 48", "total: 50");
    assert_eq!(imbalances(&top, "", "0"), found(&[("total", "50", "48")]));
    // A leaf's slip shows at its parent, and the parent's at its own parent: three levels.
    let deep = balanced.replace("  d: 5\n", "  d: 6\n").replace("  s2: 20\n", "  s2: 21\n");
    assert_eq!(imbalances(&deep, "", "0"), found(&[("total", "48", "49"), ("s2", "21", "20"), ("s2a", "15", "16")]));
    // An undeclared branch counts by its declared parts: s2 left out, s2a 14 + e 5 = 19 makes
    // the total 47; declared s2a parts 10 + 5 against s2a's 14 is reported, and the total.
    let skipped = balanced.replace("  s2: 20\n", "").replace("  s2a: 15\n", "  s2a: 14\n");
    assert_eq!(imbalances(&skipped, "", "0"), found(&[("total", "48", "47"), ("s2a", "14", "15")]));
    // Rescaling and bonus: without the bonus, 85 of 100 over 10 points is 8.5, not 9.
    let scaled = balanced.replace("  plus: 0.5\n", "  plus: 0\n");
    assert_eq!(imbalances(&scaled, "", "0"), found(&[("w", "9", "8.5")]));
    // Within the tolerance: nothing.
    assert_eq!(imbalances(&scaled, "", "0.5"), found(&[]));
    // Not applicable, reweighted: w3 dropped, 60 of 60 → 10, capped with the bonus at 10.
    let na = balanced.replace("  w3: 25\n", "").replace("  w: 9\n", "  w: 10\n").replace("total: 48", "total: 49");
    assert_eq!(imbalances(&na, " w3: 无 ", "0"), found(&[]));
    // Rescaled sums round at precision.indicator: 10 of 70 (w2 dropped) → 10 × 10 / 70 = 1.43.
    let rounded = "  w: 1.43\n  w1: 10\n  w3: 0\n  plus: 0\n";
    assert_eq!(imbalances(rounded, " w2: 无 ", "0"), found(&[]));
    assert_eq!(imbalances(&rounded.replace("1.43", "1.42"), " w2: 无 ", "0"), found(&[("w", "1.42", "1.43")]));
}

#[test]
fn item7_imbalance_in_every_check_format_and_exit_1() {
    let dir = common::Dir::new();
    dir.write("r.yaml", LEVELS);
    // Every declared score is the computed one (all 0), but the declared total says 5.
    let declared = "  total: 5\n  s1: 0\n  s2: 0\n  w: 0\n";
    dir.write("d.yaml", levels_data(declared, ""));
    let run = |format: &str| {
        let out = assert_cmd::Command::cargo_bin("selfeval")
            .unwrap()
            .args(["check", "-r", "r.yaml", "d.yaml", "--lang", "en", "--format", format])
            .current_dir(&dir.0)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run("table");
    assert!(
        table.contains("table does not add up total (total): declared parts add up to 0, declared total 5, difference +5\n  = 一 0 + 二 0 + 权重 0\n"),
        "{table}"
    );
    assert!(run("markdown").contains("table does not add up total (total): declared parts add up to 0"));
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["passed"], false);
    assert_eq!(json["imbalances"][0]["id"], "total");
    assert_eq!(json["imbalances"][0]["from_parts"].to_string(), "0");
    assert_eq!(json["imbalances"][0]["parts"][0]["source"], "declared");
    assert!(run("csv").contains("d.yaml,d,,total,total,5,0,5,imbalance"), "{}", run("csv"));
}

// item 8 ---------------------------------------------------------------------------------------

#[test]
fn item8_check_names_a_rate_rounded_before_use() {
    let r = "\
id: rate
title: rate
precision: { indicator: 2, total: 1 }
fields:
  budget: { type: number }
  spent: { type: number }
derived:
  rate: \"spent * 100 / budget\"
sections:
  - { id: execution, title: 执行率, points: 10, method: ratio, value: rate, target: 100 }
";
    // 154.74 ÷ 310.2 = 49.88 %, printed 50 %, scored 5 of 10; the rule gives 4.99.
    let data = "values: { budget: 310.2, spent: 154.74 }\ndeclared: { execution: 5 }\n";
    let e = scored(r, data);
    let c = selfeval::check::check(&e, Decimal::ZERO, Lang::En);
    assert!(!c.passed());
    let evidence = c.claims[0].evidence.join("\n");
    assert!(
        evidence.contains("49.88 rounded to 50 first gives 5, the declared score (write round(rate, 0)"),
        "{evidence}"
    );
    // Written as the table scores it, the claim agrees.
    let rounded = r.replace("rate: \"spent * 100 / budget\"", "rate: \"round(spent * 100 / budget, 0)\"");
    let e = scored(&rounded, data);
    assert!(selfeval::check::check(&e, Decimal::ZERO, Lang::En).passed());
    // A declared score that rounding does not explain gets no such line.
    let e = scored(r, "values: { budget: 310.2, spent: 154.74 }\ndeclared: { execution: 6 }\n");
    let c = selfeval::check::check(&e, Decimal::ZERO, Lang::En);
    assert!(!c.claims[0].evidence.join("\n").contains("rounded"));
}

// workbook forms ---------------------------------------------------------------------------------

#[test]
fn forms_without_a_points_column_and_with_a_field_column() {
    use rust_xlsxwriter::Workbook;
    let dir = common::Dir::new();
    dir.write("r.yaml", table("20", "    row_points: equal\n"));
    // The template of a branch with `row_points: equal` has no 分值 column, and a 实际值取自.
    let out = assert_cmd::Command::cargo_bin("selfeval")
        .unwrap()
        .args(["init", "-r", "r.yaml", "--format", "xlsx", "-o", "form.xlsx", "--lang", "zh"])
        .current_dir(&dir.0)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.path("form.xlsx")).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut book, "产出").unwrap();
    let header: Vec<String> =
        (0..8).map(|c| sheet.get_value((1, c)).map(ToString::to_string).unwrap_or_default()).collect();
    assert_eq!(header[..7], ["指标名称", "单位", "指标性质", "年度指标值", "全年完成值", "实际值取自", "偏差原因"]);
    // A form filled as printed: 150万元 in a 万元 row, a row whose actual is a field, no 分值;
    // with `both`, a third row giving its actual both ways.
    let write = |name: &str, both: bool| {
        let mut wb = Workbook::new();
        let info = wb.add_worksheet();
        info.set_name("信息").unwrap();
        for (c, h) in ["项目", "名称", "值"].iter().enumerate() {
            info.write_string(0, c as u16, *h).unwrap();
        }
        info.write_string(1, 0, "period").unwrap();
        info.write_string(1, 2, "2021").unwrap();
        let fields = wb.add_worksheet();
        fields.set_name("字段").unwrap();
        fields.write_string(0, 0, "字段名").unwrap();
        fields.write_string(0, 1, "值").unwrap();
        fields.write_string(1, 0, "exec_rate").unwrap();
        fields.write_number(1, 1, 83.5).unwrap();
        let rows = wb.add_worksheet();
        rows.set_name("产出").unwrap();
        rows.write_string(0, 0, "列表").unwrap();
        rows.write_string(0, 1, "rows").unwrap();
        for (c, h) in ["指标名称", "单位", "指标性质", "年度指标值", "全年完成值", "实际值取自"].iter().enumerate()
        {
            rows.write_string(1, c as u16, *h).unwrap();
        }
        for (c, v) in ["资金", "万元", "不低于", "150万", "1500000元"].iter().enumerate() {
            rows.write_string(2, c as u16, *v).unwrap();
        }
        for (c, v) in ["预算执行率", "", "≧", "100%"].iter().enumerate() {
            rows.write_string(3, c as u16, *v).unwrap();
        }
        rows.write_string(3, 5, "exec_rate").unwrap();
        if both {
            for (c, v) in ["重复", "", ">=", "10", "10", "exec_rate"].iter().enumerate() {
                rows.write_string(4, c as u16, *v).unwrap();
            }
        }
        wb.save(dir.path(name)).unwrap();
    };
    write("both.xlsx", true);
    write("filled.xlsx", false);
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("selfeval").unwrap().args(args).current_dir(&dir.0).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, stderr) = run(&["score", "-r", "r.yaml", "both.xlsx", "--lang", "en"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("both.xlsx:产出!F5: error: `actual` is given both as a value and as a field (the other at 产出!E5); keep one"),
        "{stderr}"
    );
    // 20 shared as 10 + 10; 150万 = 1500000元 → 10; 10 × 83.5 / 100 = 8.35; total 18.35.
    let (code, stdout, stderr) = run(&["score", "-r", "r.yaml", "filled.xlsx", "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["total"].to_string(), "18.35");
}
