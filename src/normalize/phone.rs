//! Telephone numbers in E.164. UK numbers in any common writing (`07700 900123`,
//! `+44 (0)7700 900123`, `447700900123`, `0044 7700 900123`, `(01632) 960123`) become
//! `+447700900123`; numbers given with `+` or `00` and another country code are kept as
//! `+digits` (8 to 15 digits). Extensions are ignored; letters and junk are rejected.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

/// Normalises a phone number to E.164.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    let mut t = clean(input)?;
    if t.len() > 40 {
        return Err(Reject::Length("too long for a phone number"));
    }
    if t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("tel:")) {
        t = t[4..].trim();
    }
    // Drop an extension: "ext 123", "ext. 12", "x123".
    let lower = t.to_ascii_lowercase();
    if let Some(i) = lower
        .find("ext")
        .or_else(|| lower.find(" x").or_else(|| lower.find('x')))
    {
        t = &t[..i];
    }
    let plus = t.trim_start().starts_with('+');
    let mut digits = String::with_capacity(16);
    for c in t.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' | '+' | '\u{a0}' => {}
            _ => return Err(Reject::Shape("letters or symbols in a phone number")),
        }
    }
    // "+44 (0)7700 ...": the (0) after the country code is not dialled.
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if (compact.starts_with("+44(0)")
        || compact.starts_with("0044(0)")
        || compact.starts_with("44(0)"))
        && let Some(pos) = digits.find("440")
        && (pos == 0 || (pos == 2 && digits.starts_with("00")))
    {
        digits.remove(pos + 2);
    }
    let national = if let Some(rest) = digits.strip_prefix("0044") {
        Some(rest.to_string())
    } else if plus || digits.starts_with("00") {
        let intl = digits.trim_start_matches("00");
        if let Some(rest) = intl.strip_prefix("44") {
            Some(rest.to_string())
        } else {
            if !(8..=15).contains(&intl.len()) || intl.starts_with('0') {
                return Err(Reject::Length("an international number has 8 to 15 digits"));
            }
            out.clear();
            out.push('+');
            out.push_str(intl);
            return Ok(());
        }
    } else if let Some(rest) = digits.strip_prefix('0') {
        Some(rest.to_string())
    } else if digits.starts_with("44") && (digits.len() == 11 || digits.len() == 12) {
        Some(digits[2..].to_string())
    } else {
        None
    };
    let Some(mut nat) = national else {
        return Err(Reject::Shape("not a UK number (no leading 0 or +44)"));
    };
    if let Some(rest) = nat.strip_prefix('0') {
        nat = rest.to_string();
    }
    if !(9..=10).contains(&nat.len()) {
        return Err(Reject::Length(
            "a UK number has 10 or 11 digits with its leading 0",
        ));
    }
    if !matches!(
        nat.as_bytes()[0],
        b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9'
    ) {
        return Err(Reject::Shape("not a UK number range"));
    }
    if nat.bytes().all(|b| b == nat.as_bytes()[0]) {
        return Err(Reject::Shape("all the same digit"));
    }
    out.clear();
    out.push_str("+44");
    out.push_str(&nat);
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
    fn uk_numbers() {
        for i in [
            "07700 900123",
            "07700900123",
            "+44 7700 900123",
            "+44 (0)7700 900123",
            "+44(0)7700-900-123",
            "447700900123",
            "00447700900123",
            "0044 7700 900123",
            "tel:+447700900123",
            "07700 900 123",
            "(07700) 900123",
            "07700.900.123",
            "+44 7700 900123 ext 12",
            "0044 (0)7700 900123",
        ] {
            assert_eq!(n(i).as_deref(), Ok("+447700900123"), "{i}");
        }
        assert_eq!(n("(01632) 960123").as_deref(), Ok("+441632960123"));
        assert_eq!(n("01632 960 123").as_deref(), Ok("+441632960123"));
        assert_eq!(n("020 7946 0123").as_deref(), Ok("+442079460123"));
        assert_eq!(n("0207 946 0123").as_deref(), Ok("+442079460123"));
        assert_eq!(n("+44 20 7946 0123").as_deref(), Ok("+442079460123"));
        assert_eq!(n("+1 (212) 555-0123").as_deref(), Ok("+12125550123"));
        assert_eq!(n("00353 1 234 5678").as_deref(), Ok("+35312345678"));
    }

    #[test]
    fn rejected_numbers() {
        for bad in [
            "0770",
            "077009001234567",
            "07700 9001AB",
            "00000000000",
            "12345678",
            "n/a",
            "+44 0",
            "0400 123456",
            "call me",
            "+1 23",
        ] {
            assert!(n(bad).is_err(), "{bad}");
        }
        assert_eq!(n(""), Err(Reject::Empty));
    }
}
