//! Bank details: sort code (6 digits, written `12-34-56`, `12 34 56`, `12.34.56` or `123456`)
//! and account number (8 digits; 7 and 6 digits are left-padded with zeros as UK banks do;
//! 9 or more digits are rejected). A bank key is sort code + account together.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

fn digits_only(t: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    for c in t.chars() {
        match c {
            '0'..='9' if out.len() < 20 => out.push(c),
            ' ' | '-' | '.' | '\u{a0}' => {}
            _ => return Err(Reject::Shape("letters or symbols in a bank number")),
        }
    }
    Ok(())
}

/// Normalises a sort code to 6 digits.
pub fn sort_code(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = clean(input)?;
    digits_only(t, out)?;
    if out.len() != 6 {
        return Err(Reject::Length("a sort code has 6 digits"));
    }
    // Separators, if any, must split 2-2-2.
    let groups: Vec<usize> = t
        .split(['-', ' ', '.'])
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    if groups.len() > 1 && groups != [2, 2, 2] {
        return Err(Reject::Shape("a sort code is written 12-34-56"));
    }
    Ok(())
}

/// Normalises an account number to 8 digits.
pub fn account_number(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = clean(input)?;
    digits_only(t, out)?;
    match out.len() {
        8 => {}
        6 | 7 => {
            let pad = 8 - out.len();
            out.insert_str(0, &"0".repeat(pad));
        }
        _ => return Err(Reject::Length("an account number has 8 digits (or 6 or 7)")),
    }
    if out.bytes().all(|b| b == b'0') {
        return Err(Reject::Shape("all zeros"));
    }
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
            "12 - 34 - 56",
            "12\u{a0}34\u{a0}56",
        ] {
            assert_eq!(sc(i).as_deref(), Ok("123456"), "{i}");
        }
        assert_eq!(sc("00-00-01").as_deref(), Ok("000001"));
        for bad in [
            "12-34-5",
            "1234567",
            "12-345-6",
            "ab-cd-ef",
            "12/34/56",
            "",
            "1-23-456",
            "12-34-56-78",
            "N/A",
        ] {
            assert!(sc(bad).is_err(), "{bad}");
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
            (" 87654321 ", "87654321"),
            ("\"12345678\"", "12345678"),
            ("12.34.56.78", "12345678"),
            ("00012345", "00012345"),
        ] {
            assert_eq!(acc(i).as_deref(), Ok(want), "{i}");
        }
        for bad in [
            "123456789",
            "12345",
            "1234567a",
            "00000000",
            "n/a",
            "1234567890",
            "GB29NWBK60161331926819",
            "12345678/9",
        ] {
            assert!(acc(bad).is_err(), "{bad}");
        }
        assert_eq!(
            acc("123456789"),
            Err(Reject::Length("an account number has 8 digits (or 6 or 7)"))
        );
    }
}
