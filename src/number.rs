//! Exact decimal numbers: the literal grammar of SPEC §1, rounding modes and display.

use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// How declared roundings round (SPEC §1, `rounding:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoundingMode {
    /// 四舍五入: half away from zero.
    #[default]
    HalfUp,
    /// Half to the even neighbour.
    HalfEven,
    /// Toward zero.
    Down,
}

impl RoundingMode {
    pub const NAMES: [&'static str; 3] = ["half_up", "half_even", "down"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "half_up" => Some(Self::HalfUp),
            "half_even" => Some(Self::HalfEven),
            "down" => Some(Self::Down),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::HalfUp => "half_up",
            Self::HalfEven => "half_even",
            Self::Down => "down",
        }
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            Self::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Self::HalfEven => RoundingStrategy::MidpointNearestEven,
            Self::Down => RoundingStrategy::ToZero,
        }
    }

    /// Rounds `value` to `dp` decimals in this mode. Never use `Decimal::round_dp`,
    /// which is banker's rounding whatever the rubric says.
    pub fn round(self, value: Decimal, dp: u32) -> Decimal {
        value.round_dp_with_strategy(dp, self.strategy())
    }
}

/// Why a text is not a decimal literal of SPEC §1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiteralError {
    #[error("is empty")]
    Empty,
    #[error("is a hexadecimal, octal or binary literal; write the decimal value")]
    Radix,
    #[error("uses an exponent; write the number out in full")]
    Exponent,
    #[error("contains '_' or ','; write the digits without separators")]
    Separator,
    #[error("has a leading zero; write it without the zero (or with a decimal point)")]
    LeadingZero,
    #[error("is not a finite number")]
    NotFinite,
    #[error("has more than 28 significant digits")]
    TooManyDigits,
    #[error("has more than 28 decimal places")]
    TooManyDecimals,
    #[error("is not a decimal number")]
    Malformed,
}

impl LiteralError {
    /// The reason in the diagnostics language, to follow the offending text (`` `1e3` uses an
    /// exponent… ``). `Display` stays English.
    pub fn describe(&self, lang: crate::lang::Lang) -> String {
        match self {
            LiteralError::Empty => crate::tr!(lang, "为空", "is empty"),
            LiteralError::Radix => crate::tr!(
                lang,
                "是十六进制、八进制或二进制写法；请写成十进制数",
                "is a hexadecimal, octal or binary literal; write the decimal value"
            ),
            LiteralError::Exponent => {
                crate::tr!(
                    lang,
                    "使用了科学计数法（指数）；请把数字完整写出",
                    "uses an exponent; write the number out in full"
                )
            }
            LiteralError::Separator => crate::tr!(
                lang,
                "含有 '_' 或 ','；请去掉分隔符，直接写数字",
                "contains '_' or ','; write the digits without separators"
            ),
            LiteralError::LeadingZero => crate::tr!(
                lang,
                "以 0 开头；请去掉开头的 0（或写成带小数点的数）",
                "has a leading zero; write it without the zero (or with a decimal point)"
            ),
            LiteralError::NotFinite => crate::tr!(lang, "不是有限的数", "is not a finite number"),
            LiteralError::TooManyDigits => {
                crate::tr!(lang, "有效数字超过 28 位", "has more than 28 significant digits")
            }
            LiteralError::TooManyDecimals => crate::tr!(lang, "小数超过 28 位", "has more than 28 decimal places"),
            LiteralError::Malformed => crate::tr!(lang, "不是十进制数字", "is not a decimal number"),
        }
    }
}

/// The most significant digits a value may carry (what `rust_decimal` holds exactly).
pub const MAX_SIGNIFICANT_DIGITS: usize = 28;

/// Parses a decimal literal `[-+]?digits[.digits]` exactly (SPEC §1).
pub fn parse_literal(text: &str) -> Result<Decimal, LiteralError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(LiteralError::Empty);
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let lower = unsigned.to_ascii_lowercase();
    if lower.starts_with("0x") || lower.starts_with("0o") || lower.starts_with("0b") {
        return Err(LiteralError::Radix);
    }
    if matches!(lower.as_str(), ".nan" | ".inf" | "nan" | "inf" | "infinity") {
        return Err(LiteralError::NotFinite);
    }
    if unsigned.contains(['_', ',']) {
        return Err(LiteralError::Separator);
    }
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
        if unsigned.contains(['e', 'E']) && unsigned.chars().all(|c| c.is_ascii_digit() || "eE.+-".contains(c)) {
            return Err(LiteralError::Exponent);
        }
        return Err(LiteralError::Malformed);
    }
    if int_part.len() > 1 && int_part.starts_with('0') {
        return Err(LiteralError::LeadingZero);
    }
    let digits: String = int_part.chars().chain(frac_part.unwrap_or("").chars()).collect();
    let significant = digits.trim_start_matches('0');
    if significant.len() > MAX_SIGNIFICANT_DIGITS {
        return Err(LiteralError::TooManyDigits);
    }
    // A decimal holds 28 places; more would be rounded away silently (0.000…0001 → 0).
    if frac_part.unwrap_or("").trim_end_matches('0').len() > MAX_SIGNIFICANT_DIGITS {
        return Err(LiteralError::TooManyDecimals);
    }
    Decimal::from_str(t).map_err(|_| LiteralError::TooManyDigits)
}

/// The exact digits of a value with no trailing zeros: 81.80 → "81.8", 50.00 → "50".
pub fn display(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Where a number shown to people comes from, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Given by a data file or a rubric (a value, a target, points, a score already rounded):
    /// as written, never rounded.
    Written,
    /// Worked out (a derived rate, a quotient, a count of percentage points): at the rubric's
    /// `precision.indicator`.
    Computed,
    /// A computed share in percent units, written with `%`: two decimals more than a computed
    /// value, so that points × share can be checked by hand to the score's precision.
    Percent,
}

/// How a rubric writes computed numbers for people: its `precision.indicator` and its
/// rounding mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub decimals: u32,
    pub mode: RoundingMode,
}

impl Default for Figures {
    /// The SPEC's defaults: 2 decimals, 四舍五入.
    fn default() -> Self {
        Figures { decimals: 2, mode: RoundingMode::HalfUp }
    }
}

/// The one way a number is written in every human output (tables, markdown, HTML, workbooks,
/// explanations, advice, JSON's `detail` texts): a written value exactly as given, a computed
/// one at the rubric's precision, a percentage at two decimals more, each without trailing
/// zeros. JSON's numbers never come here: they stay exact.
pub fn human(value: Decimal, origin: Origin, figures: Figures) -> String {
    match origin {
        Origin::Written => display(value),
        Origin::Computed => display(figures.mode.round(value, figures.decimals)),
        Origin::Percent => format!("{}%", display(figures.mode.round(value, figures.decimals.saturating_add(2)))),
    }
}

/// `a × b` against `c × d`, exactly, however large the products: how a method decides that a
/// result is past its cap when the result itself does not fit a decimal (a ratio far past its
/// target), and how a quotient taken first is proved exact (`q × c` against `b × 1`).
pub fn compare_products(a: Decimal, b: Decimal, c: Decimal, d: Decimal) -> std::cmp::Ordering {
    let sign = |x: Decimal, y: Decimal| -> i8 {
        if x.is_zero() || y.is_zero() {
            0
        } else if x.is_sign_negative() == y.is_sign_negative() {
            1
        } else {
            -1
        }
    };
    let (left_sign, right_sign) = (sign(a, b), sign(c, d));
    if left_sign != right_sign || left_sign == 0 {
        return left_sign.cmp(&right_sign);
    }
    let (mut left, mut right) = (Wide::product(a, b), Wide::product(c, d));
    // On one scale: the side with fewer decimals times 10^difference.
    let (left_scale, right_scale) = (a.scale() + b.scale(), c.scale() + d.scale());
    if left_scale < right_scale {
        left.times_power_of_ten(right_scale - left_scale);
    } else {
        right.times_power_of_ten(left_scale - right_scale);
    }
    let magnitude = left.0.iter().rev().cmp(right.0.iter().rev());
    if left_sign < 0 { magnitude.reverse() } else { magnitude }
}

/// A non-negative integer in 512 bits (64-bit limbs, least significant first): room for the
/// product of two 96-bit mantissas times 10^56, the widest difference of two products' scales
/// (378 bits).
struct Wide([u64; 8]);

impl Wide {
    /// The product of the two mantissas, signs dropped.
    fn product(a: Decimal, b: Decimal) -> Wide {
        let limbs = |x: Decimal| {
            let m = x.mantissa().unsigned_abs();
            [m as u64, (m >> 64) as u64]
        };
        let (x, y) = (limbs(a), limbs(b));
        let mut out = [0u64; 8];
        for (i, xi) in x.iter().enumerate() {
            let mut carry = 0u128;
            for (j, yj) in y.iter().enumerate() {
                let t = u128::from(*xi) * u128::from(*yj) + u128::from(out[i + j]) + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
            out[i + y.len()] = carry as u64;
        }
        Wide(out)
    }

    fn times_power_of_ten(&mut self, mut exponent: u32) {
        while exponent > 0 {
            let step = exponent.min(19);
            let factor = u128::from(10u64.pow(step));
            let mut carry = 0u128;
            for limb in &mut self.0 {
                let t = u128::from(*limb) * factor + carry;
                *limb = t as u64;
                carry = t >> 64;
            }
            exponent -= step;
        }
    }
}

/// A score cell: exact digits, or `—` for a dropped node.
pub fn score_text(score: Option<Decimal>) -> String {
    score.map_or_else(|| "—".to_owned(), display)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item13_products_compared_exactly_however_large() {
        use std::cmp::Ordering::*;
        let max = Decimal::MAX;
        let tiny = d("0.0000000000000000000000000001");
        // 7.9·10²⁷ × 100 against 100 × 10⁻²⁸: neither side's size matters.
        assert_eq!(compare_products(d("7900000000000000000000000000"), d("100"), d("100"), tiny), Greater);
        assert_eq!(compare_products(max, max, max, max), Equal);
        assert_eq!(compare_products(max, max, max, max - Decimal::ONE), Greater);
        assert_eq!(compare_products(max, tiny, max, d("0.0000000000000000000000000002")), Less);
        // Scales differ: 1.5 × 2 = 3 × 1.00.
        assert_eq!(compare_products(d("1.5"), d("2"), d("3"), d("1.00")), Equal);
        assert_eq!(compare_products(d("1.5"), d("2"), d("3"), d("1.0000000000000000000000000001")), Less);
        // Signs: a negative product is below zero and below any positive one.
        assert_eq!(compare_products(-max, max, Decimal::ZERO, max), Less);
        assert_eq!(compare_products(-max, max, -max, d("2")), Less);
        assert_eq!(compare_products(-max, -max, max, max), Equal);
        assert_eq!(compare_products(Decimal::ZERO, max, Decimal::ZERO, d("-3")), Equal);
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn literals_accepted_exactly() {
        assert_eq!(parse_literal("282.41"), Ok(d("282.41")));
        assert_eq!(parse_literal("-0.5"), Ok(d("-0.5")));
        assert_eq!(parse_literal("+7"), Ok(d("7")));
        assert_eq!(parse_literal("0"), Ok(Decimal::ZERO));
        assert_eq!(parse_literal("0.125"), Ok(d("0.125")));
        assert_eq!(parse_literal("1234567890123456789012345678"), Ok(d("1234567890123456789012345678")));
        assert_eq!(parse_literal("0.000000000000000000000000001"), Ok(d("0.000000000000000000000000001")));
        // 28 places is the most a decimal holds.
        assert_eq!(parse_literal("0.0000000000000000000000000001"), Ok(d("0.0000000000000000000000000001")));
    }

    #[test]
    fn literals_rejected_with_reason() {
        assert_eq!(parse_literal("0x1F"), Err(LiteralError::Radix));
        assert_eq!(parse_literal("0o17"), Err(LiteralError::Radix));
        assert_eq!(parse_literal("1e3"), Err(LiteralError::Exponent));
        assert_eq!(parse_literal("1.5E-2"), Err(LiteralError::Exponent));
        assert_eq!(parse_literal("1_000"), Err(LiteralError::Separator));
        assert_eq!(parse_literal("1,000"), Err(LiteralError::Separator));
        assert_eq!(parse_literal("010"), Err(LiteralError::LeadingZero));
        assert_eq!(parse_literal(".nan"), Err(LiteralError::NotFinite));
        assert_eq!(parse_literal("-.inf"), Err(LiteralError::NotFinite));
        assert_eq!(parse_literal("12345678901234567890123456789"), Err(LiteralError::TooManyDigits));
        // 29 places: one significant digit, but beyond what a decimal holds (was read as 0).
        assert_eq!(parse_literal("0.00000000000000000000000000001"), Err(LiteralError::TooManyDecimals));
        assert_eq!(parse_literal("1."), Err(LiteralError::Malformed));
        assert_eq!(parse_literal(".5"), Err(LiteralError::Malformed));
        assert_eq!(parse_literal("96.5%"), Err(LiteralError::Malformed));
        assert_eq!(parse_literal(""), Err(LiteralError::Empty));
    }

    #[test]
    fn rounding_modes_spec_example() {
        // SPEC §1: round(-2.345, 2) is −2.35 / −2.34 / −2.34.
        let x = d("-2.345");
        assert_eq!(RoundingMode::HalfUp.round(x, 2), d("-2.35"));
        assert_eq!(RoundingMode::HalfEven.round(x, 2), d("-2.34"));
        assert_eq!(RoundingMode::Down.round(x, 2), d("-2.34"));
        assert_eq!(RoundingMode::HalfUp.round(d("0.125"), 2), d("0.13"));
        assert_eq!(RoundingMode::HalfEven.round(d("0.125"), 2), d("0.12"));
        assert_eq!(RoundingMode::Down.round(d("4.819"), 2), d("4.81"));
    }

    #[test]
    fn text_matches_display_in_english() {
        for e in [
            LiteralError::Empty,
            LiteralError::Radix,
            LiteralError::Exponent,
            LiteralError::Separator,
            LiteralError::LeadingZero,
            LiteralError::NotFinite,
            LiteralError::TooManyDigits,
            LiteralError::Malformed,
        ] {
            assert_eq!(e.describe(crate::lang::Lang::En), e.to_string());
        }
    }

    #[test]
    fn issue14_human_numbers_written_as_given_computed_at_the_precision() {
        let half_up = Figures { decimals: 2, mode: RoundingMode::HalfUp };
        // A data file's value is never rounded, however many decimals it has.
        assert_eq!(human(d("7.27817745"), Origin::Written, half_up), "7.27817745");
        // A computed one is, in the rubric's mode (2.445 is a tie: half up goes up, half even down).
        assert_eq!(human(d("95.75529061102831594634873323"), Origin::Computed, half_up), "95.76");
        assert_eq!(human(d("2.445"), Origin::Computed, half_up), "2.45");
        let half_even = Figures { decimals: 2, mode: RoundingMode::HalfEven };
        assert_eq!(human(d("2.445"), Origin::Computed, half_even), "2.44");
        let down = Figures { decimals: 1, mode: RoundingMode::Down };
        assert_eq!(human(d("2.4999"), Origin::Computed, down), "2.4");
        // A percentage keeps two decimals more, and says so.
        assert_eq!(human(d("94.736842105"), Origin::Percent, half_up), "94.7368%");
        assert_eq!(human(d("92.40"), Origin::Percent, half_up), "92.4%");
        assert_eq!(human(d("3.000"), Origin::Computed, half_up), "3");
    }

    #[test]
    fn display_strips_trailing_zeros() {
        assert_eq!(display(d("81.80")), "81.8");
        assert_eq!(display(d("50.00")), "50");
        assert_eq!(display(d("0.0")), "0");
    }
}

#[cfg(test)]
mod product_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Where both products fit a decimal exactly (32-bit mantissas, scales up to 14), the
        /// 512-bit comparison says what comparing the decimals says — including across scales,
        /// signs and zeros.
        #[test]
        fn compare_products_agrees_with_decimal_where_the_products_fit(
            m in proptest::array::uniform4(any::<i32>()),
            s in proptest::array::uniform4(0u32..=14),
        ) {
            let [a, b, c, d] = [0, 1, 2, 3].map(|i| Decimal::new(i64::from(m[i]), s[i]));
            let (left, right) = (a * b, c * d);
            prop_assert_eq!(compare_products(a, b, c, d), left.cmp(&right));
        }
    }
}
