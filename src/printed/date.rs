//! Deadlines as tables print them: `2021年12月完成`, `2021年12月31日前`, `2021-12`,
//! `12月底前` (the year from the data file's `period`). A month means its last day, a year its
//! 31 December: a deadline is met on any day up to it. A tiny exact calendar, no crate.

use super::normalize_width;
use crate::lang::Lang;
use crate::tr;

/// A calendar day (proleptic Gregorian); ordered by year, month, day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a text that reads as a date gives none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// `12月底前` without a `period` whose year could stand in.
    NoYear,
    /// A month outside 1–12 or a day past its month's end (`2021年2月30日`).
    NoSuchDay,
}

impl DateError {
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            DateError::NoYear => tr!(
                lang,
                "没有写年份，而数据文件的 `period` 也没有给出可用的年份（请写 `period: \"2021\"`，或写全日期）",
                "gives no year, and the data file's `period` gives none to use (write `period: \"2021\"`, or the full date)"
            ),
            DateError::NoSuchDay => tr!(lang, "不是存在的日期", "is not a day of the calendar"),
        }
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The last day of `month` (1–12) of `year`.
pub fn month_end(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The year a `period` names: its leading four digits (`2021`, `2021年`, `2021年度`).
pub fn year_of_period(period: &str) -> Option<i32> {
    let t = normalize_width(period);
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() == 4 { digits.parse().ok() } else { None }
}

/// Words around a deadline that say nothing more than "by then": `前`, `之前`, `以前`, `底`,
/// `末`, `完成`, `内`, `止`, `截至`, `截止`, `于`.
const SUFFIXES: [&str; 9] = ["完成", "之前", "以前", "前", "底", "末", "内", "止", "结束"];
const PREFIXES: [&str; 4] = ["截至", "截止", "于", "在"];

/// Reads a deadline. `None`: the text is not a date at all (a number, a level, a sentence);
/// `Some(Err(_))`: it is one, but gives no day (`12月底前` without a year, `2021年2月30日`).
/// `year` is the data file's `period` year, for a date written without one.
pub fn parse_date(text: &str, year: Option<i32>) -> Option<Result<Date, DateError>> {
    let mut t = normalize_width(text).replace(' ', "");
    loop {
        let before = t.len();
        for p in PREFIXES {
            if let Some(rest) = t.strip_prefix(p) {
                t = rest.to_owned();
            }
        }
        for s in SUFFIXES {
            if let Some(rest) = t.strip_suffix(s) {
                t = rest.to_owned();
            }
        }
        if t.len() == before {
            break;
        }
    }
    let (y, m, d) = ymd(&t)?;
    let Some(y) = y.or(year) else { return Some(Err(DateError::NoYear)) };
    let m = m.unwrap_or(12);
    if !(1..=12).contains(&m) {
        return Some(Err(DateError::NoSuchDay));
    }
    let end = month_end(y, m);
    let d = d.unwrap_or(end);
    if d == 0 || d > end {
        return Some(Err(DateError::NoSuchDay));
    }
    Some(Ok(Date { year: y, month: m, day: d }))
}

/// Year, month and day as written, each optional but in that order and at least one: the
/// forms `2021年12月31日`, `2021年12月`, `2021年`, `12月31日`, `12月`, `2021-12-31`, `2021-12`,
/// `2021/12/31`, `2021/12`. `None` for anything else.
fn ymd(t: &str) -> Option<(Option<i32>, Option<u32>, Option<u32>)> {
    let number = |s: &str, max_len: usize| -> Option<u32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    if t.contains(['年', '月', '日']) {
        let (year, rest) = match t.split_once('年') {
            Some((y, rest)) => (Some(i32::try_from(number(y, 4).filter(|_| y.len() == 4)?).ok()?), rest),
            None => (None, t),
        };
        let (month, rest) = match rest.split_once('月') {
            Some((m, rest)) => (Some(number(m, 2)?), rest),
            None => (None, rest),
        };
        let (day, rest) = match rest.split_once(['日', '号']) {
            Some((d, rest)) if month.is_some() => (Some(number(d, 2)?), rest),
            _ => (None, rest),
        };
        return (rest.is_empty() && (year.is_some() || month.is_some())).then_some((year, month, day));
    }
    let sep = if t.contains('-') { '-' } else { '/' };
    let parts: Vec<&str> = t.split(sep).collect();
    match parts.as_slice() {
        [y, m] if y.len() == 4 => Some((Some(i32::try_from(number(y, 4)?).ok()?), Some(number(m, 2)?), None)),
        [y, m, d] if y.len() == 4 => {
            Some((Some(i32::try_from(number(y, 4)?).ok()?), Some(number(m, 2)?), Some(number(d, 2)?)))
        }
        _ => None,
    }
}

/// How many months, each begun, `actual` is past `target`: 0 when on or before it; else the
/// least k with `actual` on or before `target` moved k months on (a month-end deadline moves
/// to the next month's end: 30 November + 1 month is 31 December).
pub fn months_started_late(target: Date, actual: Date) -> u32 {
    let mut k = 0u32;
    let mut deadline = target;
    let at_month_end = target.day == month_end(target.year, target.month);
    while actual > deadline {
        k += 1;
        let months = i64::from(target.month) - 1 + i64::from(k);
        let year = target.year + i32::try_from(months / 12).unwrap_or(i32::MAX / 2);
        let month = u32::try_from(months % 12).unwrap_or(0) + 1;
        let end = month_end(year, month);
        deadline = Date { year, month, day: if at_month_end { end } else { target.day.min(end) } };
    }
    k
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Date {
        Date { year: y, month: m, day: d }
    }

    fn date(text: &str, year: Option<i32>) -> Date {
        parse_date(text, year).unwrap().unwrap()
    }

    #[test]
    fn printed_deadlines() {
        assert_eq!(date("2021年12月完成", None), day(2021, 12, 31));
        assert_eq!(date("2021年11月完成", None), day(2021, 11, 30));
        assert_eq!(date("2021年12月31日前", None), day(2021, 12, 31));
        assert_eq!(date("2021-12", None), day(2021, 12, 31));
        assert_eq!(date("2021-06-15", None), day(2021, 6, 15));
        assert_eq!(date("2024/2", None), day(2024, 2, 29));
        assert_eq!(date("2023年2月底前", None), day(2023, 2, 28));
        assert_eq!(date("2021年底前", None), day(2021, 12, 31));
        assert_eq!(date("截至2021年6月底", None), day(2021, 6, 30));
        assert_eq!(date("１２月底之前完成", Some(2022)), day(2022, 12, 31));
        // 12月底前 takes the period's year.
        assert_eq!(date("12月底前", Some(2021)), day(2021, 12, 31));
        assert_eq!(date("6月30日前", Some(2021)), day(2021, 6, 30));
    }

    #[test]
    fn not_dates_and_bad_dates() {
        for text in ["达成", "100%", "2021", "150万元", "按时完成", "2天以内", "2021.12", "12"] {
            assert_eq!(parse_date(text, Some(2021)), None, "{text}");
        }
        assert_eq!(parse_date("12月底前", None), Some(Err(DateError::NoYear)));
        assert_eq!(parse_date("2021年2月29日", None), Some(Err(DateError::NoSuchDay)));
        assert_eq!(parse_date("2021年13月", None), Some(Err(DateError::NoSuchDay)));
        assert_eq!(parse_date("2021-00", None), Some(Err(DateError::NoSuchDay)));
    }

    #[test]
    fn periods_give_their_year() {
        assert_eq!(year_of_period("2021"), Some(2021));
        assert_eq!(year_of_period("2021年度"), Some(2021));
        assert_eq!(year_of_period("２０２１年"), Some(2021));
        assert_eq!(year_of_period("21年"), None);
        assert_eq!(year_of_period("上半年"), None);
    }

    #[test]
    fn months_late_across_year_ends() {
        let dec = day(2021, 12, 31);
        assert_eq!(months_started_late(dec, day(2021, 11, 30)), 0);
        assert_eq!(months_started_late(dec, dec), 0);
        assert_eq!(months_started_late(dec, day(2022, 1, 1)), 1);
        assert_eq!(months_started_late(dec, day(2022, 1, 31)), 1);
        assert_eq!(months_started_late(dec, day(2022, 2, 1)), 2);
        assert_eq!(months_started_late(dec, day(2023, 1, 31)), 13);
        // A month-end deadline moves to month ends: 30 Nov → 31 Dec is one month.
        assert_eq!(months_started_late(day(2021, 11, 30), day(2021, 12, 31)), 1);
        // February's end, then March's: 28 Feb 2023 + 1 month is 31 March.
        assert_eq!(months_started_late(day(2023, 2, 28), day(2023, 3, 31)), 1);
        // A mid-month deadline keeps its day (clamped to short months).
        assert_eq!(months_started_late(day(2021, 1, 30), day(2021, 2, 28)), 1);
        assert_eq!(months_started_late(day(2021, 1, 30), day(2021, 3, 1)), 2);
        assert_eq!(months_started_late(day(2021, 6, 15), day(2021, 7, 15)), 1);
        assert_eq!(months_started_late(day(2021, 6, 15), day(2021, 7, 16)), 2);
    }
}
