//! E-mail addresses: trimmed, `mailto:`, angle brackets and display names removed, lower case,
//! shape-checked. [`folded`] is a second key kind: the `+tag` removed for every domain, and for
//! Gmail (gmail.com, googlemail.com) the dots of the local part removed and googlemail.com
//! mapped to gmail.com, so `John.Smith+shop@GoogleMail.com` folds to `johnsmith@gmail.com`.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

/// Normalises an e-mail address.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    let mut t = clean(input)?;
    // "John Smith <john@x.com>"
    if let (Some(a), Some(b)) = (t.rfind('<'), t.rfind('>'))
        && a < b
    {
        t = &t[a + 1..b];
    }
    t = t
        .trim()
        .trim_matches(|c| c == '<' || c == '>' || c == '"' || c == '\'');
    if t.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        t = &t[7..];
    }
    let t = t.trim();
    let at = t.find('@').ok_or(Reject::Shape("no @"))?;
    if t[at + 1..].contains('@') {
        return Err(Reject::Shape("more than one @"));
    }
    let (local, domain) = (&t[..at], &t[at + 1..]);
    let domain = domain.trim_end_matches('.');
    if local.is_empty() || local.len() > 64 {
        return Err(Reject::Shape("local part empty or longer than 64"));
    }
    if !local
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b))
    {
        return Err(Reject::Shape("invalid character before @"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(Reject::Shape("misplaced dot before @"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.len() > 63
                || l.starts_with('-')
                || l.ends_with('-')
                || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        || labels
            .last()
            .is_some_and(|tld| tld.len() < 2 || tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Reject::Shape("invalid domain"));
    }
    out.clear();
    out.push_str(local);
    out.push('@');
    out.push_str(domain);
    out.make_ascii_lowercase();
    Ok(())
}

/// Normalises, then folds `+tag` (all domains) and Gmail dots.
pub fn folded(input: &str, out: &mut String) -> Result<(), Reject> {
    normalize(input, out)?;
    let at = out.find('@').ok_or(Reject::Shape("no @"))?;
    let (local, domain) = out.split_at(at);
    let domain = &domain[1..];
    let local = local.split('+').next().unwrap_or(local);
    let gmail = domain == "gmail.com" || domain == "googlemail.com";
    let mut s = String::with_capacity(out.len());
    for c in local.chars() {
        if !(gmail && c == '.') {
            s.push(c);
        }
    }
    if s.is_empty() {
        return Err(Reject::Shape("local part empty after folding"));
    }
    s.push('@');
    s.push_str(if gmail { "gmail.com" } else { domain });
    *out = s;
    Ok(())
}

#[cfg(test)]
mod tests {
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
            ("\"john@example.com\"", "john@example.com"),
            ("john@example.com.", "john@example.com"),
            ("j.o'brien@btinternet.com", "j.o'brien@btinternet.com"),
            ("first+tag@hotmail.co.uk", "first+tag@hotmail.co.uk"),
            ("a_b-c@sub.domain.org.uk", "a_b-c@sub.domain.org.uk"),
            ("X@Y.IO", "x@y.io"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
        for bad in [
            "john.smith@",
            "@example.com",
            "john",
            "john@@example.com",
            "john smith@example.com",
            "john@example",
            "john@.com",
            "john..smith@example.com",
            "john@example.c",
            "john@exa mple.com",
            "john@1.2.3.4",
        ] {
            assert!(n(bad).is_err(), "{bad}");
        }
        assert_eq!(n("n/a"), Err(Reject::Empty));
    }

    #[test]
    fn folding() {
        assert_eq!(
            f("John.Smith+leak@GoogleMail.com").as_deref(),
            Ok("johnsmith@gmail.com")
        );
        assert_eq!(
            f("j.o.h.n.smith+shop@gmail.com").as_deref(),
            Ok("johnsmith@gmail.com")
        );
        assert_eq!(
            f("johnsmith@gmail.com").as_deref(),
            Ok("johnsmith@gmail.com")
        );
        assert_eq!(
            f("john.smith+x@outlook.com").as_deref(),
            Ok("john.smith@outlook.com")
        );
        assert_eq!(
            f("john.smith@outlook.com").as_deref(),
            Ok("john.smith@outlook.com")
        );
        assert!(f("+tag@gmail.com").is_err());
    }
}
