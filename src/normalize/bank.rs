//! Bank details: sort code and account number (a bank key is the two together).
//!
//! - [`sort_code`]: 6 digits, written `12-34-56`, `12 34 56`, `12.34.56` or `123456`, output
//!   `123456`. Separators ('-', '.', whitespace), when present, must split the digits 2-2-2.
//!   Rejected: other lengths, letters, other groupings, and `00-00-00`.
//! - [`account_number`]: digits after removing whitespace, dashes and dots; 8 digits are kept as
//!   they are, 7 digits get one leading `0` and 6 digits two (UK practice for short account
//!   numbers), output 8 digits. Rejected: 9 or more digits ("123456789"), fewer than 6,
//!   letters, and all zeros.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

fn is_sep(c: char) -> bool {
    matches!(c, '-' | '.') || c.is_whitespace() || matches!(c, '\u{2010}'..='\u{2015}')
}

/// Normalises a sort code to 6 digits.
pub fn sort_code(input: &str, out: &mut String) -> Result<(), Reject> {
    const LENGTH: Reject = Reject::Length("a sort code has 6 digits");
    const GROUPS: Reject = Reject::Shape("a sort code is written 12-34-56");
    out.clear();
    let t = clean(input)?;
    // Lengths of the digit runs between separators (a fourth run marks a bad grouping).
    let mut runs = [0usize; 4];
    let mut g = 0;
    let mut run = 0;
    for c in t.chars() {
        if c.is_ascii_digit() {
            if out.len() == 6 {
                return Err(LENGTH);
            }
            out.push(c);
            run += 1;
        } else if is_sep(c) {
            if run > 0 {
                runs[g.min(3)] = run;
                g += 1;
                run = 0;
            }
        } else {
            return Err(Reject::InvalidChar(c));
        }
    }
    if run > 0 {
        runs[g.min(3)] = run;
        g += 1;
    }
    if out.len() != 6 {
        return Err(LENGTH);
    }
    if !(g == 1 || (g == 3 && runs[..3] == [2, 2, 2])) {
        return Err(GROUPS);
    }
    if out.bytes().all(|b| b == b'0') {
        return Err(Reject::Junk("all zeros"));
    }
    Ok(())
}

/// Normalises an account number to 8 digits (6 and 7 digits are left-padded with zeros).
pub fn account_number(input: &str, out: &mut String) -> Result<(), Reject> {
    const LENGTH: Reject = Reject::Length("an account number has 8 digits (or 6 or 7)");
    out.clear();
    let t = clean(input)?;
    let mut digits = [0u8; 8];
    let mut n = 0;
    for c in t.chars() {
        if c.is_ascii_digit() {
            if n == 8 {
                return Err(LENGTH);
            }
            digits[n] = c as u8;
            n += 1;
        } else if is_sep(c) {
        } else {
            return Err(Reject::InvalidChar(c));
        }
    }
    if n < 6 {
        return Err(LENGTH);
    }
    let d = &digits[..n];
    if d.iter().all(|&b| b == b'0') {
        return Err(Reject::Junk("all zeros"));
    }
    for _ in n..8 {
        out.push('0');
    }
    out.extend(d.iter().map(|&b| char::from(b)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        sort_code(s, &mut o).map(|()| o)
    }
    fn acc(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        account_number(s, &mut o).map(|()| o)
    }

    #[test]
    fn sort_codes() {
        for i in [
            "12-34-56",
            "12 34 56",
            "123456",
            "12.34.56",
            " 12-34-56 ",
            "\"12-34-56\"",
            "'123456",
            "12 - 34 - 56",
            "12\u{a0}34\u{a0}56",
            "12\u{2013}34\u{2013}56",
            "12-34 56",
        ] {
            assert_eq!(sc(i).as_deref(), Ok("123456"), "{i}");
        }
        assert_eq!(sc("40-47-84").as_deref(), Ok("404784"));
        assert_eq!(sc("01-02-03").as_deref(), Ok("010203"));
        assert_eq!(sc("00-00-01").as_deref(), Ok("000001"));
        let groups = Reject::Shape("a sort code is written 12-34-56");
        let length = Reject::Length("a sort code has 6 digits");
        for (bad, why) in [
            ("12-34-5", length.clone()),
            ("1234567", length.clone()),
            ("12345", length.clone()),
            ("12-345-6", groups.clone()),
            ("1234-56", groups.clone()),
            ("12-34-56-78", length),
            ("1-23-456", groups.clone()),
            ("ab-cd-ef", Reject::InvalidChar('a')),
            ("12/34/56", Reject::InvalidChar('/')),
            ("00-00-00", Reject::Junk("all zeros")),
            ("", Reject::Empty),
            ("N/A", Reject::Empty),
        ] {
            assert_eq!(sc(bad), Err(why), "{bad}");
        }
    }

    #[test]
    fn account_numbers() {
        for (i, want) in [
            ("12345678", "12345678"),
            ("1234 5678", "12345678"),
            ("1234-5678", "12345678"),
            ("1234567", "01234567"),
            ("123456", "00123456"),
            ("01234567", "01234567"),
            ("00123456", "00123456"),
            (" 87654321 ", "87654321"),
            ("\"87654321\"", "87654321"),
            ("'01234567", "01234567"),
            ("8765\u{a0}4321", "87654321"),
            ("12 34 56 78", "12345678"),
            ("000001", "00000001"),
            ("12.34.56.78", "12345678"),
            ("00012345", "00012345"),
        ] {
            assert_eq!(acc(i).as_deref(), Ok(want), "{i}");
        }
        let length = Reject::Length("an account number has 8 digits (or 6 or 7)");
        for (bad, why) in [
            ("123456789", length.clone()),
            ("1234567890", length.clone()),
            ("12345", length.clone()),
            ("1", length),
            ("1234567a", Reject::InvalidChar('a')),
            ("1234/5678", Reject::InvalidChar('/')),
            ("12345678/9", Reject::InvalidChar('/')),
            ("GB29NWBK60161331926819", Reject::InvalidChar('G')),
            ("00000000", Reject::Junk("all zeros")),
            ("000000", Reject::Junk("all zeros")),
            ("n/a", Reject::Empty),
        ] {
            assert_eq!(acc(bad), Err(why), "{bad}");
        }
    }
}
