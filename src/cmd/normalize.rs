//! `breachmatch normalize`: how values normalise, or why they are rejected.
//!
//! Prints CSV on stdout: `input,kind,normalised,status,reason,other_candidates`, for each
//! VALUE, or for each line of standard input when no value is given. For a whole name,
//! `normalised` is the first (given name, surname) reading and `other_candidates` every other
//! one the scan also tries ("John Paul Smith": john paulsmith, and johnpaul smith).
//!
//! Examples:
//!   breachmatch normalize --kind phone "+44 (0)7700 900123" "07700 900123"
//!   cut -d, -f9 tenants.csv | breachmatch normalize --kind postcode

use super::{Exit, ui::Ui};
use breachmatch::normalize::{FieldKind, normalize_into};
use std::io::BufRead;

/// Arguments of `normalize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Field kind: name, given_name, surname, dob, postcode, email, email_folded, phone, nino,
    /// sort_code, account_number, tenancy_ref, address_line.
    #[arg(long, value_parser = parse_kind)]
    pub kind: FieldKind,
    /// Values (read from standard input, one per line, when none are given).
    pub values: Vec<String>,
}

fn parse_kind(s: &str) -> Result<FieldKind, String> {
    FieldKind::parse(s).ok_or_else(|| {
        format!(
            "unknown kind {s:?}; kinds are {}",
            FieldKind::ALL.map(FieldKind::as_str).join(", ")
        )
    })
}

/// Runs `normalize`.
pub fn run(args: Args, _ui: &Ui) -> anyhow::Result<Exit> {
    let stdout = std::io::stdout();
    let mut w = csv::Writer::from_writer(stdout.lock());
    w.write_record([
        "input",
        "kind",
        "normalised",
        "status",
        "reason",
        "other_candidates",
    ])?;
    let mut buf = String::new();
    let mut pairs = Vec::new();
    let mut one = |w: &mut csv::Writer<_>, v: &str| -> anyhow::Result<()> {
        let (norm, status, reason) = match normalize_into(args.kind, v, &mut buf) {
            Ok(()) => (buf.replace('\u{1f}', " "), "ok", String::new()),
            Err(e) => (String::new(), "rejected", e.to_string()),
        };
        let mut others = String::new();
        if args.kind == FieldKind::Name
            && status == "ok"
            && breachmatch::normalize::name::full_name(v, &mut pairs).is_ok()
        {
            others = pairs
                .iter()
                .map(|(g, s)| {
                    if g.is_empty() {
                        format!("(surname only) {s}")
                    } else {
                        format!("{g} {s}")
                    }
                })
                .filter(|c| *c != norm)
                .collect::<Vec<_>>()
                .join("; ");
        }
        w.write_record([v, args.kind.as_str(), &norm, status, &reason, &others])?;
        Ok(())
    };
    if args.values.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            one(&mut w, line.trim_end_matches('\r'))?;
        }
    } else {
        for v in &args.values {
            one(&mut w, v)?;
        }
    }
    w.flush()?;
    Ok(Exit::Ok)
}
