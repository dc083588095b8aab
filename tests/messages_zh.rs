//! Diagnostics in Chinese: with `LANG=zh_CN.UTF-8` every message about a rubric or a data file
//! is written in Chinese (ids, keys and quoted values as written); `--lang en` forces English.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::PathBuf;

const MISTAKES: &str = "examples/mistakes/data.yaml";

/// Runs selfeval with `LANG` set (and `LC_ALL` removed); the exit code and stderr.
fn run(lang: &str, dir: Option<&PathBuf>, args: &[&str]) -> (i32, String) {
    let mut cmd = cargo_bin_cmd!("selfeval");
    cmd.env_remove("LC_ALL").env_remove("NO_COLOR").env("LANG", lang).args(args);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let out = cmd.output().unwrap();
    assert!(out.stdout.is_empty(), "a failing run prints nothing on stdout");
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
}

/// A fresh directory holding `files`, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str, files: &[(&str, &str)]) -> Dir {
        let dir = std::env::temp_dir().join(format!("selfeval-messages-zh-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in files {
            std::fs::write(dir.join(file), text).unwrap();
        }
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[track_caller]
fn assert_has(err: &str, fragments: &[&str]) {
    for f in fragments {
        assert!(err.contains(f), "missing {f:?} in:\n{err}");
    }
}

#[test]
fn the_four_mistakes_in_chinese() {
    let (code, err) = run("zh_CN.UTF-8", None, &["score", MISTAKES]);
    assert_eq!(code, 1);
    assert_has(
        &err,
        &[
            "data.yaml:8:1: error: 缺少值 `events.huimin`（主题科普惠民行动场次，场，整数），用于：履职效能 › 品牌科普活动 › 主题科普惠民行动场次",
            "data.yaml:25:14: error: 值 `rules.updated`（制度已结合最新政策要求及时修订完善）：\"yes\" 不是布尔值：yes/no、on/off 在这里是文本；请写 true 或 是",
            "data.yaml:31:14: error: 值 `kpi.clarity`（绩效指标明确性）：\"很明确\" 不是规定的等级之一：明确 / 较明确 / 基本明确 / 不明确",
            "data.yaml:51:13: error: 值 `tweets.issues`（“从化科协”公众号推文期数）：\"95篇\" 的单位“篇”与“期”不一致，不能换算",
        ],
    );
    assert_eq!(err.matches(": error: ").count(), 4, "{err}");
    for english in ["missing value", "is not a bool", "is not one of the levels", "expected a number"] {
        assert!(!err.contains(english), "English {english:?} in:\n{err}");
    }
}

#[test]
fn lang_en_forces_english_over_a_chinese_environment() {
    let (code, err) = run("zh_CN.UTF-8", None, &["score", MISTAKES, "--lang", "en"]);
    assert_eq!(code, 1);
    assert_has(
        &err,
        &[
            "error: missing value `events.huimin` (主题科普惠民行动场次, 场, integer), needed by 履职效能 › 品牌科普活动 › 主题科普惠民行动场次",
            "error: value `rules.updated` (制度已结合最新政策要求及时修订完善): \"yes\" is not a bool: yes/no and on/off are text here; write true or 是",
            "error: value `tweets.issues` (“从化科协”公众号推文期数): \"95篇\" is in “篇”, which does not convert to “期”",
        ],
    );
    assert!(!err.contains("缺少值"), "{err}");
    // And English is the default outside a Chinese locale.
    let (_, c_locale) = run("C", None, &["score", MISTAKES]);
    assert_eq!(c_locale, err);
}

const RUBRIC_WITH_TYPOS: &str = "id: typos
title: 拼写错误
fields:
  spent: {type: number, label: 执行数}
  budget: {type: number, label: 预算数}
sections:
  - id: rate
    title: 预算执行率
    points: 10
    method: ratio
    value: spent * 100 / budget
    target: 100
    dirction: higher
  - id: cost
    title: 成本控制
    poinst: 5
    method: formula
    expr: min（points, 5）
";

#[test]
fn rubric_mistakes_with_did_you_mean_in_chinese() {
    let dir = Dir::new("typos", &[("rubric.yaml", RUBRIC_WITH_TYPOS)]);
    let (code, err) = run("zh_CN.UTF-8", Some(&dir.0), &["validate", "rubric.yaml"]);
    assert_eq!(code, 1);
    assert_has(
        &err,
        &[
            "rubric.yaml:13:5: error: 指标 `rate`：未知的键 `dirction`；你是不是想写 `direction`？",
            "rubric.yaml:16:5: error: 指标 `cost`：未知的键 `poinst`；你是不是想写 `points`？",
            "error: 指标 `cost`：末级指标需要 `points`",
            "error: 指标 `cost`：`expr`：表达式 `min（points, 5）`：无法识别的字符 `（`；请改用英文半角的 `(`",
        ],
    );
    assert!(!err.contains("did you mean") && !err.contains("unknown key"), "{err}");
}

#[test]
fn division_by_zero_in_chinese() {
    let rubric = "id: zero
title: 除以零
fields:
  spent: {type: number}
  budget: {type: number}
derived:
  execution_rate: spent * 100 / budget
sections:
  - id: execution
    title: 预算执行率
    points: 10
    method: ratio
    value: execution_rate
    target: 100
";
    let data = "rubric: rubric.yaml\nvalues:\n  spent: 5\n  budget: 0\n";
    let dir = Dir::new("zero", &[("rubric.yaml", rubric), ("data.yaml", data)]);
    let (code, err) = run("zh_CN.UTF-8", Some(&dir.0), &["score", "data.yaml"]);
    assert_eq!(code, 1);
    assert_has(
        &err,
        &[
            "data.yaml: error: 指标 `execution`（预算执行率）：在派生值 `execution_rate` 中：计算 `spent * 100 / budget` 时除以零",
        ],
    );
    let (_, english) = run("zh_CN.UTF-8", Some(&dir.0), &["score", "data.yaml", "--lang", "en"]);
    assert_has(
        &english,
        &[
            "data.yaml: error: indicator `execution` (预算执行率): in derived `execution_rate`: division by zero in `spent * 100 / budget`",
        ],
    );
}
