//! Dates of birth, output as ISO `YYYY-MM-DD`, read day-first (UK).
//!
//! Accepted: `12/03/1985`, `12-3-1985`, `12.03.1985`, `12-03-85` (two-digit years pivot on the
//! current year: up to this year's two digits is 20yy, above is 19yy), `12 Mar 1985`,
//! `12th March 1985`, `12-MAR-85`, `March 12, 1985`, `1985-03-12`, `1985/03/12`, `19850312`,
//! `12031985`, and ISO or Excel date-times (`1985-03-12T00:00:00Z`, `12/03/1985 00:00`), whose
//! time is ignored. Rejected, never guessed: impossible dates (31/02/1990), dates that only make
//! sense month-first (03/25/1985), years before 1900, future dates, and partial dates.

use super::{Reject, clean};
use std::sync::OnceLock;

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn today() -> jiff::civil::Date {
    static TODAY: OnceLock<jiff::civil::Date> = OnceLock::new();
    *TODAY.get_or_init(|| jiff::ZonedDateTime::now().date())
}

fn month_of(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let i = MONTHS.iter().position(|m| w.starts_with(m))?;
    // "mar" / "march" / "sept" / "september", but not "marmalade".
    let full = [
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
    ][i];
    (full.starts_with(w.as_str()) || w == "sept").then_some(i as u32 + 1)
}

fn strip_ordinal(t: &str) -> &str {
    for suf in ["st", "nd", "rd", "th"] {
        if let Some(n) = t
            .strip_suffix(suf)
            .or_else(|| t.strip_suffix(&suf.to_uppercase()))
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            return n;
        }
    }
    t
}

fn year_of(t: &str) -> Result<i32, Reject> {
    let n: i32 = t
        .parse()
        .map_err(|_| Reject::Shape("year is not a number"))?;
    match t.len() {
        4 => Ok(n),
        2 => {
            let yy = today().year() as i32 % 100;
            Ok(if n <= yy { 2000 + n } else { 1900 + n })
        }
        _ => Err(Reject::Shape("year must have 2 or 4 digits")),
    }
}

fn num(t: &str) -> Result<u32, Reject> {
    if t.is_empty() || t.len() > 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Reject::Shape("day and month must be 1 or 2 digits"));
    }
    t.parse().map_err(|_| Reject::Shape("not a number"))
}

fn finish(y: i32, m: u32, d: u32, out: &mut String) -> Result<(), Reject> {
    if m == 0 || m > 12 || d == 0 || d > 31 {
        return Err(Reject::ImpossibleDate);
    }
    let date =
        jiff::civil::Date::new(y as i16, m as i8, d as i8).map_err(|_| Reject::ImpossibleDate)?;
    if y < 1900 || date > today() {
        return Err(Reject::DateOutOfRange);
    }
    out.clear();
    use std::fmt::Write;
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
    Ok(())
}

/// Normalises a date of birth to `YYYY-MM-DD`.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = clean(input)?;
    if t.len() > 40 {
        return Err(Reject::Shape("too long for a date"));
    }
    // ISO date-time: keep the date.
    let t = match t.find('T') {
        Some(10) if t.as_bytes()[..4].iter().all(u8::is_ascii_digit) => &t[..10],
        _ => t,
    };
    let mut tokens: Vec<&str> = t
        .split(['/', '-', '.', ',', ' ', '\\'])
        .filter(|s| !s.is_empty())
        .collect();
    // Drop a time and whatever follows it ("00:00", "00:00:00", "+01:00", "AM").
    if let Some(i) = tokens.iter().position(|s| s.contains(':')) {
        tokens.truncate(i);
    }
    let tokens: Vec<&str> = tokens.into_iter().map(strip_ordinal).collect();
    let numeric = |s: &&str| s.bytes().all(|b| b.is_ascii_digit());
    match tokens.as_slice() {
        [one] if numeric(one) => match one.len() {
            8 => {
                let (y, m, d) = (&one[..4], &one[4..6], &one[6..]);
                let y: i32 = y.parse().map_err(|_| Reject::Shape("not a date"))?;
                let ymd = if (1900..=2100).contains(&y) {
                    finish(y, num(m)?, num(d)?, out)
                } else {
                    Err(Reject::ImpossibleDate)
                };
                // Otherwise ddmmyyyy.
                ymd.or_else(|_| {
                    let (d, m, y) = (&one[..2], &one[2..4], &one[4..]);
                    finish(year_of(y)?, num(m)?, num(d)?, out)
                })
            }
            4 => Err(Reject::PartialDate),
            _ => Err(Reject::Shape("digits that are not a date")),
        },
        [_] => Err(Reject::Shape("not a date")),
        [a, b]
            if (numeric(a) || month_of(a).is_some()) && (numeric(b) || month_of(b).is_some()) =>
        {
            Err(Reject::PartialDate)
        }
        [a, b, c] => {
            let words: Vec<usize> = [a, b, c]
                .iter()
                .enumerate()
                .filter(|(_, s)| !numeric(s))
                .map(|(i, _)| i)
                .collect();
            match words.as_slice() {
                [] => {
                    if a.len() == 4 {
                        // ISO order: year, month, day.
                        finish(year_of(a)?, num(b)?, num(c)?, out)
                    } else {
                        let (d, m) = (num(a)?, num(b)?);
                        if m > 12 && d <= 12 && (1..=31).contains(&m) {
                            return Err(Reject::UsDate);
                        }
                        finish(year_of(c)?, m, d, out)
                    }
                }
                [i] => {
                    let m = month_of([a, b, c][*i]).ok_or(Reject::Shape("unknown month name"))?;
                    let nums: Vec<&str> = [a, b, c]
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| j != i)
                        .map(|(_, s)| **s)
                        .collect();
                    // "12 Mar 1985", "12-MAR-85", "Mar 12 1985", "1985 Mar 12".
                    let (d, y) = if nums[0].len() == 4 {
                        (nums[1], nums[0])
                    } else {
                        (nums[0], nums[1])
                    };
                    finish(year_of(y)?, m, num(d)?, out)
                }
                _ => Err(Reject::Shape("not a date")),
            }
        }
        _ => Err(Reject::Shape("not a date")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        normalize(s, &mut o).map(|()| o)
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
            "12 Mar 1985",
            "12 March 1985",
            "12th March 1985",
            "12-Mar-1985",
            "12-MAR-85",
            "March 12, 1985",
            "Mar 12 1985",
            "1985-03-12",
            "1985/03/12",
            "19850312",
            "12031985",
            "1985-03-12T00:00:00",
            "1985-03-12T00:00:00Z",
            "1985-03-12 00:00:00",
            "1985-03-12T00:00:00.000+01:00",
            "12/03/1985 00:00",
            " '12/03/1985' ",
            "12 mar. 1985",
        ] {
            assert_eq!(n(i).as_deref(), Ok("1985-03-12"), "{i}");
        }
        assert_eq!(n("1/2/1985").as_deref(), Ok("1985-02-01"));
        assert_eq!(n("29/02/2000").as_deref(), Ok("2000-02-29"));
        assert_eq!(n("01-02-05").as_deref(), Ok("2005-02-01"));
        assert_eq!(n("01-02-50").as_deref(), Ok("1950-02-01"));
        assert_eq!(n("20011985").as_deref(), Ok("1985-01-20"));
    }

    #[test]
    fn rejected_dates() {
        assert_eq!(n("31/02/1990"), Err(Reject::ImpossibleDate));
        assert_eq!(n("29/02/1991"), Err(Reject::ImpossibleDate));
        assert_eq!(n("00/01/1990"), Err(Reject::ImpossibleDate));
        assert_eq!(n("32/01/1990"), Err(Reject::ImpossibleDate));
        assert_eq!(n("12/13/1990"), Err(Reject::UsDate));
        assert_eq!(n("13/13/1990"), Err(Reject::ImpossibleDate));
        assert_eq!(n("03/25/1985"), Err(Reject::UsDate));
        assert_eq!(n("01/01/1899"), Err(Reject::DateOutOfRange));
        assert_eq!(n("01/01/2999"), Err(Reject::DateOutOfRange));
        assert_eq!(n("1985"), Err(Reject::PartialDate));
        assert_eq!(n("03/1985"), Err(Reject::PartialDate));
        assert_eq!(n("Mar 1985"), Err(Reject::PartialDate));
        assert_eq!(n("N/A"), Err(Reject::Empty));
        assert!(n("yesterday").is_err());
        assert!(n("12 Marmalade 1985").is_err());
        assert!(n("1/2/3/4").is_err());
        assert!(n("123/03/1985").is_err());
    }
}
