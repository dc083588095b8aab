//! `selfeval report`: the 自评报告 drafted from the score. The Markdown form is snapshot-tested
//! (and was read line by line against the seed report, docs/seed.md); the Word form is opened
//! and converted by LibreOffice headless, its text read back with pdftotext, and page 1 and the
//! 附表's first page kept as PNGs under `target/narrative-test/` (CI artifacts).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use assert_cmd::cargo::cargo_bin_cmd;
use common::Dir;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SEED: &str = "examples/conghua-cast-2021/data.yaml";
const PROJECT: &str = "examples/mof-project-2020/data.yaml";

fn selfeval() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("selfeval");
    cmd.env_remove("LC_ALL").env("LANG", "zh_CN.UTF-8");
    cmd
}

/// stdout, stderr and exit code of a run.
fn run(args: &[&str]) -> (String, String, i32) {
    let out = selfeval().args(args).output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap(), out.status.code().unwrap_or(-1))
}

/// The seed's data file without its `report:` block.
fn seed_without_report() -> String {
    let seed = std::fs::read_to_string(SEED).unwrap();
    seed[..seed.find("\n# The report's own prose").unwrap() + 1].to_owned()
}

/// Where each of `figures` first appears in `text`, in order; panics naming one that is
/// missing or out of order.
fn assert_in_order(text: &str, figures: &[&str]) {
    let mut at = 0;
    for f in figures {
        match text[at..].find(f) {
            Some(i) => at += i + f.len(),
            None => panic!("`{f}` is missing or out of the seed's order after byte {at}:\n{text}"),
        }
    }
}

/// The figures the seed report states, in its order (issue 16).
const SEED_FIGURES: &[&str] = &[
    "282.41 万元",
    "预算完成率 100%",
    "241.29 万元",
    "85.4%",
    "41.12 万元",
    "14.6%",
    "92.7 分",
    "“优”",
    "管理效能 42.7 分",
    "履职效能 50 分",
];

/// The seed's outline, in its order.
const SEED_HEADINGS: &[&str] = &[
    "一、基本情况",
    "（一）部门概况",
    "（二）年度总体工作和重点工作任务",
    "（三）部门整体收支情况",
    "（四）部门整体绩效管理情况",
    "二、综合评价分析",
    "（一）自评结果",
    "（二）各项工作任务绩效目标完成情况分析",
    "1. 管理效能",
    "2. 履职效能",
    "三、存在问题",
    "四、下一步措施",
    "附表",
];

/// The four indicators the seed's 92.7 lost points at (docs/seed.md).
const SEED_LOSSES: &[&str] =
    &["预算及财务管理制度健全性", "绩效目标合理性", "绩效指标明确性", "绩效监控和绩效评价开展情况"];

#[test]
fn the_seed_report_in_markdown() {
    let (md, err, code) = run(&["report", SEED]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(md);
}

#[test]
fn the_seed_report_states_the_seeds_figures_in_its_order() {
    let (md, _, _) = run(&["report", SEED]);
    assert_in_order(&md, SEED_HEADINGS);
    assert_in_order(&md, SEED_FIGURES);
    let problems = &md[md.find("## 三、存在问题").unwrap()..md.find("## 四、下一步措施").unwrap()];
    assert_in_order(problems, &["共有 4 项指标扣分，合计扣 7.3 分"]);
    assert_in_order(problems, SEED_LOSSES.iter().map(|l| &**l).collect::<Vec<_>>().as_slice());
    // 下一步措施 drafted from the rubric's `improve:` of those four, after the department's own.
    let next = &md[md.find("## 四、下一步措施").unwrap()..md.find("## 附表").unwrap()];
    assert_in_order(
        next,
        &["通过财政绩效评价工作的开展", "一是针对“预算及财务管理制度健全性”", "四是针对“绩效监控和绩效评价开展情况”"],
    );
}

#[test]
fn the_english_report_has_the_same_figures() {
    let (md, err, code) = run(&["report", SEED, "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert_in_order(
        &md,
        &[
            "282.41 万元",
            "completion rate 100%",
            "241.29 万元 (85.4%)",
            "41.12 万元 (14.6%)",
            "92.7 out of 100",
            "“优”",
            "管理效能 42.7 of 50",
            "履职效能 50 of 50",
        ],
    );
    assert!(md.contains("## 3. Problems") && md.contains("4 indicators lost 7.3 points"));
}

#[test]
fn a_project_rubric_gets_a_project_report() {
    let (md, err, code) = run(&["report", PROJECT]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(md);
    assert_in_order(
        &md,
        &[
            "2023 年项目支出绩效自评报告",
            "一、项目概况",
            "（二）项目资金情况",
            "138.6 万元，预算执行率 92.4%",
            "二、绩效目标",
            "三、自评结果",
            "95.1 分",
            "四、偏差分析",
            "五、存在问题及改进措施",
            "附表",
        ],
    );
    // The 偏差原因 written beside a row of the 绩效目标表.
    assert!(md.contains("扣 2 分（分值 5 分，得 3 分）。偏差原因：部分工程竣工资料年底前未归档。\n"), "{md}");
    // Without a `report:` block: placeholders in the text, and a note listing them.
    assert!(md.contains("【待填写：项目概况】") && md.contains("【待填写：绩效目标】"));
    assert!(err.contains("提示：报告中有 6 处待填写"), "{err}");
    assert!(err.contains("项目概况、绩效目标、填报单位、填报人、审核人、日期"), "{err}");
}

/// Every built-in template keeps one heading, sentence group or loss per line, in both
/// languages: a block tag at a line's end must not swallow its line break.
#[test]
fn every_built_in_template_keeps_its_lines_apart() {
    for data in [SEED, PROJECT] {
        for lang in ["zh", "en"] {
            let (md, err, code) = run(&["report", data, "--lang", lang]);
            assert_eq!(code, 0, "{err}");
            for line in md.lines() {
                assert!(!line.trim_start_matches('#').contains("#"), "{data} {lang}: a heading inside `{line}`");
                let numbered = line.matches("分（分值").count() + line.matches(" points (score ").count();
                assert!(numbered <= 1, "{data} {lang}: two losses on one line: `{line}`");
            }
        }
    }
}

#[test]
fn a_file_without_a_report_block_gets_placeholders_and_a_note() {
    let dir = Dir::new();
    let data = dir.write("data.yaml", seed_without_report());
    let (md, err, code) = run(&["report", &data]);
    assert_eq!(code, 0, "{err}");
    for label in
        ["部门概况", "年度总体工作和重点工作任务", "部门整体绩效管理情况", "填报单位", "填报人", "审核人", "日期"]
    {
        assert!(md.contains(&format!("【待填写：{label}】")), "{label}");
    }
    // Figures are computed all the same; 下一步措施 is drafted from the lost points.
    assert_in_order(&md, SEED_FIGURES);
    assert!(md.contains("一是针对“预算及财务管理制度健全性”"));
    assert!(!md.contains("我会绩效管理总体实施情况较好"));
    assert_eq!(
        err,
        format!(
            "{data}: 提示：报告中有 7 处待填写（写在数据文件的 `report:` 中）：部门概况、年度总体工作和重点工作任务、部门整体绩效管理情况、填报单位、填报人、审核人、日期\n"
        )
    );
}

#[test]
fn missing_budget_figures_are_a_placeholder_never_a_guess() {
    let dir = Dir::new();
    let text = seed_without_report()
        .replace("    basic: 241.29", "    # basic")
        .replace("    executed: 282.41", "    # executed");
    let data = dir.write("data.yaml", text);
    // 预算执行率 needs budget.executed: scoring says so and no report is made.
    let (_, err, code) = run(&["report", &data]);
    assert_eq!(code, 1);
    assert!(err.contains("budget.executed"), "{err}");
    // Without 基本支出 the sentence leaves it out; the shares of what is there stay exact.
    let text = seed_without_report().replace("    basic: 241.29", "    # basic");
    let data = dir.write("data.yaml", text);
    let (md, err, code) = run(&["report", &data]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("（预算完成率 100%）；项目支出 41.12 万元，占 14.6%。"), "{md}");
    assert!(!md.contains("基本支出"));
}

#[test]
fn a_rubric_without_budget_roles_leaves_the_budget_to_the_department() {
    let dir = Dir::new();
    let rubric = std::fs::read_to_string("rubrics/cast-dept-2021.yaml").unwrap();
    let start = rubric.find("\nreport:\n").unwrap();
    let end = start + rubric[start + 1..].find("\n\n").unwrap() + 1;
    let rubric = format!("{}{}", &rubric[..start], &rubric[end..]);
    dir.write("rubric.yaml", rubric);
    let data = dir.write("data.yaml", seed_without_report().replace("rubric: cast-dept-2021", "rubric: rubric.yaml"));
    let (md, err, code) = run(&["report", &data]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("### （三）部门整体收支情况\n\n【待填写：部门整体收支情况】"), "{md}");
    assert!(err.contains("部门整体收支情况"), "{err}");
}

#[test]
fn html_is_one_page_with_the_annex_on_its_own_and_user_text_escaped() {
    let dir = Dir::new();
    let text = seed_without_report()
        + "report:\n  overview: \"<script>alert(1)</script> & 概况\"\n  key_work: \"# 不是标题\"\n";
    let data = dir.write("data.yaml", text);
    let out = dir.path("report.html");
    let (_, err, code) = run(&["report", &data, "-o", &out]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 概况") && !page.contains("<script>"));
    assert!(page.contains("<p># 不是标题</p>"), "a department's `#` is text, not a heading");
    assert!(page.contains("<section class=\"annex\">") && page.contains(".annex { break-before: page; }"));
    // 管理效能 spans its 15 indicators, 资金管理 its 9.
    assert!(page.contains("<td rowspan=\"15\">管理效能</td><td rowspan=\"9\">资金管理</td>"), "{page}");
    // The Markdown form keeps the `#` as text too.
    let (md, _, _) = run(&["report", &data]);
    assert!(md.contains("\n\\# 不是标题\n"), "{md}");
}

#[test]
fn usage_errors() {
    let dir = Dir::new();
    let (_, err, code) = run(&["report", SEED, "--format", "docx"]);
    assert_eq!((code, err.as_str()), (2, "error: Word 文件是二进制文件：请用 -o 文件.docx 写入文件\n"));
    let (_, err, code) = run(&["report", SEED, PROJECT]);
    assert_eq!((code, err.as_str()), (2, "error: 多个数据文件各出一份报告：请用 --out-dir 目录\n"));
    let (_, err, code) = run(&["report", SEED, "-o", &dir.path("a.docx"), "--out-dir", &dir.path("d")]);
    assert_eq!((code, err.as_str()), (2, "error: -o 与 --out-dir 只能给一个\n"));
    // Never over an input.
    let data = dir.write("data.yaml", std::fs::read(SEED).unwrap());
    let (_, err, code) = run(&["report", &data, "--format", "markdown", "-o", &data]);
    assert_eq!(code, 1);
    assert!(err.contains("拒绝写出：输出会覆盖一个输入文件"), "{err}");
    assert_eq!(std::fs::read(&data).unwrap(), std::fs::read(SEED).unwrap());
}

#[test]
fn out_dir_writes_one_report_per_file_the_same_as_alone() {
    let dir = Dir::new();
    let alone = dir.path("alone.docx");
    let (_, err, code) = run(&["report", SEED, "-o", &alone]);
    assert_eq!(code, 0, "{err}");
    std::fs::create_dir_all(dir.0.join("in/sub")).unwrap();
    std::fs::copy(SEED, dir.0.join("in/seed.yaml")).unwrap();
    std::fs::copy(PROJECT, dir.0.join("in/project.yaml")).unwrap();
    // Same stem in a subfolder: the second report would overwrite the first, so it is refused.
    std::fs::copy(PROJECT, dir.0.join("in/sub/project.yaml")).unwrap();
    let out = dir.path("out");
    let (_, err, code) = run(&["report", &dir.path("in"), "--out-dir", &out]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("已由") && err.contains("project.yaml"), "{err}");
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["project.docx", "seed.docx"], "no temporary file is left behind");
    // The seed's report is byte for byte the one made alone: nothing depends on the run.
    assert_eq!(std::fs::read(dir.0.join("out/seed.docx")).unwrap(), std::fs::read(&alone).unwrap());
    // Into the folder of the inputs: the reports are new files, the inputs untouched.
    let (_, err, code) =
        run(&["report", &dir.path("in/seed.yaml"), "--out-dir", &dir.path("in"), "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.0.join("in/seed.md").is_file());
    assert_eq!(std::fs::read(dir.0.join("in/seed.yaml")).unwrap(), std::fs::read(SEED).unwrap());
    // Nor over the rubric it read (`-r` reads a rubric under any name): `r/data.md`.
    std::fs::create_dir_all(dir.0.join("r")).unwrap();
    std::fs::copy("rubrics/cast-dept-2021.yaml", dir.0.join("r/data.md")).unwrap();
    let data = dir.write("data.yaml", std::fs::read(SEED).unwrap());
    let (_, err, code) =
        run(&["report", "-r", &dir.path("r/data.md"), &data, "--out-dir", &dir.path("r"), "--format", "markdown"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("拒绝写出：输出会覆盖一个输入文件"), "{err}");
    assert_eq!(std::fs::read(dir.0.join("r/data.md")).unwrap(), std::fs::read("rubrics/cast-dept-2021.yaml").unwrap());
}

/// The parts of a .docx (a zip) by name.
fn docx_part(path: &str, part: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut text).unwrap();
    text
}

#[test]
fn the_word_file_is_a4_in_the_official_fonts_with_page_numbers_and_merged_cells() {
    let dir = Dir::new();
    let out = dir.path("自评报告.docx");
    let (stdout, err, code) = run(&["report", SEED, "-o", &out]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    let doc = docx_part(&out, "word/document.xml");
    // A4 portrait for the text, A4 landscape for the 附表 (twips).
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\""), "portrait A4");
    assert!(doc.contains("<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\""), "landscape A4");
    assert!(
        doc.contains("<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""),
        "GB/T 9704 margins"
    );
    for font in ["方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"] {
        assert!(doc.contains(&format!("w:eastAsia=\"{font}\"")), "{font}");
    }
    // The 一级 and 二级 cells: one restart per run, continued below it.
    assert_eq!(doc.matches("<w:vMerge w:val=\"restart\" />").count(), 2 + 8, "2 一级 + 8 二级 runs");
    assert!(doc.matches("<w:vMerge w:val=\"continue\" />").count() >= 2 * 31 - 10);
    let footer = docx_part(&out, "word/footer1.xml");
    assert!(footer.contains("PAGE") && footer.contains("— "), "{footer}");
    // Parts deflated (docx-rs stores them): the seed's report is about 16 KB, not 127 KB.
    let size = std::fs::metadata(&out).unwrap().len();
    eprintln!("note: the seed's report is {size} bytes");
    assert!(size < 40_000, "{size} bytes");
}

// ---- LibreOffice ----

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn installed(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Whether LibreOffice and poppler are there; when CI is set they must be.
fn converters() -> bool {
    let ok = installed("soffice", "--version") && installed("pdftotext", "-v") && installed("pdftoppm", "-v");
    if !ok {
        let message = "LibreOffice (soffice) or poppler-utils is not installed (Debian: apt-get install libreoffice-writer-nogui poppler-utils); the Word report's tests need them";
        assert!(!ci(), "{message}");
        eprintln!("note: skipping: {message}");
    }
    ok
}

/// `target/narrative-test/` (or under `CARGO_TARGET_DIR`): the PDFs and PNGs stay there.
fn out_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("narrative-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Converts `docx` to PDF beside it with LibreOffice headless, on a profile of its own (so
/// that tests convert in parallel), within a time limit.
fn to_pdf(docx: &Path, name: &str) -> PathBuf {
    let profile = std::env::temp_dir().join(format!("selfeval-lo-{name}-{}", std::process::id()));
    let outdir = docx.parent().unwrap();
    let mut child = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(outdir)
        .arg(docx)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(180) {
            child.kill().ok();
            child.wait().ok();
            panic!("soffice took longer than 3 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    std::fs::remove_dir_all(&profile).ok();
    eprintln!("note: soffice converted {name} in {:.1} s", start.elapsed().as_secs_f64());
    assert!(status.success(), "soffice failed on {}", docx.display());
    let pdf = docx.with_extension("pdf");
    assert!(pdf.is_file(), "soffice wrote no PDF (a file it could not open?)");
    pdf
}

fn pdf_text(pdf: &Path, pages: Option<(u32, u32)>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some((first, last)) = pages {
        cmd.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn page_count(pdf: &Path) -> u32 {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// Page `page` of `pdf` as `target/narrative-test/<name>.png`.
fn keep_png(pdf: &Path, page: u32, name: &str) {
    let prefix = out_dir().join(name);
    let p = page.to_string();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-singlefile", "-f", &p, "-l", &p])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    let png = prefix.with_extension("png");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", png.display());
}

/// Text without the line breaks and spaces a PDF puts inside Chinese text.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `report DATA -o target/narrative-test/<name>.docx`, converted to PDF; the PDF.
fn converted(data: &str, name: &str) -> PathBuf {
    let dir = out_dir();
    let docx = dir.join(format!("{name}.docx"));
    std::fs::remove_file(dir.join(format!("{name}.pdf"))).ok();
    selfeval().args(["report", data, "-o"]).arg(&docx).assert().success();
    to_pdf(&docx, name)
}

#[test]
fn libreoffice_converts_the_seeds_report_and_shows_its_figures() {
    if !converters() {
        return;
    }
    let pdf = converted(SEED, "seed");
    let all = squeezed(&pdf_text(&pdf, None));
    let squeeze = |list: &[&str]| list.iter().map(|s| squeezed(s)).collect::<Vec<_>>();
    assert_in_order(&all, &squeeze(SEED_HEADINGS).iter().map(String::as_str).collect::<Vec<_>>());
    assert_in_order(&all, &squeeze(SEED_FIGURES).iter().map(String::as_str).collect::<Vec<_>>());
    for l in SEED_LOSSES {
        assert!(all.contains(l), "{l}");
    }
    // Page 1 opens with the title; the 附表 starts a (landscape) page of its own.
    let pages = page_count(&pdf);
    let first = squeezed(&pdf_text(&pdf, Some((1, 1))));
    assert!(first.starts_with("广州市从化区科学技术协会2021年部门整体支出绩效自评报告一、基本情况"), "{first}");
    let annex = (1..=pages)
        .find(|p| squeezed(&pdf_text(&pdf, Some((*p, *p)))).starts_with("附表："))
        .expect("no page starts with 附表");
    let before = squeezed(&pdf_text(&pdf, Some((annex - 1, annex - 1))));
    assert!(!before.contains("附表"), "the page before the 附表 holds none of it");
    let annex_text = squeezed(&pdf_text(&pdf, Some((annex, pages))));
    // pdftotext reads a table column by column, so these are found, not ordered.
    for shown in [
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "评分标准",
        "得分",
        "扣分原因",
        "管理效能",
        "资金管理",
        "预算执行率",
        "合计",
        "92.7",
        "等级：优",
        "填报单位：广州市从化区科学技术协会",
    ] {
        assert!(annex_text.contains(shown), "{shown}: {annex_text}");
    }
    for l in SEED_LOSSES {
        assert!(annex_text.contains(l), "{l}");
    }
    keep_png(&pdf, 1, "seed-page1");
    keep_png(&pdf, annex, "seed-annex");
    // Page numbers in the footer: "— 1 —".
    assert!(squeezed(&pdf_text(&pdf, Some((1, 1)))).ends_with("—1—"));
}

#[test]
fn libreoffice_converts_a_project_report_and_a_hostile_one() {
    if !converters() {
        return;
    }
    let pdf = converted(PROJECT, "project");
    let all = squeezed(&pdf_text(&pdf, None));
    assert_in_order(
        &all,
        &[
            "2023年项目支出绩效自评报告",
            "一、项目概况",
            "【待填写：项目概况】",
            "预算执行率92.4%",
            "95.1分",
            "四、偏差分析",
            "附表",
        ],
    );
    keep_png(&pdf, 1, "project-page1");
    // Control characters, markup and quotes in a department's text: the file still opens.
    let tmp = Dir::new();
    let text = seed_without_report()
        + "report:\n  overview: \"a\\u0001b\\u0007c <w:p> & \\\"quoted\\\" ]]> 概况\"\n  preparer: \"\\u000b张三\"\n";
    let data = tmp.write("hostile.yaml", text);
    let pdf = converted(&data, "hostile");
    let all = squeezed(&pdf_text(&pdf, None));
    assert!(all.contains("abc<w:p>&\"quoted\"]]>概况"), "{all}");
    assert!(all.contains("填报人：张三"), "{all}");
}

/// A copy of the built-in rubric in `dir` whose `report:` part names `template`.
fn rubric_with_template(dir: &Dir, template: &str) -> String {
    let rubric = std::fs::read_to_string("rubrics/cast-dept-2021.yaml").unwrap();
    let rubric =
        rubric.replace("report:\n  kind: 部门整体\n", &format!("report:\n  kind: 部门整体\n  template: {template}\n"));
    dir.write("rubric.yaml", rubric)
}

#[test]
fn a_rubric_brings_its_own_template_from_its_folder_only() {
    let dir = Dir::new();
    dir.write(
        "mine.md.j2",
        "# {{ subject }}\n自评得分 {{ total }} 分，{{ grade }}。\n{% for l in losses %}{{ l.title }}\n{% endfor %}",
    );
    let rubric = rubric_with_template(&dir, "mine.md.j2");
    let (md, err, code) = run(&["report", "-r", &rubric, SEED]);
    assert_eq!(code, 0, "{err}");
    assert!(
        md.starts_with("# 广州市从化区科学技术协会\n\n自评得分 92.7 分，优。\n\n预算及财务管理制度健全性\n"),
        "{md}"
    );
    assert!(md.contains("## 附表"), "the 附表 is the writer's, whatever the template");
    // Outside the rubric's folder, by `..` or by a link: refused at the key, never read.
    let outside = Dir::new();
    outside.write("secret.j2", "SECRET");
    let rel = format!("../{}/secret.j2", outside.0.file_name().unwrap().to_string_lossy());
    let rubric = rubric_with_template(&dir, &rel);
    let (md, err, code) = run(&["report", "-r", &rubric, SEED]);
    assert_eq!(code, 1);
    assert!(md.is_empty() && !err.contains("SECRET"), "{err}");
    assert!(err.contains(&format!("{rubric}:")) && err.contains("不在指标体系文件所在的文件夹中"), "{err}");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.0.join("secret.j2"), dir.0.join("link.j2")).unwrap();
        let rubric = rubric_with_template(&dir, "link.j2");
        let (_, err, code) = run(&["report", "-r", &rubric, SEED]);
        assert_eq!(code, 1);
        assert!(err.contains("不在指标体系文件所在的文件夹中") && !err.contains("SECRET"), "{err}");
    }
}

#[test]
fn a_broken_or_endless_template_is_an_error_not_a_hang() {
    let dir = Dir::new();
    dir.write("broken.j2", "# {{ subject }\n");
    let rubric = rubric_with_template(&dir, "broken.j2");
    let (md, err, code) = run(&["report", "-r", &rubric, SEED]);
    assert_eq!(code, 1);
    assert!(md.is_empty());
    assert!(err.contains("broken.j2") && err.contains("line 1"), "{err}");
    dir.write("endless.j2", "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}");
    let rubric = rubric_with_template(&dir, "endless.j2");
    let (_, err, code) = run(&["report", "-r", &rubric, SEED]);
    assert_eq!(code, 1);
    assert!(err.contains("endless.j2"), "{err}");
    dir.write("unknown.j2", "{{ no_such_thing }}");
    let rubric = rubric_with_template(&dir, "unknown.j2");
    let (_, err, code) = run(&["report", "-r", &rubric, SEED]);
    assert_eq!(code, 1);
    assert!(err.contains("undefined"), "{err}");
}
