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

/// The default consequences and advice (`advice.toml` in a `--template` folder replaces it).
pub const DEFAULT_ADVICE: &str = include_str!("templates/advice.toml");

/// One consequence or piece of advice and when it applies.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// It applies when one of these lists holds entirely (fields and data found beside them);
    /// no list: always.
    #[serde(default)]
    when: Vec<Vec<String>>,
    /// Only when no other entry of its kind applies.
    #[serde(default)]
    otherwise: bool,
    /// A short heading (advice).
    #[serde(default)]
    heading: String,
    /// The text; `{org}` is the organisation's name.
    text: String,
}

/// What letters say each exposure could mean, and what to do: from `advice.toml`, which a DPO
/// can edit (a fact that changes, such as where to report fraud, needs no rebuild).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterText {
    #[serde(default)]
    consequence: Vec<Entry>,
    #[serde(default)]
    advice: Vec<Entry>,
}

impl Default for LetterText {
    fn default() -> Self {
        LetterText::from_toml(DEFAULT_ADVICE).expect("the built-in advice.toml is valid")
    }
}

impl LetterText {
    /// Parses and checks an `advice.toml`: every name in `when` must be a field or a kind of
    /// data found beside one.
    pub fn from_toml(text: &str) -> Result<LetterText, String> {
        let t: LetterText = toml::from_str(text).map_err(|e| e.to_string())?;
        for (kind, list) in [("consequence", &t.consequence), ("advice", &t.advice)] {
            for (i, e) in list.iter().enumerate() {
                for name in e.when.iter().flatten() {
                    if Field::parse(name).is_none() && Category::parse(name).is_none() {
                        return Err(format!(
                            "{kind} {}: unknown name {name:?} in `when`; fields are {}, and data found beside them {}",
                            i + 1,
                            Field::ALL.map(Field::as_str).join(", "),
                            Category::ALL.map(Category::as_str).join(", ")
                        ));
                    }
                }
            }
        }
        Ok(t)
    }

    /// `advice.toml` in `dir` when there is one, else the built-in text.
    pub fn load(dir: Option<&Path>) -> Result<LetterText, String> {
        match dir.map(|d| d.join("advice.toml")) {
            Some(p) if p.exists() => {
                let text = fs_err::read_to_string(&p).map_err(|e| e.to_string())?;
                LetterText::from_toml(&text).map_err(|e| format!("{}: {e}", p.display()))
            }
            _ => Ok(LetterText::default()),
        }
    }

    fn applying<'a>(list: &'a [Entry], fields: &[Field], co: &[Category]) -> Vec<&'a Entry> {
        let has = |n: &String| {
            fields.iter().any(|f| f.as_str() == n) || co.iter().any(|c| c.as_str() == n)
        };
        let applies = |e: &Entry| e.when.is_empty() || e.when.iter().any(|all| all.iter().all(has));
        let mut out: Vec<&Entry> = list.iter().filter(|e| !e.otherwise && applies(e)).collect();
        if out.is_empty() {
            out.extend(list.iter().filter(|e| e.otherwise && applies(e)));
        }
        out
    }

    /// Likely consequences of these fields (and sensitive data beside them) being public.
    pub fn consequences(&self, fields: &[Field], co: &[Category]) -> Vec<String> {
        LetterText::applying(&self.consequence, fields, co)
            .into_iter()
            .map(|e| e.text.clone())
            .collect()
    }

    /// What to do, for these fields.
    pub fn advice(&self, fields: &[Field], co: &[Category], org_name: &str) -> Vec<Advice> {
        LetterText::applying(&self.advice, fields, co)
            .into_iter()
            .map(|e| Advice {
                heading: e.heading.replace("{org}", org_name),
                text: e.text.replace("{org}", org_name),
            })
            .collect()
    }
}

/// Loaded templates.
pub struct Letters {
    env: Environment<'static>,
    text: LetterText,
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
        Ok(Letters {
            env,
            text: LetterText::load(dir)?,
        })
    }

    /// The consequences and advice the letters give.
    pub fn text(&self) -> &LetterText {
        &self.text
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
                    consequences => self.text.consequences(fields, co),
                    advice => Value::from(Serde(self.text.advice(fields, co, &org.name))),
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
    fn advice_comes_from_an_editable_file_and_bad_names_are_errors() {
        let t = LetterText::default();
        let a = t.advice(&[Field::Email], &[], "Example Homes");
        assert!(a[0].text.starts_with("Example Homes will never ask"));
        assert!(a.iter().any(|x| x.heading == "Protect your email account."));
        assert!(a.last().unwrap().text.contains("Report Fraud"));
        assert_eq!(
            t.consequences(&[Field::Postcode], &[]),
            [
                "The risk to you is lower, but criminals sometimes combine details from different leaks, so please stay alert."
            ]
        );
        assert!(t.consequences(&[Field::Name, Field::Dob], &[])[0].contains("identity fraud"));
        let mine = LetterText::from_toml(
            "[[advice]]\nwhen = [[\"nino\"]]\nheading = \"Call us.\"\ntext = \"{org} can help.\"\n",
        )
        .unwrap();
        let a = mine.advice(&[Field::Nino], &[], "X");
        assert_eq!(
            (a[0].heading.as_str(), a[0].text.as_str()),
            ("Call us.", "X can help.")
        );
        assert!(mine.advice(&[Field::Email], &[], "X").is_empty());
        let e =
            LetterText::from_toml("[[advice]]\nwhen = [[\"shoe\"]]\ntext = \"x\"\n").unwrap_err();
        assert!(e.contains("advice 1") && e.contains("\"shoe\""), "{e}");
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
