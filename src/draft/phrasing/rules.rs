//! One-rule phrasings: a ratio, a linear scale, a deduction, yes or no. Each pattern spans the
//! whole rule text (`^…$`), so a rule with anything more is not read by it.

use super::text::{captures, n, pattern};
use super::{Cx, FieldKind, FieldSpec, Method, Phrasing, num};
use crate::number::display;
use regex::Captures;
use rust_decimal::Decimal;

type Read = (Phrasing, Method, Vec<FieldSpec>);

pub(super) fn read(cx: &Cx) -> Option<Read> {
    yes_no(cx)
        .or_else(|| late(cx))
        .or_else(|| linear(cx))
        .or_else(|| threshold(cx))
        .or_else(|| per_item(cx))
        .or_else(|| shortfall(cx))
        .or_else(|| ratio(cx))
        .or_else(|| proportion(cx))
}

fn group<'t>(c: &Captures<'t>, name: &str) -> Option<&'t str> {
    c.name(name).map(|m| m.as_str()).filter(|s| !s.is_empty())
}

fn field(name: String, kind: FieldKind, label: String, unit: Option<String>) -> FieldSpec {
    let min = matches!(kind, FieldKind::Integer).then_some(Decimal::ZERO);
    FieldSpec { name, kind, label, unit, min, max: None }
}

/// What may follow a rule: its cap or floor, a maximum deduction, how part of a step counts.
#[derive(Default)]
struct Tail {
    max: Option<Decimal>,
    /// 不足1个百分点按1个百分点计
    ceil: bool,
    /// 按满N个百分点计
    whole_steps: bool,
    /// 低于Z不得分
    zero_below: Option<Decimal>,
}

pattern!(
    TAIL_ITEM,
    concat!(
        r"^[,;]?(?:(?P<done>扣完为止|满分为止|以满分为限|计分|计算得分|(?:得分)?(?:最高)?不(?:得)?(?:突破|超过|高于)(?:该指标)?(?:权重|分值|满分))",
        r"|(?P<capped>最高(?:不超过)?(?:(?P<top>",
        n!(),
        r")分|分值|满分|权重))",
        r"|(?:最多|最高)扣(?P<max>",
        n!(),
        r")分(?:为止)?",
        r"|(?P<ceil>\(不足(?:1个?)?(?:百分点|%)?的?按(?:1个?)?(?:百分点|%)?计(?:算)?\))",
        r"|\(按满(?P<whole>",
        n!(),
        r")个?(?:百分点|%)计\)",
        r"|[\p{Han}“”\x22]{0,12}?(?:低于|<|不足)(?P<zero>",
        n!(),
        r")%?的?,?(?:不得分|得0分|计0分))"
    )
);

fn tail(cx: &Cx, mut text: &str) -> Option<Tail> {
    let mut t = Tail::default();
    while !text.is_empty() {
        let c = captures(&TAIL_ITEM, text)?;
        let whole = c.get(0)?;
        if whole.as_str().is_empty() {
            return None;
        }
        if let Some(top) = group(&c, "top") {
            if num(top)? != cx.points {
                return None;
            }
        } else if let Some(max) = group(&c, "max") {
            t.max = Some(num(max)?);
        } else if let Some(steps) = group(&c, "whole") {
            let _ = num(steps)?;
            t.whole_steps = true;
        } else if let Some(zero) = group(&c, "zero") {
            t.zero_below = Some(num(zero)?);
        } else if group(&c, "ceil").is_some() {
            t.ceil = true;
        }
        text = &text[whole.end()..];
    }
    Some(t)
}

/// The full-marks figure and the tail of a count deduction (per month, per item, per shortfall):
/// it may say 扣完为止 or 最多扣M分, nothing about steps or a floor.
fn count_tail(cx: &Cx, c: &Captures) -> Option<Tail> {
    if !cx.is_full(group(c, "fp")) {
        return None;
    }
    let t = tail(cx, c.name("tail").map_or("", |m| m.as_str()))?;
    (!t.ceil && !t.whole_steps && t.zero_below.is_none()).then_some(t)
}

pattern!(
    YES_NO,
    concat!(
        r"^(?:是|已|有)?(?P<c>[^\d;,≥≤<>=%]+?)的?,?(?:得|计)(?:满分|(?P<fp>",
        n!(),
        r")分)[,;]",
        r"(?:否则|反之|(?:没有|无|未|不|否)[^\d;,≥≤<>=%]*?的?,?)(?:不得分|得0分|计0分|不计分)$"
    )
);

/// 是…得满分，否则不得分 / 有…得 N 分，没有不得分: a checklist of one item worth the points.
fn yes_no(cx: &Cx) -> Option<Read> {
    let c = captures(&YES_NO, cx.rule())?;
    if !cx.is_full(group(&c, "fp")) {
        return None;
    }
    let name = cx.field("done");
    let label = cx.label(group(&c, "c")?);
    let method = Method::Checklist { items: vec![(name.clone(), cx.points)] };
    Some((Phrasing::YesNo, method, vec![field(name, FieldKind::Bool, label, None)]))
}

pattern!(
    LATE,
    concat!(
        r"^(?:按时|按期|如期|在规定(?:的)?(?:时间|时限|期限)内)(?:完成|办结|提交|报送|完工)[^\d;,]{0,12}?的?,?(?:得|计)(?:满分|(?P<fp>",
        n!(),
        r")分)[,;]",
        r"每(?:延期|延迟|逾期|推迟|滞后|超期)(?:1个?)?(?P<u>月|周|天|日|工作日)扣(?P<per>",
        n!(),
        r")分(?P<tail>.*)$"
    )
);

/// 按时完成得满分，每延期一个月扣 N 分: a deduction per whole month (week, day) late.
fn late(cx: &Cx) -> Option<Read> {
    let c = captures(&LATE, cx.rule())?;
    let t = count_tail(cx, &c)?;
    let unit = group(&c, "u")?.to_owned();
    let name = cx.field("late");
    let method = Method::Deduct { count: name.clone(), per: num(group(&c, "per")?)?, max: t.max };
    let label = format!("延期{unit}数");
    Some((Phrasing::DeductLate, method, vec![field(name, FieldKind::Integer, label, Some(unit))]))
}

pattern!(
    LINEAR,
    concat!(
        r"^(?P<q>[^\d,;=≥≤<>~×÷%]*?)(?:≥|达到|不低于)?(?P<full>",
        n!(),
        r")(?P<u>%|[\p{Han}])?(?:\(含\))?(?:及以上|以上)?的?,?(?:得|计)(?:满分|(?P<fp>",
        n!(),
        r")分)[,;]",
        r"[^\d,;=≥≤<>()~×÷%]*?(?:≤(?P<z1>",
        n!(),
        r")(?:%|[\p{Han}])?|(?P<z2>",
        n!(),
        r")(?:%|[\p{Han}])?(?:\(含\))?(?:及以下|以下)|(?:低于|<)(?P<z3>",
        n!(),
        r")(?:%|[\p{Han}])?)的?,?(?:不得分|得0分|计0分)[,;]",
        r"(?:其间|之间|中间|介于两者之间的?)?按线性(?:比例)?(?:关系)?(?:计分|得分|插值计分|计算得分|计算)$"
    )
);

pattern!(
    LINEAR_LOWER,
    concat!(
        r"^(?P<q>[^\d,;=≥≤<>~×÷%]*?)(?:≤|不超过|不高于)?(?P<full>",
        n!(),
        r")(?P<u>%|[\p{Han}])?(?:\(含\))?(?:及以下|以下|以内)?的?,?(?:得|计)(?:满分|(?P<fp>",
        n!(),
        r")分)[,;]",
        r"[^\d,;=≥≤<>()~×÷%]*?(?:≥(?P<z1>",
        n!(),
        r")(?:%|[\p{Han}])?|(?P<z2>",
        n!(),
        r")(?:%|[\p{Han}])?(?:\(含\))?(?:及以上|以上)|(?:高于|超过|>)(?P<z3>",
        n!(),
        r")(?:%|[\p{Han}])?)的?,?(?:不得分|得0分|计0分)[,;]",
        r"(?:其间|之间|中间|介于两者之间的?)?按线性(?:比例)?(?:关系)?(?:计分|得分|插值计分|计算得分|计算)$"
    )
);

/// ≥ X 得满分，≤ Y 不得分，其间按线性比例计分; lower is better: ≤ X 得满分，≥ Y 不得分.
fn linear(cx: &Cx) -> Option<Read> {
    let (c, lower) = match captures(&LINEAR, cx.rule()) {
        Some(c) => (c, false),
        None => (captures(&LINEAR_LOWER, cx.rule())?, true),
    };
    if !cx.is_full(group(&c, "fp")) {
        return None;
    }
    let full = num(group(&c, "full")?)?;
    let zero = num(group(&c, "z1").or_else(|| group(&c, "z2")).or_else(|| group(&c, "z3"))?)?;
    if (zero >= full && !lower) || (zero <= full && lower) {
        return None;
    }
    let (kind, unit) = quantity_kind(group(&c, "u"));
    let name = cx.field("value");
    let method = Method::Linear { value: name.clone(), full, zero };
    Some((Phrasing::Linear, method, vec![field(name, kind, cx.label(group(&c, "q").unwrap_or("")), unit)]))
}

/// A quantity's field type from the unit after its threshold: `%` a percent, a counter such as
/// `期` or `家` an integer with that unit, nothing a number.
pub(super) fn quantity_kind(unit: Option<&str>) -> (FieldKind, Option<String>) {
    match unit {
        Some("%") => (FieldKind::Percent, None),
        Some(u) if "个项次处件起例期位场家篇所人类条笔份批".contains(u) => {
            (FieldKind::Integer, Some(u.to_owned()))
        }
        Some(u) => (FieldKind::Number, Some(u.to_owned())),
        None => (FieldKind::Number, None),
    }
}

pattern!(
    THRESHOLD,
    concat!(
        r"^(?P<q>[^\d,;=≥≤<>~×÷%]*?)(?P<op>≥|≤|=|为|达到|不低于|不超过|不高于)?(?P<t>",
        n!(),
        r")(?P<u>%|[\p{Han}])?(?:\(含\))?(?:及以上|及以下|以内)?的?,?(?:得|计)(?:满分|(?P<fp>",
        n!(),
        r")分)[,;]",
        r"(?:[^\d,;=≥≤<>()~×÷%]*?(?:>|<|大于|小于|超过|低于)(?P<t2>",
        n!(),
        r")%?的?,)?",
        r"[^\d,;=≥≤<>()~×÷%]*?每(?P<dir>低于|降低|低|少于|少|减少|下降|超过|超出|高于|增加|多|上升)",
        r"(?:(?P<s1>",
        n!(),
        r")(?:个百分点|%)|1?个百分点|(?P<s2>",
        n!(),
        r")?(?P<su>[个项次处件期位场家篇所人份]))",
        r"[^扣,;\d]{0,6}?扣(?P<per>",
        n!(),
        r")分(?P<tail>.*)$"
    )
);

/// ≥ X 得满分，每低 1 个百分点扣 N 分（扣完为止／低于 Z 不得分）, and the lower-is-better
/// ≤ X 得满分，每超过 1 个百分点扣 N 分. A step of one point counts its fractions (as the
/// built-in rubrics read 在职人员控制率); a step of several (每低于5%) counts whole steps
/// (domain.md Case B: 99.27 % of a 100 % target keeps full marks); 不足1个百分点按1个百分点计
/// rounds a part up.
fn threshold(cx: &Cx) -> Option<Read> {
    let c = captures(&THRESHOLD, cx.rule())?;
    if !cx.is_full(group(&c, "fp")) {
        return None;
    }
    let target = num(group(&c, "t")?)?;
    if group(&c, "t2").is_some_and(|t2| num(t2) != Some(target)) {
        return None;
    }
    let below = matches!(group(&c, "dir")?, "低于" | "降低" | "低" | "少于" | "少" | "减少" | "下降");
    let op_fits = match group(&c, "op") {
        None | Some("=" | "为") => true,
        Some("≥" | "达到" | "不低于") => below,
        Some(_) => !below,
    };
    if !op_fits {
        return None;
    }
    let t = tail(cx, c.name("tail").map_or("", |m| m.as_str()))?;
    let unit = group(&c, "u");
    let (kind, unit) = match (unit, group(&c, "su")) {
        (Some("%") | None, None) => (FieldKind::Percent, None),
        (u, Some(su)) if u.is_none_or(|u| u == su) => quantity_kind(Some(su)),
        _ => return None,
    };
    let step = match (group(&c, "s1"), group(&c, "s2")) {
        (Some(s), _) | (None, Some(s)) => num(s)?,
        (None, None) => Decimal::ONE,
    };
    if step <= Decimal::ZERO {
        return None;
    }
    let name = cx.field("value");
    let gap = if below {
        format!("max(0, {} - {name})", display(target))
    } else {
        format!("max(0, {name} - {})", display(target))
    };
    let steps = if step == Decimal::ONE { gap } else { format!("{gap} / {}", display(step)) };
    let count = match (t.ceil, step == Decimal::ONE && !t.whole_steps) {
        (true, _) => format!("ceil({steps})"),
        (false, true) => steps,
        (false, false) => format!("floor({steps})"),
    };
    let per = num(group(&c, "per")?)?;
    let method = match t.zero_below {
        None => Method::Deduct { count, per, max: t.max },
        Some(zero) if below && zero < target => {
            let lost = match t.max {
                Some(max) => format!("min({count} * {}, {})", display(per), display(max)),
                None => format!("{count} * {}", display(per)),
            };
            Method::Formula { expr: format!("if({name} < {}, 0, max(0, points - {lost}))", display(zero)) }
        }
        Some(_) => return None,
    };
    let phrasing = if below { Phrasing::DeductBelow } else { Phrasing::DeductAbove };
    Some((phrasing, method, vec![field(name, kind, cx.label(group(&c, "q").unwrap_or("")), unit)]))
}

pattern!(
    PER_ITEM,
    concat!(
        r"^(?:[^\d;≥≤<>=%]*?的?,?(?:得|计)(?:满分|(?P<fp>",
        n!(),
        r")分)[,;])?",
        r"(?:[^\d;≥≤<>=%,]*?的?,?)?",
        r"每(?:发现|出现|有|查出|存在|发生)?(?:1(?P<u>[处次项个起例件笔条])|(?P<u2>项|次|处))",
        r"(?P<what>[^扣;,\d]{0,40}?)的?,?扣(?:减)?(?P<per>",
        n!(),
        r")分(?P<tail>.*)$"
    )
);

/// 每发现一处／一次／一项扣 N 分，扣完为止／最多扣 M 分; 无…得满分，每有一项扣 N 分.
fn per_item(cx: &Cx) -> Option<Read> {
    let c = captures(&PER_ITEM, cx.rule())?;
    let t = count_tail(cx, &c)?;
    let unit = group(&c, "u").or_else(|| group(&c, "u2"))?.to_owned();
    let what = group(&c, "what").map(|w| w.trim_start_matches(['的', ','])).unwrap_or("");
    let label =
        if what.is_empty() { format!("{}：问题{unit}数", cx.title) } else { format!("{what}（{unit}数）") };
    let name = cx.field("count");
    let method = Method::Deduct { count: name.clone(), per: num(group(&c, "per")?)?, max: t.max };
    Some((Phrasing::DeductPerItem, method, vec![field(name, FieldKind::Integer, label, Some(unit))]))
}

pattern!(SHORTFALL, concat!(r"^每少(?:1个?)?(?P<u>[\p{Han}]{1,2}?)扣(?P<per>", n!(), r")分(?P<tail>.*)$"));

/// 年度目标：不少于 T 期；每少 1 期扣 N 分.
fn shortfall(cx: &Cx) -> Option<Read> {
    let c = captures(&SHORTFALL, cx.rule())?;
    let (target, target_unit) = cx.prepared.target.clone()?;
    let unit = group(&c, "u")?.to_owned();
    if target_unit.as_ref().is_some_and(|t| *t != unit) {
        return None;
    }
    let t = count_tail(cx, &c)?;
    let name = cx.field("value");
    let count = format!("max(0, {} - {name})", display(target));
    let method = Method::Deduct { count, per: num(group(&c, "per")?)?, max: t.max };
    let (kind, unit) = quantity_kind(Some(&unit));
    Some((Phrasing::DeductShortfall, method, vec![field(name, kind, cx.title.to_owned(), unit)]))
}

pattern!(
    RATIO,
    concat!(
        r"^(?:(?P<pq>[^\d,;=≥≤<>()~×÷%]*?)(?:≥|达到|不低于)?(?P<pt>",
        n!(),
        r"%?|(?:年度)?(?:指标值|目标值|计划值|目标))的?,?(?:得|计)满分[,;]",
        r"|(?P<within>[^\d,;=≥≤<>~×÷%]*?(?:不超过|未超过|不高于)[^\d,;=≥≤<>~×÷%]*?)的?,?(?:得|计)满分[,;])?",
        r"(?:(?:未达到|低于",
        n!(),
        r"%?|低于(?:年度)?(?:指标值|目标值)|(?P<over>超支|超过|超出|高于))[^\d,;=≥≤<>~×÷%]{0,12}?的?,?)?",
        r"(?:[\p{Han}]{0,8}得分=|按)?",
        r"(?:(?P<q>[^=,;×]+?)×(?:[\p{Han}]{0,8}?(?:分值|权重|满分)|(?P<n>",
        n!(),
        r")分?)(?:\((?P<n2>",
        n!(),
        r")分\))?",
        r"|(?P<m>",
        n!(),
        r")分?×(?P<q2>[^=,;×]+))",
        r"(?P<tail>.*)$"
    )
);

/// 执行率×分值; 得分=实际完成率×该指标分值，满分为止; 得分=完成场次÷12×分值; 达到指标值得满分，
/// 未达到的按完成值÷指标值×分值计分; 满意度≥90%得满分，低于90%的得分=满意度÷90%×分值; the
/// reverse 得分=指标值÷实际值×分值. Every ratio is capped at the points (a rate past its target
/// earns no more, domain.md Case F).
fn ratio(cx: &Cx) -> Option<Read> {
    let c = captures(&RATIO, cx.rule())?;
    for times in ["n", "n2", "m"] {
        if let Some(p) = group(&c, times)
            && num(p)? != cx.points
        {
            return None;
        }
    }
    let t = tail(cx, c.name("tail").map_or("", |m| m.as_str()))?;
    if t.max.is_some() || t.ceil || t.whole_steps || t.zero_below.is_some() {
        return None;
    }
    let q = group(&c, "q").or_else(|| group(&c, "q2"))?;
    let prefix_target = group(&c, "pt");
    // 不超过…得满分；超支的…: only a lower-is-better quotient reads so.
    let lower_said = group(&c, "within").is_some() || group(&c, "over").is_some();
    let value = cx.field("value");
    let Some((top, bottom)) = q.split_once('÷') else {
        // A rate times the points: the rate is a percent against 100.
        let rate = ["率", "度", "比例", "系数", "比率"].iter().any(|s| q.ends_with(s));
        if !rate || prefix_target.is_some() || lower_said {
            return None;
        }
        let method = Method::Ratio { value: value.clone(), target: "100".into(), lower: false };
        let f = field(value, FieldKind::Percent, cx.label(q), None);
        return Some((Phrasing::RateTimesPoints, method, vec![f]));
    };
    if bottom.contains('÷') || top.is_empty() || bottom.is_empty() {
        return None;
    }
    let literal = bottom.strip_suffix('%').map_or((bottom, false), |b| (b, true));
    if let Some(target) = num(literal.0) {
        if lower_said
            || target <= Decimal::ZERO
            || prefix_target.is_some_and(|p| num(p.trim_end_matches('%')) != Some(target))
        {
            return None;
        }
        let (kind, unit) = if literal.1 {
            (FieldKind::Percent, None)
        } else {
            match &cx.prepared.target {
                Some((goal, unit)) if *goal == target => quantity_kind(unit.as_deref()),
                Some(_) => return None,
                None => (FieldKind::Number, None),
            }
        };
        let method = Method::Ratio { value: value.clone(), target: display(target), lower: false };
        return Some((Phrasing::QuotientTimesPoints, method, vec![field(value, kind, cx.label(top), unit)]));
    }
    if prefix_target.is_some_and(|p| p.ends_with('%') || num(p).is_some()) {
        return None;
    }
    // Two figures of the data file: which one is the target decides the direction.
    let targetish = |s: &str| ["指标值", "目标值", "计划", "预算", "标准", "定额"].iter().any(|w| s.contains(w));
    let actualish = |s: &str| ["实际", "完成", "执行", "决算", "支出"].iter().any(|w| s.contains(w));
    let target = cx.field("target");
    if targetish(top) && actualish(bottom) && !targetish(bottom) {
        let method = Method::Ratio { value: value.clone(), target: target.clone(), lower: true };
        let fields = vec![
            field(value, FieldKind::Number, cx.label(bottom), None),
            field(target, FieldKind::Number, cx.label(top), None),
        ];
        return Some((Phrasing::ReverseQuotient, method, fields));
    }
    if lower_said || !targetish(bottom) {
        return None;
    }
    let method = Method::Ratio { value: value.clone(), target: target.clone(), lower: false };
    let fields = vec![
        field(value, FieldKind::Number, cx.label(top), None),
        field(target, FieldKind::Number, cx.label(bottom), None),
    ];
    Some((Phrasing::QuotientTimesPoints, method, fields))
}

pattern!(PROPORTION, r"^按(?:实际)?完成(?:比例|进度|程度)计(?:算)?(?:得)?分(?:[,;]?满分为止)?$");

/// 按完成比例计分: the completion as a percent, against 100.
fn proportion(cx: &Cx) -> Option<Read> {
    captures(&PROPORTION, cx.rule())?;
    let value = cx.field("value");
    let method = Method::Ratio { value: value.clone(), target: "100".into(), lower: false };
    let label = format!("{}完成比例", cx.title);
    Some((Phrasing::Proportion, method, vec![field(value, FieldKind::Percent, label, None)]))
}

#[cfg(test)]
pub(super) fn patterns() -> Vec<&'static super::text::Pattern> {
    vec![&TAIL_ITEM, &YES_NO, &LATE, &LINEAR, &LINEAR_LOWER, &THRESHOLD, &PER_ITEM, &SHORTFALL, &RATIO, &PROPORTION]
}
