//! Fields: the inputs a rubric reads from data files, and how a written value is read
//! (SPEC §2 "Fields", §5.2 "Values").

use crate::diag::Pos;
use crate::expr::{NameType, Type, Value};
use crate::lang::Lang;
use crate::number::{LiteralError, display, parse_literal};
use crate::tr;
use crate::yaml::{Kind, Node};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    Number,
    Integer,
    Percent,
    Bool,
    Level(Vec<String>),
    Text,
}

impl FieldType {
    pub const NAMES: [&'static str; 6] = ["number", "integer", "percent", "bool", "level", "text"];

    pub fn name(&self) -> &'static str {
        match self {
            FieldType::Number => "number",
            FieldType::Integer => "integer",
            FieldType::Percent => "percent",
            FieldType::Bool => "bool",
            FieldType::Level(_) => "level",
            FieldType::Text => "text",
        }
    }

    /// The type's name for messages: the keyword in English, a word in Chinese.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            FieldType::Number => lang.pick("数值", "number"),
            FieldType::Integer => lang.pick("整数", "integer"),
            FieldType::Percent => lang.pick("百分比", "percent"),
            FieldType::Bool => lang.pick("是/否", "bool"),
            FieldType::Level(_) => lang.pick("等级", "level"),
            FieldType::Text => lang.pick("文本", "text"),
        }
    }

    /// The type expressions see.
    pub fn name_type(&self) -> NameType {
        match self {
            FieldType::Number | FieldType::Integer | FieldType::Percent => NameType { ty: Type::Number, levels: None },
            FieldType::Bool => NameType { ty: Type::Bool, levels: None },
            FieldType::Level(levels) => NameType { ty: Type::Text, levels: Some(levels.clone()) },
            FieldType::Text => NameType { ty: Type::Text, levels: None },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: FieldType,
    pub unit: Option<String>,
    pub label: Option<String>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub default: Option<crate::expr::Value>,
    pub pos: Pos,
}

impl Field {
    /// The label, or the name when there is none.
    pub fn display_name(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

impl Field {
    /// Reads one value for this field (SPEC §5.2): types, spellings, levels and bounds.
    pub fn read(&self, node: &Node, lang: Lang) -> Result<Value, String> {
        let field = self;
        let value = match &field.ty {
            FieldType::Number => Value::Number(number(node, self.unit.as_deref(), lang)?),
            FieldType::Integer => {
                let n = number(node, self.unit.as_deref(), lang)?;
                if n.normalize().scale() != 0 {
                    return Err(tr!(lang, "{} 不是整数", "{} is not a whole number", node.quoted(lang)));
                }
                Value::Number(n.normalize())
            }
            FieldType::Percent => Value::Number(match &node.kind {
                Kind::Str(s) => parse_percent_text(s).ok_or_else(|| {
                    tr!(
                        lang,
                        "\"{s}\" 不是百分数（请写 96.5 或 \"96.5%\"）",
                        "\"{s}\" is not a percent (write 96.5 or \"96.5%\")"
                    )
                })?,
                _ => number(node, None, lang)?,
            }),
            FieldType::Bool => Value::Bool(match &node.kind {
                Kind::Bool(b, _) => *b,
                Kind::Str(s) if s == "是" => true,
                Kind::Str(s) if s == "否" => false,
                Kind::Str(s) if ["yes", "no", "on", "off", "y", "n"].contains(&s.to_ascii_lowercase().as_str()) => {
                    // YAML 1.1 read these as booleans; selfeval reads YAML 1.2, where they are text.
                    let meant =
                        if ["yes", "on", "y"].contains(&s.to_ascii_lowercase().as_str()) { "true" } else { "false" };
                    let yes = if meant == "true" { "是" } else { "否" };
                    return Err(tr!(
                        lang,
                        "{} 不是布尔值：yes/no、on/off 在这里是文本；请写 {meant} 或 {yes}",
                        "{} is not a bool: yes/no and on/off are text here; write {meant} or {yes}",
                        node.quoted(lang)
                    ));
                }
                _ => {
                    return Err(tr!(
                        lang,
                        "{} 不是布尔值；请写 true/false 或 是/否",
                        "{} is not a bool; write true/false or 是/否",
                        node.quoted(lang)
                    ));
                }
            }),
            FieldType::Level(levels) => {
                let text = scalar_text(node).ok_or_else(|| {
                    tr!(
                        lang,
                        "应为 {} 之一，实际为{}",
                        "expected one of {}, found {}",
                        levels.join("/"),
                        node.kind_name(lang)
                    )
                })?;
                if !levels.contains(&text) {
                    return Err(tr!(
                        lang,
                        "\"{text}\" 不是规定的等级之一：{}",
                        "\"{text}\" is not one of the levels {}",
                        levels.join(" / ")
                    ));
                }
                Value::Text(text)
            }
            FieldType::Text => Value::Text(
                scalar_text(node)
                    .ok_or_else(|| tr!(lang, "应为文本，实际为{}", "expected text, found {}", node.kind_name(lang)))?,
            ),
        };
        if let Value::Number(n) = &value {
            if let Some(min) = field.min
                && *n < min
            {
                return Err(tr!(lang, "`{}` 小于最小值 {}", "`{}` is below the minimum {}", display(*n), display(min)));
            }
            if let Some(max) = field.max
                && *n > max
            {
                return Err(tr!(lang, "`{}` 大于最大值 {}", "`{}` is above the maximum {}", display(*n), display(max)));
            }
        }
        Ok(value)
    }
}

/// A number field's value: a number, or a number printed with a multiplier and a unit
/// (`"150万元"`, SPEC §5.2) converted into the field's `unit`.
fn number(node: &Node, unit: Option<&str>, lang: Lang) -> Result<Decimal, String> {
    if let Kind::Str(s) = &node.kind
        && let Some(q) = printed_with_unit(s)
    {
        if unit.is_none() && !q.unit.base.is_empty() {
            return Err(tr!(
                lang,
                "\"{s}\" 带有单位“{}”，但此字段没有 `unit`，无法换算；请直接写数字",
                "\"{s}\" is written in “{}”, but this field has no `unit` to convert it to; write the number",
                q.unit.text()
            ));
        }
        let unit = crate::printed::Unit::parse(unit.unwrap_or(""));
        return q.in_unit(&unit).map_err(|e| tr!(lang, "\"{s}\" {}", "\"{s}\" {}", e.describe(lang)));
    }
    match &node.kind {
        Kind::Number(raw) => parse_literal(raw).map_err(|e| tr!(lang, "`{raw}` {}", "`{raw}` {}", e.describe(lang))),
        Kind::Str(s) if parse_percent_text(s).is_some() && s.contains(['%', '％']) => Err(tr!(
            lang,
            "\"{s}\" 是百分数文本，但此字段不是百分比字段；请直接写数字",
            "\"{s}\" is a percent text, but this field is not a percent field; write the number"
        )),
        Kind::Str(s) => match parse_literal(s) {
            Ok(_) => Err(tr!(
                lang,
                "\"{s}\" 是文本；请去掉引号，直接写数字",
                "\"{s}\" is text; write the number without quotes"
            )),
            // Unquoted `010` or `1_000` reach us as text (the YAML schema would misread them).
            Err(e @ (LiteralError::Separator | LiteralError::LeadingZero)) if !node.quoted => {
                Err(tr!(lang, "`{s}` {}", "`{s}` {}", e.describe(lang)))
            }
            Err(LiteralError::Separator) => Err(tr!(
                lang,
                "\"{s}\" 使用了数字分隔符；请直接写数字",
                "\"{s}\" uses digit separators; write the plain number"
            )),
            Err(_) => Err(tr!(lang, "应为数字，实际为文本 \"{s}\"", "expected a number, found text \"{s}\"")),
        },
        _ => Err(tr!(lang, "应为数字，实际为{}", "expected a number, found {}", node.kind_name(lang))),
    }
}

/// `150万元`, `2370人`: a number with a multiplier or a unit that is not a percent sign.
fn printed_with_unit(text: &str) -> Option<crate::printed::Quantity> {
    crate::printed::parse_quantity(text).ok().filter(|q| !q.unit.is_plain() && !q.unit.base.contains('%'))
}

/// A percent text (`96.5%`, `96.5 ％`, or the bare number) as its number: `96.5`.
pub(crate) fn parse_percent_text(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = t.strip_suffix('%').or_else(|| t.strip_suffix('％')).unwrap_or(t).trim_end();
    parse_literal(t).ok()
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.kind {
        Kind::Str(s) => Some(s.clone()),
        Kind::Number(raw) | Kind::Bool(_, raw) => Some(raw.clone()),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::diag::Pos;
    use crate::yaml::Source;

    fn field(ty: FieldType) -> Field {
        Field { name: "f".into(), ty, unit: None, label: None, min: None, max: None, default: None, pos: Pos::UNKNOWN }
    }

    fn node(yaml: &str) -> Node {
        let root = Source { name: "t".into(), text: format!("v: {yaml}\n") }.parse(Lang::En).unwrap();
        match root.kind {
            Kind::Map(mut m) => m.remove(0).1,
            _ => panic!(),
        }
    }

    fn conv(ty: FieldType, yaml: &str) -> Result<Value, String> {
        field(ty).read(&node(yaml), Lang::En)
    }

    fn num(s: &str) -> Value {
        Value::Number(s.parse().unwrap())
    }

    #[test]
    fn numbers() {
        assert_eq!(conv(FieldType::Number, "282.41"), Ok(num("282.41")));
        assert!(conv(FieldType::Number, "\"282.41\"").unwrap_err().contains("without quotes"));
        assert!(conv(FieldType::Number, "96.5%").unwrap_err().contains("percent"));
        assert!(conv(FieldType::Number, "1e3").unwrap_err().contains("exponent"));
        assert!(conv(FieldType::Number, "0x10").is_err());
        assert!(conv(FieldType::Number, "010").is_err());
        assert!(conv(FieldType::Number, ".nan").is_err());
        assert!(conv(FieldType::Number, "1_000").unwrap_err().contains("separators"));
    }

    #[test]
    fn issue15_numbers_printed_with_a_unit_convert_into_the_fields_unit() {
        let mut f = field(FieldType::Number);
        f.unit = Some("万元".into());
        let read = |f: &Field, yaml: &str| f.read(&node(yaml), Lang::En);
        assert_eq!(read(&f, "150万"), Ok(num("150")));
        assert_eq!(read(&f, "\"15万元\""), Ok(num("15")));
        assert_eq!(read(&f, "35 万元"), Ok(num("35")));
        assert_eq!(read(&f, "1.2亿元"), Ok(num("12000")));
        assert_eq!(read(&f, "1500000元"), Ok(num("150")));
        assert!(read(&f, "150人").unwrap_err().contains("does not convert to “万元”"));
        assert!(read(&f, "\"1,500万元\"").unwrap_err().contains("separators"));
        // A quoted plain number stays an error; so does a percent text.
        assert!(read(&f, "\"150\"").unwrap_err().contains("without quotes"));
        assert!(read(&f, "96.5%").unwrap_err().contains("percent"));
        let mut people = field(FieldType::Integer);
        people.unit = Some("人".into());
        assert_eq!(read(&people, "1.2万人"), Ok(num("12000")));
        assert_eq!(read(&people, "2370人"), Ok(num("2370")));
        assert!(read(&people, "0.5人").unwrap_err().contains("whole"));
        // Without a unit only a bare multiplier reads.
        let plain = field(FieldType::Number);
        assert_eq!(read(&plain, "1.2万"), Ok(num("12000")));
        assert!(read(&plain, "15万元").unwrap_err().contains("no `unit`"));
    }

    #[test]
    fn integers() {
        assert_eq!(conv(FieldType::Integer, "95.0"), Ok(num("95")));
        assert!(conv(FieldType::Integer, "95.5").unwrap_err().contains("whole"));
    }

    #[test]
    fn percents() {
        assert_eq!(conv(FieldType::Percent, "96.5"), Ok(num("96.5")));
        assert_eq!(conv(FieldType::Percent, "\"96.5%\""), Ok(num("96.5")));
        assert_eq!(conv(FieldType::Percent, "\"96.5 ％\""), Ok(num("96.5")));
        assert_eq!(conv(FieldType::Percent, "0.965"), Ok(num("0.965")));
        assert!(conv(FieldType::Percent, "\"96.5 percent\"").is_err());
    }

    #[test]
    fn bools() {
        for t in ["true", "True", "TRUE", "是"] {
            assert_eq!(conv(FieldType::Bool, t), Ok(Value::Bool(true)), "{t}");
        }
        for f in ["false", "False", "FALSE", "否"] {
            assert_eq!(conv(FieldType::Bool, f), Ok(Value::Bool(false)), "{f}");
        }
        for bad in ["yes", "no", "on", "off", "y", "n", "1", "0", "对", "错", "\"true\""] {
            assert!(conv(FieldType::Bool, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn levels_and_bounds() {
        let levels = FieldType::Level(vec!["优".into(), "良".into()]);
        assert_eq!(conv(levels.clone(), "良"), Ok(Value::Text("良".into())));
        assert!(conv(levels, "好").unwrap_err().contains("优 / 良"));
        let mut f = field(FieldType::Integer);
        f.min = Some(Decimal::ZERO);
        assert!(f.read(&node("-1"), Lang::En).unwrap_err().contains("minimum"));
    }
}
