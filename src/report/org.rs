//! `org.toml`: who the landlord is, who the DPO is, and what happened. Every value is required:
//! a missing or empty one is an error naming it, never a blank in a letter.

use serde::{Deserialize, Serialize};

/// The organisation's details for letters and the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Org {
    /// The landlord's name.
    pub name: String,
    /// Its postal address, one line per item.
    pub address: Vec<String>,
    /// The DPO's name.
    pub dpo_name: String,
    /// The DPO's e-mail.
    pub dpo_email: String,
    /// The DPO's phone.
    pub dpo_phone: String,
    /// When the incident happened or was discovered (free text, e.g. "1 November 2026").
    pub incident_date: String,
    /// What happened, in plain English.
    pub incident_summary: String,
    /// What the landlord has done.
    pub actions_taken: String,
    /// The letters' signatory.
    pub signatory: String,
}

impl Org {
    /// Parses and checks an org file's text.
    pub fn from_toml(text: &str) -> Result<Org, String> {
        let org: Org = toml::from_str(text).map_err(|e| e.to_string())?;
        let fields = [
            ("name", &org.name),
            ("dpo_name", &org.dpo_name),
            ("dpo_email", &org.dpo_email),
            ("dpo_phone", &org.dpo_phone),
            ("incident_date", &org.incident_date),
            ("incident_summary", &org.incident_summary),
            ("actions_taken", &org.actions_taken),
            ("signatory", &org.signatory),
        ];
        for (k, v) in fields {
            if v.trim().is_empty() {
                return Err(format!("`{k}` is empty; letters need it"));
            }
        }
        let mut email = String::new();
        if crate::normalize::email::normalize(&org.dpo_email, &mut email).is_err() {
            return Err(format!(
                "`dpo_email` {:?} is not an e-mail address; tenants are told to write to it",
                org.dpo_email
            ));
        }
        if org.address.iter().all(|l| l.trim().is_empty()) {
            return Err("`address` is empty; letters need it".into());
        }
        Ok(org)
    }

    /// The sample organisation written by `sample` (fictional).
    pub fn sample_toml() -> &'static str {
        r#"# Organisation details for letters and the summary. Every value is required.
name = "Example Homes Housing Association"
address = ["1 Sample Street", "Leeds", "LS1 1AA"]
dpo_name = "Alex Example"
dpo_email = "dpo@example-homes.org.uk"
dpo_phone = "0113 496 0000"
incident_date = "1 November 2026"
incident_summary = "On 1 November 2026 we learned that criminals had published data they said was taken from our systems. We have checked that data against our tenant records."
actions_taken = "We have secured our systems with specialist help, reported the incident to the Information Commissioner's Office and the police, and checked the published data against our records so we can tell you exactly what it contains about you."
signatory = "Alex Example, Data Protection Officer"
"#
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_parses_and_missing_values_are_named() {
        Org::from_toml(Org::sample_toml()).unwrap();
        let without = Org::sample_toml().replace("dpo_email = \"dpo@example-homes.org.uk\"\n", "");
        let e = Org::from_toml(&without).unwrap_err();
        assert!(e.contains("dpo_email"), "{e}");
        let bad = Org::sample_toml().replace("dpo@example-homes.org.uk", "not-an-email");
        let e = Org::from_toml(&bad).unwrap_err();
        assert!(e.contains("not an e-mail address"), "{e}");
        let empty = Org::sample_toml().replace("\"Alex Example\"", "\" \"");
        let e = Org::from_toml(&empty).unwrap_err();
        assert!(e.contains("dpo_name"), "{e}");
    }
}
