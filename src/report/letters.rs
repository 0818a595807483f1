//! Notification letters (UK GDPR Art. 34): one HTML letter per notified tenant, one combined
//! `letters.html` for printing (A4, a page break per letter), from minijinja templates the DPO
//! can replace with `--template DIR` (`letter.html`, `page.html`). Undefined template values
//! are errors, never blanks. A letter names only the tenant's own exposed fields, never values.

use super::org::Org;
use crate::dump::sensitive::Category;
use crate::keys::Field;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value, context};
use serde::Serialize;
use std::path::Path;

/// The default letter body.
pub const DEFAULT_LETTER: &str = include_str!("templates/letter.html");
/// The default page wrapper (A4 print CSS).
pub const DEFAULT_PAGE: &str = include_str!("templates/page.html");

/// The tenant as addressed in a letter.
#[derive(Debug, Clone, Serialize)]
pub struct Addressee {
    /// "Dear Mrs O'Neill".
    pub salutation: String,
    /// Full name as on the tenancy.
    pub name: String,
    /// Address lines (without postcode).
    pub address_lines: Vec<String>,
    /// Postcode.
    pub postcode: String,
}

/// One piece of advice.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Advice {
    /// Short heading.
    pub heading: String,
    /// What to do.
    pub text: String,
}

/// "your date of birth" and so on.
pub fn field_phrase(f: Field) -> &'static str {
    match f {
        Field::Name => "your name",
        Field::Dob => "your date of birth",
        Field::Address => "your address",
        Field::Postcode => "your postcode",
        Field::Email => "your email address",
        Field::Phone => "your phone number",
        Field::Nino => "your National Insurance number",
        Field::Bank => "your bank sort code and account number",
        Field::TenancyRef => "your tenancy reference number",
    }
}

/// Words for sensitive data found beside the tenant's details (never the value).
pub fn category_phrase(c: Category, email_exposed: bool) -> &'static str {
    match c {
        Category::Password if email_exposed => "a password linked to your email address",
        Category::Password => "a password you used",
        Category::PasswordHash | Category::PasswordHashStrong if email_exposed => {
            "a scrambled (hashed) form of a password linked to your email address"
        }
        Category::PasswordHash | Category::PasswordHashStrong => {
            "a scrambled (hashed) form of a password you used"
        }
        Category::PaymentCard => "a payment card number",
        Category::Iban => "an IBAN bank account number",
        Category::SecurityQa => "security questions and answers",
        Category::IpAddress => "an IP address (the address of an internet connection you used)",
        Category::Username => "a username",
        Category::SpecialCategory => {
            "sensitive information such as health, disability or benefits details"
        }
        Category::FreeText => "notes written about you",
    }
}

/// Every exposed item in words: the tenant's fields, then the sensitive data beside them.
pub fn exposure_phrases(fields: &[Field], co: &[Category]) -> Vec<String> {
    let email = fields.contains(&Field::Email);
    let mut out: Vec<String> = fields
        .iter()
        .map(|f| field_phrase(*f).to_string())
        .collect();
    for c in co {
        let p = category_phrase(*c, email).to_string();
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The exposed items as one sentence fragment: "your name, your date of birth and your address".
pub fn exposure_sentence_all(fields: &[Field], co: &[Category]) -> String {
    join_words(&exposure_phrases(fields, co))
}

fn join_words(p: &[String]) -> String {
    match p.len() {
        0 => String::new(),
        1 => p[0].clone(),
        n => format!("{} and {}", p[..n - 1].join(", "), p[n - 1]),
    }
}

/// The exposed fields as one sentence fragment: "your name, your date of birth and your address".
pub fn exposure_sentence(fields: &[Field]) -> String {
    let p: Vec<&str> = fields.iter().map(|f| field_phrase(*f)).collect();
    match p.len() {
        0 => String::new(),
        1 => p[0].to_string(),
        n => format!("{} and {}", p[..n - 1].join(", "), p[n - 1]),
    }
}

/// Likely consequences of these fields (and sensitive data beside them) being public.
pub fn consequences(fields: &[Field], co: &[Category]) -> Vec<String> {
    let has = |f| fields.contains(&f);
    let mut out = Vec::new();
    if co.iter().any(|c| {
        matches!(
            c,
            Category::Password | Category::PasswordHash | Category::PasswordHashStrong
        )
    }) {
        out.push("Criminals may try the password on your email and other accounts to take them over, especially where you used the same password.".to_string());
    }
    if co.contains(&Category::PaymentCard) {
        out.push("Someone could try to make payments with your card.".to_string());
    }
    if co.contains(&Category::SpecialCategory) {
        out.push("Sensitive personal details about you could be used to embarrass, pressure or discriminate against you.".to_string());
    }
    if has(Field::Nino) || (has(Field::Name) && has(Field::Dob)) {
        out.push("Someone could try to use your details to pretend to be you, for example to apply for credit or benefits in your name (identity fraud).".to_string());
    }
    if co.contains(&Category::SecurityQa) {
        out.push("Someone could use your security answers to get into your accounts by pretending to be you.".to_string());
    }
    if has(Field::Bank) || co.contains(&Category::Iban) {
        out.push("Someone could try to take money using your bank details, or use them to make a scam call or message seem genuine.".to_string());
    }
    if has(Field::Email) {
        out.push("You may receive more scam (phishing) emails, some of which may look as if they come from us or from your bank.".to_string());
    }
    if has(Field::Phone) {
        out.push("You may receive scam phone calls or text messages.".to_string());
    }
    if out.is_empty() {
        out.push("The risk to you is lower, but criminals sometimes combine details from different leaks, so please stay alert.".to_string());
    }
    out
}

/// What to do, for these fields. Report Fraud replaced Action Fraud on 4 December 2025.
pub fn advice(fields: &[Field], co: &[Category], org_name: &str) -> Vec<Advice> {
    let has = |f| fields.contains(&f);
    let a = |h: &str, t: String| Advice {
        heading: h.to_string(),
        text: t,
    };
    let mut out = vec![a(
        "Be wary of unexpected contact.",
        format!(
            "{org_name} will never ask for your bank details or passwords by email, text or phone. If in doubt, hang up and call us on a number you already know."
        ),
    )];
    if co.iter().any(|c| {
        matches!(
            c,
            Category::Password | Category::PasswordHash | Category::PasswordHashStrong
        )
    }) {
        out.push(a("Change this password now.", "Change it on every account where you used it or something like it, starting with your email, and turn on two-factor authentication. Use a different password for each account; a password manager helps.".into()));
    }
    if co.contains(&Category::PaymentCard) {
        out.push(a("Call your card provider.", "Ask them to cancel and replace the card, and check your statements for payments you do not recognise.".into()));
    }
    if co.contains(&Category::SecurityQa) {
        out.push(a(
            "Change your security answers.",
            "Change the security questions and answers or memorable words on your accounts.".into(),
        ));
    }
    if has(Field::Email) {
        out.push(a("Protect your email account.", "Change its password, and the password of any account that uses the same one, and turn on two-factor authentication (2-step verification). Forward suspicious emails to report@phishing.gov.uk.".into()));
    }
    if has(Field::Phone) {
        out.push(a("Watch for scam calls and texts.", "Forward suspicious texts to 7726 (free). If a caller says they are from your bank, hang up and call 159. You can register with the Telephone Preference Service (tpsonline.org.uk) to cut unwanted sales calls.".into()));
    }
    if has(Field::Bank) || co.contains(&Category::Iban) {
        out.push(a("Tell your bank.", "Check your statements for payments you do not recognise. If someone calls claiming to be your bank, hang up and call 159.".into()));
    }
    if has(Field::Nino) {
        out.push(a("Watch for misuse of your National Insurance number.", "If you think someone is using it, for example for a job or benefits you do not recognise, call HMRC's National Insurance helpline on 0300 200 3500. You can see the jobs and benefits recorded against it in your personal tax account at gov.uk.".into()));
    }
    if co.contains(&Category::SpecialCategory) {
        out.push(a("Talk to us if you are worried.", format!("If you are worried about how the sensitive information about you could be used, contact {org_name}'s Data Protection Officer (below): we will talk it through with you and can point you to support.")));
    }
    if has(Field::Nino)
        || has(Field::Bank)
        || co.contains(&Category::Iban)
        || (has(Field::Name) && has(Field::Dob))
    {
        out.push(a("Check your credit file.", "You can check it for free with Experian, Equifax and TransUnion. Consider Cifas Protective Registration (cifas.org.uk), which adds extra checks when anyone applies for credit in your name.".into()));
    }
    out.push(a("Report fraud.", "If you think you have been a victim of fraud, report it to Report Fraud at reportfraud.police.uk or on 0300 123 2040 (in Scotland, call Police Scotland on 101).".into()));
    out
}

/// Loaded templates.
pub struct Letters {
    env: Environment<'static>,
}

impl Letters {
    /// The built-in templates, or those in `dir` (`letter.html`, `page.html`; either may be
    /// absent to keep the default).
    pub fn new(dir: Option<&Path>) -> Result<Letters, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let load = |name: &str, default: &'static str| -> Result<String, String> {
            match dir.map(|d| d.join(name)) {
                Some(p) if p.exists() => fs_err::read_to_string(&p).map_err(|e| e.to_string()),
                _ => Ok(default.to_string()),
            }
        };
        env.add_template_owned("letter.html", load("letter.html", DEFAULT_LETTER)?)
            .map_err(|e| format!("letter.html: {e}"))?;
        env.add_template_owned("page.html", load("page.html", DEFAULT_PAGE)?)
            .map_err(|e| format!("page.html: {e}"))?;
        Ok(Letters { env })
    }

    /// Renders one letter body. `search_complete` says whether every file of the leak was
    /// searched: when not, the letter does not say that nothing else was found.
    #[allow(clippy::too_many_arguments)]
    pub fn body(
        &self,
        org: &Org,
        date: &str,
        tenant: &Addressee,
        fields: &[Field],
        co: &[Category],
        group: &str,
        search_complete: bool,
    ) -> Result<String, String> {
        let exposed: Vec<String> = exposure_phrases(fields, co)
            .iter()
            .map(|p| {
                let mut c = p.chars();
                c.next()
                    .map(|x| x.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            })
            .collect();
        self.env
            .get_template("letter.html")
            .and_then(|t| {
                t.render(context! {
                    org => Value::from(Serde(org)),
                    date => date,
                    tenant => Value::from(Serde(tenant)),
                    exposed => exposed,
                    consequences => consequences(fields, co),
                    advice => Value::from(Serde(advice(fields, co, &org.name))),
                    group => group,
                    search_complete => search_complete,
                })
            })
            .map_err(|e| format!("letter.html: {e:#}"))
    }

    /// Wraps bodies into a printable page.
    pub fn page(&self, title: &str, bodies: &[String]) -> Result<String, String> {
        self.env
            .get_template("page.html")
            .and_then(|t| t.render(context! { title => title, body => bodies.join("\n") }))
            .map_err(|e| format!("page.html: {e:#}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant() -> Addressee {
        Addressee {
            salutation: "Dear Mrs O'Neill".into(),
            name: "Mrs Siân O'Neill".into(),
            address_lines: vec!["Flat 3, 12 High St".into(), "Leeds".into()],
            postcode: "LS1 4AB".into(),
        }
    }

    #[test]
    fn letter_names_only_exposed_fields_and_report_fraud() {
        let org = Org::from_toml(Org::sample_toml()).unwrap();
        let l = Letters::new(None).unwrap();
        let body = l
            .body(
                &org,
                "25 November 2026",
                &tenant(),
                &[Field::Name, Field::Dob, Field::Postcode],
                &[],
                "tenant",
                true,
            )
            .unwrap();
        assert!(body.contains("Your date of birth"));
        assert!(!body.contains("member of our staff"));
        assert!(!body.contains("National Insurance"));
        assert!(body.contains("Report Fraud") && body.contains("0300 123 2040"));
        assert!(!body.contains("Action Fraud"));
        assert!(body.contains("not found any other") && !body.contains("still checking"));
        assert!(!body.contains("HMRC"));
        let nino = l
            .body(
                &org,
                "today",
                &tenant(),
                &[Field::Nino],
                &[Category::Iban],
                "tenant",
                true,
            )
            .unwrap();
        assert!(nino.contains("0300 200 3500") && nino.contains("Tell your bank"));
        assert!(body.contains("O&#x27;Neill") || body.contains("O'Neill"));
        let page = l.page("Letters", &[body.clone(), body]).unwrap();
        assert_eq!(page.matches("class=\"letter\"").count(), 2);
    }

    #[test]
    fn html_in_names_is_escaped_and_undefined_values_fail() {
        let org = Org::from_toml(Org::sample_toml()).unwrap();
        let l = Letters::new(None).unwrap();
        let mut t = tenant();
        t.name = "<script>alert(1)</script>".into();
        let body = l
            .body(
                &org,
                "today",
                &t,
                &[Field::Email],
                &[Category::Password],
                "staff",
                false,
            )
            .unwrap();
        assert!(
            body.contains("A password linked to your email address")
                && body.contains("Change this password now")
        );
        assert!(!body.contains("<script>"));
        assert!(body.contains("member, or former member, of our staff"));
        assert!(body.contains("still checking them") && !body.contains("not found any other"));
        let dir = std::env::temp_dir().join(format!("bm-tpl-{}", std::process::id()));
        fs_err::create_dir_all(&dir).unwrap();
        fs_err::write(dir.join("letter.html"), "{{ tenant.nickname }}").unwrap();
        let l = Letters::new(Some(&dir)).unwrap();
        assert!(
            l.body(
                &org,
                "today",
                &tenant(),
                &[Field::Email],
                &[],
                "tenant",
                true
            )
            .is_err()
        );
        fs_err::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sentences() {
        assert_eq!(exposure_sentence(&[Field::Email]), "your email address");
        assert_eq!(
            exposure_sentence(&[Field::Name, Field::Dob, Field::Address]),
            "your name, your date of birth and your address"
        );
    }
}
