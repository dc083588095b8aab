//! The report's wording: a minijinja template per kind and language (templates/narrative/),
//! rendered from the [`Narrative`] into lines, each a [`Block`]. A line `# …` is a title,
//! `## …` a 一级 heading (一、), `### …` a 二级 heading (（一）), `#### …` a third level
//! (1.); any other line is a paragraph. The department's own text never starts a heading
//! (`\#` is a literal `#`, see [`super::build`]).

use super::Narrative;
use crate::lang::Lang;
use crate::rubric::ReportKind;
use minijinja::{Environment, UndefinedBehavior};

const DEPARTMENT_ZH: &str = include_str!("../../templates/narrative/department.zh.md.j2");
const DEPARTMENT_EN: &str = include_str!("../../templates/narrative/department.en.md.j2");
const PROJECT_ZH: &str = include_str!("../../templates/narrative/project.zh.md.j2");
const PROJECT_EN: &str = include_str!("../../templates/narrative/project.en.md.j2");

/// What a template may spend: its loops run over the report's own lists, so a template that
/// runs out is broken (or hostile), never slow by need.
const FUEL: u64 = 2_000_000;

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Title(String),
    /// Level 1 (一、), 2 (（一）) or 3 (1.).
    Heading(u8, String),
    Paragraph(String),
}

/// The built-in template of a kind of report in a language.
pub fn builtin(kind: ReportKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (ReportKind::Department, Lang::Zh) => DEPARTMENT_ZH,
        (ReportKind::Department, Lang::En) => DEPARTMENT_EN,
        (ReportKind::Project, Lang::Zh) => PROJECT_ZH,
        (ReportKind::Project, Lang::En) => PROJECT_EN,
    }
}

/// 1 → 一, 12 → 十二, 21 → 二十一: the numbering of 一是… and 一、.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!("{}十{}", DIGITS[n / 10], if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] }),
        _ => n.to_string(),
    }
}

/// Renders the report's wording with `template` (a built-in one, or the rubric's own) into
/// blocks. `Err` says where a template went wrong.
pub fn render(n: &Narrative, template: &str) -> Result<Vec<Block>, String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build();
    env.set_syntax(syntax.map_err(|e| describe(&e))?);
    env.set_fuel(Some(FUEL));
    env.add_filter("cn", |n: usize| chinese_number(n));
    env.add_template("report", template).map_err(|e| describe(&e))?;
    let text = env
        .get_template("report")
        .and_then(|t| t.render(minijinja::value::Value::from(minijinja::value::Serde(n))))
        .map_err(|e| describe(&e))?;
    Ok(blocks(&text))
}

fn describe(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!("line {line}: {e}"),
        None => e.to_string(),
    }
}

/// The lines of rendered text as blocks; blank lines separate nothing more than lines do.
pub fn blocks(text: &str) -> Vec<Block> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let level = line.chars().take_while(|c| *c == '#').count();
            let rest = line[level..].trim().to_owned();
            match level {
                1 => Block::Title(rest),
                2 => Block::Heading(1, rest),
                3 => Block::Heading(2, rest),
                4 => Block::Heading(3, rest),
                _ => Block::Paragraph(line.strip_prefix('\\').unwrap_or(line).to_owned()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 4, 10, 11, 20, 21, 99, 100].into_iter().map(chinese_number).collect();
        assert_eq!(got, ["一", "四", "十", "十一", "二十", "二十一", "九十九", "100"]);
    }

    #[test]
    fn lines_become_blocks_and_escaped_hashes_stay_text() {
        let b = blocks("# 标题\n\n## 一、基本情况\n### （一）概况\n#### 1. 管理\n正文\n\\# 不是标题\n");
        assert_eq!(
            b,
            [
                Block::Title("标题".into()),
                Block::Heading(1, "一、基本情况".into()),
                Block::Heading(2, "（一）概况".into()),
                Block::Heading(3, "1. 管理".into()),
                Block::Paragraph("正文".into()),
                Block::Paragraph("# 不是标题".into()),
            ]
        );
    }
}
