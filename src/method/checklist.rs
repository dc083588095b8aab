//! `checklist`: each condition that holds earns its points (SPEC §3).

use super::params::{ParseCx, read_points};
use super::{LeafEnv, RawScore, Rule};
use crate::expr::Type;
use crate::number::display;
use crate::tr;
use crate::yaml::MapReader;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub struct Item {
    /// A bool field or bool derived name.
    pub field: String,
    pub points: Decimal,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Checklist {
    pub items: Vec<Item>,
}

impl Checklist {
    pub(crate) fn parse(map: &mut MapReader, cx: &mut ParseCx, points: Decimal) -> Option<Self> {
        let lang = cx.lang;
        let reader = cx.reader();
        let list = map.require("items", &tr!(lang, "checklist 末级指标", "checklist leaf"), cx.diags)?;
        let nodes = reader.seq(list, "`items`", cx.diags)?;
        let mut items = Vec::new();
        let mut sum = Decimal::ZERO;
        for (i, node) in nodes.iter().enumerate() {
            let what = tr!(lang, "第 {} 个检查项", "checklist item {}", i + 1);
            let Some(mut m) = MapReader::new(cx.file, cx.lang, node, &what, cx.diags) else { continue };
            let field = m
                .require("field", &what, cx.diags)
                .and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`field`", "{what}: `field`"), cx.diags));
            let item_points = m.require("points", &what, cx.diags).and_then(|n| {
                read_points(&reader, n, &crate::tr!(lang, "{what}：`points`", "{what}: `points`"), cx.diags)
            });
            let title = m
                .get("title")
                .and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`title`", "{what}: `title`"), cx.diags));
            m.finish(&what, cx.diags);
            let (Some(field), Some(item_points)) = (field, item_points) else { continue };
            match cx.name_type(&field) {
                Some(t) if t.ty == Type::Bool => {}
                Some(t) => cx.error(
                    node.pos.clone(),
                    tr!(
                        lang,
                        "{what}：`{field}` 是{}，不是布尔字段",
                        "{what}: `{field}` is {}, not a bool field",
                        t.ty.label(lang)
                    ),
                ),
                None => cx.unknown_name(node.pos.clone(), &field, &what),
            }
            sum += item_points;
            let title = title.unwrap_or_else(|| cx.label_of(&field));
            items.push(Item { field, points: item_points, title });
        }
        if items.len() == nodes.len() && sum != points {
            cx.error(
                list.pos.clone(),
                tr!(
                    lang,
                    "检查项分值合计 {}，但该指标的分值是 {}",
                    "checklist items add up to {}, but the leaf is worth {}",
                    display(sum),
                    display(points)
                ),
            );
        }
        Some(Checklist { items })
    }

    pub fn score(&self, env: &mut dyn LeafEnv) -> Result<RawScore, String> {
        let mut raw = Decimal::ZERO;
        let mut met = Vec::new();
        let mut unmet = Vec::new();
        for item in &self.items {
            if env.flag(&item.field)? {
                raw += item.points;
                met.push(item.title.as_str());
            } else {
                unmet.push(item.title.as_str());
            }
        }
        let detail = if unmet.is_empty() {
            env.explain()
                .map(|lang| tr!(lang, "{} 项全部满足", "all {} items met", self.items.len()))
                .unwrap_or_default()
        } else {
            let (m, n) = (met.len(), self.items.len());
            env.explain()
                .map(|lang| {
                    tr!(
                        lang,
                        "满足 {m}/{n} 项；未满足：{}",
                        "{m}/{n} items met; unmet: {}",
                        unmet.join(lang.pick("、", "; "))
                    )
                })
                .unwrap_or_default()
        };
        Ok(RawScore { raw, rule: Rule::ItemsMet { met: met.len(), of: self.items.len() }, detail })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_env::{Script, d};
    use super::*;

    #[test]
    fn sums_the_items_that_hold() {
        let m = Checklist {
            items: vec![
                Item { field: "a".into(), points: d("1"), title: "A".into() },
                Item { field: "b".into(), points: d("1.5"), title: "B".into() },
                Item { field: "c".into(), points: d("0.5"), title: "C".into() },
            ],
        };
        let mut env = Script::default();
        env.flags.insert("a".into(), true);
        env.flags.insert("b".into(), false);
        env.flags.insert("c".into(), true);
        let o = m.score(&mut env).unwrap();
        assert_eq!(o.raw, d("1.5"));
        assert!(o.detail.contains("未满足：B"), "{}", o.detail);
        env.flags.insert("b".into(), true);
        assert_eq!(m.score(&mut env).unwrap().raw, d("3"));
        for f in ["a", "b", "c"] {
            env.flags.insert(f.into(), false);
        }
        assert_eq!(m.score(&mut env).unwrap().raw, d("0"));
    }
}
