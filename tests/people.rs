//! Issue 14, "read by people": numbers as people write them, words from the rubric, the vetoes
//! first in `explain`, one name for the manual or N/A share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use assert_cmd::cargo::cargo_bin_cmd;

const SEED: &str = "examples/conghua-cast-2021/data.yaml";
const ALL: &str = "examples/all-methods/data.yaml";

fn run(lang: &str, args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("selfeval")
        .env_remove("LC_ALL")
        .env("LANG", lang)
        .env_remove("COLUMNS")
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn ok(lang: &str, args: &[&str]) -> String {
    let (code, out, err) = run(lang, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// Every data file of the examples (the built-in rubrics' and the published cases').
fn example_data() -> Vec<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir("examples").unwrap() {
        let dir = entry.unwrap().path();
        for candidate in [dir.join("data.yaml")] {
            if candidate.exists() {
                files.push(candidate.to_string_lossy().into_owned());
            }
        }
        if dir.ends_with("published") {
            for case in std::fs::read_dir(&dir).unwrap() {
                let data = case.unwrap().path().join("data.yaml");
                if data.exists() {
                    files.push(data.to_string_lossy().into_owned());
                }
            }
        }
    }
    files.sort();
    files
}

/// The longest run of decimals of any number in `text` that is not part of a word (a
/// fingerprint, an id) — a number as people would read it.
fn most_decimals(text: &str) -> (usize, String) {
    let chars: Vec<char> = text.chars().collect();
    let mut worst = (0, String::new());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '.')) {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                let dot = i;
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let after_word = i < chars.len() && chars[i].is_ascii_alphabetic();
                if !after_word && i - dot - 1 > worst.0 {
                    worst = (i - dot - 1, chars[start..i].iter().collect());
                }
            }
        } else {
            i += 1;
        }
    }
    worst
}

/// "What to show when resolved": no human output of the examples shows a number with more
/// decimals than its rubric's precision.indicator + 2 (every rubric of the examples has
/// precision.indicator 2, so 4). Before issue 14 `breakdown` showed
/// `3.5384615384615384615384615385` and `explain` `7.2781774580335731414868105516`.
#[test]
fn no_human_output_of_the_examples_shows_more_than_precision_plus_two_decimals() {
    let dir = common::Dir::new();
    let files = example_data();
    assert!(files.len() >= 15, "{files:?}");
    for file in &files {
        for lang in ["zh", "en"] {
            for command in ["score", "breakdown", "explain"] {
                for format in ["table", "markdown", "html"] {
                    let (code, out, err) = run("C", &[command, file, "--format", format, "--lang", lang]);
                    assert!(code == 0 || code == 1, "{file} {command} {format}: {err}");
                    let (decimals, number) = most_decimals(&out);
                    assert!(decimals <= 4, "{file} {command} --format {format} --lang {lang}: {number}");
                }
            }
            // The `detail` texts of JSON are for people too; its numbers stay exact.
            let (code, out, _) = run("C", &["breakdown", file, "--format", "json", "--lang", lang]);
            if code != 0 {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            let mut details = Vec::new();
            collect_details(&v, &mut details);
            for d in details {
                let (decimals, number) = most_decimals(&d);
                assert!(decimals <= 4, "{file} json detail: {number} in {d}");
            }
        }
        // The 扣分分析 sheet of the workbook: the same texts as explain.
        let book = dir.path("r.xlsx");
        let (code, _, err) = run("C", &["explain", file, "--format", "xlsx", "-o", &book]);
        assert!(code == 0 || code == 1, "{err}");
    }
}

fn collect_details(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("detail" | "advice", serde_json::Value::String(s)) => out.push(s.clone()),
                    _ => collect_details(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_details(i, out)),
        _ => {}
    }
}

#[test]
fn the_decimal_finder_sees_what_people_see() {
    assert_eq!(most_decimals("得分 3.5384615 分").0, 7);
    assert_eq!(most_decimals("sha256:29a9bda561aa 1.25").0, 2);
    assert_eq!(most_decimals("v1.2.3").0, 0);
    assert_eq!(most_decimals("92.4681%").0, 4);
}

/// Computed values at the rubric's precision in its rounding mode, data values as written:
/// a derived rate of 95.75529… shows as 95.76 (it showed all 28 digits), a written 7.27817745 as
/// written, a formula's 3.538461… as 3.54, a deduction's count of 4.878… percentage points as
/// 4.88 with its unit.
#[test]
fn computed_numbers_at_the_precision_written_ones_as_given() {
    let dir = common::Dir::new();
    dir.write(
        "r.yaml",
        "id: t\ntitle: t\nprecision: { indicator: 2, total: 1 }\n\
         fields:\n  spent: { type: number, unit: 万元, label: 执行数 }\n  budget: { type: number, unit: 万元, label: 预算数 }\n  \
         written: { type: number, label: 填报值 }\n  ok: { type: bool, label: 制度健全 }\n\
         derived:\n  rate: { expr: \"spent * 100 / budget\", label: 预算执行率, unit: \"%\" }\n  over: \"max(0, rate - 90)\"\n\
         sections:\n  - { id: a, title: 执行率, points: 10, method: ratio, value: rate, target: 100 }\n  \
         - { id: b, title: 超支, points: 10, method: deduct, count: over, per: 0.5, unit: 个百分点 }\n  \
         - { id: c, title: 填报, points: 10, method: linear, value: written, full: 10, zero: 0 }\n  \
         - { id: d, title: 公式, points: 10, method: formula, expr: \"points * spent / budget\" }\n  \
         - { id: e, title: 制度, points: 60, method: checklist, items: [{ field: ok, points: 60 }] }\n",
    );
    let data =
        dir.write("d.yaml", "rubric: r.yaml\nvalues: { spent: 81.4, budget: 85.01, written: 7.27817745, ok: false }\n");
    let zh = ok("C", &["breakdown", &data, "--lang", "zh", "--format", "markdown"]);
    // 81.4 × 100 / 85.01 = 95.7534…: the rate at 2 places, with its label and unit.
    assert!(zh.contains("完成值 95.75 / 目标 100 → 95.7534%"), "{zh}");
    assert!(zh.contains("[预算执行率 = 95.75%]"), "{zh}");
    // 5.7534… percentage points, at 2 places, with the rubric's unit.
    assert!(zh.contains("5.75 个百分点 × 每个百分点扣 0.5 = 扣 2.88"), "{zh}");
    // A data file's value is never rounded.
    assert!(zh.contains("[填报值 = 7.27817745]"), "{zh}");
    assert!(zh.contains("points * spent / budget = 9.58"), "{zh}");
    // A bool in the user's language.
    assert!(zh.contains("[制度健全 = 否]"), "{zh}");
    let en = ok("C", &["breakdown", &data, "--lang", "en", "--format", "markdown"]);
    assert!(en.contains("[制度健全 = no]"), "{en}");
    // JSON's numbers stay exact; only its texts are for people.
    let json = ok("C", &["breakdown", &data, "--format", "json"]);
    assert!(json.contains("\"written\": 7.27817745"), "{json}");
    assert!(json.contains("\"rate\": 95.753440771674") || json.contains("\"rate\": 95.75344077167"), "{json}");
    // explain's advice by the label, with the unit: not `rate 达到 100`.
    let advice = ok("C", &["explain", &data, "--lang", "zh"]);
    assert!(advice.contains("预算执行率 达到 100% 可得 10 分"), "{advice}");
    assert!(advice.contains("超支：每个百分点扣 0.5 分"), "{advice}");
}

/// `explain` starts with the veto that capped the total (it used to list 9.45 points of losses
/// ending "合计 41" and leave the 33.7 the veto took unexplained), and its summary adds up.
#[test]
fn explain_starts_with_the_veto_and_adds_up_to_the_total_lost() {
    let dir = common::Dir::new();
    let seed = std::fs::read_to_string(SEED).unwrap();
    let data = dir.write("d.yaml", seed.replace("major_violation: false", "major_violation: true"));
    let zh = ok("C", &["explain", &data, "--lang", "zh"]);
    let second = zh.lines().nth(1).unwrap();
    assert_eq!(
        second,
        "一票否决 发生重大违纪违规问题 (violation)：总分 92.7 封顶为 59（扣 33.7），等级定为 差（原为 优，现为 差）"
    );
    // 7.3 + 0 + 33.7 = 41, the whole 100 − 59.
    assert!(
        zh.ends_with(
            "各部分扣分：管理效能 7.3 (17.8049%)，履职效能 0 (0%)，一票否决：发生重大违纪违规问题 33.7 (82.1951%)；合计 41\n"
        ),
        "{zh}"
    );
    let md = ok("C", &["explain", &data, "--lang", "en", "--format", "markdown"]);
    assert!(md.contains("**veto 发生重大违纪违规问题 (violation): total 92.7 capped at 59 (−33.7)"), "{md}");
    let v: serde_json::Value = serde_json::from_str(&ok("C", &["explain", &data, "--format", "json"])).unwrap();
    assert_eq!(v["vetoes"][0]["lost"], serde_json::json!(33.7));
    assert_eq!(v["vetoes"][0]["grade_before"], "优");
    let sum: f64 = v["by_section"].as_array().unwrap().iter().map(|s| s["lost"].as_f64().unwrap()).sum();
    assert!((sum - 41.0).abs() < 1e-9, "{v}");
}

/// A bonus leaf that earned less than its points is bonus not earned, never 扣分.
#[test]
fn unearned_bonus_is_not_a_loss() {
    let zh = ok("C", &["explain", ALL, "--lang", "zh"]);
    assert!(zh.contains("加分项 产出与效益 › 表彰加分：得 1.5 / 2，未得加分 0.5（不计入扣分）"), "{zh}");
    let table = ok("C", &["breakdown", ALL, "--lang", "zh", "--format", "markdown"]);
    let row = table.lines().find(|l| l.contains("表彰加分")).unwrap();
    assert!(row.starts_with("| &nbsp;&nbsp;表彰加分 | 2 | 1.5 |  |"), "{row}");
}

/// One name for the share of points from manual scores or N/A, in the table, HTML and
/// workbook, both languages (the table said 可信度 / Confidence, the page 人工评分及不适用占比).
#[test]
fn one_name_for_the_manual_or_na_share() {
    for (lang, name) in [("zh", "人工评分及不适用占比"), ("en", "Manual or N/A share")] {
        let table = ok("C", &["breakdown", SEED, "--lang", lang]);
        assert!(table.contains(&format!("{name}{}0%", if lang == "zh" { "：" } else { ": " })), "{table}");
        let html = ok("C", &["breakdown", SEED, "--lang", lang, "--format", "html"]);
        assert!(html.contains(&name.replace('/', "&#x2f;")), "{lang}");
        assert!(!table.contains("可信度") && !table.contains("Confidence"));
    }
}

/// A derived name's long form is checked like every map: an unknown key is an error at its place.
#[test]
fn a_derived_names_long_form_is_checked() {
    let dir = common::Dir::new();
    let rubric = dir.write(
        "r.yaml",
        "id: t\ntitle: t\nfields:\n  a: { type: number }\nderived:\n  b: { expr: \"a * 2\", lable: 两倍 }\n\
         sections:\n  - { id: s, title: s, points: 10, method: formula, expr: \"min(points, b)\" }\n",
    );
    let (code, _, err) = run("C", &["validate", &rubric, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("r.yaml:6:23: error: unknown key `lable` in derived `b`"), "{err}");
    assert!(err.contains("label"), "did you mean: {err}");
}

/// `show ID --format yaml` gives a built-in rubric's source, byte for byte: to copy and adapt.
#[test]
fn show_prints_a_built_in_rubrics_yaml() {
    for builtin in selfeval::rubric::builtin::BUILTIN {
        let yaml = ok("C", &["show", builtin.id, "--format", "yaml"]);
        assert_eq!(yaml, builtin.text, "{}", builtin.id);
        assert_eq!(yaml, std::fs::read_to_string(format!("rubrics/{}.yaml", builtin.id)).unwrap());
    }
}

/// Tables wrap their long columns to the terminal's width when there is one (a pipe keeps the
/// rows whole): `show mof-project-2020` was about 250 columns wide in a 100-column terminal.
#[test]
fn tables_fit_the_terminal_they_are_shown_on() {
    use selfeval::lang::Lang;
    use selfeval::report::{Opts, table};
    let loaded = selfeval::input::load_rubric("mof-project-2020", Lang::Zh).unwrap();
    let width = |text: &str| text.lines().map(display_width).max().unwrap_or(0);
    let piped = table::show(&loaded.rubric, &Opts { lang: Lang::Zh, ..Opts::default() });
    assert!(width(&piped) > 200, "{}", width(&piped));
    for columns in [80u16, 100, 120] {
        let shown = table::show(&loaded.rubric, &Opts { lang: Lang::Zh, width: Some(columns), ..Opts::default() });
        assert!(width(&shown) <= usize::from(columns), "{columns}: {shown}");
        // Nothing is cut: every standard's text is still there, wrapped.
        let joined: String = shown.lines().flat_map(|l| l.split(['│', '┆'])).map(str::trim).collect();
        assert!(joined.contains("反向指标"), "{shown}");
    }
}

/// Columns a terminal gives a line: CJK and full-width characters take two.
fn display_width(line: &str) -> usize {
    line.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// `--help` of every command in Chinese under zh (`--lang zh` or `LANG=zh_CN.UTF-8`): no
/// English text of clap's or ours is left; the same commands still parse. Man pages exist for
/// every subcommand in both languages, and completions describe `-r` by its text, not `'r'`.
#[test]
fn help_man_and_completions_in_the_users_language() {
    use clap::CommandFactory;
    let cli = selfeval::cli::Cli::command();
    let mut names: Vec<&str> = cli.get_subcommands().map(|s| s.get_name()).collect();
    names.push("");
    for name in names {
        let mut args: Vec<&str> = if name.is_empty() { vec![] } else { vec![name] };
        args.push("--help");
        let by_flag = ok("C", &[args.as_slice(), &["--lang", "zh"]].concat());
        let by_env = ok("zh_CN.UTF-8", &args);
        assert_eq!(by_flag, by_env, "{name}");
        assert!(by_flag.contains("用法：selfeval"), "{name}: {by_flag}");
        for english in ["Usage", "Options", "Arguments", "Print help", "[default", "ossible values", "Commands:"] {
            assert!(!by_flag.contains(english), "{name} --help under zh shows {english:?}:\n{by_flag}");
        }
        let en = ok("C", &args);
        assert!(en.contains("Usage: selfeval"), "{name}: {en}");
        if !name.is_empty() {
            for lang in ["zh", "en"] {
                let page = ok("C", &["man", name, "--lang", lang]);
                assert!(page.contains(&format!(".TH selfeval-{name} 1")), "{name}: {page}");
                assert_eq!(page.contains(".SH 选项"), lang == "zh", "{name} {lang}");
            }
        }
    }
    assert_eq!(ok("C", &["help", "check", "--lang", "zh"]), ok("C", &["check", "--help", "--lang", "zh"]));
    let (code, _, err) = run("C", &["man", "nonesuch"]);
    assert_eq!(code, 2, "{err}");
    let fish = ok("C", &["completions", "fish", "--lang", "zh"]);
    assert!(fish.contains("-s r -l rubric -d '指标体系文件或内置 id"), "{fish}");
    let fish = ok("C", &["completions", "fish"]);
    assert!(fish.contains("-s r -l rubric -d 'Rubric file or built-in id"), "{fish}");
}

/// Markdown headers are in the output's language (`| indicator | id | points | method |
/// standard |` under zh before); CSV headers are the same stable keys in both (docs/spec.md §6).
#[test]
fn markdown_headers_in_the_language_csv_headers_stable() {
    let over = "examples/over-claimed/data.yaml";
    let markdown: Vec<Vec<&str>> = vec![
        vec!["score", SEED],
        vec!["breakdown", SEED],
        vec!["explain", SEED],
        vec!["check", SEED],
        vec!["diff", SEED, over],
        vec!["rubrics"],
        vec!["show", "cast-dept-2021"],
    ];
    for args in markdown {
        let out = ok("C", &[args.as_slice(), &["--format", "markdown", "--lang", "zh"]].concat());
        let header = out.lines().find(|l| l.starts_with('|')).unwrap();
        assert!(!header.chars().any(|c| c.is_ascii_alphabetic()), "{args:?}: {header}");
    }
    for args in [vec!["score", SEED], vec!["check", SEED], vec!["rubrics"]] {
        let zh = ok("C", &[args.as_slice(), &["--format", "csv", "--lang", "zh"]].concat());
        let en = ok("C", &[args.as_slice(), &["--format", "csv", "--lang", "en"]].concat());
        assert_eq!(zh.lines().next(), en.lines().next(), "{args:?}");
    }
    // The init template: types and comments in Chinese.
    let template = ok("C", &["init", "-r", "mof-project-2020", "--lang", "zh"]);
    assert!(template.contains("# 定性指标：完成值与目标相同即达成，否则填 达成 / 基本达成"), "{template}");
    assert!(template.contains("全年执行数 · 数字 · 万元"), "{template}");
    assert!(!template.contains("定性: ") && !template.contains("· number"), "{template}");
}

/// YAML slips explained in the user's language with their fix, still at their line:column
/// (the parser said `simple key expected ':'`, `did not find expected '-' indicator`, `tabs
/// disallowed within this context` in English under zh).
#[test]
fn yaml_slips_are_explained_with_their_fix_at_their_place() {
    let dir = common::Dir::new();
    let cases: &[(&str, &str, &str)] = &[
        (
            "values:\n  goals.set:true\n",
            "d.yaml:2:3: error: `values`：应为映射，实际为文本。`goals.set:` 后面缺少空格",
            "`goals.set: true`",
        ),
        ("values:\n  goals.set:true\n  goals.aligned: true\n", "d.yaml:3:", "上一行 `goals.set:` 后面缺少空格"),
        ("values:\n  goals.set：true\n", "d.yaml:2:3:", "中文全角冒号"),
        ("values:\n\tgoals.set: true\n", "d.yaml:2:", "制表符（Tab）"),
        ("values:\n  a: 1\n   b: 2\n", "d.yaml:3:", "这里不能出现“键: 值”"),
        ("values:\n  a:\n    b: 1\n   c: 2\n", "d.yaml:4:", "同一层的键必须用相同数量的空格左对齐"),
        ("subject: \"单位\nvalues: {}\n", "d.yaml:1:", "引号没有闭合"),
        ("values:\n  rules: [a, b\n", "d.yaml:2:", "括号没有闭合"),
        ("values:\n  major_violation: yes\n", "d.yaml:2:20:", "yes/no、on/off 在这里是文本；请写 true 或 是"),
    ];
    for (text, at, says) in cases {
        let data = dir.write("d.yaml", text);
        let (code, _, err) = run("C", &["score", "-r", "cast-dept-2021", &data, "--lang", "zh"]);
        assert_eq!(code, 1, "{text:?}: {err}");
        let first = err.lines().find(|l| l.contains("error:") && l.contains(at)).unwrap_or_default();
        assert!(first.contains(at) && first.contains(says), "{text:?}:\n{err}");
        assert!(!first.contains("while parsing") && !first.contains("disallowed"), "{text:?}: {first}");
    }
}

/// "What to show when resolved": explain, breakdown and show in both languages on the
/// built-in examples, as snapshots (each checked by hand when first written: numbers at their
/// precision, inputs by label and unit, deductions with their unit, headers in the language).
#[test]
fn snapshots_of_the_built_in_examples_in_both_languages() {
    for example in ["mof-project-2020", "dept-overall-gd", "dept-overall-hunan", "dept-overall-sichuan"] {
        let data = format!("examples/{example}/data.yaml");
        for lang in ["zh", "en"] {
            let explain = ok("C", &["explain", &data, "--lang", lang]);
            insta::assert_snapshot!(format!("explain_{example}_{lang}"), explain);
        }
    }
    for lang in ["zh", "en"] {
        let breakdown =
            ok("C", &["breakdown", "examples/mof-project-2020/data.yaml", "--lang", lang, "--style", "ascii"]);
        insta::assert_snapshot!(format!("breakdown_mof-project-2020_{lang}"), breakdown);
        let breakdown =
            ok("C", &["breakdown", "examples/dept-overall-hunan/data.yaml", "--lang", lang, "--format", "markdown"]);
        insta::assert_snapshot!(format!("breakdown_dept-overall-hunan_{lang}"), breakdown);
        let show = ok("C", &["show", "mof-project-2020", "--lang", lang, "--format", "markdown"]);
        insta::assert_snapshot!(format!("show_mof-project-2020_{lang}"), show);
    }
}

/// The formats `--help` lists for each command are the same in both languages (the Chinese
/// help says them its own way), so tests/formats.rs, which runs every one, covers both.
#[test]
fn help_lists_the_same_formats_in_both_languages() {
    use clap::CommandFactory;
    let cli = selfeval::cli::Cli::command();
    for sub in cli.get_subcommands().filter(|s| s.get_arguments().any(|a| a.get_id() == "format")) {
        let name = sub.get_name();
        let en = ok("C", &[name, "-h"]);
        let en_line = en.lines().find(|l| l.trim_start().starts_with("--format")).unwrap();
        let en_list: Vec<&str> =
            en_line.split("[possible values: ").nth(1).unwrap().trim_end().trim_end_matches(']').split(", ").collect();
        let zh = ok("C", &[name, "-h", "--lang", "zh"]);
        let zh_line = zh.lines().find(|l| l.trim_start().starts_with("--format")).unwrap();
        let zh_list: Vec<&str> = zh_line
            .split("可选：")
            .nth(1)
            .unwrap()
            .split('；')
            .next()
            .unwrap()
            .split('、')
            .map(|v| v.split('（').next().unwrap())
            .collect();
        assert_eq!(zh_list, en_list, "{name}");
    }
}

/// An unfilled `init` template's errors point at each empty key, not all at `values:`.
#[test]
fn an_unfilled_template_is_told_at_each_empty_key() {
    let dir = common::Dir::new();
    let template = ok("C", &["init", "-r", "cast-dept-2021", "--lang", "zh"]);
    let data = dir.write("d.yaml", &template);
    let (code, _, err) = run("C", &["score", &data, "--lang", "zh"]);
    assert_eq!(code, 1);
    let line_of = |key: &str| template.lines().position(|l| l.trim_start().starts_with(key)).unwrap() + 1;
    for key in ["budget.executed:", "rules.budget:", "kpi.clarity:"] {
        let at = format!("d.yaml:{}:3: error: `{}`", line_of(key), key.trim_end_matches(':'));
        assert!(err.contains(&at) && err.contains("未填写"), "{at} in:\n{err}");
    }
    let values_line = line_of("values:");
    assert!(!err.contains(&format!("d.yaml:{values_line}:1: error: 缺少值")), "{err}");
}

/// `diff --rubric-old` names the two rubrics (it printed the same file name twice), and a
/// declared id the old rubric lacks does not stop the comparison (diff shows no declared scores).
#[test]
fn diff_of_two_rubrics_names_both_and_ignores_declared_ids() {
    let dir = common::Dir::new();
    let rubric = std::fs::read_to_string("rubrics/cast-dept-2021.yaml").unwrap();
    let old =
        rubric.replacen("  - id: management\n", "  - id: mgmt\n", 1).replacen("id: cast-dept-2021", "id: cast-old", 1);
    assert_ne!(old, rubric);
    let old = dir.write("old.yaml", old);
    let out = ok("C", &["diff", "--rubric-old", &old, "-r", "cast-dept-2021", SEED, "--lang", "zh"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[1].starts_with("原：") && lines[1].contains("(cast-old · sha256:"), "{out}");
    assert!(lines[2].starts_with("新：") && lines[2].contains("(cast-dept-2021 · sha256:"), "{out}");
    // The node renamed is a change of ids, both sides scoring the same.
    assert!(out.contains("mgmt") && out.contains("management"), "{out}");
}
