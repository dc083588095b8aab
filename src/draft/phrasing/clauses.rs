//! Phrasings that are lists of clauses, each a condition and what it earns: bands of a
//! figure (`≥95%得满分；85%（含）～95%得70%；…；75%以下不得分`), levels (`好得满分；较好得70%；…`)
//! and checklists (`A得1分；B得1分；C得1分`, `A、B、C，每项1分`).

use super::text::{captures, n, pattern};
use super::{Award, Band, Bound, Cx, FieldKind, FieldSpec, Method, Phrasing, exact_percent, num};
use regex::Captures;
use rust_decimal::Decimal;

type Read = (Phrasing, Method, Vec<FieldSpec>);

pub(super) fn read(cx: &Cx) -> Option<Read> {
    if let Some(read) = each_item(cx) {
        return Some(read);
    }
    let clauses = split(cx.rule())?;
    checklist(cx, &clauses).or_else(|| levels(cx, &clauses)).or_else(|| bands(cx, &clauses))
}

/// A clause: its condition and what it earns.
struct Clause<'t> {
    condition: &'t str,
    award: Award,
    /// `得N分` (not 满分, a percent or nothing): a checklist item's points.
    absolute: Option<Decimal>,
    /// The label in brackets after the outcome: `得70%（较好）`.
    label: Option<&'t str>,
}

pattern!(
    CLAUSE,
    concat!(
        r"^(?P<c>.*?)的?,?(?:(?:得|计|给|记)(?:(?P<full>满分|全分)|(?P<pts>",
        n!(),
        r")分|(?:分值的)?(?P<pct>",
        n!(),
        r")%(?:的?(?:分值|权重))?)|(?P<zero>不得分|不计分|(?:得|计)?0分))",
        r"(?:\((?P<label>[^()]{1,12})\))?$"
    )
);
pattern!(BREAK, concat!(r"(?:分\)?|[得计]", n!(), r"%)(?:\([^()]{1,12}\))?[,、]"));
// `好（4分）`: a level named, its points in brackets.
pattern!(BRACKETED, concat!(r"^(?P<c>[^()\d,;≥≤<>=%~]{1,16}?)\((?P<pts>", n!(), r")分\)$"));

/// The rule's clauses: its sentences, each cut again after an outcome followed by `,` or `、`
/// (`真实得1分、完整得1分`); `None` unless every clause ends with what it earns.
fn split(rule: &str) -> Option<Vec<Clause<'_>>> {
    let mut parts: Vec<&str> = Vec::new();
    for sentence in rule.split(';') {
        let mut start = 0;
        if let Some(re) = BREAK.as_ref() {
            for m in re.find_iter(sentence) {
                let end = m.end() - m.as_str().chars().last().map_or(0, char::len_utf8);
                parts.push(&sentence[start..end]);
                start = m.end();
            }
        }
        parts.push(&sentence[start..]);
    }
    let mut clauses = Vec::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        if let Some(c) = captures(&BRACKETED, part) {
            // Not a checklist item: `完整（1分）、准确（1分）` may as well be levels.
            let points = num(c.name("pts")?.as_str())?;
            let condition = c.name("c")?.as_str();
            clauses.push(Clause { condition, award: Award::Score(points), absolute: None, label: None });
            continue;
        }
        let c = captures(&CLAUSE, part)?;
        clauses.push(clause(&c)?);
    }
    (clauses.len() >= 2).then_some(clauses)
}

fn clause<'t>(c: &Captures<'t>) -> Option<Clause<'t>> {
    let condition = c.name("c").map_or("", |m| m.as_str()).trim_end_matches([',', '的']);
    let label = c.name("label").map(|m| m.as_str());
    let (award, absolute) = if c.name("full").is_some() {
        (Award::Percent(Decimal::ONE_HUNDRED), None)
    } else if let Some(p) = c.name("pts") {
        let p = num(p.as_str())?;
        (Award::Score(p), Some(p))
    } else if let Some(p) = c.name("pct") {
        (Award::Percent(num(p.as_str())?), None)
    } else {
        (Award::Score(Decimal::ZERO), None)
    };
    Some(Clause { condition, award, absolute, label })
}

/// A condition that compares a figure: it belongs to bands, not to levels or checklists.
fn has_figure(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit() || "≥≤<>=%~".contains(c))
}

/// A checklist item's or level's label: the condition, or the indicator's title before a
/// condition too short to stand alone (`完整` → `基础信息完善性：完整`).
fn item_label(cx: &Cx, condition: &str) -> String {
    let c = condition.trim_start_matches(|ch: char| "①②③④⑤⑥⑦⑧⑨⑩.、)".contains(ch) || ch.is_ascii_digit());
    if c.chars().count() < 4 { format!("{}：{c}", cx.title) } else { c.to_owned() }
}

/// A 得N分 per condition, adding up to the points: a checklist.
fn checklist(cx: &Cx, clauses: &[Clause]) -> Option<Read> {
    let mut total = Decimal::ZERO;
    for c in clauses {
        let p = c.absolute?;
        if p <= Decimal::ZERO || c.label.is_some() || has_figure(c.condition) || c.condition.is_empty() {
            return None;
        }
        total = total.checked_add(p)?;
    }
    if total != cx.points {
        return None;
    }
    let mut items = Vec::new();
    let mut fields = Vec::new();
    for (i, c) in clauses.iter().enumerate() {
        let name = cx.field(&format!("item{}", i + 1));
        items.push((name.clone(), c.absolute?));
        fields.push(bool_field(name, item_label(cx, c.condition)));
    }
    Some((Phrasing::Checklist, Method::Checklist { items }, fields))
}

fn bool_field(name: String, label: String) -> FieldSpec {
    FieldSpec { name, kind: FieldKind::Bool, label, unit: None, min: None, max: None }
}

pattern!(EACH_ITEM, concat!(r"^(?P<list>[^\d;≥≤<>=%,]+?),?每项(?:得|计)?(?P<n>", n!(), r")分$"));

/// `A、B、C，每项1分`: a checklist whose items are named in one list.
fn each_item(cx: &Cx) -> Option<Read> {
    let c = captures(&EACH_ITEM, cx.rule())?;
    let per = num(c.name("n")?.as_str())?;
    let names: Vec<&str> = c.name("list")?.as_str().split('、').filter(|s| !s.is_empty()).collect();
    let count = Decimal::from(names.len());
    if names.len() < 2 || per.checked_mul(count)? != cx.points {
        return None;
    }
    let mut items = Vec::new();
    let mut fields = Vec::new();
    for (i, item) in names.iter().enumerate() {
        let name = cx.field(&format!("item{}", i + 1));
        items.push((name.clone(), per));
        fields.push(bool_field(name, item_label(cx, item)));
    }
    Some((Phrasing::Checklist, Method::Checklist { items }, fields))
}

/// Conditions without a figure, each earning its share: levels, named by the label in brackets
/// or by the condition itself when it is short (`较好得80%`).
fn levels(cx: &Cx, clauses: &[Clause]) -> Option<Read> {
    let mut levels: Vec<(String, Decimal)> = Vec::new();
    for c in clauses {
        if has_figure(c.condition) {
            return None;
        }
        let label = c.label.unwrap_or(c.condition).trim_start_matches(|ch: char| "①②③④⑤⑥⑦⑧⑨⑩".contains(ch));
        // A long condition is named by its last part (`…编制预算、结合紧密` → 结合紧密): the label
        // only names the level, its share is the text's.
        let label = match label.rfind(['、', ',']) {
            Some(at) if label.chars().count() > 16 => {
                &label[at + label[at..].chars().next().map_or(1, char::len_utf8)..]
            }
            _ => label,
        };
        let length = label.chars().count();
        if length == 0 || length > 16 || levels.iter().any(|(l, _)| l == label) {
            return None;
        }
        let percent = match c.award {
            Award::Percent(p) => p,
            Award::Score(s) => exact_percent(s, cx.points)?,
        };
        if percent > Decimal::ONE_HUNDRED {
            return None;
        }
        levels.push((label.to_owned(), percent));
    }
    // A scale whose best level does not earn the points is not what the standard says.
    if !levels.iter().any(|(_, p)| *p == Decimal::ONE_HUNDRED) {
        return None;
    }
    let name = cx.field("level");
    let labels = levels.iter().map(|(l, _)| l.clone()).collect();
    let field = FieldSpec {
        name: name.clone(),
        kind: FieldKind::Level(labels),
        label: cx.title.to_owned(),
        unit: None,
        min: None,
        max: None,
    };
    Some((Phrasing::Levels, Method::Levels { value: name, levels }, vec![field]))
}

/// Whether a band's edge belongs to it: said (`≥`, `（含）`, `及以上`, `(`), or left to the
/// neighbouring band (`80%-90%`, `90%以上`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edge {
    In,
    Out,
    Unsaid,
}

#[derive(Debug, Clone, Copy)]
struct Side {
    value: Decimal,
    edge: Edge,
}

pattern!(
    SUBJECT,
    r"^(?P<q>[^\d≥≤<>=()\[\]~]*?)(?P<rest>(?:为|=|≥|≤|>|<|大于等于|小于等于|大于|小于|高于|低于|超过|不足|不低于|不高于|不超过|达到|在)?[\d(\[].*)$"
);
pattern!(POINT, concat!(r"^(?:为|=)(?P<a>", n!(), r")(?P<u>%|[\p{Han}])?$"));
pattern!(
    FROM,
    concat!(
        r"^(?P<op>≥|大于等于|不低于|达到|>|大于|高于|超过)(?P<a>",
        n!(),
        r")(?P<u>%|[\p{Han}])?(?P<h>\(含\))?(?:及以上|以上)?$"
    )
);
pattern!(
    UPTO,
    concat!(
        r"^(?P<op>≤|小于等于|不高于|不超过|<|小于|低于|不足)(?P<a>",
        n!(),
        r")(?P<u>%|[\p{Han}])?(?P<h>\(含\))?(?:及以下|以下)?$"
    )
);
pattern!(ABOVE, concat!(r"^(?P<a>", n!(), r")(?P<u>%|[\p{Han}])?(?P<h>\(含\))?(?P<w>及以上|以上|及以下|以下)$"));
pattern!(
    RANGE,
    concat!(
        r"^(?:在)?(?P<a>",
        n!(),
        r")(?P<u1>%|[\p{Han}])?(?P<h1>\(含\))?~(?P<b>",
        n!(),
        r")(?P<u>%|[\p{Han}])?(?P<h2>\(含\))?(?:之间)?$"
    )
);
pattern!(INTERVAL, concat!(r"^(?P<l>[(\[])(?P<a>", n!(), r")(?P<u1>%)?,(?P<b>", n!(), r")(?P<u>%)?(?P<r>[)\]])$"));
pattern!(
    BETWEEN,
    concat!(r"^(?P<o1>≥|>)(?P<a>", n!(), r")(?P<u1>%)?(?:且|,)[^\d]*?(?P<o2>≤|<)(?P<b>", n!(), r")(?P<u>%)?$")
);

/// A band's condition (its subject, such as `满意度`, taken off): its lower and upper sides and
/// the unit its figures are written in.
fn condition(text: &str) -> Option<(Option<Side>, Option<Side>, Option<String>)> {
    let c = captures(&SUBJECT, text)?;
    let rest = c.name("rest")?.as_str();
    let side = |v: &str, edge: Edge| Some(Side { value: num(v)?, edge });
    let unit = |c: &Captures| c.name("u").or_else(|| c.name("u1")).map(|m| m.as_str().to_owned());
    if let Some(c) = captures(&POINT, rest) {
        let a = c.name("a")?.as_str();
        return Some((side(a, Edge::In), side(a, Edge::In), unit(&c)));
    }
    if let Some(c) = captures(&FROM, rest) {
        let strict = matches!(c.name("op")?.as_str(), ">" | "大于" | "高于" | "超过");
        let edge = if strict && c.name("h").is_none() { Edge::Out } else { Edge::In };
        return Some((side(c.name("a")?.as_str(), edge), None, unit(&c)));
    }
    if let Some(c) = captures(&UPTO, rest) {
        let strict = matches!(c.name("op")?.as_str(), "<" | "小于" | "低于" | "不足");
        let edge = if strict && c.name("h").is_none() { Edge::Out } else { Edge::In };
        return Some((None, side(c.name("a")?.as_str(), edge), unit(&c)));
    }
    if let Some(c) = captures(&ABOVE, rest) {
        let word = c.name("w")?.as_str();
        let edge = if c.name("h").is_some() || word.starts_with('及') { Edge::In } else { Edge::Unsaid };
        let s = side(c.name("a")?.as_str(), edge);
        return Some(if word.ends_with("以上") { (s, None, unit(&c)) } else { (None, s, unit(&c)) });
    }
    if let Some(c) = captures(&RANGE, rest) {
        let edge = |h: &str| if c.name(h).is_some() { Edge::In } else { Edge::Unsaid };
        return Some((side(c.name("a")?.as_str(), edge("h1")), side(c.name("b")?.as_str(), edge("h2")), unit(&c)));
    }
    if let Some(c) = captures(&INTERVAL, rest) {
        let lower = if c.name("l")?.as_str() == "[" { Edge::In } else { Edge::Out };
        let upper = if c.name("r")?.as_str() == "]" { Edge::In } else { Edge::Out };
        return Some((side(c.name("a")?.as_str(), lower), side(c.name("b")?.as_str(), upper), unit(&c)));
    }
    if let Some(c) = captures(&BETWEEN, rest) {
        let lower = if c.name("o1")?.as_str() == "≥" { Edge::In } else { Edge::Out };
        let upper = if c.name("o2")?.as_str() == "≤" { Edge::In } else { Edge::Out };
        return Some((side(c.name("a")?.as_str(), lower), side(c.name("b")?.as_str(), upper), unit(&c)));
    }
    None
}

/// Bands of one figure that together cover every value it can take, each edge belonging to
/// exactly one band: an edge a clause leaves unsaid is given by its neighbour's (`90%以上` after
/// `80%（含）～90%`); two unsaid, two claims or a gap leave the standard to a person.
fn bands(cx: &Cx, clauses: &[Clause]) -> Option<Read> {
    let mut read: Vec<(Option<Side>, Option<Side>, Award)> = Vec::new();
    let mut units: Vec<String> = Vec::new();
    let mut subject = "";
    for c in clauses {
        let (lower, upper, unit) = condition(c.condition)?;
        if c.label.is_some() {
            return None;
        }
        if let (Some(l), Some(u)) = (lower, upper)
            && l.value > u.value
        {
            return None;
        }
        match c.award {
            Award::Score(s) if s > cx.points => return None,
            Award::Percent(p) if p > Decimal::ONE_HUNDRED => return None,
            _ => {}
        }
        units.extend(unit);
        if subject.is_empty() {
            subject = captures(&SUBJECT, c.condition).and_then(|s| s.name("q")).map_or("", |m| m.as_str());
        }
        read.push((lower, upper, c.award));
    }
    // Sorted from the bottom: by lower side (none first), then upper.
    let mut order: Vec<usize> = (0..read.len()).collect();
    let key = |s: Option<Side>| s.map(|s| s.value);
    order.sort_by(|&a, &b| {
        let (la, ua, _) = read[a];
        let (lb, ub, _) = read[b];
        (la.is_some(), key(la), ua.is_none(), key(ua)).cmp(&(lb.is_some(), key(lb), ub.is_none(), key(ub)))
    });
    for pair in order.windows(2) {
        let (below, above) = (pair[0], pair[1]);
        let (Some(top), Some(bottom)) = (read[below].1, read[above].0) else { return None };
        if top.value != bottom.value {
            return None;
        }
        let (t, b) = match (top.edge, bottom.edge) {
            (Edge::In, Edge::Out) | (Edge::Out, Edge::In) => (top.edge, bottom.edge),
            (Edge::Unsaid, Edge::In) => (Edge::Out, Edge::In),
            (Edge::Unsaid, Edge::Out) => (Edge::In, Edge::Out),
            (Edge::In, Edge::Unsaid) => (Edge::In, Edge::Out),
            (Edge::Out, Edge::Unsaid) => (Edge::Out, Edge::In),
            _ => return None,
        };
        read[below].1 = Some(Side { edge: t, ..top });
        read[above].0 = Some(Side { edge: b, ..bottom });
    }
    let percent = units.iter().any(|u| u == "%");
    let han: Vec<&String> = units.iter().filter(|u| *u != "%").collect();
    if percent && !han.is_empty() || han.windows(2).any(|w| w[0] != w[1]) {
        return None;
    }
    // The ends: open, or at 0 (a rate is never negative) and at 100 % (nor above it).
    let first = order.first().copied()?;
    let last = order.last().copied()?;
    let mut min = None;
    let mut max = None;
    match read[first].0 {
        None => {}
        Some(s) if s.value.is_zero() && s.edge != Edge::Out => {
            read[first].0 = Some(Side { edge: Edge::In, ..s });
            min = Some(Decimal::ZERO);
        }
        Some(_) => return None,
    }
    match read[last].1 {
        None => {}
        Some(s) if percent && s.value == Decimal::ONE_HUNDRED && s.edge != Edge::Out => {
            read[last].1 = Some(Side { edge: Edge::In, ..s });
            max = Some(Decimal::ONE_HUNDRED);
        }
        Some(_) => return None,
    }
    let bound = |s: Option<Side>| s.map(|s| Bound { value: s.value, inclusive: s.edge == Edge::In });
    let bands = read.iter().map(|&(l, u, award)| Band { lower: bound(l), upper: bound(u), award }).collect();
    let (kind, unit) = if percent {
        (FieldKind::Percent, None)
    } else if let Some(u) = han.first() {
        super::rules::quantity_kind(Some(u.as_str()))
    } else {
        match &cx.prepared.target {
            Some((_, Some(u))) => super::rules::quantity_kind(Some(u.as_str())),
            _ => (FieldKind::Number, None),
        }
    };
    let name = cx.field("value");
    let field = FieldSpec { name: name.clone(), kind, label: cx.label(subject), unit, min, max };
    Some((Phrasing::Bands, Method::Bands { value: name, bands }, vec![field]))
}

#[cfg(test)]
pub(super) fn patterns() -> Vec<&'static super::text::Pattern> {
    vec![&CLAUSE, &BREAK, &BRACKETED, &EACH_ITEM, &SUBJECT, &POINT, &FROM, &UPTO, &ABOVE, &RANGE, &INTERVAL, &BETWEEN]
}
