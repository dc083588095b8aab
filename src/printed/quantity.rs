//! Numbers written with a multiplier and a unit: `150万`, `15万元`, `35 万元`, `1.2亿元`,
//! `2370人`, `1.2万人`, `100%`. Converted exactly, by powers of ten only, into the unit of
//! the row or field that reads them.

use super::normalize_width;
use crate::lang::Lang;
use crate::number::{LiteralError, parse_literal};
use crate::tr;
use rust_decimal::Decimal;

/// The multipliers a unit or a number may carry, as powers of ten.
const MULTIPLIERS: [(char, u32); 2] = [('万', 4), ('亿', 8)];

/// A unit as written: an optional multiplier (万 = 10⁴, 亿 = 10⁸) and a base (`元`, `人`, `%`,
/// or empty for a bare multiplier). `万元` is 10⁴ `元`; `元` is 10⁰ `元`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub power: u32,
    pub base: String,
}

impl Unit {
    /// A unit text as a row's or field's `unit:` gives it. Only a leading 万 or 亿 is a
    /// multiplier (`万元`, `亿元`, `万人`); the rest is the base, compared as written
    /// (after full-width forms are made half-width).
    pub fn parse(text: &str) -> Unit {
        let t = normalize_width(text);
        let mut chars = t.chars();
        if let Some(first) = chars.next()
            && let Some((_, power)) = MULTIPLIERS.iter().find(|(c, _)| *c == first)
        {
            return Unit { power: *power, base: chars.as_str().trim().to_owned() };
        }
        Unit { power: 0, base: t }
    }

    /// No multiplier and no base: a plain number.
    pub fn is_plain(&self) -> bool {
        self.power == 0 && self.base.is_empty()
    }

    /// The unit as text: `万元`, `元`, `万`, `%`.
    pub fn text(&self) -> String {
        let multiplier = MULTIPLIERS.iter().find(|(_, p)| *p == self.power).map(|(c, _)| c.to_string());
        format!("{}{}", multiplier.unwrap_or_default(), self.base)
    }
}

/// A number as printed, with the unit it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// The digits as written (`150` of `150万元`).
    pub value: Decimal,
    pub unit: Unit,
}

/// Why a text is not a quantity, or cannot be had in the unit asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityError {
    /// It does not start with a number: some other text (a level, a date, a word).
    NotAQuantity,
    /// The number itself is not a decimal literal of SPEC §1 (thousands separators included).
    Literal(LiteralError),
    /// Its unit is not the one asked for (`150人` in a `万元` row).
    UnitMismatch { written: String, wanted: String },
    /// The conversion does not fit a decimal exactly.
    Inexact,
}

impl QuantityError {
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            QuantityError::NotAQuantity => tr!(lang, "不是数字", "is not a number"),
            QuantityError::Literal(e) => e.describe(lang),
            QuantityError::UnitMismatch { written, wanted } => tr!(
                lang,
                "的单位“{written}”与“{wanted}”不一致，不能换算",
                "is in “{written}”, which does not convert to “{wanted}”"
            ),
            QuantityError::Inexact => {
                tr!(lang, "换算后超出了精确十进制数的范围", "does not fit an exact decimal once converted")
            }
        }
    }
}

/// Reads `150万`, `15万元`, `35 万元`, `1.2亿元`, `2370人`, `96.5%`: a decimal literal, then
/// optional spaces, an optional 万/亿 and an optional unit (any text without digits).
/// Thousands separators (`1,500万`) are an error, as in every number (SPEC §1).
pub fn parse_quantity(text: &str) -> Result<Quantity, QuantityError> {
    let t = normalize_width(text);
    let number_end = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || *c == ',' || *c == '_' || (*i == 0 && "+-".contains(*c))))
        .map_or(t.len(), |(i, _)| i);
    let (number, rest) = t.split_at(number_end);
    if !number.bytes().any(|b| b.is_ascii_digit()) {
        return Err(QuantityError::NotAQuantity);
    }
    let rest = rest.trim();
    // `2021年12月`, `2天以内3次`: digits after the unit are not a unit.
    if rest.chars().any(|c| c.is_ascii_digit()) {
        return Err(QuantityError::NotAQuantity);
    }
    let value = parse_literal(number).map_err(QuantityError::Literal)?;
    Ok(Quantity { value, unit: Unit::parse(rest) })
}

impl Quantity {
    /// This quantity in `unit`, exactly: the bases must agree (a bare multiplier takes
    /// `unit`'s base; a plain number is already in `unit`), and the multipliers convert by
    /// powers of ten. `1500000元` in `万元` is 150; `150万` in `万元` is 150.
    pub fn in_unit(&self, unit: &Unit) -> Result<Decimal, QuantityError> {
        if self.unit.is_plain() {
            return Ok(self.value);
        }
        if !self.unit.base.is_empty() && self.unit.base != unit.base {
            return Err(QuantityError::UnitMismatch { written: self.unit.text(), wanted: unit.text() });
        }
        scale_by_power_of_ten(self.value, i64::from(self.unit.power) - i64::from(unit.power))
    }
}

/// `value × 10^exponent`, exactly or not at all.
fn scale_by_power_of_ten(value: Decimal, exponent: i64) -> Result<Decimal, QuantityError> {
    let factor = Decimal::from_i128_with_scale(10i128.pow(exponent.unsigned_abs().min(28) as u32), 0);
    if exponent.unsigned_abs() > 28 {
        return Err(QuantityError::Inexact);
    }
    let result = if exponent >= 0 { value.checked_mul(factor) } else { value.checked_div(factor) };
    match result {
        Some(r) if (exponent >= 0 || r.checked_mul(factor) == Some(value)) => Ok(r),
        _ => Err(QuantityError::Inexact),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn in_unit(text: &str, unit: &str) -> Result<Decimal, QuantityError> {
        parse_quantity(text)?.in_unit(&Unit::parse(unit))
    }

    #[test]
    fn printed_amounts_convert_exactly() {
        // The texts, each in the unit of its row.
        assert_eq!(in_unit("150万", "万元"), Ok(d("150")));
        assert_eq!(in_unit("15万元", "万元"), Ok(d("15")));
        assert_eq!(in_unit("35 万元", "万元"), Ok(d("35")));
        assert_eq!(in_unit("1.2亿元", "万元"), Ok(d("12000")));
        assert_eq!(in_unit("1.2亿元", "元"), Ok(d("120000000")));
        assert_eq!(in_unit("1500000元", "万元"), Ok(d("150")));
        assert_eq!(in_unit("2370人", "人"), Ok(d("2370")));
        assert_eq!(in_unit("1.2万人", "人"), Ok(d("12000")));
        assert_eq!(in_unit("2370人", "万人"), Ok(d("0.237")));
        // 元 → 亿元 keeps every digit: 1 元 is 0.00000001 亿元.
        assert_eq!(in_unit("1元", "亿元"), Ok(d("0.00000001")));
        assert_eq!(in_unit("125.25万元", "元"), Ok(d("1252500")));
        // Full-width digits and units read as their half-width forms.
        assert_eq!(in_unit("１５０万元", "万元"), Ok(d("150")));
        assert_eq!(in_unit("96.5%", "%"), Ok(d("96.5")));
        assert_eq!(in_unit("96.5 ％", "%"), Ok(d("96.5")));
        // A plain number is in the row's unit already.
        assert_eq!(in_unit("150", "万元"), Ok(d("150")));
    }

    #[test]
    fn disagreeing_units_and_inexact_conversions_are_errors() {
        assert_eq!(
            in_unit("150人", "万元"),
            Err(QuantityError::UnitMismatch { written: "人".into(), wanted: "万元".into() })
        );
        assert!(matches!(in_unit("1.2万人次", "人"), Err(QuantityError::UnitMismatch { .. })));
        assert!(matches!(in_unit("98%以上", "%"), Err(QuantityError::UnitMismatch { .. })));
        // 28 decimals of 元 cannot become 亿元 without losing the last ones.
        assert_eq!(in_unit("0.0000000000000000000000000001元", "万元"), Err(QuantityError::Inexact));
        // Too large once multiplied.
        assert_eq!(in_unit("7900000000000000000000000000亿元", "元"), Err(QuantityError::Inexact));
    }

    #[test]
    fn what_is_not_a_quantity() {
        assert_eq!(parse_quantity("1,500万元"), Err(QuantityError::Literal(LiteralError::Separator)));
        assert_eq!(parse_quantity("达成"), Err(QuantityError::NotAQuantity));
        assert_eq!(parse_quantity("2021年12月"), Err(QuantityError::NotAQuantity));
        assert_eq!(parse_quantity("万元"), Err(QuantityError::NotAQuantity));
        assert_eq!(parse_quantity("≥90%"), Err(QuantityError::NotAQuantity));
        assert_eq!(parse_quantity("010人"), Err(QuantityError::Literal(LiteralError::LeadingZero)));
    }

    #[test]
    fn units_split_into_multiplier_and_base() {
        assert_eq!(Unit::parse("万元"), Unit { power: 4, base: "元".into() });
        assert_eq!(Unit::parse("亿元"), Unit { power: 8, base: "元".into() });
        assert_eq!(Unit::parse("万"), Unit { power: 4, base: String::new() });
        assert_eq!(Unit::parse("人次"), Unit { power: 0, base: "人次".into() });
        assert_eq!(Unit::parse("万元").text(), "万元");
    }
}
