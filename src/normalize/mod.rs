//! Normalisation: turning the many ways a value is written into one canonical form.
//!
//! Every function here is pure and knows nothing of the pipeline: the index and the scan call
//! the same functions, so a tenant's value and the same value in a dump become byte-identical.
//! Normalisation is versioned ([`NORMALIZE_VERSION`], recorded in every index): a change to
//! any rule bumps it, and an index built under another version is refused rather than silently
//! producing fewer matches. Values that cannot be normalised are rejected with a [`Reject`]
//! reason, never guessed.

pub mod address;
pub mod bank;
pub mod dob;
pub mod email;
pub mod name;
pub mod nino;
pub mod phone;
pub mod postcode;
pub mod tenancy;

/// The version of all the normalisers together, recorded in every index: it changes whenever
/// any kind's own `VERSION` is bumped, so an index built under other rules is refused.
pub const NORMALIZE_VERSION: u32 = name::VERSION
    + dob::VERSION
    + postcode::VERSION
    + email::VERSION
    + phone::VERSION
    + nino::VERSION
    + bank::VERSION
    + tenancy::VERSION
    + address::VERSION
    - 8;

/// Every kind of field we normalise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldKind {
    /// A whole name ("Mr John A. Smith", "SMITH, John").
    Name,
    /// A given name (first forename).
    GivenName,
    /// A surname.
    Surname,
    /// A date of birth.
    Dob,
    /// A UK postcode.
    Postcode,
    /// An e-mail address.
    Email,
    /// An e-mail address with Gmail-style folding.
    EmailFolded,
    /// A telephone number.
    Phone,
    /// A National Insurance number.
    Nino,
    /// A bank sort code.
    SortCode,
    /// A bank account number.
    AccountNumber,
    /// A tenancy reference.
    TenancyRef,
    /// The first line of an address.
    AddressLine,
}

impl FieldKind {
    /// Every kind.
    pub const ALL: [FieldKind; 13] = [
        FieldKind::Name,
        FieldKind::GivenName,
        FieldKind::Surname,
        FieldKind::Dob,
        FieldKind::Postcode,
        FieldKind::Email,
        FieldKind::EmailFolded,
        FieldKind::Phone,
        FieldKind::Nino,
        FieldKind::SortCode,
        FieldKind::AccountNumber,
        FieldKind::TenancyRef,
        FieldKind::AddressLine,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Name => "name",
            FieldKind::GivenName => "given_name",
            FieldKind::Surname => "surname",
            FieldKind::Dob => "dob",
            FieldKind::Postcode => "postcode",
            FieldKind::Email => "email",
            FieldKind::EmailFolded => "email_folded",
            FieldKind::Phone => "phone",
            FieldKind::Nino => "nino",
            FieldKind::SortCode => "sort_code",
            FieldKind::AccountNumber => "account_number",
            FieldKind::TenancyRef => "tenancy_ref",
            FieldKind::AddressLine => "address_line",
        }
    }

    /// Inverse of [`FieldKind::as_str`].
    pub fn parse(s: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// Why a value was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reject {
    /// Empty, or a placeholder such as "N/A" or "unknown".
    Empty,
    /// Not the shape this kind of value has (detail says how).
    Shape(&'static str),
    /// A name with only an initial.
    InitialOnly,
    /// A name with digits in it.
    DigitsInName,
    /// A single word where a full name (given name and surname) was expected.
    SingleWord,
    /// A date that does not exist (31 February, month 13).
    ImpossibleDate,
    /// A date that could only be read month-first (US style): never guessed.
    UsDate,
    /// A date before 1900 or in the future.
    DateOutOfRange,
    /// Only part of a date (a year, a month and year).
    PartialDate,
    /// A partial postcode (outward code only).
    PartialPostcode,
    /// An NI number with a prefix that is never issued.
    InvalidNinoPrefix,
    /// Too many or too few digits.
    Length(&'static str),
}

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reject::Empty => f.write_str("empty or placeholder"),
            Reject::Shape(why) => write!(f, "not a valid value: {why}"),
            Reject::InitialOnly => f.write_str("only an initial: cannot identify a person"),
            Reject::DigitsInName => f.write_str("a name with digits in it"),
            Reject::SingleWord => {
                f.write_str("one word: a full name needs a given name and a surname")
            }
            Reject::ImpossibleDate => f.write_str("impossible date (no such day)"),
            Reject::UsDate => f.write_str("month-first (US) date: ambiguous, not guessed"),
            Reject::DateOutOfRange => f.write_str("date before 1900 or in the future"),
            Reject::PartialDate => f.write_str("partial date (day, month and year needed)"),
            Reject::PartialPostcode => f.write_str("partial postcode (outward code only)"),
            Reject::InvalidNinoPrefix => f.write_str("NI number prefix that is never issued"),
            Reject::Length(why) => write!(f, "wrong length: {why}"),
        }
    }
}

impl std::error::Error for Reject {}

/// Trims whitespace (including no-break spaces) and surrounding quotes; returns `Err(Empty)`
/// for empty values and common placeholders.
pub(crate) fn clean(input: &str) -> Result<&str, Reject> {
    let t =
        input.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '"' || c == '\'');
    if t.is_empty() {
        return Err(Reject::Empty);
    }
    let lower_is = |s: &str| t.eq_ignore_ascii_case(s);
    if [
        "null",
        "n/a",
        "na",
        "-",
        "--",
        "none",
        "unknown",
        "nil",
        "not known",
        "tbc",
        "?",
    ]
    .iter()
    .any(|p| lower_is(p))
    {
        return Err(Reject::Empty);
    }
    Ok(t)
}

/// Normalise `input` as `kind` into `out` (cleared first). On Err, `out` content is unspecified.
pub fn normalize_into(kind: FieldKind, input: &str, out: &mut String) -> Result<(), Reject> {
    match kind {
        FieldKind::Name => {
            let mut pairs = Vec::new();
            name::full_name(input, &mut pairs)?;
            out.clear();
            let (g, s) = &pairs[0];
            out.push_str(g);
            out.push(' ');
            out.push_str(s);
            Ok(())
        }
        FieldKind::GivenName => name::given_name(input, out),
        FieldKind::Surname => name::surname(input, out),
        FieldKind::Dob => dob::normalize(input, out),
        FieldKind::Postcode => postcode::normalize(input, out),
        FieldKind::Email => email::normalize(input, out),
        FieldKind::EmailFolded => email::folded(input, out),
        FieldKind::Phone => phone::normalize(input, out),
        FieldKind::Nino => nino::normalize(input, out),
        FieldKind::SortCode => bank::sort_code(input, out),
        FieldKind::AccountNumber => bank::account_number(input, out),
        FieldKind::TenancyRef => tenancy::normalize(input, out),
        FieldKind::AddressLine => address::normalize(input, out),
    }
}

/// Convenience: normalise into a new string.
pub fn normalize(kind: FieldKind, input: &str) -> Result<String, Reject> {
    let mut out = String::new();
    normalize_into(kind, input, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            for kind in FieldKind::ALL {
                let _ = normalize(kind, &s);
            }
        }

        #[test]
        fn idempotent(s in "[A-Za-z0-9 ,.@+'/()-]{0,40}") {
            for kind in FieldKind::ALL {
                if let Ok(once) = normalize(kind, &s) {
                    if kind == FieldKind::Name || kind == FieldKind::AddressLine || kind == FieldKind::GivenName {
                        continue; // their outputs are canonical word lists, checked below
                    }
                    prop_assert_eq!(normalize(kind, &once), Ok(once.clone()), "{:?} {:?}", kind, s);
                }
            }
        }

        #[test]
        fn word_kinds_idempotent(s in "[A-Za-z]{2,8} [A-Za-z]{2,10}") {
            if let Ok(once) = normalize(FieldKind::Name, &s) {
                prop_assert_eq!(normalize(FieldKind::Name, &once), Ok(once.clone()));
            }
            if let Ok(a) = normalize(FieldKind::AddressLine, &format!("12 {s}")) {
                prop_assert_eq!(normalize(FieldKind::AddressLine, &a), Ok(a.clone()));
            }
        }

        #[test]
        fn date_formats_agree(y in 1900i32..2020, m in 1u32..=12, d in 1u32..=28) {
            const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            let iso = format!("{y:04}-{m:02}-{d:02}");
            let mon = MONTHS[(m - 1) as usize];
            for v in [
                format!("{d:02}/{m:02}/{y}"), format!("{d}/{m}/{y}"), format!("{d:02}-{m:02}-{y}"),
                format!("{d:02}.{m:02}.{y}"), format!("{d} {mon} {y}"), format!("{d}-{mon}-{y}"),
                format!("{mon} {d}, {y}"), iso.clone(), format!("{y:04}{m:02}{d:02}"),
                format!("{iso}T00:00:00Z"), format!("{iso} 00:00:00"), format!("{d:02}/{m:02}/{y} 00:00"),
            ] {
                prop_assert_eq!(normalize(FieldKind::Dob, &v), Ok(iso.clone()), "{}", v);
            }
        }

        #[test]
        fn phone_formats_agree(n in 100_000_000u64..999_999_999) {
            let digits = format!("7{n:09}");
            let want = format!("+44{digits}");
            for v in [
                format!("0{digits}"), format!("0{} {}", &digits[..4], &digits[4..]),
                format!("+44 {} {}", &digits[..4], &digits[4..]), format!("+44 (0){} {}", &digits[..4], &digits[4..]),
                format!("44{digits}"), format!("0044{digits}"), format!("+44-{}-{}", &digits[..4], &digits[4..]),
            ] {
                prop_assert_eq!(normalize(FieldKind::Phone, &v), Ok(want.clone()), "{}", v);
            }
        }

        #[test]
        fn postcode_variants_agree(a in "[A-PR-UWYZ][A-HK-Y][0-9]", b in "[0-9][ABD-HJLNP-UW-Z]{2}") {
            let want = format!("{a}{b}");
            for v in [format!("{a} {b}"), format!("{a}{b}"), format!("{} {}", a.to_lowercase(), b.to_lowercase()), format!("  {a}  {b} ")] {
                prop_assert_eq!(normalize(FieldKind::Postcode, &v), Ok(want.clone()), "{}", v);
            }
        }

        #[test]
        fn nino_and_bank_variants_agree(n in 0u32..999_999, s in 0u32..999_999, acc in 10_000_000u32..99_999_999) {
            let d = format!("{n:06}");
            let want = format!("AB{d}");
            for v in [format!("AB{d}C"), format!("ab {} {} {} c", &d[..2], &d[2..4], &d[4..]), format!("AB{d}"), format!("AB-{d}-D")] {
                prop_assert_eq!(normalize(FieldKind::Nino, &v), Ok(want.clone()), "{}", v);
            }
            let sc = format!("{s:06}");
            for v in [sc.clone(), format!("{}-{}-{}", &sc[..2], &sc[2..4], &sc[4..]), format!("{} {} {}", &sc[..2], &sc[2..4], &sc[4..])] {
                prop_assert_eq!(normalize(FieldKind::SortCode, &v), Ok(sc.clone()), "{}", v);
            }
            let a = acc.to_string();
            prop_assert_eq!(normalize(FieldKind::AccountNumber, &format!("{} {}", &a[..4], &a[4..])), Ok(a.clone()));
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in FieldKind::ALL {
            assert_eq!(FieldKind::parse(k.as_str()), Some(k));
        }
        assert!(normalize(FieldKind::Email, " N/A ").is_err());
        assert_eq!(
            normalize(FieldKind::Name, "Mr John Smith").unwrap(),
            "john smith"
        );
    }
}
