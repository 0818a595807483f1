//! Dates of birth, output as ISO `YYYY-MM-DD`, read day-first (UK).
//!
//! Accepted:
//! - numeric day-first with `/`, `-`, `.` or spaces: `12/03/1985`, `12-03-1985`, `12.03.1985`,
//!   `12/3/1985`, `1/2/1985`, `12-03-85`, `12/03/85`;
//! - month names (English, full or three letters, "Sept", any case, optional ordinal and
//!   weekday): `12 Mar 1985`, `12 March 1985`, `12th March 1985`, `12-Mar-1985`, `12-MAR-85`,
//!   `12MAR85`, `March 12, 1985`, `Mar 12 1985`, `1985 Mar 12`, `Tuesday 12th of March 1985`;
//! - year first: `1985-03-12`, `1985/03/12`, `19850312` (and day-first `12031985`);
//! - Excel serial dates (the 1900 date system, as a spreadsheet exported without its date
//!   format writes them): a five-digit whole number from 10000 to 60000, optionally with
//!   ".0" or ".00", is days after 1899-12-30 (`31118` and `31118.0` are 1985-03-12); four
//!   and six-or-more-digit numbers are not serials;
//! - date-times, whose time is ignored: `1985-03-12T00:00:00`, `1985-03-12T00:00:00Z`,
//!   `1985-03-12 00:00:00`, `1985-03-12 00:00:00.000`, `1985-03-12T00:00:00.000+01:00`,
//!   Excel's `12/03/1985 00:00` and `12/03/1985 12:00:00 AM`, Oracle's
//!   `12-MAR-85 12.00.00.000000000 AM` (a time with dots needs its seconds);
//! - except a UK midnight saved in UTC during summer time: a date-time marked UTC (`Z`,
//!   `+00:00`, `+0000`, `+00` or `UTC`) whose time is 22:00 or later is the next day's date of
//!   birth (`1985-08-14T23:00:00.000Z` is 1985-08-15). Other offsets, and no offset, leave the
//!   date as written.
//!
//! Two-digit years pivot on the current year: `yy` up to this year's last two digits is 20yy,
//! above it is 19yy (in 2026, "05" is 2005 and "85" is 1985).
//!
//! Rejected, never guessed, each with its own [`Reject`]: impossible dates ("31/02/1990",
//! "29/02/1991", "00/01/1990", "32/01/1990": [`Reject::ImpossibleDate`]); dates that only make
//! sense month-first ("03/25/1985", "12/13/1990": [`Reject::UsDate`]); years before 1900
//! ([`Reject::DateTooEarly`]); dates after today ([`Reject::DateInFuture`]); partial dates
//! ("1985", "03/1985", "Mar 1985": [`Reject::PartialDate`]); 1 January 1900 and 1 January 1901,
//! the "unknown" defaults of housing systems, in any format ([`Reject::Junk`]; 1 January 1970
//! is kept: people are born on it); anything else ([`Reject::Shape`]).
//!
//! A label in front is dropped: known words ending with ':' or a space, perhaps with a dash
//! between spaces ("DOB: 01/02/1985", "D.O.B. 01/02/1985", "Date of birth - ...", "Born 1 Feb
//! 1985", "Born on ..."; the words of `LABEL_WORDS`). So is an age in brackets after or before
//! the date ("01/02/1985 (age 40)", "(aged 40)", "(40 yrs)"); it is not checked against the
//! date. Other words and notes stay, so the value is rejected: "Partner DOB: ...", "Died ...",
//! "01/02/1985 (approx)", "01/02/1985 (partner)" (a note could say whose date it is).
//!
//! Today's date is read from the system clock and time zone (`jiff::ZonedDateTime::now()`)
//! once per process.

use super::{Reject, clean};
use jiff::SignedDuration;
use jiff::civil::Date;
use std::sync::OnceLock;

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 3;

/// Longest input considered, in bytes.
const MAX_INPUT: usize = 64;

const NOT_A_DATE: Reject = Reject::Shape("not a date");

/// Day 0 of Excel's 1900 date system for the serials read here (from 61 on, Excel's serials
/// count days after 1899-12-30, because Excel also counts a 29 February 1900 that never was).
const EXCEL_EPOCH: Date = Date::constant(1899, 12, 30);

/// Smallest and largest number read as an Excel serial (1927-05-18 and 2064-04-08).
const EXCEL_SERIALS: std::ops::RangeInclusive<u32> = 10_000..=60_000;

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

/// Words of a label in front of a date of birth ("DOB", "D.O.B.", "Date of birth", "Born on",
/// "Birthday"), compared ignoring ASCII case.
const LABEL_WORDS: [&str; 9] = [
    "dob",
    "d.o.b",
    "date",
    "of",
    "birth",
    "born",
    "on",
    "birthday",
    "birthdate",
];

/// Whether the text in brackets beside a date is an age: "age 40", "aged 40", "age: 40",
/// "40 yrs", "40 years old" (a number of one to three digits, with "age" or "aged" before it
/// or a unit after it).
fn is_age_note(note: &str) -> bool {
    fn is(w: &str, list: &[&str]) -> bool {
        list.iter().any(|x| w.eq_ignore_ascii_case(x))
    }
    let mut words = note
        .split(|c: char| c.is_ascii_whitespace() || c == ':')
        .filter(|w| !w.is_empty())
        .peekable();
    let aged = words.next_if(|w| is(w, &["age", "aged"])).is_some();
    let Some(n) = words.next() else {
        return false;
    };
    if !(1..=3).contains(&n.len()) || !n.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let unit = words
        .next_if(|w| is(w, &["years", "year", "yrs", "yr", "y", "yo"]))
        .is_some();
    if unit && words.peek().is_some_and(|w| w.eq_ignore_ascii_case("old")) {
        words.next();
    }
    words.next().is_none() && (aged || unit)
}

/// `t` without a label in front and an age in brackets at either end; several in turn.
fn drop_notes(mut t: &str) -> &str {
    for _ in 0..3 {
        let rest = super::strip_bracket_note(t, false, is_age_note)
            .unwrap_or_else(|| super::strip_label(t, &LABEL_WORDS, 4));
        if rest.len() == t.len() {
            break;
        }
        t = rest;
    }
    t
}

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

/// An Excel serial date: only five digits, 10000 to 60000, optionally followed by ".0" or
/// ".00" ("31118", "31118.0").
fn excel_serial(t: &str) -> Option<u32> {
    let b = t.as_bytes();
    if !(5..=8).contains(&b.len()) || !matches!(&b[5..], b"" | b".0" | b".00") {
        return None;
    }
    let mut v = 0u32;
    for &c in &b[..5] {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    EXCEL_SERIALS.contains(&v).then_some(v)
}

/// Reads a run of `min..=max` digits at `*i`; `None` if the run is shorter or longer.
fn digits(b: &[u8], i: &mut usize, min: usize, max: usize) -> Option<u32> {
    let s = *i;
    let mut v = 0u32;
    while let Some(&c) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        if *i - s == max {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
        *i += 1;
    }
    (*i - s >= min).then_some(v)
}

/// Reads a whole time of day and what follows it: `HH:MM`, `HH:MM:SS`, `HH.MM.SS`, with an
/// optional fraction of a second (`.000`, `,5`), then, in any order and separated by spaces,
/// AM/PM, a zone offset (`+01:00`, `+0000`, `-05`, `Z`), zone names (`UTC`, `GMT`, `BST`,
/// `Europe/London`, `[UTC]`) and comments in brackets (`(Coordinated Universal Time)`).
/// Returns whether the time is 22:00 or later and marked UTC (a zero offset, `Z` or `UTC`, and
/// no other offset or region); `None` if `b` is not such a time.
fn late_utc_time(b: &[u8]) -> Option<bool> {
    let mut i = 0;
    let mut hour = digits(b, &mut i, 1, 2)?;
    let sep = *b.get(i).filter(|&&c| c == b':' || c == b'.')?;
    i += 1;
    let minute = digits(b, &mut i, 2, 2)?;
    let mut second = 0;
    let mut has_seconds = false;
    if b.get(i) == Some(&sep) {
        i += 1;
        second = digits(b, &mut i, 2, 2)?;
        has_seconds = true;
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            digits(b, &mut i, 1, 9)?;
        }
    }
    // "12.50" alone is too much like a number to be read as a time.
    if (sep == b'.' && !has_seconds) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let (mut ampm, mut utc, mut offset) = (false, false, false);
    loop {
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let Some(&c) = b.get(i) else { break };
        if c == b'+' || c == b'-' {
            // "+01:00", "+0100", "+01".
            i += 1;
            let s = i;
            let mut v = digits(b, &mut i, 2, 4)?;
            match i - s {
                2 if b.get(i) == Some(&b':') => {
                    i += 1;
                    v = v * 100 + digits(b, &mut i, 2, 2)?;
                }
                2 | 4 => {}
                _ => return None,
            }
            if v == 0 {
                utc = true;
            } else {
                offset = true;
            }
        } else if c.is_ascii_alphabetic() {
            let s = i;
            while b
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_'))
            {
                i += 1;
            }
            let w = &b[s..i];
            let is = |x: &[u8]| w.eq_ignore_ascii_case(x);
            if is(b"am") || is(b"pm") {
                if ampm || hour == 0 || hour > 12 {
                    return None;
                }
                ampm = true;
                hour = hour % 12 + (if is(b"pm") { 12 } else { 0 });
            } else if w
                .iter()
                .all(|c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'_'))
            {
                zone_name(w, &mut utc, &mut offset);
            } else {
                return None;
            }
        } else if c == b'(' || c == b'[' {
            // "(Coordinated Universal Time)" is a comment; "[UTC]", "[Europe/London]" a zone.
            let close = if c == b'(' { b')' } else { b']' };
            let len = b[i + 1..].iter().position(|&x| x == close)?;
            if c == b'[' {
                zone_name(&b[i + 1..i + 1 + len], &mut utc, &mut offset);
            }
            i += len + 2;
        } else {
            return None;
        }
    }
    Some(utc && !offset && hour >= 22)
}

/// A zone name after a time: `Z`, `UTC` and `Etc/UTC` mark it UTC; a region ("Europe/London",
/// as in Java's "23:00Z[Europe/London]") says it is the local time there, so it sets `local`;
/// others (GMT, BST) say neither.
fn zone_name(w: &[u8], utc: &mut bool, local: &mut bool) {
    if [&b"z"[..], b"utc", b"etc/utc"]
        .iter()
        .any(|z| w.eq_ignore_ascii_case(z))
    {
        *utc = true;
    } else if w.contains(&b'/') {
        *local = true;
    }
}

/// A time after a complete date, starting with its first digit: whether the date of birth is
/// the next day (see [`late_utc_time`]). A time that starts "HH:" or follows an ISO "T" is
/// accepted whatever follows it (it is ignored, as it always was, unless it is a whole time
/// marked UTC); one with dots ("12.00.00.000 AM") must be a whole time.
fn time_after_date(s: &str, after_t: bool) -> Result<bool, Reject> {
    let b = s.as_bytes();
    if let Some(next_day) = late_utc_time(b) {
        return Ok(next_day);
    }
    let hour_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if after_t || b.get(hour_len) == Some(&b':') {
        Ok(false)
    } else {
        Err(NOT_A_DATE)
    }
}

/// Splits a date into at most three parts, stopping at a time ("00:00", "T00:00",
/// "12.00.00 AM"). Also returns whether the date of birth is the day after the date written
/// (a time of 22:00 or later marked UTC).
fn tokens(t: &str) -> Result<([Tok; 3], usize, bool), Reject> {
    let b = t.as_bytes();
    let mut toks = [Tok::Num(0, 0); 3];
    let mut n = 0;
    let mut i = 0;
    let mut next_day = false;
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
            if n == 3 {
                // A time after the complete date.
                next_day = time_after_date(&t[i..], false)?;
                break;
            }
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let len = i - s;
            let next = b.get(i).copied();
            if next == Some(b':') {
                // A time before the date is complete.
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
                    next_day = time_after_date(&t[i + 1..], true)?;
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
    Ok((toks, n, next_day))
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

/// Validates a day, month and year and writes `YYYY-MM-DD` (of the next day if `next_day`).
fn finish(y: u32, m: u32, d: u32, next_day: bool, out: &mut String) -> Result<(), Reject> {
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
    let date = if next_day {
        date.tomorrow().map_err(|_| Reject::DateInFuture)?
    } else {
        date
    };
    write_date(date, out)
}

/// Writes a valid date as `YYYY-MM-DD`, unless it is in the future or a placeholder.
fn write_date(date: Date, out: &mut String) -> Result<(), Reject> {
    if date > today() {
        return Err(Reject::DateInFuture);
    }
    let (y, m, d) = (date.year(), date.month(), date.day());
    if m == 1 && d == 1 && (y == 1900 || y == 1901) {
        return Err(Reject::Junk("a placeholder date"));
    }
    // Every date here is from 1900 to today.
    let (Ok(y), Ok(m), Ok(d)) = (u32::try_from(y), u32::try_from(m), u32::try_from(d)) else {
        return Err(NOT_A_DATE);
    };
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
    out.clear();
    let t = clean(input)?;
    if t.len() > MAX_INPUT {
        return Err(Reject::Length("too long for a date"));
    }
    let t = drop_notes(t);
    if let Some(serial) = excel_serial(t) {
        let days = SignedDuration::from_hours(i64::from(serial) * 24);
        return write_date(EXCEL_EPOCH.checked_add(days).map_err(|_| NOT_A_DATE)?, out);
    }
    let (toks, n, next_day) = tokens(t)?;
    let (y, m, d) = match &toks[..n] {
        [Tok::Num(v, 8)] => {
            let v = *v;
            // YYYYMMDD when it reads as a 19xx/20xx year and a month; otherwise DDMMYYYY.
            // (No value reads as a valid date of birth both ways.)
            let (y, m, d) = (v / 10_000, v / 100 % 100, v % 100);
            let (y2, m2, d2) = (v % 10_000, v / 10_000 % 100, v / 1_000_000);
            let plausible = |y: u32, m: u32| (1900..=2099).contains(&y) && (1..=12).contains(&m);
            if plausible(y, m) || (!plausible(y2, m2) && (1900..=2099).contains(&y)) {
                (y, m, d)
            } else {
                (y2, m2, d2)
            }
        }
        [Tok::Num(_, 4)] | [Tok::Month(_)] => return Err(Reject::PartialDate),
        [Tok::Num(..)] => return Err(NOT_A_DATE),
        // "03/1985", "1985-03", "Mar 1985", "12 March", "March 12".
        [Tok::Num(_, 1 | 2), Tok::Num(_, 4)]
        | [Tok::Num(_, 4), Tok::Num(_, 1 | 2)]
        | [Tok::Num(_, 1 | 2), Tok::Num(_, 1 | 2)]
        | [Tok::Month(_), Tok::Num(_, 1 | 2 | 4)]
        | [Tok::Num(_, 1 | 2 | 4), Tok::Month(_)] => return Err(Reject::PartialDate),
        // "1985 Mar 12".
        [Tok::Num(y, 4), Tok::Month(m), d] => (*y, u32::from(*m), small(*d).ok_or(NOT_A_DATE)?),
        [Tok::Num(y, 4), m, d] => (
            *y,
            small(*m).ok_or(NOT_A_DATE)?,
            small(*d).ok_or(NOT_A_DATE)?,
        ),
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
            (y, m, d)
        }
        // "12 Mar 1985", "12-MAR-85"; "March 12, 1985", "Mar 12 85".
        [d, Tok::Month(m), Tok::Num(y, ylen)] | [Tok::Month(m), d, Tok::Num(y, ylen)] => (
            year(*y, *ylen).ok_or(NOT_A_DATE)?,
            u32::from(*m),
            small(*d).ok_or(NOT_A_DATE)?,
        ),
        _ => return Err(NOT_A_DATE),
    };
    finish(y, m, d, next_day, out)
}

/// Reads a date from a column written month-first (US): "07/19/1962", "3/4/1990" (4 March
/// 1990). When the value starts with two numbers of one or two digits joined by the same `/`,
/// `-` or `.`, they swap places; then it is read as [`normalize`] reads a date. Dates with the
/// year first or a month name are read as they are. A label in front and an age in brackets
/// are dropped first, as [`normalize`] drops them ("DOB: 07/19/1962 (age 63)").
pub fn normalize_month_first(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = drop_notes(input.trim());
    let b = t.as_bytes();
    let first = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&first)
        && let Some(&sep) = b.get(first)
        && matches!(sep, b'/' | b'-' | b'.')
    {
        let rest = &t[first + 1..];
        let second = rest.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=2).contains(&second) && rest.as_bytes().get(second) == Some(&sep) {
            let swapped = format!(
                "{}{}{}{}",
                &rest[..second],
                char::from(sep),
                &t[..first],
                &rest[second..]
            );
            return normalize(&swapped, out);
        }
    }
    normalize(input, out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn month_first_columns() {
        let mf = |s: &str| {
            let mut o = String::new();
            normalize_month_first(s, &mut o).map(|()| o)
        };
        assert_eq!(mf("07/19/1962").as_deref(), Ok("1962-07-19"));
        assert_eq!(mf("3/4/1990").as_deref(), Ok("1990-03-04"));
        assert_eq!(mf("12-25-85").as_deref(), Ok("1985-12-25"));
        assert_eq!(mf("1962-07-19").as_deref(), Ok("1962-07-19"));
        assert_eq!(mf("19 Jul 1962").as_deref(), Ok("1962-07-19"));
        assert!(matches!(mf("19/07/1962"), Err(Reject::UsDate { .. })));
        assert_eq!(mf("DOB: 07/19/1962").as_deref(), Ok("1962-07-19"));
        assert_eq!(mf("07/19/1962 (age 63)").as_deref(), Ok("1962-07-19"));
        assert_eq!(mf("D.O.B. 19 Jul 1962").as_deref(), Ok("1962-07-19"));
    }

    #[test]
    fn labels_and_ages_beside_a_date_are_dropped() {
        for i in [
            "DOB: 01/02/1985",
            "D.O.B. 01/02/1985",
            "D.O.B.: 01/02/1985",
            "dob:01/02/1985",
            "DOB 01/02/1985",
            "Born 1 Feb 1985",
            "Born on 1 February 1985",
            "Born: 1st Feb 1985",
            "Date of Birth: 01/02/1985",
            "Date of birth - 01-02-1985",
            "Birthday: 01.02.1985",
            "DOB: 1985-02-01",
            "\"DOB: 01/02/1985\"",
            "01/02/1985 (age 40)",
            "01/02/1985 (aged 40)",
            "01/02/1985 (Age: 40)",
            "01/02/1985 (40 yrs)",
            "01/02/1985 (40 years old)",
            "01/02/1985 - (age 40)",
            "(age 40) 01/02/1985",
            "DOB: 01/02/1985 (age 40)",
        ] {
            assert_eq!(n(i).as_deref(), Ok("1985-02-01"), "{i}");
        }
        assert_eq!(n("DOB: 31118").as_deref(), Ok("1985-03-12"));
        // The label does not change how the date is read.
        assert_eq!(n("DOB: 31/02/1990"), impossible(31, 2, 1990));
        assert_eq!(
            n("DOB: 03/25/1985"),
            Err(Reject::UsDate {
                first: 3,
                second: 25
            })
        );
        assert_eq!(n("Born 1985"), Err(Reject::PartialDate));
        // Other words and notes keep the value rejected, as do two dates in one cell.
        for bad in [
            "Partner DOB: 01/02/1985",
            "Died 01/02/1985",
            "Date of death: 01/02/1985",
            "DOB -01/02/1985",
            "DOB:",
            "Born on",
            "01/02/1985 (approx)",
            "01/02/1985 (partner)",
            "01/02/1985 (or 02/01/1985)",
            "01/02/1985 (age)",
            "01/02/1985 (40)",
            "01/02/1985 (age 4000)",
            "01/02/1985 (age 40",
            "01/02/1985 [age 40]",
            "(age 40)",
            "01/02/1985 / 02/03/1986",
            "01/02/1985 or 02/03/1986",
        ] {
            assert!(
                matches!(n(bad), Err(Reject::Shape(_))),
                "{bad}: {:?}",
                n(bad)
            );
        }
    }

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
            "1985-03-12 00:00:00.000",
            "1985-03-12T00:00:00.000+01:00",
            "1985-03-12 00:00:00 +0000",
            "12/03/1985 00:00",
            "12/03/1985 12:00:00 AM",
            "12/03/1985 12:00:00 PM",
            "12-MAR-85 12.00.00.000000000 AM",
            "12-MAR-85 12.00.00 AM",
            "12-Mar-1985 00.00.00",
            "12-MAR-85 11.59.59.999999 PM GMT",
            "12/03/1985 00:00 (local time)",
            "31118",
            "31118.0",
            "31118.00",
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
            ("02/01/1900", "1900-01-02"),
            ("31/12/1900", "1900-12-31"),
            ("01/01/1970", "1970-01-01"),
            ("03-APR-79 12.00.00.000000000 AM", "1979-04-03"),
            ("1985-08-14 00:00:00.000", "1985-08-14"),
            ("14/08/1985 00:00", "1985-08-14"),
            ("14/08/1985 12:00:00 AM", "1985-08-14"),
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
            "09999",
            "60001",
            "311180",
            "31118.5",
            "31118.000",
            "31118.0.0",
            "120385",
            "12/03/1985 foo",
            "12 Mar Apr 1985",
            "1985-03-12T",
            "１２/03/1985",
            "12/03/1985!",
            "+12/03/1985",
            "00:00 12/03/1985",
            "123456789",
            "12/03/1985 12.50",
            "12/03/1985 12.00 AM",
            "12-MAR-85 13.00.00 PM",
            "12-MAR-85 00.00.00 AM",
            "12-MAR-85 24.00.00",
            "12-MAR-85 12.60.00",
            "12-MAR-85 12.00.00.0000000000 AM",
            "12-MAR-85 12.00.00 AM +1",
            "12-MAR-85 12.00.00 (BST",
            "12-MAR-85 12.00.00 +01:00:00",
            "12/03/1985 1200",
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
    fn excel_serials() {
        // Known pairs (Excel's DATE(): 1970-01-01 is 25569, 2008-01-01 is 39448).
        for (i, want) in [
            ("25569", "1970-01-01"),
            ("36526", "2000-01-01"),
            ("39448", "2008-01-01"),
            ("36585", "2000-02-29"),
            ("43831", "2020-01-01"),
            ("21509", "1958-11-20"),
            ("21509.0", "1958-11-20"),
            ("21509.00", "1958-11-20"),
            (" '21509' ", "1958-11-20"),
            ("10000", "1927-05-18"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
        assert_eq!(n("60000"), Err(Reject::DateInFuture));
        // Four digits are a year; six, seven and eight digits keep their own readings.
        assert_eq!(n("2150"), Err(Reject::PartialDate));
        assert!(matches!(n("215090"), Err(Reject::Shape(_))));
        assert!(matches!(n("2150900"), Err(Reject::Shape(_))));
        assert_eq!(n("19581120").as_deref(), Ok("1958-11-20"));
    }

    #[test]
    fn utc_late_evening_is_the_next_day() {
        for (i, want) in [
            ("1985-08-14T23:00:00.000Z", "1985-08-15"),
            ("1985-08-14T23:00:00Z", "1985-08-15"),
            ("1985-08-14t23:00:00z", "1985-08-15"),
            ("1985-08-14T23:00:00+00:00", "1985-08-15"),
            ("1985-08-14T23:00:00.000+0000", "1985-08-15"),
            ("1985-08-14 23:00:00 +0000", "1985-08-15"),
            ("1985-08-14 23:00:00 +00", "1985-08-15"),
            ("1985-08-14T22:00Z", "1985-08-15"),
            ("1985-08-14 23:00:00 UTC", "1985-08-15"),
            ("1985-08-14 23:00:00 +0000 UTC", "1985-08-15"),
            ("14/08/1985 11:00:00 PM UTC", "1985-08-15"),
            ("1985-08-14T23:00Z[UTC]", "1985-08-15"),
            ("1985-08-14T23:00:00Z[Etc/UTC]", "1985-08-15"),
            (
                "Wed Aug 14 1985 23:00:00 GMT+0000 (Coordinated Universal Time)",
                "1985-08-15",
            ),
            ("14-AUG-85 11.00.00.000000 PM +00:00", "1985-08-15"),
            ("1985-12-31T23:00:00Z", "1986-01-01"),
            ("1984-02-28T23:00:00Z", "1984-02-29"),
            ("1985-02-28T23:00:00Z", "1985-03-01"),
            // Earlier than 22:00, not marked UTC, or another offset: the date as written.
            ("1985-08-14T21:59:59Z", "1985-08-14"),
            ("1985-08-14T00:00:00Z", "1985-08-14"),
            ("1985-08-14T23:00:00", "1985-08-14"),
            ("1985-08-14 23:00:00", "1985-08-14"),
            ("1985-08-14T23:00:00+01:00", "1985-08-14"),
            ("1985-08-14T23:00:00-05:00", "1985-08-14"),
            ("1985-08-14T23:00:00+01:00 UTC", "1985-08-14"),
            ("1985-08-14 23:00:00 BST", "1985-08-14"),
            ("1985-08-14 23:00:00 GMT", "1985-08-14"),
            ("14/08/1985 11:00:00 AM Z", "1985-08-14"),
            ("14/08/1985 23:00", "1985-08-14"),
            ("1985-01-14T23:00Z[Europe/London]", "1985-01-14"),
            ("14-AUG-85 11.00.00.000000 PM EUROPE/LONDON", "1985-08-14"),
            (
                "Wed Aug 14 1985 23:00:00 GMT+0100 (British Summer Time)",
                "1985-08-14",
            ),
            ("1985-08-14T23:00:00Z (", "1985-08-14"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
        assert_eq!(n("1899-12-31T23:00:00Z"), Err(Reject::DateTooEarly(1899)));
        assert_eq!(
            n("1900-12-31T23:00:00Z"),
            Err(Reject::Junk("a placeholder date"))
        );
        let iso = format!("{}T23:00:00Z", today());
        assert_eq!(n(&iso), Err(Reject::DateInFuture));
    }

    #[test]
    fn placeholder_dates() {
        for p in [
            "01/01/1900",
            "1900-01-01",
            "1 Jan 1901",
            "01-JAN-1901",
            "19010101",
            "01011900",
            "1901-01-01T00:00:00Z",
            "1900-01-01 00:00:00",
        ] {
            assert_eq!(n(p), Err(Reject::Junk("a placeholder date")), "{p}");
        }
        assert_eq!(n("01/01/1970").as_deref(), Ok("1970-01-01"));
        assert_eq!(n("02/01/1901").as_deref(), Ok("1901-01-02"));
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
