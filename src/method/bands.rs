//! `bands`: the first band whose bounds hold gives its share of the points (SPEC §3).

use super::Param;
use super::params::ParseCx;
use super::{LeafEnv, RawScore, Rule, mul_div};
use crate::expr::Type;
use crate::number::display;
use crate::tr;
use crate::yaml::MapReader;
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: Decimal,
    pub inclusive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Award {
    /// Percent of p, 0–100.
    Percent(Decimal),
    /// Points, 0–p.
    Score(Decimal),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
    pub award: Award,
}

impl Band {
    pub fn holds(&self, v: Decimal) -> bool {
        let above = self.lower.is_none_or(|b| if b.inclusive { v >= b.value } else { v > b.value });
        let below = self.upper.is_none_or(|b| if b.inclusive { v <= b.value } else { v < b.value });
        above && below
    }

    /// `[60, 80)`, `≥ 90`, `任意`.
    pub fn describe(&self) -> String {
        match (self.lower, self.upper) {
            (None, None) => "任意值".into(),
            (Some(l), None) => format!("{} {}", if l.inclusive { "≥" } else { ">" }, display(l.value)),
            (None, Some(u)) => format!("{} {}", if u.inclusive { "≤" } else { "<" }, display(u.value)),
            (Some(l), Some(u)) => format!(
                "{}{}, {}{}",
                if l.inclusive { "[" } else { "(" },
                display(l.value),
                display(u.value),
                if u.inclusive { "]" } else { ")" }
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Bands {
    pub value: Param,
    pub bands: Vec<Band>,
}

impl Bands {
    pub(crate) fn parse(map: &mut MapReader, cx: &mut ParseCx, points: Decimal) -> Option<Self> {
        let lang = cx.lang;
        let value = cx.expr(map, "value", Type::Number);
        let list = map.require("bands", &tr!(lang, "bands 末级指标", "bands leaf"), cx.diags);
        let reader = cx.reader();
        let items = list.and_then(|l| reader.seq(l, "`bands`", cx.diags))?;
        if items.is_empty() {
            cx.error(map.pos(), tr!(lang, "`bands` 是空的", "`bands` is empty"));
            return None;
        }
        if items.len() > MAX_BANDS {
            let n = items.len();
            cx.error(
                map.pos(),
                tr!(
                    lang,
                    "`bands` 有 {n} 档，超过了 {MAX_BANDS} 档的上限",
                    "`bands` has {n} bands, more than the limit of {MAX_BANDS}"
                ),
            );
            return None;
        }
        let mut bands = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let what = tr!(lang, "第 {} 档", "band {}", i + 1);
            let Some(mut m) = MapReader::new(cx.file, cx.lang, item, &what, cx.diags) else { continue };
            let bound = |m: &mut MapReader, cx: &mut ParseCx, a: &'static str, b: &'static str| -> Option<Bound> {
                let x =
                    m.get(a).and_then(|n| reader.decimal(n, &tr!(lang, "{what}：`{a}`", "{what}: `{a}`"), cx.diags));
                let y =
                    m.get(b).and_then(|n| reader.decimal(n, &tr!(lang, "{what}：`{b}`", "{what}: `{b}`"), cx.diags));
                if x.is_some() && y.is_some() {
                    cx.error(
                        item.pos.clone(),
                        tr!(
                            lang,
                            "{what}：同时写了 `{a}` 和 `{b}`；最多只能写一个",
                            "{what} has both `{a}` and `{b}`; give at most one"
                        ),
                    );
                }
                x.map(|v| Bound { value: v, inclusive: true }).or(y.map(|v| Bound { value: v, inclusive: false }))
            };
            let lower = bound(&mut m, cx, "gte", "gt");
            let upper = bound(&mut m, cx, "lte", "lt");
            let percent = m
                .get("percent")
                .and_then(|n| reader.decimal(n, &crate::tr!(lang, "{what}：`percent`", "{what}: `percent`"), cx.diags));
            let score = m
                .get("score")
                .and_then(|n| reader.decimal(n, &crate::tr!(lang, "{what}：`score`", "{what}: `score`"), cx.diags));
            m.finish(&what, cx.diags);
            let award = match (percent, score) {
                (Some(pc), None) => {
                    if pc < Decimal::ZERO || pc > Decimal::ONE_HUNDRED {
                        let found = display(pc);
                        cx.error(
                            item.pos.clone(),
                            tr!(
                                lang,
                                "{what}：百分比应在 0–100 之间，实际为 `{found}`",
                                "{what}: percent must be 0–100, found `{found}`"
                            ),
                        );
                    }
                    Award::Percent(pc)
                }
                (None, Some(s)) => {
                    if s < Decimal::ZERO || s > points {
                        cx.error(
                            item.pos.clone(),
                            tr!(
                                lang,
                                "{what}：得分应在 0–{}（该指标的分值）之间，实际为 `{}`",
                                "{what}: score must be 0–{} (the leaf's points), found `{}`",
                                display(points),
                                display(s)
                            ),
                        );
                    }
                    Award::Score(s)
                }
                (Some(_), Some(_)) => {
                    cx.error(
                        item.pos.clone(),
                        tr!(
                            lang,
                            "{what}：同时写了 `percent` 和 `score`；只能写其中一个",
                            "{what} has both `percent` and `score`; give exactly one"
                        ),
                    );
                    continue;
                }
                (None, None) => {
                    cx.error(
                        item.pos.clone(),
                        tr!(lang, "{what}：需要写 `percent` 或 `score`", "{what} needs `percent` or `score`"),
                    );
                    continue;
                }
            };
            bands.push(Band { lower, upper, award });
        }
        let value = value?;
        warn_about_coverage(&bands, &value, map.pos(), cx);
        Some(Bands { value, bands })
    }

    pub fn score(&self, p: Decimal, env: &mut dyn LeafEnv) -> Result<RawScore, String> {
        let lang = env.lang();
        let value = env.number(&self.value)?;
        let v = env.show(&self.value, value);
        for (i, band) in self.bands.iter().enumerate() {
            if band.holds(value) {
                let (raw, gives) = match band.award {
                    Award::Percent(pc) => (mul_div(p, pc, Decimal::ONE_HUNDRED, lang)?, format!("{}%", display(pc))),
                    Award::Score(s) => {
                        (s, env.explain().map(|lang| tr!(lang, "{} 分", "{} points", display(s))).unwrap_or_default())
                    }
                };
                return Ok(RawScore {
                    raw,
                    rule: Rule::Band { index: i },
                    detail: env
                        .explain()
                        .map(|lang| {
                            tr!(lang, "实际值 {v} 落在 {} → {gives}", "actual {v} in {} → {gives}", band.describe())
                        })
                        .unwrap_or_default(),
                });
            }
        }
        Ok(RawScore {
            raw: Decimal::ZERO,
            rule: Rule::NoBand,
            detail: env
                .explain()
                .map(|lang| tr!(lang, "实际值 {v} 不在任何档位 → 0", "actual {v} is in no band → 0"))
                .unwrap_or_default(),
        })
    }
}

/// An interval of values; `None` bounds are infinite.
#[derive(Debug, Clone, Copy)]
struct Span {
    lower: Option<Bound>,
    upper: Option<Bound>,
}

impl Span {
    fn of(band: &Band) -> Span {
        Span { lower: band.lower, upper: band.upper }
    }

    fn is_empty(&self) -> bool {
        match (self.lower, self.upper) {
            (Some(l), Some(u)) => l.value > u.value || (l.value == u.value && !(l.inclusive && u.inclusive)),
            _ => false,
        }
    }

    /// Whether `self` starts no later than `other` does.
    fn starts_before(&self, other: &Span) -> bool {
        self.start_order(other) != std::cmp::Ordering::Greater
    }

    /// Orders spans by where they start: unbounded first, then by value, an inclusive start
    /// before an exclusive one at the same value. A total order, as `sort_by` requires.
    fn start_order(&self, other: &Span) -> std::cmp::Ordering {
        match (self.lower, other.lower) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(a), Some(b)) => a.value.cmp(&b.value).then(b.inclusive.cmp(&a.inclusive)),
        }
    }

    /// Whether `self` ends no earlier than `other` does.
    fn ends_after(&self, other: &Span) -> bool {
        match (self.upper, other.upper) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a.value > b.value || (a.value == b.value && (a.inclusive || !b.inclusive)),
        }
    }

    /// Whether `next` (which starts no earlier) touches or overlaps `self`, leaving no gap.
    fn joins(&self, next: &Span) -> bool {
        match (self.upper, next.lower) {
            (None, _) | (_, None) => true,
            (Some(u), Some(l)) => l.value < u.value || (l.value == u.value && (u.inclusive || l.inclusive)),
        }
    }
}

/// Most bands one leaf may have. Far above any real 评分标准; the coverage check compares each
/// band with all before it, which 20 000 bands turned into a minute of loading.
pub const MAX_BANDS: usize = 1000;

/// The union of spans as disjoint, sorted spans.
fn union(spans: &[Span]) -> Vec<Span> {
    let mut sorted: Vec<Span> = spans.iter().copied().filter(|s| !s.is_empty()).collect();
    sorted.sort_by(Span::start_order);
    let mut merged: Vec<Span> = Vec::new();
    for s in sorted {
        match merged.last_mut() {
            Some(last) if last.joins(&s) => {
                if !last.ends_after(&s) {
                    last.upper = s.upper;
                }
            }
            _ => merged.push(s),
        }
    }
    merged
}

fn covered(target: &Span, by: &[Span]) -> bool {
    union(by).iter().any(|m| m.starts_before(target) && m.ends_after(target))
}

/// SPEC §3: `validate` warns about bands that can never match and about gaps inside the
/// field's declared min/max.
fn warn_about_coverage(bands: &[Band], value: &Param, pos: crate::diag::Pos, cx: &mut ParseCx) {
    let lang = cx.lang;
    let spans: Vec<Span> = bands.iter().map(Span::of).collect();
    for (i, span) in spans.iter().enumerate() {
        let (n, shown) = (i + 1, bands[i].describe());
        if span.is_empty() {
            cx.warning(
                pos.clone(),
                tr!(
                    lang,
                    "第 {n} 档（{shown}）是空区间，永远不会匹配",
                    "band {n} ({shown}) is empty and can never match"
                ),
            );
        } else if covered(span, &spans[..i]) {
            cx.warning(
                pos.clone(),
                tr!(
                    lang,
                    "第 {n} 档（{shown}）永远不会匹配：前面的档位已经覆盖了它",
                    "band {n} ({shown}) can never match: earlier bands already cover it"
                ),
            );
        }
    }
    let Some(name) = value.expr.as_name() else { return };
    let (min, max) = cx.range_of(name);
    if min.is_none() && max.is_none() {
        return;
    }
    let range = Span {
        lower: min.map(|v| Bound { value: v, inclusive: true }),
        upper: max.map(|v| Bound { value: v, inclusive: true }),
    };
    if !covered(&range, &spans) {
        let shown = Band { lower: range.lower, upper: range.upper, award: Award::Score(Decimal::ZERO) }.describe();
        cx.warning(
            pos,
            tr!(
                lang,
                "在 `{name}` 声明的取值范围 {shown} 内，各档位之间有空隙；落在空隙中的值得 0 分",
                "bands leave gaps within {shown}, the declared range of `{name}`; a value in a gap scores 0"
            ),
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_env::{Script, d, param};
    use super::*;

    fn b(lower: Option<(&str, bool)>, upper: Option<(&str, bool)>, award: Award) -> Band {
        let bound = |x: Option<(&str, bool)>| x.map(|(v, inclusive)| Bound { value: d(v), inclusive });
        Band { lower: bound(lower), upper: bound(upper), award }
    }

    /// Hunan 预算控制率: =0 → 8; (0,10] → 6; (10,20] → 4; (20,30] → 2; >30 → 0.
    fn control_rate() -> Bands {
        Bands {
            value: param("v"),
            bands: vec![
                b(None, Some(("0", true)), Award::Score(d("8"))),
                b(Some(("0", false)), Some(("10", true)), Award::Score(d("6"))),
                b(Some(("10", false)), Some(("20", true)), Award::Score(d("4"))),
                b(Some(("20", false)), Some(("30", true)), Award::Score(d("2"))),
                b(Some(("30", false)), None, Award::Score(d("0"))),
            ],
        }
    }

    fn run(m: &Bands, p: &str, v: &str) -> RawScore {
        let mut env = Script::default();
        env.numbers.insert("v".into(), d(v));
        m.score(d(p), &mut env).unwrap()
    }

    #[test]
    fn edges_inclusive_and_exclusive() {
        let m = control_rate();
        assert_eq!(run(&m, "8", "0").raw, d("8"));
        assert_eq!(run(&m, "8", "0.0001").raw, d("6"));
        assert_eq!(run(&m, "8", "10").raw, d("6"));
        assert_eq!(run(&m, "8", "10.0").raw, d("6"));
        assert_eq!(run(&m, "8", "10.01").raw, d("4"));
        assert_eq!(run(&m, "8", "30").raw, d("2"));
        assert_eq!(run(&m, "8", "39.94").raw, d("0"));
        assert_eq!(run(&m, "8", "39.94").rule.to_string(), "band 5");
        // The fifth band, counted from 0.
        assert_eq!(run(&m, "8", "39.94").rule, Rule::Band { index: 4 });
    }

    #[test]
    fn first_match_wins_and_percent_of_points() {
        let m = Bands {
            value: param("v"),
            bands: vec![
                b(Some(("90", true)), None, Award::Percent(d("100"))),
                b(Some(("80", true)), None, Award::Percent(d("80"))),
                b(None, None, Award::Percent(d("50"))),
            ],
        };
        assert_eq!(run(&m, "5", "95").raw, d("5"));
        assert_eq!(run(&m, "5", "85").raw, d("4"));
        assert_eq!(run(&m, "5", "79.99").raw, d("2.5"));
    }

    fn spans(m: &Bands) -> Vec<Span> {
        m.bands.iter().map(Span::of).collect()
    }

    fn closed(lo: &str, hi: &str) -> Span {
        Span {
            lower: Some(Bound { value: d(lo), inclusive: true }),
            upper: Some(Bound { value: d(hi), inclusive: true }),
        }
    }

    #[test]
    fn union_of_many_spans_sharing_a_start() {
        // sort_by needs a total order; spans with equal starts once compared Less both ways.
        let spans: Vec<Span> = (0..64).map(|i| closed("0", &i.to_string())).chain([closed("70", "80")]).collect();
        let merged = union(&spans);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].upper.map(|b| b.value), Some(d("63")));
    }

    #[test]
    fn coverage_of_band_tables() {
        let m = control_rate();
        let all = spans(&m);
        // (−∞, 0] ∪ (0, 10] ∪ … ∪ (30, ∞) covers everything, [0, 100] included.
        assert!(covered(&closed("0", "100"), &all));
        assert!(covered(&Span { lower: None, upper: None }, &all));
        // Without the (10, 20] band there is a gap.
        let gappy: Vec<Span> = all.iter().enumerate().filter(|(i, _)| *i != 2).map(|(_, s)| *s).collect();
        assert!(!covered(&closed("0", "100"), &gappy));
        // [90, ∞) then [95, 100]: the second never matches.
        let first = b(Some(("90", true)), None, Award::Percent(d("100")));
        let second = b(Some(("95", true)), Some(("100", true)), Award::Percent(d("50")));
        assert!(covered(&Span::of(&second), &[Span::of(&first)]));
        // [0, 10) and (10, 20] leave 10 uncovered; [0, 10] and (10, 20] do not.
        let a = b(Some(("0", true)), Some(("10", false)), Award::Percent(d("1")));
        let c = b(Some(("10", false)), Some(("20", true)), Award::Percent(d("1")));
        assert!(!covered(&closed("0", "20"), &[Span::of(&a), Span::of(&c)]));
        let a2 = b(Some(("0", true)), Some(("10", true)), Award::Percent(d("1")));
        assert!(covered(&closed("0", "20"), &[Span::of(&a2), Span::of(&c)]));
        // (5, 5) is empty.
        assert!(Span::of(&b(Some(("5", false)), Some(("5", true)), Award::Percent(d("1")))).is_empty());
        assert!(!Span::of(&b(Some(("5", true)), Some(("5", true)), Award::Percent(d("1")))).is_empty());
    }

    #[test]
    fn no_band_matches_gives_zero() {
        let m = Bands { value: param("v"), bands: vec![b(Some(("90", true)), None, Award::Percent(d("100")))] };
        let o = run(&m, "5", "10");
        assert_eq!(o.raw, d("0"));
        assert_eq!(o.rule.to_string(), "no band");
        assert_eq!(o.rule, Rule::NoBand);
    }
}
