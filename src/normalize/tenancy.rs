//! Tenancy references: upper case, separators (whitespace, '-', '/', '.', '_') removed, then
//! 4 to 20 ASCII letters and digits with at least one digit, and at least one letter or at
//! least 6 digits. Leading zeros are kept: "TEN-001234" gives `TEN001234`, "t/2019/00451"
//! gives `T201900451`, "000123456" stays `000123456`. A reference of digits written as a
//! float by a spreadsheet or pandas ("123456.0") is the whole number (`123456`), not
//! `1234560`. One character repeated ("999999", "000000") is a placeholder.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 2;

/// Most letters and digits in a reference.
const MAX: usize = 20;

/// Normalises a tenancy reference.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    const LENGTH: Reject = Reject::Length("a tenancy reference has 4 to 20 letters and digits");
    out.clear();
    let t = clean(input)?;
    // "123456.0" only: "3E45" is a reference, not scientific notation.
    let float = if t.contains('.') && !t.contains(['e', 'E']) {
        super::whole_number(t).ok().flatten()
    } else {
        None
    };
    let t = float.as_deref().unwrap_or(t);
    let (mut digits, mut letters) = (0, 0);
    for c in t.chars() {
        match c {
            '0'..='9' => digits += 1,
            'A'..='Z' | 'a'..='z' => letters += 1,
            '-' | '/' | '.' | '_' => continue,
            c if c.is_whitespace() => continue,
            c => return Err(Reject::InvalidChar(c)),
        }
        if out.len() == MAX {
            return Err(LENGTH);
        }
        out.push(c.to_ascii_uppercase());
    }
    if out.len() < 4 {
        return Err(LENGTH);
    }
    if digits == 0 {
        return Err(Reject::Shape("a tenancy reference has digits"));
    }
    if out.bytes().all(|b| b == out.as_bytes()[0]) {
        return Err(Reject::Junk("one character repeated"));
    }
    if letters == 0 && digits < 6 {
        return Err(Reject::Shape(
            "a tenancy reference of digits only has at least 6",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        normalize(s, &mut o).map(|()| o)
    }

    #[test]
    fn references() {
        for (i, want) in [
            ("TEN-001234", "TEN001234"),
            ("ten001234", "TEN001234"),
            ("TEN 001234", "TEN001234"),
            ("t/2019/00451", "T201900451"),
            ("T.2019.00451", "T201900451"),
            ("T_2019_00451", "T201900451"),
            ("000123456", "000123456"),
            ("123456", "123456"),
            ("AB12", "AB12"),
            ("AB_12", "AB12"),
            (" ten-001234 ", "TEN001234"),
            ("\"TEN-001234\"", "TEN001234"),
            ("HA/1234/A", "HA1234A"),
            ("ten\u{a0}001234", "TEN001234"),
            ("12345678901234567890", "12345678901234567890"),
            ("TEN/0012/34", "TEN001234"),
            ("R 4455 01", "R445501"),
            // pandas wrote a column of numbers with gaps as floats.
            ("123456.0", "123456"),
            ("1234567.00", "1234567"),
            ("3E45", "3E45"),
            ("1E5678", "1E5678"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
        let length = Reject::Length("a tenancy reference has 4 to 20 letters and digits");
        for (bad, why) in [
            ("TEN", length.clone()),
            ("A1", length.clone()),
            ("A1A1A1A1A1A1A1A1A1A1A", length),
            ("ABCD", Reject::Shape("a tenancy reference has digits")),
            (
                "12345",
                Reject::Shape("a tenancy reference of digits only has at least 6"),
            ),
            ("TEN-00#1", Reject::InvalidChar('#')),
            ("TÉN001", Reject::InvalidChar('É')),
            ("999999", Reject::Junk("one character repeated")),
            ("0000-0000", Reject::Junk("one character repeated")),
            ("n/a", Reject::Empty),
            ("-", Reject::Empty),
            ("----", Reject::Empty),
            ("unknown", Reject::Empty),
            ("TEN\u{2013}001234", Reject::InvalidChar('\u{2013}')),
        ] {
            assert_eq!(n(bad), Err(why), "{bad}");
        }
    }
}
