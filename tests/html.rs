//! `--format html`: the self-contained report page. The pure tests read the HTML the binary
//! writes; the browser test renders the seed's report in Debian's headless Chromium, keeps the
//! screenshot under `target/html-test/` (a CI artifact) and reads the text the browser shows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::{Path, PathBuf};

mod common;
use common::browser::{chromium, chromium_available, png_size, visible_text};

const SEED: &str = "examples/conghua-cast-2021/data.yaml";
const ALL: &str = "examples/all-methods/data.yaml";

/// `target/html-test/` (or under `CARGO_TARGET_DIR`): the page and screenshot stay there.
fn out_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("html-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn selfeval() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("selfeval");
    cmd.env_remove("LC_ALL").env("LANG", "C");
    cmd
}

/// The page `selfeval <args> --format html` writes to standard output.
fn html(args: &[&str]) -> String {
    let out = selfeval().args(args).args(["--format", "html"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_page_is_self_contained() {
    for page in [html(&["score", SEED, "--lang", "zh"]), html(&["breakdown", ALL, "--lang", "en"])] {
        assert!(page.starts_with("<!doctype html>"));
        // No user text here mentions an address, so none may appear at all.
        assert!(!page.contains("http://") && !page.contains("https://"));
        for outside in ["<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "@font-face"] {
            assert!(!page.contains(outside), "{outside}");
        }
        assert!(page.contains("<style>") && page.contains("</html>"));
        // A4 print: page size, rows kept whole, headers repeated on every page.
        assert!(page.contains("@page { size: A4;"));
        assert!(page.contains("break-inside: avoid") && page.contains("<thead>"));
        assert!(page.contains("\"Noto Sans CJK SC\""));
    }
}

#[test]
fn the_headline_has_exact_digits() {
    let page = html(&["score", SEED, "--lang", "zh"]);
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("<h1>广州市从化区科学技术协会</h1>"));
    assert!(page.contains("<span class=\"value\">92.7</span><span class=\"max\"> / 100</span>"));
    assert!(page.contains("<span class=\"value\">优</span>"));
    assert!(page.contains("部门整体支出绩效自评（区科协）") && page.contains("cast-dept-2021"));
    assert!(page.contains("扣分 7.3"));
}

#[test]
fn every_command_writes_the_same_page() {
    let score = html(&["score", SEED]);
    assert_eq!(html(&["breakdown", SEED]), score);
    assert_eq!(html(&["explain", SEED]), score);
}

#[test]
fn the_bar_chart_is_inline_svg_with_one_labelled_bar_per_section() {
    let page = html(&["score", SEED, "--lang", "zh"]);
    assert_eq!(page.matches("<svg").count(), 1);
    assert_eq!(page.matches("<g class=\"bar\"").count(), 2);
    let bar = |id: &str| {
        let start = page.find(&format!("<g class=\"bar\" data-id=\"{id}\">")).unwrap();
        page[start..start + page[start..].find("</g>").unwrap()].to_owned()
    };
    let management = bar("management");
    assert!(management.contains("管理效能") && management.contains("42.7") && management.contains("/ 50"));
    assert!(management.contains("−7.3"));
    // The track is the points (50 of the largest 50: 600 wide), the bar the score: 600 × 42.7 / 50.
    assert!(management.contains("width=\"600.0\"") && management.contains("width=\"512.4\""), "{management}");
    let performance = bar("performance");
    assert!(performance.contains("履职效能") && performance.contains(">50<"), "{performance}");
}

#[test]
fn the_tree_the_losses_and_the_not_applicable_rows() {
    let page = html(&["breakdown", ALL, "--lang", "zh"]);
    // The tree: a section row, an indented leaf with its weight, inputs and rule.
    assert!(page.contains("<tr class=\"section\" data-id=\"finance\">"));
    assert!(page.contains("<tr class=\"leaf\" data-id=\"exec_rate\">"));
    assert!(page.contains("padding-left:26px\">预算执行率"));
    // By its label and unit, at the rubric's precision: the rate is worked out (issue 14).
    assert!(page.contains("<code>预算执行率 = 92.47%</code>"), "{page}");
    // Not applicable: marked, with its reason, in the tree and in its own list.
    let na = page.find("<tr class=\"leaf na\" data-id=\"asset_disposal\">").unwrap();
    let row = &page[na..na + page[na..].find("</tr>").unwrap()];
    assert!(row.contains("<span class=\"tag na\">不适用</span>") && row.contains("本年度无资产处置事项"), "{row}");
    assert!(page.contains("<h2>不适用指标</h2>") && page.contains("本年度未受理热线工单"));
    // Bonus: marked.
    assert!(page.contains("<tr class=\"leaf bonus\" data-id=\"award\">"));
    assert!(page.contains("<span class=\"tag bonus\">加分项</span>"));
    // Rescaled branches say so.
    assert!(page.contains("按权重折算：4.65 → 6.64"));
    // Losses largest first, with advice; then by section.
    let first = page.find("重点任务完成率</strong>").unwrap();
    let second = page.find("审计问题</strong>").unwrap();
    assert!(first < second);
    assert!(page.contains("各部分扣分："));
}

#[test]
fn user_text_is_escaped() {
    let dir = out_dir().join("escape");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(SEED).unwrap().replace(
        "subject: 广州市从化区科学技术协会",
        "subject: \"<b>甲</b> <script>alert(1)</script> https://example.org/x\"",
    );
    let data = dir.join("data.yaml");
    std::fs::write(&data, text).unwrap();
    let page = html(&["score", data.to_str().unwrap()]);
    assert!(!page.contains("<b>甲</b>") && !page.contains("<script"));
    assert!(page.contains("&lt;b&gt;甲&lt;&#x2f;b&gt;"), "{page}");
    // The only address is the user's own text, escaped like the rest of it.
    assert!(page.contains("https:&#x2f;&#x2f;example.org&#x2f;x"));
    assert!(!page.contains("http://") && !page.contains("https://"));
}

#[test]
fn english_labels_with_lang_en() {
    let page = html(&["score", ALL, "--lang", "en"]);
    assert!(page.contains("<html lang=\"en\">"));
    for label in [
        "Budget performance self-evaluation",
        "Score by section",
        "Where points were lost",
        "Indicators not applicable",
        "Full breakdown",
        "<th>Indicator</th>",
        "<th class=\"num\">Points</th>",
        "<th class=\"num\">Weight</th>",
        "<th>To earn more</th>",
        "<span class=\"tag na\">Not applicable</span>",
        "<span class=\"tag bonus\">Bonus</span>",
    ] {
        assert!(page.contains(label), "{label}");
    }
    for chinese_label in ["评分明细", "扣分说明", "各部分得分", "总分"] {
        assert!(!page.contains(chinese_label), "{chinese_label}");
    }
}

// ---- In a real browser ----

#[test]
fn the_seed_report_in_headless_chromium() {
    if !chromium_available("the_seed_report_in_headless_chromium") {
        return;
    }
    let dir = out_dir();
    let page = dir.join("report.html");
    let png = dir.join("report.png");
    std::fs::remove_file(&png).ok();
    selfeval().args(["score", SEED, "--format", "html", "--lang", "zh", "-o"]).arg(&page).assert().success();
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let profile = |what: &str| std::env::temp_dir().join(format!("selfeval-chromium-{what}-{}", std::process::id()));

    let (ok, dom) = chromium(&profile("dom"), &["--dump-dom", &url]);
    assert!(ok, "chromium --dump-dom failed");
    let text = visible_text(&dom);
    for shown in
        ["广州市从化区科学技术协会", "92.7", "/ 100", "优", "管理效能", "履职效能", "42.7", "预算及财务管理制度健全性"]
    {
        assert!(text.contains(shown), "the browser does not show {shown}:\n{text}");
    }
    assert!(dom.contains("<svg") && dom.contains("<g class=\"bar\" data-id=\"performance\">"), "no chart in the DOM");

    let shot = format!("--screenshot={}", png.display());
    let (ok, _) = chromium(&profile("png"), &[&shot, "--window-size=1240,1754", &url]);
    assert!(ok, "chromium --screenshot failed");
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", png.display()));
    assert_eq!(png_size(&bytes), (1240, 1754));
    // A blank or near-blank page compresses to a few kilobytes; this one has text, bars and tables.
    assert!(bytes.len() > 40_000, "the screenshot is nearly empty ({} bytes)", bytes.len());
}

/// Issue 14: the report ends with a sign-off block (填报单位、填报人、审核人、日期) filled from the
/// data file's `report:` block where given, a line to sign by hand otherwise — never today's
/// date. The screenshot (`target/html-test/signoff.png`, the whole page in one tall window) is
/// kept as an artifact.
#[test]
fn the_sign_off_ends_the_report_in_headless_chromium() {
    let seed = std::fs::read_to_string(SEED).unwrap();
    let dir = out_dir();
    // The seed gives its 填报单位; a preparer is added, the reviewer and date left to fill in.
    let data = dir.join("signoff.yaml");
    let with_preparer = seed.replacen("report:\n", "report:\n  preparer: 李四\n", 1);
    assert_ne!(with_preparer, seed, "the seed has a report: block");
    std::fs::write(&data, with_preparer).unwrap();
    let page = dir.join("signoff.html");
    let out = selfeval()
        .args(["explain", data.to_str().unwrap(), "-r", "cast-dept-2021", "--format", "html", "--lang", "zh", "-o"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    let block = &html[html.find("<section class=\"signoff\"").unwrap()..];
    let block = &block[..block.find("</section>").unwrap()];
    for (label, value) in [("填报单位", "广州市从化区科学技术协会"), ("填报人", "李四"), ("审核人", ""), ("日期", "")]
    {
        let cell = format!("<span>{label}：</span><span class=\"line\">{value}</span>");
        assert!(block.contains(&cell), "{cell} in {block}");
    }
    // The block is the last thing before the footer; no date of the run anywhere.
    assert!(html.find("id=\"signoff\"").unwrap() > html.find("id=\"breakdown\"").unwrap_or(0));
    assert!(!html.contains(&today()), "the page carries today's date");
    if !chromium_available("the sign-off screenshot") {
        return;
    }
    let png = dir.join("signoff.png");
    std::fs::remove_file(&png).ok();
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let profile = std::env::temp_dir().join(format!("selfeval-chromium-signoff-{}", std::process::id()));
    let shot = format!("--screenshot={}", png.display());
    let (ok, _) = chromium(&profile, &[&shot, "--window-size=1240,9000", &url]);
    assert!(ok, "chromium --screenshot failed");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(png_size(&bytes), (1240, 9000));
    let (ok, dom) = chromium(&profile, &["--dump-dom", &url]);
    assert!(ok);
    assert!(visible_text(&dom).contains("填报人："), "the browser shows the sign-off");
}

/// Today as `YYYY-MM-DD` (UTC), from the system clock, without a date crate.
fn today() -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
