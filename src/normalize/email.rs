//! E-mail addresses.
//!
//! [`normalize`]: trimmed; `mailto:`, surrounding angle brackets, quotes and stray `,`/`;`
//! removed; a display name dropped ("John Smith <john@x.com>" → `john@x.com`); lower case.
//! The result must have exactly one `@`, a local part of 1 to 64 characters from the RFC 5322
//! "atext" set (letters, digits and ``!#$%&'*+/=?^_`{|}~.-``, no leading, trailing or double
//! dot), and a domain of dot-separated labels (letters, digits, inner hyphens; at least two
//! labels; a top-level label of two or more letters or an `xn--` label). A trailing dot on the
//! domain is removed. Spaces and non-ASCII characters are rejected.
//!
//! Labels and notes around the address are dropped: a label of known words in front, ending
//! with ':' or a space, perhaps with a dash between spaces ("Email: amy@x.com", "E-mail - ",
//! "work: ", "Personal email: "; the words of `LABEL_WORDS`); a note in round or square
//! brackets after or before the address, holding a letter and no digit or '@' ("amy@x.com
//! (personal)", "[work] amy@x.com"); and a word of `NOTE_WORDS` after a space ("amy@x.com
//! personal"). A note that puts the address in doubt ("(old)", "(bounced)", "(not in use)")
//! is kept, so the address stays rejected, and so is any other word ("Partner: amy@x.com").
//! A cell holding two addresses ("amy@x.com; bob@y.com") is still rejected here: the scan
//! splits such a cell and reads each address.
//!
//! Placeholders that systems put where there is no e-mail ("noemail@noemail.com",
//! "none@none.com", "no@email.com", "donotreply@...", "unknown@...") are [`Reject::Junk`]: a
//! local part or a first domain label from a fixed list. Such a value shared by many tenants
//! would otherwise confirm strangers as each of them.
//!
//! [`folded`], a second key kind: as [`normalize`], then the `+tag` removed from the local part
//! for every domain, and for Gmail (gmail.com, googlemail.com) the dots of the local part
//! removed and googlemail.com mapped to gmail.com, so "John.Smith+leak@GoogleMail.com" folds
//! to `johnsmith@gmail.com`.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 5;

/// Longest input considered, in bytes.
const MAX_INPUT: usize = 320;

/// Bytes allowed in a local part (RFC 5322 atext and the dot), as a table: the check runs on
/// every e-mail of every dump row.
const LOCAL_OK: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let extra = b"!#$%&'*+/=?^_`{|}~.-";
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
};

fn local_char_ok(b: u8) -> bool {
    LOCAL_OK[usize::from(b)]
}

/// Whether a byte is ASCII whitespace as `char::is_whitespace` sees it (vertical tab included).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The first character of `s` that is not ASCII, if any.
fn invalid_non_ascii(s: &str) -> Option<char> {
    s.chars().find(|c| !c.is_ascii())
}

fn check_local(local: &str) -> Result<(), Reject> {
    if local.is_empty() {
        return Err(Reject::Shape("nothing before the @"));
    }
    if local.len() > 64 {
        return Err(Reject::Length("more than 64 characters before the @"));
    }
    if let Some(b) = local.bytes().find(|&b| !local_char_ok(b)) {
        return Err(Reject::InvalidChar(
            invalid_non_ascii(local).unwrap_or(char::from(b)),
        ));
    }
    if local.starts_with('.')
        || local.ends_with('.')
        || memchr::memmem::find(local.as_bytes(), b"..").is_some()
    {
        return Err(Reject::Shape("misplaced dot before the @"));
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), Reject> {
    if domain.len() > 253 {
        return Err(Reject::Length("a domain of more than 253 characters"));
    }
    if let Some(b) = domain
        .bytes()
        .find(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'.'))
    {
        return Err(Reject::InvalidChar(
            invalid_non_ascii(domain).unwrap_or(char::from(b)),
        ));
    }
    let mut labels = 0;
    let mut last: &[u8] = b"";
    for label in domain.as_bytes().split(|&b| b == b'.') {
        if label.is_empty() || label.len() > 63 || label[0] == b'-' || label.ends_with(b"-") {
            return Err(Reject::Shape("invalid domain"));
        }
        labels += 1;
        last = label;
    }
    let tld_ok = (last.len() >= 2 && last.iter().all(|b| b.is_ascii_alphabetic()))
        || (last.len() > 4 && last[..4].eq_ignore_ascii_case(b"xn--"));
    if labels < 2 || !tld_ok {
        return Err(Reject::Shape("invalid domain"));
    }
    Ok(())
}

/// What a placeholder address gives: a [`Reject::Junk`], so that one in the tenants file is
/// listed in `tenant_rejects.csv` (the tenant has no e-mail to match).
const PLACEHOLDER: Reject = Reject::Junk("an address that means no e-mail");

/// Local parts that mean "no e-mail" (lower case).
const PLACEHOLDER_LOCALS: [&str; 24] = [
    "noemail",
    "nomail",
    "none",
    "no",
    "na",
    "nil",
    "null",
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "dontreply",
    "unknown",
    "notknown",
    "noaddress",
    "noemailaddress",
    "notprovided",
    "notgiven",
    "refused",
    "declined",
    "dummy",
    "fake",
    "test",
];

/// First domain labels that mean "no e-mail" (lower case).
const PLACEHOLDER_DOMAINS: [&str; 9] = [
    "noemail",
    "nomail",
    "none",
    "noemailaddress",
    "noaddress",
    "unknown",
    "notknown",
    "invalid",
    "donotreply",
];

/// Whether a normalised (lower-case) address is a placeholder for "no e-mail".
fn is_placeholder_address(addr: &str) -> bool {
    // Bytewise: this runs on every e-mail of every dump row.
    let b = addr.as_bytes();
    let Some(at) = memchr::memchr(b'@', b) else {
        return false;
    };
    let local = &addr[..at];
    let label_len = b[at + 1..]
        .iter()
        .position(|&c| c == b'.')
        .unwrap_or(b.len() - at - 1);
    let first_label = &addr[at + 1..at + 1 + label_len];
    (local.len() <= 14 && PLACEHOLDER_LOCALS.contains(&local))
        || (first_label.len() <= 14 && PLACEHOLDER_DOMAINS.contains(&first_label))
        // "email@email.com", "x@x.com", "test@test.co.uk": typed in to fill a form.
        || local.eq_ignore_ascii_case(first_label)
}

/// Words of a label in front of an address ("Email: ", "E-mail - ", "Work email: "), compared
/// ignoring ASCII case.
const LABEL_WORDS: [&str; 15] = [
    "email",
    "e-mail",
    "mail",
    "address",
    "addr",
    "work",
    "home",
    "personal",
    "private",
    "main",
    "primary",
    "business",
    "office",
    "contact",
    "preferred",
];

/// Words that note what an address is when written after it ("amy@x.com personal"), compared
/// ignoring ASCII case.
const NOTE_WORDS: [&str; 9] = [
    "work",
    "home",
    "personal",
    "private",
    "main",
    "primary",
    "business",
    "office",
    "preferred",
];

/// `t` without labels and notes: a note in brackets at either end, a word of [`NOTE_WORDS`]
/// after the address, a label of [`LABEL_WORDS`] in front; several in turn.
fn drop_notes(mut t: &str) -> &str {
    // An address alone holds no space, ':' or bracket: the common case returns at once.
    if !t
        .bytes()
        .any(|b| is_ascii_space(b) || matches!(b, b':' | b'(' | b'[') || !b.is_ascii())
    {
        return t;
    }
    for _ in 0..4 {
        let rest = super::strip_bracket_note(t, true, super::is_note)
            .or_else(|| super::strip_trailing_word(t, &NOTE_WORDS))
            .unwrap_or_else(|| super::strip_label(t, &LABEL_WORDS, 3));
        if rest.len() == t.len() {
            break;
        }
        t = strip(rest);
    }
    t
}

/// Trims whitespace, angle brackets, quotes and stray list separators.
fn strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ',' | ';'))
}

/// Normalises an e-mail address (see the module documentation).
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    let mut t = clean(input)?;
    // Zero-width spaces and the like, pasted in from web pages and chat apps, are not part of
    // the address.
    let visible: String;
    if !t.is_ascii() && t.chars().any(super::is_invisible) {
        visible = t.chars().filter(|&c| !super::is_invisible(c)).collect();
        t = &visible;
    }
    if t.len() > MAX_INPUT {
        return Err(Reject::Length("too long for an e-mail address"));
    }
    // "John Smith <john@x.com>": keep what is inside the last pair of angle brackets.
    if let Some(close) = memchr::memrchr(b'>', t.as_bytes())
        && let Some(open) = memchr::memrchr(b'<', &t.as_bytes()[..close])
    {
        t = &t[open + 1..close];
    }
    t = drop_notes(strip(t));
    if t.len() >= 7 && t.as_bytes()[..7].eq_ignore_ascii_case(b"mailto:") {
        t = strip(&t[7..]);
    }
    if t.is_empty() {
        return Err(Reject::Empty);
    }
    let Some(at) = memchr::memchr(b'@', t.as_bytes()) else {
        return Err(Reject::Shape("no @"));
    };
    let (local, domain) = (&t[..at], &t[at + 1..]);
    if memchr::memchr(b'@', domain.as_bytes()).is_some() {
        return Err(Reject::Shape("more than one @"));
    }
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    // Whitespace is reported before any other bad character; ASCII is checked bytewise.
    if let Some(i) = t.bytes().position(|b| is_ascii_space(b) || !b.is_ascii()) {
        let c = if t.as_bytes()[i].is_ascii() {
            Some(char::from(t.as_bytes()[i]))
        } else {
            t[i..].chars().find(|c| c.is_whitespace())
        };
        if let Some(c) = c {
            return Err(Reject::InvalidChar(c));
        }
    }
    check_local(local)?;
    check_domain(domain)?;
    out.reserve(local.len() + domain.len() + 1);
    out.push_str(local);
    out.push('@');
    out.push_str(domain);
    out.make_ascii_lowercase();
    if is_placeholder_address(out) {
        out.clear();
        return Err(PLACEHOLDER);
    }
    Ok(())
}

/// Normalises, then folds: `+tag` removed (every domain); for gmail.com and googlemail.com the
/// local part's dots removed and the domain written gmail.com.
pub fn folded(input: &str, out: &mut String) -> Result<(), Reject> {
    normalize(input, out)?;
    fold_in_place(out)
}

/// [`folded`] of an address already normalised by [`normalize`]: the scan normalises each
/// e-mail once and folds the result, instead of normalising it twice.
pub fn fold(normalized: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    out.push_str(normalized);
    fold_in_place(out)
}

fn fold_in_place(out: &mut String) -> Result<(), Reject> {
    let Some(at) = memchr::memchr(b'@', out.as_bytes()) else {
        return Err(Reject::Shape("no @"));
    };
    let gmail = matches!(&out[at + 1..], "gmail.com" | "googlemail.com");
    let local_end = memchr::memchr(b'+', &out.as_bytes()[..at]).unwrap_or(at);
    if local_end == 0 {
        return Err(Reject::Shape(
            "nothing before the @ once the +tag is removed",
        ));
    }
    if gmail {
        out.truncate(local_end);
        out.retain(|c| c != '.');
        if out.is_empty() {
            return Err(Reject::Shape(
                "nothing before the @ once the dots are removed",
            ));
        }
        out.push_str("@gmail.com");
    } else {
        // The input passed `check_local`, so its prefix before the `+` can only fail by
        // ending in a dot ("john.+tag@x.com").
        if out[..local_end].ends_with('.') {
            return Err(Reject::Shape("misplaced dot before the @"));
        }
        out.replace_range(local_end..at, "");
    }
    if is_placeholder_address(out) {
        return Err(PLACEHOLDER);
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    #[test]
    fn placeholder_addresses_are_refused() {
        for p in [
            "noemail@noemail.com",
            "NONE@NONE.COM",
            "no@email.com",
            "donotreply@example.org",
            "unknown@unknown.co.uk",
            "jo@noemail.co.uk",
            "email@email.com",
            "X@x.com",
            "test@TEST.co.uk",
        ] {
            assert_eq!(n(p), Err(PLACEHOLDER), "{p}");
        }
        assert_eq!(f("no+x@email.com"), Err(PLACEHOLDER));
        assert_eq!(n("noel@example.org").as_deref(), Ok("noel@example.org"));
        assert_eq!(
            n("nonesuch@none-such.com").as_deref(),
            Ok("nonesuch@none-such.com")
        );
    }

    #[test]
    fn invisible_characters_inside_an_address_are_skipped() {
        for raw in [
            "jo.bloggs\u{200B}@example.org",
            "jo\u{200C}.bloggs@exam\u{2060}ple.org",
            "\u{FEFF}jo.bloggs@example.org\u{200E}",
            "jo.bl\u{AD}oggs@example.org",
        ] {
            assert_eq!(n(raw).as_deref(), Ok("jo.bloggs@example.org"), "{raw:?}");
        }
        // A visible non-ASCII space is still a broken address.
        assert!(n("jo bloggs\u{A0}@example.org").is_err());
    }

    #[test]
    fn fold_of_the_normalised_value_equals_folded() {
        for raw in [
            "John.Smith+news@GoogleMail.com",
            "\"Jo\" <jo.bloggs+x@Example.co.uk>",
            "mailto:A.B@gmail.com.",
            "x+@example.org",
            "+tag@example.org",
            "plain@example.org",
        ] {
            let mut n = String::new();
            let mut a = String::new();
            let mut b = String::new();
            let via_fold = normalize(raw, &mut n).and_then(|()| fold(&n, &mut a));
            let direct = folded(raw, &mut b);
            assert_eq!(via_fold.is_ok(), direct.is_ok(), "{raw}");
            if direct.is_ok() {
                assert_eq!(a, b, "{raw}");
            }
        }
    }
    use super::*;

    fn n(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        normalize(s, &mut o).map(|()| o)
    }
    fn f(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        folded(s, &mut o).map(|()| o)
    }

    #[test]
    fn normalised() {
        for (i, want) in [
            ("John.Smith@Example.COM", "john.smith@example.com"),
            ("  john@example.com ", "john@example.com"),
            ("mailto:john@example.com", "john@example.com"),
            ("MAILTO:John@Example.com", "john@example.com"),
            ("<john@example.com>", "john@example.com"),
            ("John Smith <john@example.com>", "john@example.com"),
            ("\"Smith, John\" <John@Example.com>", "john@example.com"),
            ("<mailto:john@example.com>", "john@example.com"),
            ("\"john@example.com\"", "john@example.com"),
            ("'john@example.com'", "john@example.com"),
            ("john@example.com.", "john@example.com"),
            ("john@example.com;", "john@example.com"),
            ("j.o'brien@btinternet.com", "j.o'brien@btinternet.com"),
            ("first+tag@hotmail.co.uk", "first+tag@hotmail.co.uk"),
            ("a_b-c@sub.domain.org.uk", "a_b-c@sub.domain.org.uk"),
            ("X@Y.IO", "x@y.io"),
            (
                "user@xn--80ak6aa92e.xn--p1ai",
                "user@xn--80ak6aa92e.xn--p1ai",
            ),
            ("\u{a0}JOHN@EXAMPLE.COM\u{a0}", "john@example.com"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
    }

    #[test]
    fn rejected() {
        for (bad, why) in [
            ("john.smith@", Reject::Shape("invalid domain")),
            ("@example.com", Reject::Shape("nothing before the @")),
            ("john", Reject::Shape("no @")),
            ("john@@example.com", Reject::Shape("more than one @")),
            ("a@b@example.com", Reject::Shape("more than one @")),
            ("john smith@example.com", Reject::InvalidChar(' ')),
            ("john@exa mple.com", Reject::InvalidChar(' ')),
            ("john@example", Reject::Shape("invalid domain")),
            ("john@.com", Reject::Shape("invalid domain")),
            ("john@-x.com", Reject::Shape("invalid domain")),
            (
                "john..smith@example.com",
                Reject::Shape("misplaced dot before the @"),
            ),
            (
                ".john@example.com",
                Reject::Shape("misplaced dot before the @"),
            ),
            ("john@example.c", Reject::Shape("invalid domain")),
            ("john@1.2.3.4", Reject::Shape("invalid domain")),
            ("jöhn@example.com", Reject::InvalidChar('ö')),
            ("john@exämple.com", Reject::InvalidChar('ä')),
            ("john(x)@example.com", Reject::InvalidChar('(')),
            ("john\tsmith@example.com", Reject::InvalidChar('\t')),
            ("john\x0bsmith@example.com", Reject::InvalidChar('\x0b')),
            ("jo\u{a0}hn@example.com", Reject::InvalidChar('\u{a0}')),
            ("jö hn@example.com", Reject::InvalidChar(' ')),
            ("jöhn@exa mple.com", Reject::InvalidChar(' ')),
            ("john@exa\u{2003}mple.com", Reject::InvalidChar('\u{2003}')),
            ("john@example.c0m", Reject::Shape("invalid domain")),
            ("john@example-.com", Reject::Shape("invalid domain")),
            ("john@example..com", Reject::Shape("invalid domain")),
            ("mailto:", Reject::Empty),
            ("<>", Reject::Empty),
            ("n/a", Reject::Empty),
        ] {
            assert_eq!(n(bad), Err(why), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert!(matches!(n(&long), Err(Reject::Length(_))));
    }

    #[test]
    fn labels_and_notes_around_an_address_are_dropped() {
        for (i, want) in [
            ("amy.khan@gmail.com (personal)", "amy.khan@gmail.com"),
            ("Email: bob.lee@outlook.com", "bob.lee@outlook.com"),
            ("E-mail - x@y.com", "x@y.com"),
            ("work: x@y.com", "x@y.com"),
            ("EMAIL:x@y.com", "x@y.com"),
            ("Personal email: amy@x.com", "amy@x.com"),
            ("Email address \u{2013} amy@x.com", "amy@x.com"),
            ("Email amy@x.com", "amy@x.com"),
            ("amy@x.com personal", "amy@x.com"),
            ("amy@x.com - work", "amy@x.com"),
            ("amy@x.com [work]", "amy@x.com"),
            ("amy@x.com, (personal)", "amy@x.com"),
            ("(work) amy@x.com", "amy@x.com"),
            ("Email: amy@x.com (personal)", "amy@x.com"),
            ("Email: Amy Khan <Amy@X.com>", "amy@x.com"),
            ("Email: mailto:amy@x.com", "amy@x.com"),
            ("\"amy@x.com (Mum's)\"", "amy@x.com"),
            // Addresses that only look like a label stay as they are.
            ("email.amy@x.com", "email.amy@x.com"),
            ("e-mail@x.com", "e-mail@x.com"),
            ("work@x.com", "work@x.com"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
        assert_eq!(
            f("Email: John.Smith+x@GoogleMail.com (personal)").as_deref(),
            Ok("johnsmith@gmail.com")
        );
        for (bad, why) in [
            // Two addresses in one cell stay one rejected value here (the scan splits them).
            ("amy@x.com; bob@y.com", Reject::Shape("more than one @")),
            ("amy@x.com / bob@y.com", Reject::Shape("more than one @")),
            ("amy@x.com (bob@y.com)", Reject::Shape("more than one @")),
            (
                "Email: amy@x.com; bob@y.com",
                Reject::Shape("more than one @"),
            ),
            // A note with a digit, a doubt, or a word that is not a known label or note.
            ("amy@x.com (2)", Reject::InvalidChar(' ')),
            ("amy@x.com (old)", Reject::InvalidChar(' ')),
            ("amy@x.com (bounced)", Reject::InvalidChar(' ')),
            ("amy@x.com mobile", Reject::InvalidChar(' ')),
            ("Partner: amy@x.com", Reject::InvalidChar(' ')),
            ("Old email: amy@x.com", Reject::InvalidChar(' ')),
            ("E smith@x.com", Reject::InvalidChar(' ')),
            // A dash joined to the address is part of it, not a separator.
            ("Email -amy@x.com", Reject::InvalidChar(' ')),
            ("amy@x.co- work", Reject::Shape("invalid domain")),
            // A label or a note alone.
            ("Email:", Reject::Shape("no @")),
            ("(personal)", Reject::Shape("no @")),
        ] {
            assert_eq!(n(bad), Err(why), "{bad}");
        }
    }

    #[test]
    fn folding() {
        for (i, want) in [
            ("John.Smith+leak@GoogleMail.com", "johnsmith@gmail.com"),
            ("j.o.h.n.smith+shop@gmail.com", "johnsmith@gmail.com"),
            ("johnsmith@gmail.com", "johnsmith@gmail.com"),
            ("JohnSmith@googlemail.com", "johnsmith@gmail.com"),
            ("john.smith+x@outlook.com", "john.smith@outlook.com"),
            ("john.smith+x+y@outlook.com", "john.smith@outlook.com"),
            ("john.smith@outlook.com", "john.smith@outlook.com"),
            ("John <j.s+1@Yahoo.co.uk>", "j.s@yahoo.co.uk"),
            ("john.smith@gmail.co.uk", "john.smith@gmail.co.uk"),
        ] {
            assert_eq!(f(i).as_deref(), Ok(want), "{i}");
        }
        assert!(f("+tag@gmail.com").is_err());
        assert!(f("+tag@example.com").is_err());
        assert_eq!(
            f("john.+x@example.com"),
            Err(Reject::Shape("misplaced dot before the @"))
        );
        assert_eq!(f("none"), Err(Reject::Empty));
    }
}
