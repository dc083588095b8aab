//! How the cells of a published 绩效目标表 read (SPEC §2.3): text compared as printed (full and
//! half width), numbers written with a multiplier and a unit (`150万`, `1.2亿元`, `2370人`), and
//! deadlines (`2021年12月底前`, `12月底前`). Operators as printed (`﹦`, `＞＝`, 不低于 …) are
//! read by `method::Op::parse`, on top of [`normalize_width`]. Pure text → value functions, shared by the row
//! reader (`engine::rows`), number fields (`rubric::Field::read`) and anyone reading 评分标准
//! phrasings.

mod date;
mod quantity;

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
