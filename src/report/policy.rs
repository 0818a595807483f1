//! The risk policy: which combinations of exposed fields are high, medium or low risk, and
//! which levels are notified (UK GDPR Art. 34: tell people when a breach is likely to result
//! in a high risk to them).
//!
//! The default (DESIGN.md): high for bank details, NI number, or name + date of birth +
//! (address or postcode), and for date of birth + (address or postcode) with an e-mail or phone
//! in place of the name; medium for name with e-mail or phone; low otherwise; notify high.
//! A TOML file replaces it:
//! ```toml
//! notify = ["high"]
//! [[rule]]
//! level = "high"
//! all = ["bank"]
//! reason = "bank details can be used for payment fraud"
//! [[rule]]
//! level = "high"
//! all = ["name", "dob"]
//! any = ["address", "postcode"]
//! reason = "name, date of birth and address together enable identity fraud"
//! ```
//! Of the rules that hold, the highest level decides (the first of them gives the reason). Unknown keys, levels or fields are
//! errors naming them.

use crate::dump::sensitive::Category;
use crate::keys::Field;
use serde::Deserialize;

/// A risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// Likely to result in a high risk to the person: notify.
    High,
    /// Phishing and scam calls.
    Medium,
    /// Little harm expected.
    Low,
}

impl Risk {
    /// All levels, highest first.
    pub const ALL: [Risk; 3] = [Risk::High, Risk::Medium, Risk::Low];
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::High => "high",
            Risk::Medium => "medium",
            Risk::Low => "low",
        }
    }
}

/// One rule: all of `all` and at least one of `any` (when given) exposed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The level when the rule holds.
    pub level: Risk,
    /// Fields that must all be exposed.
    #[serde(default)]
    pub all: Vec<String>,
    /// Fields of which at least one must be exposed (ignored when empty).
    #[serde(default)]
    pub any: Vec<String>,
    /// The reason, in words a tenant understands.
    pub reason: String,
}

/// The policy.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Levels that are notified.
    #[serde(default = "default_notify")]
    pub notify: Vec<Risk>,
    /// Rules in order.
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
    /// Reason when no rule holds.
    #[serde(default = "default_low_reason")]
    pub low_reason: String,
}

fn default_notify() -> Vec<Risk> {
    vec![Risk::High]
}

fn default_low_reason() -> String {
    "the details exposed are unlikely on their own to cause harm".into()
}

/// The decision for one tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Risk level.
    pub risk: Risk,
    /// Whether to notify.
    pub notify: bool,
    /// Why, in words.
    pub reason: String,
}

impl Default for Policy {
    fn default() -> Self {
        let r = |level, all: &[&str], any: &[&str], reason: &str| Rule {
            level,
            all: all.iter().map(|s| s.to_string()).collect(),
            any: any.iter().map(|s| s.to_string()).collect(),
            reason: reason.to_string(),
        };
        Policy {
            notify: default_notify(),
            rules: vec![
                r(
                    Risk::High,
                    &["password"],
                    &["email", "username"],
                    "a password linked to your email address was published in plain text, the worst kind of password leak: criminals try such passwords on other accounts (account takeover)",
                ),
                r(
                    Risk::High,
                    &["password_hash"],
                    &["email", "username"],
                    "a password hash linked to your email address was published; it is a fast, unsalted kind (such as MD5, SHA-1 or NTLM) that criminals crack quickly, so the password must be treated as known",
                ),
                r(
                    Risk::High,
                    &["password_hash_strong"],
                    &["email", "username"],
                    "a password hash linked to your email address was published; it is a slow, salted kind (bcrypt, argon2), much harder to crack than plain text or MD5/SHA-1, but weak or reused passwords can still be guessed",
                ),
                // Without the e-mail beside it a password is still a secret of an identified
                // person: e-mail addresses are easy to find, and passwords are reused.
                r(
                    Risk::High,
                    &["password"],
                    &[],
                    "a password of yours was published in plain text beside your details: criminals look up the e-mail address of a named person and try such passwords on their accounts (account takeover)",
                ),
                r(
                    Risk::High,
                    &["password_hash"],
                    &[],
                    "a password hash of yours was published beside your details; it is a fast, unsalted kind (such as MD5, SHA-1 or NTLM) that criminals crack quickly, so the password must be treated as known",
                ),
                r(
                    Risk::Medium,
                    &["password_hash_strong"],
                    &[],
                    "a password hash of yours was published beside your details; it is a slow, salted kind (bcrypt, argon2), hard to crack, and without your e-mail address beside it less useful to criminals, but a weak or reused password can still be guessed",
                ),
                r(
                    Risk::High,
                    &["payment_card"],
                    &[],
                    "a payment card number can be used for card fraud",
                ),
                r(
                    Risk::High,
                    &["special_category"],
                    &[],
                    "special category data (such as health, disability or benefits details) was exposed, which can cause distress and discrimination",
                ),
                r(
                    Risk::High,
                    &["iban"],
                    &[],
                    "an IBAN bank account number can be used for payment fraud",
                ),
                r(
                    Risk::High,
                    &["security_qa"],
                    &[],
                    "security questions and answers let criminals reset passwords and take over accounts",
                ),
                r(
                    Risk::High,
                    &["bank"],
                    &[],
                    "bank sort code and account number can be used for payment fraud and convincing scams",
                ),
                r(
                    Risk::High,
                    &["nino"],
                    &[],
                    "a National Insurance number enables identity fraud and benefit or tax fraud",
                ),
                r(
                    Risk::High,
                    &["name", "dob"],
                    &["address", "postcode"],
                    "name, date of birth and address or postcode together enable identity fraud",
                ),
                // An e-mail address or phone number identifies a person as surely as a name:
                // with the date of birth and where they live, the same identity-fraud risk.
                r(
                    Risk::High,
                    &["dob", "address"],
                    &["email", "phone"],
                    "date of birth and address with your e-mail address or phone number identify you as surely as your name, and enable identity fraud",
                ),
                r(
                    Risk::High,
                    &["dob", "postcode"],
                    &["email", "phone"],
                    "date of birth and postcode with your e-mail address or phone number identify you as surely as your name, and enable identity fraud",
                ),
                r(
                    Risk::Medium,
                    &["name"],
                    &["email", "phone"],
                    "name with e-mail or phone enables targeted phishing and scam calls",
                ),
            ],
            low_reason: default_low_reason(),
        }
    }
}

impl Policy {
    /// Reads a policy TOML; errors name the key or value at fault.
    pub fn from_toml(text: &str) -> Result<Policy, String> {
        let p: Policy = toml::from_str(text).map_err(|e| e.to_string())?;
        for (i, rule) in p.rules.iter().enumerate() {
            for f in rule.all.iter().chain(&rule.any) {
                if Field::parse(f).is_none() && Category::parse(f).is_none() {
                    return Err(format!(
                        "rule {}: unknown field {f:?}; fields are {}, and co-exposed data {}",
                        i + 1,
                        Field::ALL.map(Field::as_str).join(", "),
                        Category::ALL.map(Category::as_str).join(", ")
                    ));
                }
            }
            if rule.all.is_empty() && rule.any.is_empty() {
                return Err(format!("rule {}: give `all` or `any`", i + 1));
            }
        }
        Ok(p)
    }

    /// Decides risk and notification for the exposed fields and the sensitive data found
    /// beside them.
    pub fn decide(&self, fields: &[Field], co: &[Category]) -> Decision {
        let has = |s: &String| {
            fields.iter().any(|f| f.as_str() == s) || co.iter().any(|c| c.as_str() == s)
        };
        // The highest level among the rules that match (the first of them, for its reason):
        // a rule for a lesser finding never hides a worse one.
        let rank = |r: &Rule| Risk::ALL.iter().position(|l| *l == r.level);
        let hit = self
            .rules
            .iter()
            .filter(|r| r.all.iter().all(has) && (r.any.is_empty() || r.any.iter().any(has)))
            .min_by_key(|r| rank(r));
        let (risk, reason) = match hit {
            Some(r) => (r.level, r.reason.clone()),
            None => (Risk::Low, self.low_reason.clone()),
        };
        Decision {
            risk,
            notify: self.notify.contains(&risk),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Field::*;

    impl Policy {
        fn decide_fields(&self, f: &[Field]) -> Decision {
            self.decide(f, &[])
        }
    }

    #[test]
    fn an_email_or_phone_with_date_of_birth_and_address_is_as_high_as_a_name() {
        let p = Policy::default();
        for f in [
            &[Dob, Address, Postcode, Email][..],
            &[Dob, Postcode, Phone],
            &[Name, Dob, Address],
        ] {
            let d = p.decide_fields(f);
            assert_eq!((d.risk, d.notify), (Risk::High, true), "{f:?}");
        }
        assert_eq!(p.decide_fields(&[Dob, Email]).risk, Risk::Low);
        assert_eq!(p.decide_fields(&[Address, Postcode, Email]).risk, Risk::Low);
    }

    #[test]
    fn co_exposed_data_raises_risk_with_graded_reasons() {
        let p = Policy::default();
        let plain = p.decide(&[Email], &[Category::Password]);
        assert_eq!((plain.risk, plain.notify), (Risk::High, true));
        assert!(plain.reason.contains("plain text"));
        let weak = p.decide(&[Email], &[Category::PasswordHash]);
        assert!(weak.reason.contains("MD5"));
        let strong = p.decide(&[Email], &[Category::PasswordHashStrong]);
        assert!(strong.reason.contains("bcrypt") && strong.reason.contains("harder to crack"));
        assert_eq!(p.decide(&[Name], &[Category::PaymentCard]).risk, Risk::High);
        assert_eq!(
            p.decide(&[Name], &[Category::SpecialCategory]).risk,
            Risk::High
        );
        // Without the e-mail: still high for a plain or fast-hashed password (the e-mail of a
        // named person is easy to find), medium for a strong hash.
        let alone = p.decide(&[Name, Phone], &[Category::Password]);
        assert_eq!((alone.risk, alone.notify), (Risk::High, true));
        assert!(alone.reason.contains("plain text"));
        assert_eq!(
            p.decide(&[Name], &[Category::PasswordHash]).risk,
            Risk::High
        );
        let strong = p.decide(&[Name, Dob], &[Category::PasswordHashStrong]);
        assert_eq!((strong.risk, strong.notify), (Risk::Medium, false));
        // A lesser rule that matches never hides a worse one.
        for (fields, co) in [
            (&[Name, Nino][..], Category::PasswordHashStrong),
            (&[Bank][..], Category::PasswordHashStrong),
            (&[Name, Dob, Postcode][..], Category::PasswordHashStrong),
            (&[Name, Email][..], Category::PaymentCard),
        ] {
            assert_eq!(
                p.decide(fields, &[co]).risk,
                Risk::High,
                "{fields:?} {co:?}"
            );
        }
        assert!(
            p.decide(&[Name, Nino], &[Category::PasswordHashStrong])
                .reason
                .contains("National Insurance")
        );
        assert_eq!(p.decide(&[Email], &[Category::IpAddress]).risk, Risk::Low);
    }

    #[test]
    fn default_policy_levels() {
        let p = Policy::default();
        assert_eq!(p.decide_fields(&[Bank]).risk, Risk::High);
        assert_eq!(p.decide_fields(&[Nino]).risk, Risk::High);
        let d = p.decide_fields(&[Name, Dob, Postcode]);
        assert_eq!(d.risk, Risk::High);
        assert!(d.notify);
        assert!(d.reason.contains("identity fraud"));
        assert_eq!(p.decide_fields(&[Name, Dob]).risk, Risk::Low);
        assert_eq!(p.decide_fields(&[Name, Email]).risk, Risk::Medium);
        assert!(!p.decide_fields(&[Name, Email]).notify);
        assert_eq!(p.decide_fields(&[Email]).risk, Risk::Low);
    }

    #[test]
    fn toml_policy_and_its_errors() {
        let p = Policy::from_toml(
            "notify = [\"high\", \"medium\"]\n[[rule]]\nlevel = \"medium\"\nany = [\"email\"]\nreason = \"phishing\"\n",
        )
        .unwrap();
        let d = p.decide_fields(&[Email]);
        assert_eq!((d.risk, d.notify), (Risk::Medium, true));
        let e =
            Policy::from_toml("[[rule]]\nlevel = \"severe\"\nall = [\"bank\"]\nreason = \"x\"\n")
                .unwrap_err();
        assert!(e.contains("severe"), "{e}");
        let e = Policy::from_toml(
            "[[rule]]\nlevel = \"high\"\nall = [\"shoe_size\"]\nreason = \"x\"\n",
        )
        .unwrap_err();
        assert!(e.contains("shoe_size"), "{e}");
        let e = Policy::from_toml(
            "[[rule]]\nlevel = \"high\"\nall = [\"bank\"]\nreason = \"x\"\ncolour = 1\n",
        )
        .unwrap_err();
        assert!(e.contains("colour"), "{e}");
    }
}
