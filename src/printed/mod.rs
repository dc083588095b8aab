//! How the cells of a published 绩效目标表 read (SPEC §2.3): operators as printed (`﹦`, `＞＝`,
//! 不低于 …), numbers written with a multiplier and a unit (`150万`, `1.2亿元`, `2370人`), and
//! deadlines (`2021年12月底前`, `12月底前`). Pure text → value functions, shared by the row
//! reader (`engine::rows`), number fields (`rubric::Field::read`) and anyone reading 评分标准
//! phrasings.

mod date;
mod quantity;

pub use crate::method::Op;
pub use date::{Date, DateError, months_started_late, parse_date, year_of_period};
pub use quantity::{Quantity, QuantityError, Unit, parse_quantity};

/// `text` with full-width ASCII forms (`Ａ`, `１`, `％`, `＞`) and the ideographic space made
/// half-width, and surrounding spaces trimmed: how two printed cells are compared as "the same
/// text" and how operators and units are read.
pub fn normalize_width(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Reads an operator as tables print it (SPEC §2.3): the symbols `>=` `≥` `≧` `<=` `≤` `≦` `=`
/// `＝` `﹦` (full-width forms too) and the words 不低于 / 不少于 / 大于等于 / 达到 (≥), 不高于 /
/// 不超过 / 小于等于 / 低于等于 (≤), 等于 (=), 定性 / 定性指标 / qualitative. `None` for anything
/// else (`==`, `>`, `<` included).
pub fn parse_op(text: &str) -> Option<Op> {
    Op::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_is_normalized_and_spaces_trimmed() {
        assert_eq!(normalize_width("  符合相关文件要求\u{3000}"), "符合相关文件要求");
        assert_eq!(normalize_width("＞＝"), ">=");
        assert_eq!(normalize_width("１００％"), "100%");
        assert_eq!(normalize_width("ＡＢＣ"), "ABC");
    }
}
