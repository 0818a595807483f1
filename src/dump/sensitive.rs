//! Sensitive data found beside a tenant's fields: passwords, password hashes, payment cards,
//! IBANs, security questions, IP addresses, usernames, special category data and free text.
//!
//! The landlord cannot match these against its own records, but must know they were there: a
//! password next to a tenant's e-mail decides the risk and the advice. Columns are classified
//! by header words and by the shape of their values; per row, only the *categories* present
//! are recorded, never a value. A card number counts only when it passes the Luhn check.

use serde::{Deserialize, Serialize};

/// A category of co-exposed data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// A plaintext password.
    Password,
    /// A fast or unsalted password hash (MD5, SHA-1, SHA-256, NTLM...): cracked quickly.
    PasswordHash,
    /// A slow, salted password hash (bcrypt, argon2, scrypt): much harder to crack.
    PasswordHashStrong,
    /// A payment card number (13-19 digits passing the Luhn check).
    PaymentCard,
    /// An IBAN.
    Iban,
    /// A security question or answer, memorable word.
    SecurityQa,
    /// An IP address.
    IpAddress,
    /// A login name.
    Username,
    /// Health, disability, benefit, religion, ethnicity and similar (UK GDPR Art. 9).
    SpecialCategory,
    /// Free-text notes.
    FreeText,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 10] = [
        Category::Password,
        Category::PasswordHash,
        Category::PasswordHashStrong,
        Category::PaymentCard,
        Category::Iban,
        Category::SecurityQa,
        Category::IpAddress,
        Category::Username,
        Category::SpecialCategory,
        Category::FreeText,
    ];

    /// snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Password => "password",
            Category::PasswordHash => "password_hash",
            Category::PasswordHashStrong => "password_hash_strong",
            Category::PaymentCard => "payment_card",
            Category::Iban => "iban",
            Category::SecurityQa => "security_qa",
            Category::IpAddress => "ip_address",
            Category::Username => "username",
            Category::SpecialCategory => "special_category",
            Category::FreeText => "free_text",
        }
    }

    /// Parses [`Category::as_str`].
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// By header words.
    pub fn from_header(h: &str) -> Option<Category> {
        let last = h
            .rsplit(['.', '/'])
            .find(|p| !p.trim().is_empty())
            .unwrap_or(h);
        let k: String = last
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let has = |w: &str| k.contains(w);
        Some(match k.as_str() {
            "password" | "pass" | "pwd" | "passwd" | "pw" | "plainpassword" => Category::Password,
            "passwordhash" | "hash" | "pwhash" | "passhash" | "hashedpassword" | "passwordmd5" => {
                Category::PasswordHash
            }
            "username" | "user" | "login" | "userid" | "handle" | "screenname" => {
                Category::Username
            }
            "iban" => Category::Iban,
            "ip" | "ipaddress" | "lastip" | "loginip" | "ipaddr" | "registrationip" => {
                Category::IpAddress
            }
            "notes" | "note" | "comments" | "comment" | "remarks" | "description" | "freetext" => {
                Category::FreeText
            }
            _ if has("card") && (has("number") || has("no") || k == "card")
                || k == "pan"
                || k == "ccnumber"
                || k == "cc" =>
            {
                Category::PaymentCard
            }
            _ if has("security") && (has("question") || has("answer"))
                || has("memorableword")
                || has("secretanswer")
                || has("secretquestion") =>
            {
                Category::SecurityQa
            }
            _ if [
                "health",
                "medical",
                "disabilit",
                "benefit",
                "religion",
                "ethnic",
                "sexualorientation",
                "diagnosis",
                "medication",
                "vulnerab",
                "mentalhealth",
                "criminal",
                "conviction",
            ]
            .iter()
            .any(|w| has(w)) =>
            {
                Category::SpecialCategory
            }
            _ => return None,
        })
    }
}

/// A set of categories as a bit mask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CategorySet(pub u16);

impl CategorySet {
    /// Adds one.
    pub fn insert(&mut self, c: Category) {
        self.0 |= 1 << c as u16;
    }
    /// Whether it holds one.
    pub fn contains(self, c: Category) -> bool {
        self.0 & (1 << c as u16) != 0
    }
    /// The categories.
    pub fn iter(self) -> impl Iterator<Item = Category> {
        Category::ALL.into_iter().filter(move |c| self.contains(*c))
    }
    /// Names joined by `|`.
    pub fn join(self) -> String {
        self.iter()
            .map(Category::as_str)
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// The kind of password hash a value looks like, if any.
pub fn hash_kind(v: &str) -> Option<&'static str> {
    let v = v.trim();
    if v.starts_with("$2a$") || v.starts_with("$2b$") || v.starts_with("$2y$") {
        return Some("bcrypt");
    }
    if v.starts_with("$argon2") {
        return Some("argon2");
    }
    if v.starts_with("$scrypt$") || v.starts_with("$7$") {
        return Some("scrypt");
    }
    if v.starts_with("$pbkdf2") || v.starts_with("pbkdf2_") {
        return Some("pbkdf2");
    }
    if v.starts_with("$6$") || v.starts_with("$5$") {
        return Some("sha-crypt");
    }
    if v.starts_with("$1$") {
        return Some("md5-crypt");
    }
    if v.bytes().all(|b| b.is_ascii_hexdigit()) {
        return match v.len() {
            32 => Some("md5 or ntlm"),
            40 => Some("sha1"),
            64 => Some("sha256"),
            128 => Some("sha512"),
            _ => None,
        };
    }
    None
}

/// Whether a hash kind is slow and salted.
pub fn strong_hash(kind: &str) -> bool {
    matches!(
        kind,
        "bcrypt" | "argon2" | "scrypt" | "pbkdf2" | "sha-crypt"
    )
}

/// The category of a password-column value: plaintext, fast hash or slow hash.
pub fn password_category(v: &str) -> Category {
    match hash_kind(v) {
        Some(k) if strong_hash(k) => Category::PasswordHashStrong,
        Some(_) => Category::PasswordHash,
        None => Category::Password,
    }
}

/// Whether a value is a card number: 13-19 digits (spaces and dashes allowed) passing Luhn.
pub fn is_card(v: &str) -> bool {
    let digits: Vec<u32> = v
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_digit(10))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    if !(13..=19).contains(&digits.len()) || digits.iter().all(|d| *d == digits[0]) {
        return false;
    }
    luhn_sum(&digits, false).is_multiple_of(10)
}

/// The Luhn sum of `digits`; with `doubling_last` the last digit is doubled (as when the check
/// digit is still to be appended), otherwise the one before it.
pub fn luhn_sum(digits: &[u32], doubling_last: bool) -> u32 {
    let first_doubled = usize::from(!doubling_last);
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == first_doubled {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum()
}

/// Whether a value is an IBAN (country letters, check digits, 11-30 alphanumerics, mod 97).
pub fn is_iban(v: &str) -> bool {
    let s: String = v
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !(15..=34).contains(&s.len()) || !s.is_char_boundary(4) {
        return false;
    }
    let b = s.as_bytes();
    let shape = b[0].is_ascii_uppercase()
        && b[1].is_ascii_uppercase()
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
        && s.bytes().all(|c| c.is_ascii_alphanumeric());
    if !shape {
        return false;
    }
    let rearranged = format!("{}{}", &s[4..], &s[..4]);
    let mut rem: u64 = 0;
    for c in rearranged.chars() {
        let n = c.to_digit(36).unwrap_or(0) as u64;
        rem = if n >= 10 {
            (rem * 100 + n) % 97
        } else {
            (rem * 10 + n) % 97
        };
    }
    rem == 1
}

/// Whether a value is an IPv4 or IPv6 address.
pub fn is_ip(v: &str) -> bool {
    v.trim().parse::<std::net::IpAddr>().is_ok()
}

/// The category a value's shape alone shows (for columns with unknown headers).
pub fn value_category(v: &str) -> Option<Category> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    if let Some(k) = hash_kind(v) {
        return Some(if strong_hash(k) {
            Category::PasswordHashStrong
        } else {
            Category::PasswordHash
        });
    }
    if is_card(v) {
        return Some(Category::PaymentCard);
    }
    if is_iban(v) {
        return Some(Category::Iban);
    }
    if is_ip(v) {
        return Some(Category::IpAddress);
    }
    if v.len() > 60 && v.split_whitespace().count() >= 8 {
        return Some(Category::FreeText);
    }
    None
}

/// Whether a cell of a column classified as `col` makes the row carry that category (and
/// which): password columns are split by shape, card columns need a Luhn-valid value.
pub fn cell_category(col: Category, v: &str) -> Option<Category> {
    let v = v.trim();
    if v.is_empty()
        || ["null", "n/a", "-", "none"]
            .iter()
            .any(|p| v.eq_ignore_ascii_case(p))
    {
        return None;
    }
    match col {
        Category::Password | Category::PasswordHash | Category::PasswordHashStrong => {
            Some(password_category(v))
        }
        Category::PaymentCard => is_card(v).then_some(Category::PaymentCard),
        Category::Iban => is_iban(v).then_some(Category::Iban),
        Category::IpAddress => is_ip(v).then_some(Category::IpAddress),
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes() {
        assert_eq!(
            hash_kind("$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"),
            Some("bcrypt")
        );
        assert_eq!(
            hash_kind("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"),
            Some("argon2")
        );
        assert_eq!(
            hash_kind("5f4dcc3b5aa765d61d8327deb882cf99"),
            Some("md5 or ntlm")
        );
        assert_eq!(
            hash_kind("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"),
            Some("sha1")
        );
        assert_eq!(hash_kind("hunter2"), None);
        assert_eq!(password_category("hunter2"), Category::Password);
        assert_eq!(
            password_category("5f4dcc3b5aa765d61d8327deb882cf99"),
            Category::PasswordHash
        );
        assert_eq!(
            password_category("$2y$10$abc"),
            Category::PasswordHashStrong
        );
    }

    #[test]
    fn cards_need_luhn() {
        assert!(is_card("4111 1111 1111 1111"));
        assert!(is_card("5500-0000-0000-0004"));
        assert!(is_card("378282246310005"));
        assert!(!is_card("4111 1111 1111 1112"), "Luhn-invalid");
        assert!(!is_card("1234567812345678"));
        assert!(!is_card("0000000000000000"));
        assert!(!is_card("411111111111"), "too short");
        assert_eq!(
            cell_category(Category::PaymentCard, "4111111111111112"),
            None
        );
        assert_eq!(
            cell_category(Category::PaymentCard, "4111111111111111"),
            Some(Category::PaymentCard)
        );
    }

    #[test]
    fn ibans_ips_headers() {
        assert!(is_iban("GB82 WEST 1234 5698 7654 32"));
        assert!(!is_iban("GB82 WEST 1234 5698 7654 33"));
        assert!(is_ip("192.168.0.1") && is_ip("2001:db8::1") && !is_ip("999.1.1.1"));
        assert_eq!(
            Category::from_header("Card Number"),
            Some(Category::PaymentCard)
        );
        assert_eq!(
            Category::from_header("Security Answer"),
            Some(Category::SecurityQa)
        );
        assert_eq!(
            Category::from_header("Disability"),
            Some(Category::SpecialCategory)
        );
        assert_eq!(
            Category::from_header("benefit_type"),
            Some(Category::SpecialCategory)
        );
        assert_eq!(Category::from_header("last_ip"), Some(Category::IpAddress));
        assert_eq!(Category::from_header("Password"), Some(Category::Password));
        assert_eq!(Category::from_header("Notes"), Some(Category::FreeText));
        assert_eq!(Category::from_header("Full Name"), None);
        assert_eq!(Category::from_header("Account Number"), None);
    }
}
