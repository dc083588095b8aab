//! `--help`, man pages and completions in the user's language. The command line is declared
//! once, in English, by the clap derive structs (`args.rs`); for Chinese, [`command`] takes
//! that `clap::Command` and replaces every text from [`ZH`], keyed by command and argument id,
//! and the few of clap's own (headings, `[default: …]`). A test holds [`ZH`] to every command
//! and argument, so an argument added later without a Chinese text is caught.

use super::args::Cli;
use crate::lang::Lang;
use clap::{Arg, ArgAction, Command, CommandFactory};

/// The Chinese texts: (command, argument id or "" for the command itself, text). The root
/// command is "".
pub(crate) const ZH: &[(&str, &str, &str)] = &[
    ("", "", "精确计算预算绩效自评得分，并说明每一处扣分"),
    ("", "style", "表格边框：utf8 为制表符，ascii 为纯 ASCII（适用于把制表符显示为双倍宽度的终端）"),
    ("", "lang", "表格、说明和提示的语言（JSON 的键始终为英文）；默认按 LC_ALL / LANG：zh_* 为中文，否则为英文"),
    (
        "",
        "output",
        "把结果写入 FILE（先写临时文件再改名，不会写坏原文件），而不是标准输出；不会覆盖输入文件。--format xlsx 需要此项",
    ),
    ("score", "", "一个或多个数据文件的总分、等级和各部分得分"),
    ("score", "rubric", "指标体系文件或内置 id；数据文件写明了 rubric 时可省略"),
    ("score", "data", "数据文件、文件夹（查找其中的 *.yaml / *.yml），或 - 表示标准输入"),
    ("score", "format", "输出格式"),
    ("score", "depth", "显示的指标层级（1 = 一级指标）；JSON 总是包含整棵树"),
    ("breakdown", "", "整棵指标树：每项的分值、得分、扣分，以及每个末级指标的评分规则和所用数据"),
    ("breakdown", "rubric", "指标体系文件或内置 id；数据文件写明了 rubric 时可省略"),
    ("breakdown", "data", "数据文件（- 表示标准输入）"),
    ("breakdown", "format", "输出格式"),
    ("explain", "", "按扣分多少列出扣分项，并说明怎样才能得分"),
    ("explain", "rubric", "指标体系文件或内置 id；数据文件写明了 rubric 时可省略"),
    ("explain", "data", "数据文件（- 表示标准输入）"),
    ("explain", "format", "输出格式"),
    ("check", "", "核对数据文件申报的得分与核算得分（复核）；有超出容差的多报或少报时退出码为 1"),
    ("check", "rubric", "指标体系文件或内置 id；数据文件写明了 rubric 时可省略"),
    ("check", "data", "数据文件、文件夹（查找其中的 *.yaml / *.yml），或 - 表示标准输入"),
    ("check", "tolerance", "仍算一致的最大差异"),
    ("check", "format", "输出格式"),
    ("diff", "", "并列比较两个数据文件（如 2021 年与 2022 年，或更正前后）：总分和每个指标得分的变化，以及变化的数据"),
    ("diff", "rubric", "指标体系（NEW 的；未给 --rubric-old 时也是 OLD 的）"),
    ("diff", "rubric_old", "改用此指标体系为 OLD 评分：比较两个版本的指标体系（此时可省略 NEW）"),
    ("diff", "old", "较早的数据文件（- 表示标准输入）"),
    ("diff", "new", "较晚的数据文件"),
    ("diff", "format", "输出格式"),
    ("init", "", "输出数据文件模板：每个字段的名称、单位、类型和可选值"),
    ("init", "rubric", "指标体系文件或内置 id"),
    ("init", "format", "模板格式：带注释的 YAML 文件，或 Excel 填报表（需 -o）"),
    ("validate", "", "检查指标体系，以及按它检查数据文件，列出全部问题"),
    ("validate", "rubric", "指标体系文件或内置 id"),
    ("validate", "data", "要按此指标体系检查的数据文件"),
    ("validate", "format", "table：问题只写到标准错误；json / jsonl：另在标准输出写一份汇总"),
    (
        "schema",
        "",
        "输出指标体系或数据文件格式的 JSON Schema（draft-07），供编辑器使用（# yaml-language-server: $schema=…）",
    ),
    ("schema", "kind", "哪种文件格式的 Schema"),
    ("completions", "", "输出 shell 自动补全脚本"),
    ("completions", "shell", "要补全的 shell"),
    ("man", "", "输出 man 手册页（roff 格式）"),
    ("man", "command", "输出这个子命令的手册页（默认为 selfeval 本身）"),
    ("rubrics", "", "列出内置指标体系"),
    ("rubrics", "format", "输出格式"),
    (
        "show",
        "",
        "以表格列出指标体系的指标、分值和评分标准；csv 和 xlsx 写出评分表的列（一级/二级/三级指标、分值、评分标准），draft 可读回；yaml 输出其 YAML 原文",
    ),
    ("show", "rubric", "指标体系文件或内置 id"),
    ("show", "format", "输出格式"),
    (
        "draft",
        "",
        "由公开的评分表（.xlsx、.csv 或 markdown 表格）起草指标体系：指标树及分值，能确定的评分标准转为评分方法，不能确定的记为 manual 并注明 TODO。指标体系写到标准输出（或 -o），摘要写到标准错误",
    ),
    (
        "report",
        "",
        "由得分起草自评报告：Word 文档（或 Markdown、HTML），各项数字均已算出，单位的文字取自数据文件的 report: 部分，缺少的留待填写，并附自评表",
    ),
    ("report", "rubric", "指标体系文件或内置 id；数据文件写明了 rubric 时可省略"),
    ("report", "data", "数据文件或文件夹；多个时需 --out-dir"),
    ("report", "format", "默认：-o 以 .docx 结尾或给了 --out-dir 时为 docx，.html 时为 html，否则为 markdown"),
    ("report", "out_dir", "把每个数据文件的报告写入 DIR，以数据文件命名（<文件名>.docx）"),
    ("draft", "table", "评分表：.xlsx、.csv（UTF-8）或 .md"),
    ("draft", "id", "指标体系的 id（默认取自评分表的文件名）"),
    ("draft", "title", "指标体系的名称（默认为评分表的文件名）"),
    ("draft", "format", "yaml：指标体系；json：把摘要以 JSON 写到标准输出（此时指标体系需用 -o 写入文件）"),
];

/// Chinese help of the output formats' values that have one.
const ZH_VALUES: &[(&str, &str)] = &[
    ("jsonl", "紧凑 JSON，每行一个文档"),
    ("html", "单个数据文件的独立 HTML 报告"),
    ("xlsx", "Excel 工作簿，需 -o"),
    ("yaml", "YAML 文本"),
];

/// The Chinese text of `arg` (an id, or "" for the command) of `command`.
fn zh(command: &str, arg: &str) -> Option<&'static str> {
    ZH.iter().find(|(c, a, _)| *c == command && *a == arg).map(|(_, _, text)| *text)
}

/// The command line as clap parses it, with every text in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Zh => {
            let cmd = chinese(cmd, "")
                .disable_version_flag(true)
                .arg(Arg::new("version").short('V').long("version").action(ArgAction::Version).help("显示版本"))
                .after_help("退出码：0 成功；1 文件、指标体系或其内容有问题，或检查未通过；2 命令行语法错误。")
                .subcommand_help_heading("命令")
                .disable_help_subcommand(true);
            // clap's own `help` subcommand cannot be given a Chinese text: this one stands in
            // for it (`selfeval help score`), answered by [`help_asked`].
            cmd.subcommand(
                Command::new("help")
                    .about("显示本帮助，或某个子命令的帮助")
                    .arg(Arg::new("command").help("子命令"))
                    .disable_help_flag(true),
            )
        }
    }
}

/// `cmd` (called `name` in [`ZH`]) and its subcommands with the Chinese texts.
fn chinese(cmd: Command, name: &str) -> Command {
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    let mut cmd = cmd
        .about(zh(name, "").unwrap_or_default())
        .long_about(None)
        .help_template("{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .next_help_heading("选项")
        .disable_help_flag(true)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("显示帮助").help_heading("选项"));
    for id in ids {
        let text = zh(name, &id).unwrap_or_default();
        cmd = cmd.mut_arg(&id, |arg| chinese_arg(arg, text));
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for sub in subs {
        cmd = cmd.mut_subcommand(&sub, |s| chinese(s, &sub));
    }
    cmd
}

/// One argument in Chinese: its help, with the default and the allowed values said in Chinese
/// (clap would say `[default: …]`, `[possible values: …]`).
fn chinese_arg(arg: Arg, text: &str) -> Arg {
    let mut notes = Vec::new();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| match ZH_VALUES.iter().find(|(name, _)| *name == v.get_name()) {
            Some((name, help)) => format!("{name}（{help}）"),
            None => v.get_name().to_owned(),
        })
        .collect();
    if !values.is_empty() && arg.get_action().takes_values() {
        notes.push(format!("可选：{}", values.join("、")));
    }
    let defaults: Vec<String> = arg.get_default_values().iter().map(|d| d.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() {
        notes.push(format!("默认：{}", defaults.join("、")));
    }
    let help = if notes.is_empty() { text.to_owned() } else { format!("{text} [{}]", notes.join("；")) };
    let heading = if arg.is_positional() { "参数" } else { "选项" };
    arg.help(help).long_help(None).hide_possible_values(true).hide_default_value(true).help_heading(heading)
}

/// `selfeval help [COMMAND]` under the Chinese command: the help it asks for, to print (exit 0).
pub(crate) fn help_asked(matches: &clap::ArgMatches, lang: Lang) -> Option<String> {
    let (name, sub) = matches.subcommand()?;
    if name != "help" {
        return None;
    }
    let mut root = command(lang);
    // Built, so that a subcommand's usage names `selfeval` and lists the global options.
    root.build();
    let asked = sub.get_one::<String>("command").cloned();
    let help = match asked.and_then(|c| root.find_subcommand_mut(&c).map(|s| s.render_help())) {
        Some(help) => help,
        None => root.render_help(),
    };
    Some(help.to_string())
}

/// The language asked for on the command line (`--lang zh`, `--lang=en`), before clap parses
/// it: the help clap prints while parsing must already be in it.
pub(crate) fn lang_of_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    let mut iter = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        let value = match arg.strip_prefix("--lang") {
            Some("") => iter.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_owned),
            None => None,
        };
        match value.as_deref() {
            Some("zh") => return Some(Lang::Zh),
            Some("en") => return Some(Lang::En),
            _ => {}
        }
        if arg == "--" {
            break;
        }
    }
    None
}

/// The man page of `sub` (a subcommand's name, or the whole command line), in `lang`.
pub(crate) fn man_page(sub: Option<&str>, lang: Lang) -> Result<String, String> {
    let mut root = command(lang);
    // Built, so that a subcommand's page lists the global options too.
    root.build();
    let page = match sub {
        None => root,
        Some(name) => {
            let found = root.get_subcommands().find(|s| s.get_name() == name && name != "help").cloned();
            let Some(found) = found else {
                let known: Vec<&str> = root.get_subcommands().map(Command::get_name).collect();
                return Err(crate::tr!(
                    lang,
                    "没有子命令 `{name}`（有：{}）",
                    "no subcommand `{name}` (there are: {})",
                    known.join(", ")
                ));
            };
            found.name(format!("selfeval-{name}"))
        }
    };
    let mut buffer = Vec::new();
    clap_mangen::Man::new(page).render(&mut buffer).map_err(|e| format!("cannot render the man page: {e}"))?;
    let text = String::from_utf8_lossy(&buffer).into_owned();
    Ok(match lang {
        Lang::En => text,
        // clap_mangen writes its section headings in English.
        Lang::Zh => [
            (".SH NAME", ".SH 名称"),
            (".SH SYNOPSIS", ".SH 用法"),
            (".SH DESCRIPTION", ".SH 说明"),
            (".SH OPTIONS", ".SH 选项"),
            (".SH SUBCOMMANDS", ".SH 子命令"),
            (".SH EXTRA", ".SH 附注"),
            (".SH VERSION", ".SH 版本"),
        ]
        .iter()
        .fold(text, |t, (en, zh)| t.replace(en, zh)),
    })
}

/// A completion script for `shell`, its descriptions in `lang`.
pub(crate) fn completions(shell: clap_complete::Shell, lang: Lang) -> String {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command(lang), "selfeval", &mut buffer);
    String::from_utf8_lossy(&buffer).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and every argument has a Chinese text: an argument added without one
    /// fails here, naming it.
    #[test]
    fn every_command_and_argument_has_a_chinese_text() {
        fn walk(cmd: &Command, name: &str, missing: &mut Vec<String>) {
            if zh(name, "").is_none() {
                missing.push(format!("command `{name}`"));
            }
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if !matches!(id, "help" | "version") && zh(name, id).is_none() {
                    missing.push(format!("`{name}` argument `{id}`"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, sub.get_name(), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "add to cli::help::ZH: {missing:?}");
        // And nothing in ZH that no longer exists.
        let cli = Cli::command();
        for (command, arg, _) in ZH {
            let cmd = if command.is_empty() { Some(&cli) } else { cli.find_subcommand(command) };
            let cmd = cmd.unwrap_or_else(|| panic!("ZH names no command `{command}`"));
            assert!(arg.is_empty() || cmd.get_arguments().any(|a| a.get_id() == *arg), "ZH: `{command}` `{arg}`");
        }
    }

    #[test]
    fn the_chinese_command_still_parses_as_the_english_one() {
        use clap::FromArgMatches;
        command(Lang::Zh).debug_assert();
        let args = ["selfeval", "score", "-r", "cast-dept-2021", "d.yaml", "--format", "json", "--lang", "zh"];
        let zh = Cli::from_arg_matches(&command(Lang::Zh).try_get_matches_from(args).unwrap_or_else(|e| panic!("{e}")));
        let en = Cli::from_arg_matches(&command(Lang::En).try_get_matches_from(args).unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(format!("{:?}", zh.map_err(|e| e.to_string())), format!("{:?}", en.map_err(|e| e.to_string())));
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        let args = |list: &[&str]| list.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_of_args(&args(&["selfeval", "--lang", "zh", "score"])), Some(Lang::Zh));
        assert_eq!(lang_of_args(&args(&["selfeval", "score", "x", "--lang=en", "-h"])), Some(Lang::En));
        assert_eq!(lang_of_args(&args(&["selfeval", "score", "-h"])), None);
        assert_eq!(lang_of_args(&args(&["selfeval", "--", "--lang", "zh"])), None);
    }
}
