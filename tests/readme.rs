//! Every `console` block of the README is run and must print exactly what the README shows.
#[test]
fn readme_examples() {
    // The README shows Chinese output, as a user with LANG=zh_CN.UTF-8 sees it.
    trycmd::TestCases::new().env("LANG", "zh_CN.UTF-8").env("LC_ALL", "zh_CN.UTF-8").case("README.md");
}
