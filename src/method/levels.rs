//! `levels`: a qualitative level earns its percent of p (SPEC §3).

use super::Param;
use super::params::ParseCx;
use super::{LeafEnv, RawScore, Rule, mul_div};
use crate::expr::Type;
use crate::number::display;
use crate::tr;
use crate::yaml::{Kind, MapReader};
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub struct Levels {
    pub value: Param,
    /// Label → percent of p, in the order written.
    pub levels: Vec<(String, Decimal)>,
}

impl Levels {
    pub(crate) fn parse(map: &mut MapReader, cx: &mut ParseCx) -> Option<Self> {
        let lang = cx.lang;
        let value = cx.expr(map, "value", Type::Text);
        let reader = cx.reader();
        let node = map.require("levels", &tr!(lang, "levels 末级指标", "levels leaf"), cx.diags)?;
        let Kind::Map(entries) = &node.kind else {
            let found = node.kind_name(lang);
            cx.error(
                node.pos.clone(),
                tr!(
                    lang,
                    "`levels`：应为“等级 → 百分比”的映射，实际为{found}",
                    "`levels` must be a map of level → percent, found {found}"
                ),
            );
            return None;
        };
        let declared =
            value.as_ref().and_then(|v| v.expr.as_name()).and_then(|n| cx.name_type(n)).and_then(|t| t.levels);
        let mut levels = Vec::new();
        for (key, v) in entries {
            let level = &key.name;
            let Some(pc) = reader.decimal(v, &tr!(lang, "等级 `{level}`", "level `{level}`"), cx.diags) else {
                continue;
            };
            if pc < Decimal::ZERO || pc > Decimal::ONE_HUNDRED {
                let found = display(pc);
                cx.error(
                    v.pos.clone(),
                    tr!(
                        lang,
                        "等级 `{level}`：百分比应在 0–100 之间，实际为 `{found}`",
                        "level `{level}`: percent must be 0–100, found `{found}`"
                    ),
                );
            }
            if let Some(declared) = &declared
                && !declared.contains(&key.name)
            {
                cx.error(
                    key.pos.clone(),
                    crate::diag::with_suggestion(
                        tr!(lang, "`{level}` 不是已声明的等级", "`{level}` is not a declared level"),
                        &key.name,
                        declared.iter().map(String::as_str),
                        lang,
                    ),
                );
            }
            levels.push((key.name.clone(), pc));
        }
        if let Some(declared) = &declared {
            let missing: Vec<&str> =
                declared.iter().filter(|l| !levels.iter().any(|(k, _)| k == *l)).map(String::as_str).collect();
            if !missing.is_empty() {
                cx.warning(
                    node.pos.clone(),
                    tr!(
                        lang,
                        "levels 映射没有覆盖已声明的等级 {}；评到这些等级时会出错",
                        "levels map does not cover declared level(s) {}; scoring them is an error",
                        missing.join(&crate::diag::list_separator(lang))
                    ),
                );
            }
        }
        Some(Levels { value: value?, levels })
    }

    pub fn score(&self, p: Decimal, env: &mut dyn LeafEnv) -> Result<RawScore, String> {
        let lang = env.lang();
        let level = env.text(&self.value)?;
        let Some((_, pc)) = self.levels.iter().find(|(l, _)| *l == level) else {
            let known: Vec<&str> = self.levels.iter().map(|(l, _)| l.as_str()).collect();
            return Err(tr!(
                lang,
                "等级 \"{level}\" 在此指标的 `levels` 中没有对应的百分比（已有：{}）",
                "level \"{level}\" has no percent in this leaf's `levels` (it has: {})",
                known.join(&crate::diag::list_separator(lang))
            ));
        };
        Ok(RawScore {
            raw: mul_div(p, *pc, Decimal::ONE_HUNDRED, lang)?,
            rule: Rule::Level(level.clone()),
            detail: env
                .explain()
                .map(|lang| tr!(lang, "评定为「{level}」→ {}%", "rated 「{level}」 → {}%", display(*pc)))
                .unwrap_or_default(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_env::{Script, d, param};
    use super::*;

    #[test]
    fn percent_of_points_by_level() {
        let m = Levels {
            value: param("q"),
            levels: vec![
                ("优".into(), d("100")),
                ("良".into(), d("80")),
                ("中".into(), d("60")),
                ("差".into(), d("0")),
            ],
        };
        let mut env = Script::default();
        let mut run = |level: &str| {
            env.texts.insert("q".into(), level.into());
            m.score(d("3"), &mut env)
        };
        assert_eq!(run("优").unwrap().raw, d("3"));
        assert_eq!(run("良").unwrap().raw, d("2.4"));
        assert_eq!(run("中").unwrap().raw, d("1.8"));
        assert_eq!(run("差").unwrap().raw, d("0"));
        assert!(run("很好").unwrap_err().contains("很好"));
    }
}
