//! Finding values in free text: e-mails, UK phones, NI numbers, postcodes, dates, sort code +
//! account, tenancy references, address lines and 2-3 word name windows, each with the token
//! position it starts at, so that the scan can combine values that stand close together.
//!
//! Candidates are deliberately generous: every candidate is normalised by the same normalisers
//! as table cells, and only keys found in the index (keyed Bloom filter, then HMAC) count, so a
//! wrong candidate costs a probe, not a false match.

use crate::normalize::{FieldKind, normalize};
use crate::roles::Role;

/// A value found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Token position where it starts.
    pub pos: usize,
    /// What it looks like.
    pub role: Role,
    /// The text as written.
    pub text: String,
}

/// Titles that may start a name window.
const TITLES: [&str; 9] = ["mr", "mrs", "ms", "miss", "mx", "dr", "rev", "sir", "dame"];

/// Words that end a street name in an address line.
const STREET_WORDS: [&str; 40] = [
    "road", "rd", "street", "st", "avenue", "ave", "lane", "ln", "close", "cl", "drive", "dr",
    "way", "court", "ct", "crescent", "cres", "place", "pl", "gardens", "gdns", "grove", "gr",
    "terrace", "tce", "walk", "hill", "park", "square", "sq", "row", "mews", "view", "rise",
    "green", "parade", "house", "estate", "wharf", "yard",
];

/// Words that are never part of a person's name in letters and notes (sentence openers):
/// they keep name windows fewer, not matching stricter. Months stay: April, June and May are
/// given names.
const NOT_NAMES: [&str; 21] = [
    "dear", "the", "this", "that", "your", "our", "we", "you", "and", "for", "from", "to", "of",
    "in", "on", "at", "by", "with", "re", "ref", "date",
];

/// Splits text into tokens (whitespace-separated, surrounding punctuation trimmed).
pub fn tokens(text: &str) -> Vec<&str> {
    let punct = |c: char| {
        matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '<' | '>' | '"' | '!' | '?' | '*'
        ) || c == '\u{201c}'
            || c == '\u{201d}'
    };
    text.split_whitespace()
        .map(|t| {
            t.trim_start_matches(punct)
                .trim_end_matches(|c| punct(c) || c == '.')
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// The e-mail address in a token around its '@', without what is joined to it by characters
/// an address cannot hold there: `mailto:a@b.com`, `user:a@b.com:password`, `a@b.com|pw`.
fn email_in(t: &str) -> &str {
    let stop = |c: char| matches!(c, ':' | '|' | '/' | '&' | ';' | ',' | '=' | '?' | '\\');
    let Some(at) = t.find('@') else { return t };
    let start = t[..at].rfind(stop).map_or(0, |i| i + 1);
    let end = t[at..].find(stop).map_or(t.len(), |i| at + i);
    &t[start..end]
}

fn ok(kind: FieldKind, s: &str) -> bool {
    normalize(kind, s).is_ok()
}

fn is_capitalised_word(t: &str) -> bool {
    let mut chars = t.chars();
    chars.next().is_some_and(|c| c.is_uppercase())
        && t.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '\u{2019}')
        && t.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

fn digits(t: &str) -> usize {
    t.chars().filter(char::is_ascii_digit).count()
}

/// Every candidate value in a text, in token order.
pub fn find(text: &str) -> Vec<Candidate> {
    let toks = tokens(text);
    let mut out = Vec::new();
    fn push(out: &mut Vec<Candidate>, pos: usize, role: Role, text: String) {
        out.push(Candidate { pos, role, text });
    }
    let n = toks.len();
    let join = |i: usize, k: usize| toks[i..(i + k).min(n)].join(" ");
    for i in 0..n {
        let t = toks[i];
        let lower = t.to_ascii_lowercase();
        // E-mail (mailto: and angle brackets already trimmed).
        if t.contains('@') {
            let e = email_in(t);
            if ok(FieldKind::Email, e) {
                push(&mut out, i, Role::Email, e.to_string());
            }
            continue;
        }
        let d = digits(t);
        // Postcode: "SW1A 1AA" over two tokens, or "SW1A1AA" in one.
        if i + 1 < n && (2..=4).contains(&t.len()) && d >= 1 && toks[i + 1].len() == 3 {
            let pc = join(i, 2);
            if ok(FieldKind::Postcode, &pc) {
                push(&mut out, i, Role::Postcode, pc);
            }
        } else if (5..=7).contains(&t.len()) && d >= 2 && ok(FieldKind::Postcode, t) {
            push(&mut out, i, Role::Postcode, t.to_string());
        }
        // NI number, written in one token or spaced ("QQ 12 34 56 C").
        if t.get(..2)
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_alphabetic()))
        {
            // Longest first, so a spaced suffix letter ("... 56 C") is kept.
            for k in (1..=5).rev() {
                if i + k > n {
                    continue;
                }
                let s: String = toks[i..i + k].concat();
                if (8..=9).contains(&s.len()) && digits(&s) == 6 && ok(FieldKind::Nino, &s) {
                    push(&mut out, i, Role::Nino, s);
                    break;
                }
            }
        }
        // Phone: up to four tokens of digits, '+', brackets, dashes.
        let phoneish =
            |s: &str| digits(s) > 0 && s.chars().all(|c| c.is_ascii_digit() || "+()-.".contains(c));
        if phoneish(t) && (t.starts_with('0') || t.starts_with('+') || t.starts_with("(0")) {
            let mut best = None;
            for k in 1..=4 {
                if i + k > n || !phoneish(toks[i + k - 1]) {
                    break;
                }
                let s = join(i, k);
                if (10..=13).contains(&digits(&s)) && ok(FieldKind::Phone, &s) {
                    best = Some(s);
                }
            }
            if let Some(s) = best {
                push(&mut out, i, Role::Phone, s);
            }
        }
        // Dates: one token (01/02/1980, 1980-02-01, 01.02.80) or three (1 May 1970,
        // May 1 1970, 1st May 1970).
        if d >= 4 && t.chars().any(|c| "/-.".contains(c)) && ok(FieldKind::Dob, t) {
            push(&mut out, i, Role::Dob, t.to_string());
        } else if i + 2 < n {
            let month = |w: &str| crate::normalize::dob::month_of(w).is_some();
            let (m0, m1) = (month(t), month(toks[i + 1]));
            if (m1 && d >= 1 && t.len() <= 4) || (m0 && digits(toks[i + 1]) >= 1) {
                let s = join(i, 3);
                if ok(FieldKind::Dob, &s) {
                    push(&mut out, i, Role::Dob, s);
                }
            }
        }
        // Sort code (12-34-56) with an 8-digit account within the next three tokens.
        if t.len() == 8 && d == 6 && t.matches('-').count() == 2 {
            for k in 1..=3 {
                if let Some(a) = toks.get(i + k)
                    && a.len() == 8
                    && digits(a) == 8
                {
                    push(&mut out, i, Role::SortCode, t.to_string());
                    push(&mut out, i, Role::AccountNumber, a.to_string());
                    break;
                }
            }
        }
        // Tenancy reference: letters and digits together (TEN-000123, CL/45/1234), unless the
        // token already reads as a postcode or NI number.
        let taken = out
            .iter()
            .rev()
            .take_while(|c| c.pos == i)
            .any(|c| matches!(c.role, Role::Postcode | Role::Nino));
        if !taken
            && d >= 1
            && t.len() >= 4
            && t.chars().any(|c| c.is_ascii_alphabetic())
            && d < t.len()
        {
            let clean: String = t.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            if clean.len() >= 4 && !t.contains('@') && ok(FieldKind::TenancyRef, t) {
                push(&mut out, i, Role::TenancyRef, t.to_string());
            }
        }
        // Address line: a house number (12, 12a, 3/4) then up to four words, the last a
        // street word ("12 Acacia Avenue", "Flat 3 Oak House").
        if d >= 1 && t.len() <= 5 && t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            for k in 2..=5 {
                if i + k > n {
                    break;
                }
                let last = toks[i + k - 1].to_ascii_lowercase();
                if !is_capitalised_word(toks[i + k - 1]) {
                    break;
                }
                if STREET_WORDS.contains(&last.as_str()) {
                    // Every reading ("77 Park", "77 Park Lane"): the index decides.
                    let start = if i >= 2 && toks[i - 2].eq_ignore_ascii_case("flat") {
                        i - 2
                    } else {
                        i
                    };
                    push(
                        &mut out,
                        start,
                        Role::AddressLine1,
                        toks[start..i + k].join(" "),
                    );
                }
            }
        }
        // Names: two or three capitalised words, optionally after a title.
        let title = TITLES.contains(&lower.as_str());
        let first = if title { i + 1 } else { i };
        if first < n && is_capitalised_word(toks[first]) && !is_stop(toks[first]) {
            for k in 2..=3 {
                let end = first + k;
                if end > n {
                    break;
                }
                if !toks[first..end]
                    .iter()
                    .all(|w| is_capitalised_word(w) && !is_stop(w))
                {
                    break;
                }
                push(&mut out, i, Role::FullName, toks[first..end].join(" "));
            }
        }
    }
    out
}

/// Street words (Green, Hill, Park, Lane...) are also surnames, so they stay in name windows.
fn is_stop(w: &str) -> bool {
    NOT_NAMES.contains(&w.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(Role, String)> {
        find(text).into_iter().map(|c| (c.role, c.text)).collect()
    }

    #[test]
    fn finds_strong_values_in_a_letter() {
        let r = roles(
            "Dear Mrs Mary O'Brien, of 12 Acacia Avenue, London SW1A 1AA. \
             Your email mary.obrien@example.com, mobile +44 (0)7700 900 123, \
             NI number AB 12 34 57 C, born 1st May 1970 (also written 01/05/1970). \
             Bank 20-00-00 account 12345678, tenancy TEN-000123.",
        );
        let has = |role: Role, v: &str| r.iter().any(|(x, t)| *x == role && t == v);
        assert!(has(Role::Email, "mary.obrien@example.com"), "{r:?}");
        assert!(has(Role::Postcode, "SW1A 1AA"), "{r:?}");
        assert!(has(Role::Nino, "AB123457C"), "{r:?}");
        assert!(has(Role::Dob, "1st May 1970"), "{r:?}");
        assert!(has(Role::Dob, "01/05/1970"), "{r:?}");
        assert!(has(Role::SortCode, "20-00-00"), "{r:?}");
        assert!(has(Role::AccountNumber, "12345678"), "{r:?}");
        assert!(has(Role::TenancyRef, "TEN-000123"), "{r:?}");
        // A postcode's outward part is not also read as a tenancy reference.
        assert!(!has(Role::TenancyRef, "SW1A"), "{r:?}");
        assert!(has(Role::AddressLine1, "12 Acacia Avenue"), "{r:?}");
        assert!(has(Role::FullName, "Mary O'Brien"), "{r:?}");
        assert!(
            r.iter()
                .any(|(x, t)| *x == Role::Phone && t.contains("7700")),
            "{r:?}"
        );
    }

    #[test]
    fn name_windows_skip_sentence_words_but_keep_street_surnames() {
        let r = roles("The Housing Officer met John Paul Smith on Acacia Avenue with Bethan Green");
        let names: Vec<&str> = r
            .iter()
            .filter(|(x, _)| *x == Role::FullName)
            .map(|(_, t)| t.as_str())
            .collect();
        assert!(names.contains(&"John Paul"));
        assert!(names.contains(&"John Paul Smith"));
        assert!(names.contains(&"Paul Smith"));
        assert!(!names.iter().any(|n| n.contains(" on")), "{names:?}");
        // "Green" and "Hill" are surnames too: street words stay in name windows.
        assert!(names.contains(&"Bethan Green"), "{names:?}");
        // Months are given names too.
        let r = roles("Visited April Jones and May Lee on 3 June 2024");
        let names: Vec<&str> = r
            .iter()
            .filter(|(x, _)| *x == Role::FullName)
            .map(|(_, t)| t.as_str())
            .collect();
        assert!(
            names.contains(&"April Jones") && names.contains(&"May Lee"),
            "{names:?}"
        );
        assert!(
            r.iter().any(|(x, t)| *x == Role::Dob && t == "3 June 2024"),
            "{r:?}"
        );
        assert!(!names.iter().any(|n| n.starts_with("The")), "{names:?}");
    }

    #[test]
    fn invalid_shapes_are_not_candidates() {
        let r = roles("call 0123 on 31/02/1990, ref 12345, postcode AB12, NI QQ123456");
        assert!(
            !r.iter()
                .any(|(x, _)| matches!(x, Role::Phone | Role::Dob | Role::Postcode | Role::Nino)),
            "{r:?}"
        );
    }

    #[test]
    fn emails_joined_to_other_text_are_found() {
        for (text, want) in [
            (
                "user1:pass1\njack.edwards5@icloud.com:secret",
                "jack.edwards5@icloud.com",
            ),
            ("s@example.com|pw", "s@example.com"),
            ("login:mary@x.org:hunter2", "mary@x.org"),
            ("mailto:zoe@example.org?subject=rent", "zoe@example.org"),
            (
                "https://site/a&email=ann@example.co.uk&x=1",
                "ann@example.co.uk",
            ),
        ] {
            let found: Vec<_> = find(text)
                .into_iter()
                .filter(|c| c.role == Role::Email)
                .map(|c| c.text)
                .collect();
            assert_eq!(found, [want], "{text}");
        }
    }

    #[test]
    fn tokens_trim_punctuation() {
        assert_eq!(
            tokens("(Mary), <a@b.com>; \u{201c}Smith.\u{201d}"),
            ["Mary", "a@b.com", "Smith"]
        );
    }

    proptest::proptest! {
        /// Any text (any Unicode, any punctuation) is searched without a panic, and every
        /// candidate's position is a token of the text.
        #[test]
        fn any_text_is_searched_without_panic(text in "\\PC{0,200}") {
            let n = tokens(&text).len();
            for c in find(&text) {
                proptest::prop_assert!(c.pos < n.max(1));
            }
        }
        #[test]
        fn letter_like_text_is_searched_without_panic(
            words in proptest::collection::vec("[A-Za-z0-9@./()+:-]{1,12}", 0..60)
        ) {
            let _ = find(&words.join(" "));
        }
    }
}
