//! Tenancy references: upper case, separators (space - / . _) removed, then 4 to 20 letters
//! and digits with at least one digit and either a letter or at least 6 digits:
//! "TEN-001234" gives `TEN001234`, "t/2019/00451" gives `T201900451`. Leading zeros are kept.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

/// Normalises a tenancy reference.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = clean(input)?;
    out.clear();
    for c in t.chars() {
        match c {
            ' ' | '-' | '/' | '.' | '_' | '\u{a0}' => {}
            c if c.is_ascii_alphanumeric() && out.len() <= 20 => out.push(c.to_ascii_uppercase()),
            _ => return Err(Reject::Shape("letters and digits only")),
        }
    }
    if !(4..=20).contains(&out.len()) {
        return Err(Reject::Length(
            "a tenancy reference has 4 to 20 letters and digits",
        ));
    }
    let digits = out.bytes().filter(u8::is_ascii_digit).count();
    let letters = out.len() - digits;
    if digits == 0 || (letters == 0 && digits < 6) {
        return Err(Reject::Shape(
            "needs digits, and a letter or at least 6 digits",
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
            ("000123456", "000123456"),
            ("AB_12", "AB12"),
            (" ten-001234 ", "TEN001234"),
            ("TEN/0012/34", "TEN001234"),
            ("R 4455 01", "R445501"),
            ("\"TEN-001234\"", "TEN001234"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
        for bad in [
            "TEN",
            "12345",
            "ABC",
            "TEN-00#1",
            "A1",
            &"A1".repeat(11),
            "unknown",
            "TEN\u{2013}001234",
            "----",
        ] {
            assert!(n(bad).is_err(), "{bad}");
        }
    }
}
