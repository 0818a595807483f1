//! The risk policy: which combinations of exposed fields are high, medium or low risk, and
//! which levels are notified (UK GDPR Art. 34: tell people when a breach is likely to result
//! in a high risk to them).
//!
//! The default (DESIGN.md): high for bank details, NI number, or name + date of birth +
//! (address or postcode); medium for name with e-mail or phone; low otherwise; notify high.
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
//! Rules are tried in order; the first that holds decides. Unknown keys, levels or fields are
//! errors naming them.

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
                    "name, date of birth and address together enable identity fraud",
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
                if Field::parse(f).is_none() {
                    return Err(format!(
                        "rule {}: unknown field {f:?}; fields are {}",
                        i + 1,
                        Field::ALL.map(Field::as_str).join(", ")
                    ));
                }
            }
            if rule.all.is_empty() && rule.any.is_empty() {
                return Err(format!("rule {}: give `all` or `any`", i + 1));
            }
        }
        Ok(p)
    }

    /// Decides risk and notification for a set of exposed fields.
    pub fn decide(&self, fields: &[Field]) -> Decision {
        let has = |s: &String| fields.iter().any(|f| f.as_str() == s);
        let hit = self
            .rules
            .iter()
            .find(|r| r.all.iter().all(has) && (r.any.is_empty() || r.any.iter().any(has)));
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

    #[test]
    fn default_policy_levels() {
        let p = Policy::default();
        assert_eq!(p.decide(&[Bank]).risk, Risk::High);
        assert_eq!(p.decide(&[Nino]).risk, Risk::High);
        let d = p.decide(&[Name, Dob, Postcode]);
        assert_eq!(d.risk, Risk::High);
        assert!(d.notify);
        assert!(d.reason.contains("identity fraud"));
        assert_eq!(p.decide(&[Name, Dob]).risk, Risk::Low);
        assert_eq!(p.decide(&[Name, Email]).risk, Risk::Medium);
        assert!(!p.decide(&[Name, Email]).notify);
        assert_eq!(p.decide(&[Email]).risk, Risk::Low);
    }

    #[test]
    fn toml_policy_and_its_errors() {
        let p = Policy::from_toml(
            "notify = [\"high\", \"medium\"]\n[[rule]]\nlevel = \"medium\"\nany = [\"email\"]\nreason = \"phishing\"\n",
        )
        .unwrap();
        let d = p.decide(&[Email]);
        assert_eq!((d.risk, d.notify), (Risk::Medium, true));
        let e =
            Policy::from_toml("[[rule]]\nlevel = \"severe\"\nall = [\"bank\"]\nreason = \"x\"\n")
                .unwrap_err();
        assert!(e.contains("severe"), "{e}");
        let e = Policy::from_toml("[[rule]]\nlevel = \"high\"\nall = [\"iban\"]\nreason = \"x\"\n")
            .unwrap_err();
        assert!(e.contains("iban"), "{e}");
        let e = Policy::from_toml(
            "[[rule]]\nlevel = \"high\"\nall = [\"bank\"]\nreason = \"x\"\ncolour = 1\n",
        )
        .unwrap_err();
        assert!(e.contains("colour"), "{e}");
    }
}
