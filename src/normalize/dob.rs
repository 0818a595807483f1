//! Dates of birth, output as ISO `YYYY-MM-DD`, read day-first (UK).
//!
//! Accepted:
//! - numeric day-first with `/`, `-`, `.` or spaces: `12/03/1985`, `12-03-1985`, `12.03.1985`,
//!   `12/3/1985`, `1/2/1985`, `12-03-85`, `12/03/85`;
//! - month names (English, full or three letters, "Sept", any case, optional ordinal and
//!   weekday): `12 Mar 1985`, `12 March 1985`, `12th March 1985`, `12-Mar-1985`, `12-MAR-85`,
//!   `12MAR85`, `March 12, 1985`, `Mar 12 1985`, `1985 Mar 12`, `Tuesday 12th of March 1985`;
//! - year first: `1985-03-12`, `1985/03/12`, `19850312` (and day-first `12031985`);
//! - date-times, whose time is ignored: `1985-03-12T00:00:00`, `1985-03-12T00:00:00Z`,
//!   `1985-03-12 00:00:00`, `1985-03-12T00:00:00.000+01:00`, Excel's `12/03/1985 00:00`.
//!
//! Two-digit years pivot on the current year: `yy` up to this year's last two digits is 20yy,
//! above it is 19yy (in 2026, "05" is 2005 and "85" is 1985).
//!
//! Rejected, never guessed, each with its own [`Reject`]: impossible dates ("31/02/1990",
//! "29/02/1991", "00/01/1990", "32/01/1990": [`Reject::ImpossibleDate`]); dates that only make
//! sense month-first ("03/25/1985", "12/13/1990": [`Reject::UsDate`]); years before 1900
//! ([`Reject::DateTooEarly`]); dates after today ([`Reject::DateInFuture`]); partial dates
//! ("1985", "03/1985", "Mar 1985": [`Reject::PartialDate`]); anything else ([`Reject::Shape`]).
//!
//! Today's date is read from the system clock and time zone (`jiff::ZonedDateTime::now()`)
//! once per process.

use super::{Reject, clean};
use jiff::civil::Date;
use std::sync::OnceLock;

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

/// Longest input considered, in bytes.
const MAX_INPUT: usize = 64;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Today's local date, read once per process.
fn today() -> Date {
    static TODAY: OnceLock<Date> = OnceLock::new();
    *TODAY.get_or_init(|| jiff::ZonedDateTime::now().date())
}

/// A month name: the full name, its first three letters, or "sept"; any ASCII case.
pub fn month_of(w: &str) -> Option<u8> {
    if w.len() < 3 {
        return None;
    }
    if w.eq_ignore_ascii_case("sept") {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| w.eq_ignore_ascii_case(m) || (w.len() == 3 && m[..3].eq_ignore_ascii_case(w)))
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// Words skipped anywhere: weekday names (full, or 3 or 4 letters) and "of".
fn is_filler(w: &str) -> bool {
    w.eq_ignore_ascii_case("of")
        || (w.len() >= 3
            && WEEKDAYS.iter().any(|d| {
                w.eq_ignore_ascii_case(d)
                    || (w.len() <= 4 && d.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w)))
            }))
}

/// Words allowed after a complete date (time-zone and AM/PM markers).
fn is_trailer(w: &str) -> bool {
    ["z", "am", "pm", "utc", "gmt", "bst"]
        .iter()
        .any(|t| w.eq_ignore_ascii_case(t))
}

/// One part of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A number and how many digits it was written with.
    Num(u32, u8),
    /// A month name.
    Month(u8),
}

/// Splits a date into at most three parts, stopping at a time ("00:00", "T00:00").
fn tokens(t: &str) -> Result<([Tok; 3], usize), Reject> {
    const NOT_A_DATE: Reject = Reject::Shape("not a date");
    let b = t.as_bytes();
    let mut toks = [Tok::Num(0, 0); 3];
    let mut n = 0;
    let mut i = 0;
    let mut push = |tok: Tok, n: &mut usize| {
        if *n == 3 {
            return Err(NOT_A_DATE);
        }
        toks[*n] = tok;
        *n += 1;
        Ok(())
    };
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let len = i - s;
            let next = b.get(i).copied();
            if next == Some(b':') {
                // A time: the date must be complete before it.
                if n == 3 {
                    break;
                }
                return Err(NOT_A_DATE);
            }
            if len > 8 {
                return Err(NOT_A_DATE);
            }
            let v = t[s..i].parse::<u32>().map_err(|_| NOT_A_DATE)?;
            // `len` is at most 8 here.
            push(Tok::Num(v, len as u8), &mut n)?;
            if matches!(next, Some(b'T' | b't')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                // ISO date-time: "1985-03-12T00:00:00".
                if n == 3 {
                    break;
                }
                return Err(NOT_A_DATE);
            }
            // Ordinal: "12th", "1st", "2nd", "3rd".
            if len <= 2
                && let Some(suffix) = t.get(i..i + 2)
            {
                let after_is_letter = b.get(i + 2).is_some_and(u8::is_ascii_alphabetic);
                if !after_is_letter
                    && ["st", "nd", "rd", "th"]
                        .iter()
                        .any(|o| suffix.eq_ignore_ascii_case(o))
                {
                    i += 2;
                }
            }
        } else if c.is_ascii_alphabetic() {
            let s = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let w = &t[s..i];
            if let Some(m) = month_of(w) {
                push(Tok::Month(m), &mut n)?;
            } else if is_filler(w) {
            } else if n == 3 && is_trailer(w) {
                break;
            } else {
                return Err(NOT_A_DATE);
            }
        } else if matches!(c, b'/' | b'-' | b'.' | b',' | b' ' | b'\\' | b'\t') {
            i += 1;
        } else if c == b'+' && n == 3 {
            break;
        } else if c >= 0x80 {
            // Non-ASCII: only whitespace (no-break spaces) may appear, between parts.
            let ch = t[i..].chars().next().ok_or(NOT_A_DATE)?;
            if !ch.is_whitespace() {
                return Err(NOT_A_DATE);
            }
            i += ch.len_utf8();
        } else {
            return Err(NOT_A_DATE);
        }
    }
    Ok((toks, n))
}

/// A year written with 2 or 4 digits; two-digit years pivot on the current year.
fn year(v: u32, len: u8) -> Option<u32> {
    match len {
        4 => Some(v),
        2 => {
            let yy = u32::try_from(today().year()).unwrap_or(2000) % 100;
            Some(if v <= yy { 2000 + v } else { 1900 + v })
        }
        _ => None,
    }
}

/// A day or month written with 1 or 2 digits.
fn small(tok: Tok) -> Option<u32> {
    match tok {
        Tok::Num(v, 1 | 2) => Some(v),
        _ => None,
    }
}

/// Validates a day, month and year and writes `YYYY-MM-DD`.
fn finish(y: u32, m: u32, d: u32, out: &mut String) -> Result<(), Reject> {
    // All three come from at most 4 (year) or 2 (day, month) digits.
    let (y16, m8, d8) = (
        u16::try_from(y).unwrap_or(u16::MAX),
        u8::try_from(m).unwrap_or(u8::MAX),
        u8::try_from(d).unwrap_or(u8::MAX),
    );
    let impossible = Reject::ImpossibleDate {
        day: d8,
        month: m8,
        year: y16,
    };
    let (Ok(yi), Ok(mi), Ok(di)) = (i16::try_from(y), i8::try_from(m), i8::try_from(d)) else {
        return Err(impossible);
    };
    let date = Date::new(yi, mi, di).map_err(|_| impossible)?;
    if y < 1900 {
        return Err(Reject::DateTooEarly(y16));
    }
    if date > today() {
        return Err(Reject::DateInFuture);
    }
    out.clear();
    for (v, width) in [(y, 4u32), (m, 2), (d, 2)] {
        if width == 2 {
            out.push('-');
        }
        for p in (0..width).rev() {
            let digit = (v / 10u32.pow(p)) % 10;
            out.push(char::from(b'0' + digit as u8));
        }
    }
    Ok(())
}

/// Normalises a date of birth to `YYYY-MM-DD`, reading numeric dates day-first.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    const NOT_A_DATE: Reject = Reject::Shape("not a date");
    out.clear();
    let t = clean(input)?;
    if t.len() > MAX_INPUT {
        return Err(Reject::Length("too long for a date"));
    }
    let (toks, n) = tokens(t)?;
    match &toks[..n] {
        [Tok::Num(v, 8)] => {
            let v = *v;
            // YYYYMMDD when it reads as a 19xx/20xx year and a month; otherwise DDMMYYYY.
            // (No value reads as a valid date of birth both ways.)
            let (y, m, d) = (v / 10_000, v / 100 % 100, v % 100);
            let (y2, m2, d2) = (v % 10_000, v / 10_000 % 100, v / 1_000_000);
            let plausible = |y: u32, m: u32| (1900..=2099).contains(&y) && (1..=12).contains(&m);
            if plausible(y, m) || (!plausible(y2, m2) && (1900..=2099).contains(&y)) {
                finish(y, m, d, out)
            } else {
                finish(y2, m2, d2, out)
            }
        }
        [Tok::Num(_, 4)] | [Tok::Month(_)] => Err(Reject::PartialDate),
        [Tok::Num(..)] => Err(NOT_A_DATE),
        // "03/1985", "1985-03", "Mar 1985", "12 March", "March 12".
        [Tok::Num(_, 1 | 2), Tok::Num(_, 4)]
        | [Tok::Num(_, 4), Tok::Num(_, 1 | 2)]
        | [Tok::Num(_, 1 | 2), Tok::Num(_, 1 | 2)]
        | [Tok::Month(_), Tok::Num(_, 1 | 2 | 4)]
        | [Tok::Num(_, 1 | 2 | 4), Tok::Month(_)] => Err(Reject::PartialDate),
        // "1985 Mar 12".
        [Tok::Num(y, 4), Tok::Month(m), d] => {
            let d = small(*d).ok_or(NOT_A_DATE)?;
            finish(*y, u32::from(*m), d, out)
        }
        [Tok::Num(y, 4), m, d] => {
            let (m, d) = (small(*m).ok_or(NOT_A_DATE)?, small(*d).ok_or(NOT_A_DATE)?);
            finish(*y, m, d, out)
        }
        [d, m, Tok::Num(y, ylen)] if small(*d).is_some() && small(*m).is_some() => {
            let (d, m) = (small(*d).unwrap_or(0), small(*m).unwrap_or(0));
            let y = year(*y, *ylen).ok_or(NOT_A_DATE)?;
            if m > 12 && (1..=12).contains(&d) && m <= 31 {
                // Only readable month-first: never guessed.
                return Err(Reject::UsDate {
                    first: d as u8,
                    second: m as u8,
                });
            }
            finish(y, m, d, out)
        }
        // "12 Mar 1985", "12-MAR-85".
        [d, Tok::Month(m), Tok::Num(y, ylen)] => {
            let d = small(*d).ok_or(NOT_A_DATE)?;
            finish(year(*y, *ylen).ok_or(NOT_A_DATE)?, u32::from(*m), d, out)
        }
        // "March 12, 1985", "Mar 12 85".
        [Tok::Month(m), d, Tok::Num(y, ylen)] => {
            let d = small(*d).ok_or(NOT_A_DATE)?;
            finish(year(*y, *ylen).ok_or(NOT_A_DATE)?, u32::from(*m), d, out)
        }
        _ => Err(NOT_A_DATE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        normalize(s, &mut o).map(|()| o)
    }

    fn impossible(day: u8, month: u8, year: u16) -> Result<String, Reject> {
        Err(Reject::ImpossibleDate { day, month, year })
    }

    #[test]
    fn accepted_formats() {
        for i in [
            "12/03/1985",
            "12-03-1985",
            "12.03.1985",
            "12/3/1985",
            "12-03-85",
            "12/03/85",
            "12 03 1985",
            "12 Mar 1985",
            "12 March 1985",
            "12 MARCH 1985",
            "12th March 1985",
            "12TH MAR 1985",
            "12-Mar-1985",
            "12-MAR-85",
            "12MAR85",
            "12 mar. 1985",
            "March 12, 1985",
            "Mar 12 1985",
            "Mar 12th, 1985",
            "1985 Mar 12",
            "Tuesday, 12th of March 1985",
            "Tue 12 Mar 1985",
            "1985-03-12",
            "1985/03/12",
            "1985.3.12",
            "19850312",
            "12031985",
            "1985-03-12T00:00:00",
            "1985-03-12T00:00:00Z",
            "1985-03-12 00:00:00",
            "1985-03-12T00:00:00.000+01:00",
            "1985-03-12 00:00:00 +0000",
            "12/03/1985 00:00",
            "12/03/1985 12:00:00 AM",
            " '12/03/1985' ",
            "\"12/03/1985\"",
            "12\u{a0}March\u{a0}1985",
        ] {
            assert_eq!(n(i).as_deref(), Ok("1985-03-12"), "{i}");
        }
        for (i, want) in [
            ("1/2/1985", "1985-02-01"),
            ("29/02/2000", "2000-02-29"),
            ("29 Feb 1996", "1996-02-29"),
            ("01-02-05", "2005-02-01"),
            ("01-02-50", "1950-02-01"),
            ("20011985", "1985-01-20"),
            ("18031985", "1985-03-18"),
            ("1 Sept 1970", "1970-09-01"),
            ("31st December 1999", "1999-12-31"),
            ("01/01/1900", "1900-01-01"),
            ("2nd Jan 2001", "2001-01-02"),
            ("23rd June 1966", "1966-06-23"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
    }

    #[test]
    fn impossible_dates() {
        assert_eq!(n("31/02/1990"), impossible(31, 2, 1990));
        assert_eq!(n("29/02/1991"), impossible(29, 2, 1991));
        assert_eq!(n("00/01/1990"), impossible(0, 1, 1990));
        assert_eq!(n("32/01/1990"), impossible(32, 1, 1990));
        assert_eq!(n("13/13/1990"), impossible(13, 13, 1990));
        assert_eq!(n("31 Apr 1985"), impossible(31, 4, 1985));
        assert_eq!(n("1990-02-30"), impossible(30, 2, 1990));
        assert_eq!(n("1990-13-01"), impossible(1, 13, 1990));
        assert_eq!(n("19901301"), impossible(1, 13, 1990));
        assert_eq!(
            n("31/02/1990").unwrap_err().to_string(),
            "impossible date (31 February)"
        );
    }

    #[test]
    fn us_dates_are_not_guessed() {
        assert_eq!(
            n("03/25/1985"),
            Err(Reject::UsDate {
                first: 3,
                second: 25
            })
        );
        assert_eq!(
            n("12/13/1990"),
            Err(Reject::UsDate {
                first: 12,
                second: 13
            })
        );
        assert_eq!(
            n("1/31/2001"),
            Err(Reject::UsDate {
                first: 1,
                second: 31
            })
        );
    }

    #[test]
    fn out_of_range_and_partial() {
        assert_eq!(n("01/01/1899"), Err(Reject::DateTooEarly(1899)));
        assert_eq!(n("1066-10-14"), Err(Reject::DateTooEarly(1066)));
        assert_eq!(n("01/01/2999"), Err(Reject::DateInFuture));
        assert_eq!(n("31/12/9999"), Err(Reject::DateInFuture));
        let tomorrow = today().tomorrow().map(|d| d.to_string());
        if let Ok(t) = tomorrow {
            assert_eq!(n(&t), Err(Reject::DateInFuture));
        }
        assert_eq!(n(&today().to_string()), Ok(today().to_string()));
        assert_eq!(n("1985"), Err(Reject::PartialDate));
        assert_eq!(n("03/1985"), Err(Reject::PartialDate));
        assert_eq!(n("Mar 1985"), Err(Reject::PartialDate));
        assert_eq!(n("March"), Err(Reject::PartialDate));
        assert_eq!(n("1985-03"), Err(Reject::PartialDate));
        assert_eq!(n("12 March"), Err(Reject::PartialDate));
    }

    #[test]
    fn garbage() {
        assert_eq!(n("N/A"), Err(Reject::Empty));
        assert_eq!(n("  "), Err(Reject::Empty));
        for bad in [
            "yesterday",
            "12 Marmalade 1985",
            "1/2/3/4",
            "123/03/1985",
            "12/03/19850",
            "12:03:1985",
            "31118",
            "120385",
            "12/03/1985 foo",
            "12 Mar Apr 1985",
            "1985-03-12T",
            "１２/03/1985",
            "12/03/1985!",
            "+12/03/1985",
            "00:00 12/03/1985",
            "123456789",
        ] {
            assert!(
                matches!(n(bad), Err(Reject::Shape(_))),
                "{bad}: {:?}",
                n(bad)
            );
        }
        assert!(n(&"1".repeat(100)).is_err());
    }

    #[test]
    fn two_digit_years_pivot_on_this_year() {
        let yy = today().year() % 100;
        let this = format!("01/01/{yy:02}");
        assert_eq!(n(&this), Ok(format!("{}-01-01", today().year())));
        if yy < 99 {
            let next = format!("01/01/{:02}", yy + 1);
            assert_eq!(n(&next), Ok(format!("19{:02}-01-01", yy + 1)));
        }
    }
}
