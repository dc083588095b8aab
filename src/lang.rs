//! The language of human-facing output, and every fixed text the reports use, in one place.
//!
//! One mechanism chooses the language of every text: a [`Lang`] value, passed explicitly.
//! [`Lang::pick`] chooses between a Chinese and an English value; [`Lang::t`] is `pick` over
//! the catalogue of fixed report texts ([`Msg`]); `tr!(lang, "中文 {x}", "English {x}")` is
//! `pick` for format strings, formatting only the chosen one. There is no global setting.
//!
//! How the language travels: the command line works it out once (`--lang`, else
//! [`Lang::from_env`]), keeps it in its session (and a batch's `Job`), and hands it to the
//! library's entry points, which take it as their last parameter: `Source::decode(name, bytes,
//! lang)`, `Source::parse(lang)`, `rubric::load::load(source, lang)` and `load_tree`,
//! `DataFile::load(source, lang)` and `from_tree`, `input::load_data`, `input::load_rubric`,
//! `input::workbook::load`, `input::walk::expand_inputs`, `expr::parse(src, lang)`,
//! `Expr::check(env, lang)`, `Expr::eval(env, mode, lang)` and
//! `report::diagnostics::render`. `engine::score` and `scoring::score` take it in their
//! [`Options`](crate::engine::Options): `lang` for warnings and errors, beside `explain`, the
//! language of leaf explanations (`None`: none is formatted).
//!
//! Inside, it rides in the context each layer already carries rather than in every call: the
//! YAML [`Reader`](crate::yaml::Reader) and [`MapReader`](crate::yaml::MapReader) (`lang`
//! field, `MapReader::new(file, lang, …)`), the rubric loader's `ParseCx`, the workbook
//! reader's `Builder`, the engine's `Plan`, `Values` and `Scorer`, and the methods'
//! [`LeafEnv`](crate::method::LeafEnv) (`lang()` for errors, `explain()` for explanations).
//! Free functions take it as a parameter. [`Diagnostics`](crate::diag::Diagnostics) stay plain
//! lists of finished messages and carry no language. Texts that tell a value to people take
//! the language as an argument rather than being `Display`ed: `LiteralError::describe`,
//! `EvalError::describe` (their `Display` stays English), `Node::kind_name`, `Node::quoted`,
//! `Type::label`, `FieldType::label`, `Pos::phrase`, `diag::suggest` and `with_suggestion`.
//! What is worked out once and kept keeps one answer per language ([`PerLang`]: the fields a
//! rubric needs, with the "needed by" texts), so a cached text never shows another language.

/// `--lang zh|en`; by default from `LC_ALL`, then `LANG` (zh_* → Chinese, otherwise English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    /// The language the environment asks for.
    pub fn from_env() -> Lang {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        match var("LC_ALL").or_else(|| var("LANG")) {
            Some(v) if v.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// `zh` or `en`, whichever this language is: for texts chosen, not formatted (`tr!` is
    /// the form that formats).
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The text for `msg` in this language.
    pub fn t(self, msg: Msg) -> &'static str {
        let (zh, en) = msg.texts();
        self.pick(zh, en)
    }
}

/// A value worked out once for each language and kept: what is cached must not lose the
/// language its texts were made in.
#[derive(Debug, Clone, Default)]
pub struct PerLang<T> {
    zh: std::sync::OnceLock<T>,
    en: std::sync::OnceLock<T>,
}

impl<T> PerLang<T> {
    /// The value for `lang`, worked out by `make` the first time.
    pub fn get_or_init(&self, lang: Lang, make: impl FnOnce() -> T) -> &T {
        lang.pick(&self.zh, &self.en).get_or_init(make)
    }
}

macro_rules! catalogue {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        /// A fixed text of the reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name,)* }

        impl Msg {
            /// (Chinese, English).
            pub fn texts(self) -> (&'static str, &'static str) {
                match self { $(Msg::$name => ($zh, $en),)* }
            }
        }
    };
}

catalogue! {
    Indicator => "指标", "Indicator";
    Points => "分值", "Points";
    Score => "得分", "Score";
    Lost => "扣分", "Lost";
    Basis => "评分依据", "Basis";
    Total => "总分", "Total";
    Grade => "等级", "Grade";
    Rank => "名次", "Rank";
    Subject => "单位", "Subject";
    Period => "年度", "Period";
    Method => "评分方法", "Method";
    Standard => "评分标准", "Standard";
    FullMarks => "满分", "Full marks";
    Title => "名称", "Title";
    Id => "编号", "id";
    Version => "版本", "Version";
    Leaves => "指标数", "Indicators";
    Weight => "权重", "Weight";
    NotApplicable => "不适用", "not applicable";
    Bonus => "加分项", "bonus";
    Rescaled => "按权重折算", "rescaled";
    Veto => "一票否决", "veto";
    CappedAt => "封顶", "capped at";
    GradeSetTo => "等级定为", "grade set to";
    Declared => "申报得分", "Declared";
    Computed => "核算得分", "Computed";
    Difference => "差异", "Difference";
    Verdict => "结论", "Verdict";
    Agrees => "一致", "agrees";
    OverClaim => "多报", "over-claim";
    UnderClaim => "少报", "under-claim";
    NotScored => "未计分（不适用）", "not scored (not applicable)";
    NoDeclared => "数据文件没有 declared（申报得分）部分，无需核对", "the data file has no `declared` block; nothing to check";
    CheckPassed => "申报得分与核算结果一致", "the declared scores agree with the computation";
    CheckFailed => "申报得分与核算结果不一致", "the declared scores disagree with the computation";
    Tolerance => "容差", "tolerance";
    ToEarnMore => "如何得分", "To earn more";
    Rule => "规则", "Rule";
    LostBySection => "各部分扣分", "Points lost by section";
    OfLost => "占全部扣分", "of all points lost";
    NothingLost => "没有扣分项", "no points were lost";
    InAll => "合计", "in all";
    Colon => "：", ": ";
    Files => "文件数", "Files";
    FilesLower => "个单位", "files";
    FailedFiles => "出错文件", "Failed files";
    Mean => "平均", "mean";
    Median => "中位数", "median";
    Min => "最低", "min";
    Max => "最高", "max";
    NoGrade => "无等级", "no grade";
    SectionAverages => "各部分平均分", "Section averages";
    MostLost => "失分最多的指标", "Indicators losing most points";
    Comma => "，", ", ";
    Change => "变化", "Change";
    Old => "原", "Old";
    New => "新", "New";
    ChangedInputs => "变化的数据", "Changed inputs";
    ManualShare => "人工评分及不适用占比", "Manual or N/A share";
    FromManual => "满分中由人工评分或不适用指标决定的比例；全部按数据计算时为 0%", "the share of the maximum decided by manual scores or not-applicable indicators; 0% when every score is computed from figures";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages() {
        assert_eq!(Lang::Zh.t(Msg::Score), "得分");
        assert_eq!(Lang::En.t(Msg::Score), "Score");
    }
}

/// A text in the chosen language: `tr!(lang, "中文 {x}", "English {x}")`, each a `format!`
/// string with the same arguments; only the chosen one is formatted. The format-string form of
/// [`Lang::pick`].
#[macro_export]
macro_rules! tr {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::lang::Lang::Zh => format!($zh $(, $arg)*),
            $crate::lang::Lang::En => format!($en $(, $arg)*),
        }
    };
}
#[cfg(test)]
mod tr_tests {
    use super::Lang;

    #[test]
    fn captures() {
        let x = 5;
        assert_eq!(crate::tr!(Lang::En, "值 {x}", "value {x}"), "value 5");
        assert_eq!(crate::tr!(Lang::En, "值 {}", "value {}", x + 1), "value 6");
        assert_eq!(crate::tr!(Lang::Zh, "值 {}", "value {}", x + 1), "值 6");
        assert_eq!(Lang::Zh.pick("甲", "a"), "甲");
    }
}
