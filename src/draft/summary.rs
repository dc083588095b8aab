//! What `draft` did, for the user: lines read, indicators drafted as each method, indicators
//! left manual (with their text), points that do not add up. Text for standard error, or JSON.

use super::phrasing::Reading;
use super::tree::TableNode;
use crate::diag::Pos;
use crate::lang::Lang;
use crate::number::display;
use crate::tr;
use rust_decimal::Decimal;
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, HashMap};

/// An indicator left `manual`.
#[derive(Debug, Clone)]
pub struct Manual {
    pub id: String,
    pub title: String,
    pub place: Pos,
    pub standard: Option<String>,
}

/// A branch whose printed points are not its children's sum.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub id: String,
    pub title: String,
    pub place: Pos,
    pub printed: Decimal,
    pub sum: Decimal,
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub file: String,
    pub sheet: Option<String>,
    /// Lines of the table read as indicators.
    pub lines: usize,
    /// Leaf indicators.
    pub indicators: usize,
    /// Leaves drafted, by method.
    pub methods: BTreeMap<&'static str, usize>,
    /// Leaves drafted, by phrasing.
    pub phrasings: BTreeMap<&'static str, usize>,
    pub manual: Vec<Manual>,
    pub mismatches: Vec<Mismatch>,
}

impl Summary {
    pub(super) fn of(
        file: &str,
        sheet: Option<&str>,
        lines: usize,
        sections: &[TableNode],
        readings: &HashMap<String, Reading>,
    ) -> Summary {
        let mut s = Summary {
            file: file.to_owned(),
            sheet: sheet.map(str::to_owned),
            lines,
            indicators: 0,
            methods: BTreeMap::new(),
            phrasings: BTreeMap::new(),
            manual: Vec::new(),
            mismatches: Vec::new(),
        };
        s.walk(sections, readings);
        s
    }

    fn walk(&mut self, nodes: &[TableNode], readings: &HashMap<String, Reading>) {
        for n in nodes {
            if !n.children.is_empty() {
                if let Some(printed) = n.printed.filter(|p| *p != n.points) {
                    self.mismatches.push(Mismatch {
                        id: n.id.clone(),
                        title: n.title.clone(),
                        place: n.pos.clone(),
                        printed,
                        sum: n.points,
                    });
                }
                self.walk(&n.children, readings);
                continue;
            }
            self.indicators += 1;
            match readings.get(&n.id) {
                Some(r) => {
                    *self.methods.entry(r.method.name()).or_default() += 1;
                    *self.phrasings.entry(r.phrasing.describe()).or_default() += 1;
                }
                None => self.manual.push(Manual {
                    id: n.id.clone(),
                    title: n.title.clone(),
                    place: n.pos.clone(),
                    standard: n.standard.clone(),
                }),
            }
        }
    }

    pub fn drafted_total(&self) -> usize {
        self.methods.values().sum()
    }

    fn place(&self, pos: &Pos) -> String {
        if pos.is_known() { format!("{}:{pos}", self.file) } else { self.file.clone() }
    }

    /// The summary for standard error.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = tr!(
            lang,
            "读取 {} 行，{} 个末级指标：{} 个读成评分方法，{} 个留作人工评分（manual）。\n",
            "read {} lines, {} leaf indicators: {} drafted as methods, {} left manual.\n",
            self.lines,
            self.indicators,
            self.drafted_total(),
            self.manual.len()
        );
        for (method, n) in &self.methods {
            out.push_str(&format!("  {method}: {n}\n"));
        }
        if !self.manual.is_empty() {
            out.push_str(&tr!(lang, "留作人工评分的指标：\n", "left manual:\n"));
            for m in &self.manual {
                let standard = m
                    .standard
                    .as_deref()
                    .map_or_else(|| tr!(lang, "（无评分标准）", "(no standard)"), super::writer::comment);
                out.push_str(&format!("  {} {} {}: {standard}\n", self.place(&m.place), m.id, m.title));
            }
        }
        for m in &self.mismatches {
            out.push_str(&format!(
                "{}: warning: {}\n",
                self.place(&m.place),
                tr!(
                    lang,
                    "{}“{}”原表分值 {}，下级指标合计 {}；起草时取合计",
                    "{} “{}” prints {} points but its children add up to {}; the draft takes the sum",
                    m.id,
                    m.title,
                    display(m.printed),
                    display(m.sum)
                )
            ));
        }
        out
    }

    /// The summary as JSON (`--format json`).
    pub fn json(&self, output: Option<&str>) -> Json {
        let place = |p: &Pos| match p {
            Pos::Unknown => Json::Null,
            other => Json::String(other.to_string()),
        };
        json!({
            "file": self.file,
            "sheet": self.sheet,
            "output": output,
            "lines": self.lines,
            "indicators": self.indicators,
            "drafted": self.drafted_total(),
            "methods": self.methods,
            "phrasings": self.phrasings,
            "manual": self.manual.iter().map(|m| json!({
                "id": m.id, "title": m.title, "place": place(&m.place), "standard": m.standard
            })).collect::<Vec<_>>(),
            "points_mismatches": self.mismatches.iter().map(|m| json!({
                "id": m.id, "title": m.title, "place": place(&m.place),
                "printed": crate::report::json::number(m.printed), "sum": crate::report::json::number(m.sum)
            })).collect::<Vec<_>>(),
        })
    }
}
