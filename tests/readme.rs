//! Every `console` block of the README is run and must print exactly what the README shows.
#[test]
fn readme_examples() {
    trycmd::TestCases::new().case("README.md");
}
