//! Bank details: sort code and account number (a bank key is the two together).
//!
//! - [`sort_code`]: 6 digits, written `12-34-56`, `12 34 56`, `12.34.56` or `123456`, output
//!   `123456`. Separators ('-', '.', whitespace), when present, must split the digits 2-2-2.
//!   Rejected: other lengths, letters, other groupings, and `00-00-00`.
//! - [`account_number`]: digits after removing whitespace, dashes and dots; 8 digits are kept as
//!   they are, 7 digits get one leading `0` and 6 digits two (UK practice for short account
//!   numbers), output 8 digits. Rejected: 9 or more digits ("123456789"), fewer than 6,
//!   letters, and one digit repeated ("00000000", "11111111": placeholders).
//! - Spreadsheet damage is undone: a number written as a float ("1234567.0", "123456.0") is
//!   read as the whole number, and a sort code of 5 digits with no separators ("40004") lost
//!   its leading 0 when stored as a number (Monzo's 04-00-04), so it gets it back.
//! - [`uk_iban`]: a UK IBAN ("GB29 NWBK 6016 1331 9268 19", check digits verified) holds the
//!   sort code and account number, and gives the same 14 digits as the two columns together.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 2;

fn is_sep(c: char) -> bool {
    matches!(c, '-' | '.') || c.is_whitespace() || matches!(c, '\u{2010}'..='\u{2015}')
}

/// Normalises a sort code to 6 digits.
pub fn sort_code(input: &str, out: &mut String) -> Result<(), Reject> {
    const LENGTH: Reject = Reject::Length("a sort code has 6 digits");
    const GROUPS: Reject = Reject::Shape("a sort code is written 12-34-56");
    out.clear();
    let t = clean(input)?;
    let float = super::whole_number(t)?;
    let t = float.as_deref().unwrap_or(t);
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
    if out.len() == 5 && g == 1 {
        // Stored as a number, "04-00-04" became 40004.
        out.insert(0, '0');
    }
    if out.len() != 6 {
        return Err(LENGTH);
    }
    if !(g == 1 || (g == 3 && runs[..3] == [2, 2, 2])) {
        return Err(GROUPS);
    }
    junk(out.as_bytes())
}

/// One digit repeated ("000000", "11111111") is a placeholder, not bank details.
fn junk(d: &[u8]) -> Result<(), Reject> {
    match d.split_first() {
        Some((&b'0', rest)) if rest.iter().all(|&x| x == b'0') => Err(Reject::Junk("all zeros")),
        Some((&f, rest)) if rest.iter().all(|&x| x == f) => Err(Reject::Junk("one digit repeated")),
        _ => Ok(()),
    }
}

/// Reads the sort code and account number out of a UK IBAN (`GBkk BBBB SSSSSS AAAAAAAA`, check
/// digits verified) as the 14 digits a bank key is made of. An IBAN of another country holds
/// no UK bank details: it gives [`Reject::Empty`] (nothing to match, and nothing wrong).
pub fn uk_iban(input: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    let t = clean(input)?;
    if !crate::dump::sensitive::is_iban(t) {
        return Err(Reject::Shape("not an IBAN (wrong shape or check digits)"));
    }
    let compact: Vec<u8> = t
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if !compact.starts_with(b"GB") {
        return Err(Reject::Empty);
    }
    if compact.len() != 22 || !compact[8..].iter().all(u8::is_ascii_digit) {
        return Err(Reject::Shape(
            "a UK IBAN is GB, 2 check digits, 4 letters, 14 digits",
        ));
    }
    out.extend(compact[8..].iter().map(|&b| char::from(b)));
    junk(&compact[14..])
}

/// Normalises an account number to 8 digits (6 and 7 digits are left-padded with zeros).
pub fn account_number(input: &str, out: &mut String) -> Result<(), Reject> {
    const LENGTH: Reject = Reject::Length("an account number has 8 digits (or 6 or 7)");
    out.clear();
    let t = clean(input)?;
    let float = super::whole_number(t)?;
    let t = float.as_deref().unwrap_or(t);
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
    junk(d)?;
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
        // Spreadsheet damage: a lost leading 0, a float.
        assert_eq!(sc("40004").as_deref(), Ok("040004"));
        assert_eq!(sc("40004.0").as_deref(), Ok("040004"));
        assert_eq!(sc("404784.0").as_deref(), Ok("404784"));
        assert_eq!(
            sc("4-00-04"),
            Err(Reject::Length("a sort code has 6 digits"))
        );
        let groups = Reject::Shape("a sort code is written 12-34-56");
        let length = Reject::Length("a sort code has 6 digits");
        for (bad, why) in [
            ("12-34-5", length.clone()),
            ("1234567", length.clone()),
            ("1234", length.clone()),
            ("12-345-6", groups.clone()),
            ("1234-56", groups.clone()),
            ("12-34-56-78", length),
            ("1-23-456", groups.clone()),
            ("ab-cd-ef", Reject::InvalidChar('a')),
            ("12/34/56", Reject::InvalidChar('/')),
            ("00-00-00", Reject::Junk("all zeros")),
            ("11-11-11", Reject::Junk("one digit repeated")),
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
            ("1234567.0", "01234567"),
            ("123456.0", "00123456"),
            ("12345678.00", "12345678"),
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
            ("11111111", Reject::Junk("one digit repeated")),
            ("n/a", Reject::Empty),
        ] {
            assert_eq!(acc(bad), Err(why), "{bad}");
        }
    }

    #[test]
    fn uk_ibans_give_sort_code_and_account() {
        let iban = |s: &str| {
            let mut o = String::new();
            uk_iban(s, &mut o).map(|()| o)
        };
        for i in [
            "GB29NWBK60161331926819",
            "GB29 NWBK 6016 1331 9268 19",
            "gb29nwbk60161331926819",
        ] {
            assert_eq!(iban(i).as_deref(), Ok("60161331926819"), "{i}");
        }
        // The same bank key as the two columns.
        let (mut s, mut a) = (String::new(), String::new());
        sort_code("60-16-13", &mut s).unwrap();
        account_number("31926819", &mut a).unwrap();
        assert_eq!(iban("GB29NWBK60161331926819").unwrap(), format!("{s}{a}"));
        assert!(matches!(
            iban("GB28NWBK60161331926819"),
            Err(Reject::Shape(_))
        ));
        assert_eq!(iban("DE89370400440532013000"), Err(Reject::Empty));
        assert_eq!(iban("n/a"), Err(Reject::Empty));
    }
}
