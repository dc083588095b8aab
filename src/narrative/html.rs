//! `report --format html`: the report as one self-contained page (no scripts, nothing from
//! elsewhere), A4 and in the 公文 fonts where the reader has them; the 附表 on a page of its
//! own with merged 一级/二级 cells (`rowspan`).

use super::text::Block;
use super::{Appendix, Narrative};
use std::fmt::Write;

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = r#"@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.6; max-width: 156mm; margin: auto; }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", serif; font-size: 22pt; text-align: center; font-weight: normal; margin: 0.3em 0; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 0.6em 0 0.2em; }
h3 { font-family: "楷体_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC", serif; font-size: 16pt; font-weight: normal; margin: 0.4em 0 0.2em; }
h4 { font-size: 16pt; font-weight: bold; margin: 0.3em 0; }
p { text-indent: 2em; margin: 0; }
.annex { break-before: page; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 1.3; }
th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: middle; }
th { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-weight: normal; }
td.n { text-align: right; }
tr { break-inside: avoid; }
.sign { text-indent: 0; margin-top: 0.6em; font-size: 12pt; }"#;

pub fn render(n: &Narrative, blocks: &[Block]) -> String {
    let mut out = String::new();
    let lang = n.lang.pick("zh-CN", "en");
    let _ = writeln!(out, "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">");
    let _ = writeln!(out, "<title>{}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>", esc(&n.title));
    for b in blocks {
        let _ = match b {
            Block::Title(t) => writeln!(out, "<h1>{}</h1>", esc(t)),
            Block::Heading(level, t) => writeln!(out, "<h{0}>{1}</h{0}>", level + 1, esc(t)),
            Block::Paragraph(t) => writeln!(out, "<p>{}</p>", esc(t)),
        };
    }
    appendix(&mut out, &n.appendix, n);
    let _ = writeln!(out, "</body>\n</html>");
    out
}

/// How many rows from `i` on share the key `key` gives row `i`.
pub(super) fn run_length(a: &Appendix, i: usize, key: impl Fn(&super::AppendixRow) -> &str) -> usize {
    let Some(first) = a.rows.get(i) else { return 0 };
    a.rows[i..].iter().take_while(|r| key(r) == key(first)).count()
}

fn appendix(out: &mut String, a: &Appendix, n: &Narrative) {
    let _ = writeln!(out, "<section class=\"annex\">\n<h2>{}</h2>\n<table>\n<thead><tr>", esc(&a.title));
    for c in &a.columns {
        let _ = write!(out, "<th>{}</th>", esc(c));
    }
    let _ = writeln!(out, "</tr></thead>\n<tbody>");
    for (i, r) in a.rows.iter().enumerate() {
        let _ = write!(out, "<tr>");
        let starts = |key: fn(&super::AppendixRow) -> &str| i == 0 || key(&a.rows[i - 1]) != key(r);
        if starts(|r| &r.first.0) {
            let span = run_length(a, i, |r| &r.first.0);
            let _ = write!(out, "<td rowspan=\"{span}\">{}</td>", esc(&r.first.1));
        }
        if starts(|r| &r.second.0) {
            let span = run_length(a, i, |r| &r.second.0);
            let _ = write!(out, "<td rowspan=\"{span}\">{}</td>", esc(&r.second.1));
        }
        let _ = writeln!(
            out,
            "<td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&r.third),
            esc(&r.points),
            esc(&r.standard),
            esc(&r.score),
            esc(&r.reason)
        );
    }
    let grade = a.grade.as_deref().map(|g| format!("{}{g}", n.lang.pick("等级：", "grade: "))).unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr><th colspan=\"3\">{}</th><td class=\"n\">{}</td><td></td><td class=\"n\"><b>{}</b></td><td>{}</td></tr>",
        n.lang.pick("合计", "Total"),
        esc(&a.total.0),
        esc(&a.total.1),
        esc(&grade)
    );
    let _ = writeln!(out, "</tbody>\n</table>");
    let sign: Vec<String> =
        n.sign_off.iter().map(|(k, v)| format!("{}{}{}", esc(k), n.lang.pick("：", ": "), esc(v))).collect();
    let _ = writeln!(out, "<p class=\"sign\">{}</p>\n</section>", sign.join("&emsp;&emsp;"));
}
