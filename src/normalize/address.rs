//! The first line of an address: folded like names (accents stripped, lower case), punctuation
//! to spaces, common abbreviations expanded (St/Street, Rd/Road, Ave/Avenue ...), flats written
//! one way ("Flat 3, 12 High St", "Apartment 3 12 High Street" and "3/12 High Street" all give
//! `flat 3 12 high street`), and a trailing postcode removed. "St" is "street" as the last word
//! and "saint" elsewhere ("12 St John's Rd" is `12 saint johns road`).

use super::{Reject, clean, name::fold_words, postcode::split_trailing};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

fn expand(word: &str, first: bool, last: bool) -> &str {
    match word {
        "st" if last => "street",
        "st" => "saint",
        "rd" => "road",
        "ave" | "av" => "avenue",
        "ln" => "lane",
        "dr" if last => "drive",
        "cl" => "close",
        "ct" => "court",
        "cres" | "cresc" => "crescent",
        "pl" => "place",
        "sq" => "square",
        "gdns" => "gardens",
        "gdn" => "garden",
        "tce" | "terr" => "terrace",
        "pk" => "park",
        "gr" | "grv" => "grove",
        "wy" => "way",
        "hse" => "house",
        "ho" if !first => "house",
        "blvd" => "boulevard",
        "apt" | "apartment" | "flt" => "flat",
        w => w,
    }
}

/// "3/12 High St" -> "flat 3 12 High St"; other text unchanged.
fn slash_flat(t: &str) -> Option<String> {
    let s = t.trim_start();
    let a_end = s.find(|c: char| !c.is_ascii_alphanumeric())?;
    let (a, rest) = s.split_at(a_end);
    let rest = rest.trim_start().strip_prefix('/')?.trim_start();
    let b_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if a.is_empty() || !a.as_bytes()[0].is_ascii_digit() || b_end == 0 {
        return None;
    }
    Some(format!("flat {a} {}", rest))
}

/// Normalises an address line.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = clean(input)?;
    if t.len() > 200 {
        return Err(Reject::Length("longer than 200 characters"));
    }
    let t = match split_trailing(t) {
        Some((before, _)) if !before.is_empty() => before,
        _ => t,
    };
    let owned;
    let t = match slash_flat(t) {
        Some(s) => {
            owned = s;
            owned.as_str()
        }
        None => t,
    };
    let mut folded = String::with_capacity(t.len());
    fold_words(t, &mut folded);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let n = words.len();
    let mut outw: Vec<String> = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let w = expand(words[i], i == 0, i + 1 == n);
        // "flat no 3", "flat number 3" -> "flat 3"
        if w == "flat" && i + 2 < n + 1 && matches!(words.get(i + 1), Some(&"no") | Some(&"number"))
        {
            outw.push("flat".into());
            i += 2;
            continue;
        }
        // "12 A" -> "12a"
        if w.len() == 1
            && w.as_bytes()[0].is_ascii_lowercase()
            && outw
                .last()
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && i + 1 < n
        {
            if let Some(p) = outw.last_mut() {
                p.push_str(w);
            }
            i += 1;
            continue;
        }
        outw.push(w.to_string());
        i += 1;
    }
    out.clear();
    out.push_str(&outw.join(" "));
    if !out.chars().any(char::is_alphabetic) {
        return Err(Reject::Shape("no street name"));
    }
    if !out.chars().any(|c| c.is_ascii_digit()) && outw.len() < 2 {
        return Err(Reject::Shape(
            "one word without a house number is not an address line",
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
    fn address_lines() {
        for (i, want) in [
            ("12 High Street", "12 high street"),
            ("12, HIGH ST.", "12 high street"),
            ("12 High St", "12 high street"),
            ("Flat 3, 12 High St", "flat 3 12 high street"),
            ("Flat 3 12 High Street", "flat 3 12 high street"),
            ("FLAT 3, 12 HIGH STREET", "flat 3 12 high street"),
            ("Apartment 3 12 High Street", "flat 3 12 high street"),
            ("Apt 3, 12 High St", "flat 3 12 high street"),
            ("Flat No. 3, 12 High St", "flat 3 12 high street"),
            ("3/12 High Street", "flat 3 12 high street"),
            ("4 Church Rd", "4 church road"),
            ("4 Church Road", "4 church road"),
            ("27a Station Road", "27a station road"),
            ("27 A Station Road", "27a station road"),
            ("12 St John's Rd", "12 saint johns road"),
            ("7 Mill Ln", "7 mill lane"),
            ("9 Park Ave", "9 park avenue"),
            ("1 Rose Gdns", "1 rose gardens"),
            ("Flat 2B, 7 Mill Lane", "flat 2b 7 mill lane"),
            ("12 Heol-y-Nant", "12 heolynant"),
            ("12 High Street, LS1 4AB", "12 high street"),
            ("Rose Cottage, Church Lane", "rose cottage church lane"),
            ("5 Ffordd Glyndŵr", "5 ffordd glyndwr"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
        for bad in ["12", "Leeds", "", "n/a", "12 14", "---"] {
            assert!(n(bad).is_err(), "{bad}");
        }
    }
}
