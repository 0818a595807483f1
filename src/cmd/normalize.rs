//! `breachmatch normalize`: how values normalise, or why they are rejected.
//!
//! Prints CSV on stdout: `input,kind,normalised,status,reason,other_candidates`, one row for
//! each VALUE, or for each line of standard input when no value is given. For a whole name,
//! `normalised` is the first (given name, surname) reading and `other_candidates` every other
//! one the scan also tries ("John Paul Smith": john paulsmith, and johnpaul smith).
//!
//! A phone or e-mail cell that does not normalise as one value is read as the scan reads it:
//! when it holds a list ("07700 900123 / 0113 496 0000", "a@x.com; b@y.com", "07700 900123 or
//! 0113 496 0000"), the scan reads each value of the list, so the row is `ok` with the first
//! value in `normalised`, the others in `other_candidates` (separated by "; ") and `reason`
//! saying it was read as a list. A cell none of whose parts reads keeps the whole cell's
//! rejection, as in the scan.
//!
//! Examples:
//!   breachmatch normalize --kind phone "+44 (0)7700 900123" "07700 900123"
//!   cut -d, -f9 tenants.csv | breachmatch normalize --kind postcode

use super::{Exit, ui::Ui};
use breachmatch::keys::Person;
use breachmatch::normalize::{FieldKind, Reject, normalize_into};
use breachmatch::roles::Role;
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

/// Buffers reused from value to value.
#[derive(Default)]
struct Scratch {
    buf: String,
    pairs: Vec<(String, String)>,
    person: Person,
}

/// The columns of one output row after `input` and `kind`.
#[derive(Debug, PartialEq, Eq)]
struct Row {
    normalised: String,
    status: &'static str,
    reason: String,
    other_candidates: String,
}

/// The column role whose cells the scan splits into a list of values when the whole cell does
/// not normalise (`keys::Person::fill`), for the kinds it splits.
fn list_role(kind: FieldKind) -> Option<Role> {
    match kind {
        FieldKind::Phone => Some(Role::Phone),
        FieldKind::Email | FieldKind::EmailFolded => Some(Role::Email),
        _ => None,
    }
}

/// The values of `kind` the scan reads from `cell`, through the scan's own `Person::fill`.
/// Called only for a cell that does not normalise as one value: the values of the list it
/// holds (none when it is not a list, or no part of it reads).
fn list_values<'a>(kind: FieldKind, cell: &str, person: &'a mut Person) -> &'a [String] {
    let Some(role) = list_role(kind) else {
        return &[];
    };
    person.clear();
    person.fill([(role, cell)], |_| {});
    match kind {
        FieldKind::Phone => person.phone.as_slice(),
        FieldKind::EmailFolded => person.email_folded.as_slice(),
        _ => person.email.as_slice(),
    }
}

/// Normalises `v` as `kind` and describes the result as the scan reads it.
fn row(kind: FieldKind, v: &str, s: &mut Scratch) -> Row {
    match normalize_into(kind, v, &mut s.buf) {
        Ok(()) => one_value(kind, v, s),
        Err(e) => list_or_rejected(kind, v, e, &mut s.person),
    }
}

/// The row of a value that normalised (into `s.buf`); for a whole name, with every other
/// reading the scan tries.
fn one_value(kind: FieldKind, v: &str, s: &mut Scratch) -> Row {
    let normalised = s.buf.replace('\u{1f}', " ");
    let mut other_candidates = String::new();
    if kind == FieldKind::Name && breachmatch::normalize::name::full_name(v, &mut s.pairs).is_ok() {
        other_candidates = s
            .pairs
            .iter()
            .map(|(g, sn)| {
                if g.is_empty() {
                    format!("(surname only) {sn}")
                } else {
                    format!("{g} {sn}")
                }
            })
            .filter(|c| *c != normalised)
            .collect::<Vec<_>>()
            .join("; ");
    }
    Row {
        normalised,
        status: "ok",
        reason: String::new(),
        other_candidates,
    }
}

/// The row of a value that did not normalise as one value (`e` says why): the values of the
/// list the cell holds, when the scan reads it as one, otherwise the rejection.
fn list_or_rejected(kind: FieldKind, v: &str, e: Reject, person: &mut Person) -> Row {
    let values = list_values(kind, v, person);
    match values.split_first() {
        Some((first, rest)) => {
            let n = values.len();
            Row {
                normalised: first.clone(),
                status: "ok",
                reason: format!("read as a list: {n} value{}", if n == 1 { "" } else { "s" }),
                other_candidates: rest.join("; "),
            }
        }
        None => Row {
            normalised: String::new(),
            status: "rejected",
            reason: e.to_string(),
            other_candidates: String::new(),
        },
    }
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
    let mut scratch = Scratch::default();
    let mut one = |w: &mut csv::Writer<_>, v: &str| -> anyhow::Result<()> {
        let r = row(args.kind, v, &mut scratch);
        w.write_record([
            v,
            args.kind.as_str(),
            &r.normalised,
            r.status,
            &r.reason,
            &r.other_candidates,
        ])?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn r(kind: FieldKind, v: &str) -> Row {
        row(kind, v, &mut Scratch::default())
    }

    fn ok(normalised: &str, reason: &str, others: &str) -> Row {
        Row {
            normalised: normalised.to_string(),
            status: "ok",
            reason: reason.to_string(),
            other_candidates: others.to_string(),
        }
    }

    #[test]
    fn a_list_in_a_cell_shows_each_value_the_scan_reads() {
        for (kind, cell, want) in [
            (
                FieldKind::Phone,
                "07700 900123 / 0113 496 0000",
                ok("+447700900123", "read as a list: 2 values", "+441134960000"),
            ),
            (
                FieldKind::Phone,
                "07700 900123 or 0113 496 0000",
                ok("+447700900123", "read as a list: 2 values", "+441134960000"),
            ),
            (
                FieldKind::Phone,
                "07700 900102 (mum) / 07700 900103 (dad) / 0770",
                ok("+447700900102", "read as a list: 2 values", "+447700900103"),
            ),
            // The same number twice is one value.
            (
                FieldKind::Phone,
                "07700 900123 / 07700900123",
                ok("+447700900123", "read as a list: 1 value", ""),
            ),
            (
                FieldKind::Email,
                "A.B@x.com; c@y.org",
                ok("a.b@x.com", "read as a list: 2 values", "c@y.org"),
            ),
            (
                FieldKind::Email,
                "a.b@x.com c@y.org",
                ok("a.b@x.com", "read as a list: 2 values", "c@y.org"),
            ),
            (
                FieldKind::EmailFolded,
                "A.B+1@gmail.com, c@y.org",
                ok("ab@gmail.com", "read as a list: 2 values", "c@y.org"),
            ),
        ] {
            assert_eq!(r(kind, cell), want, "{kind} {cell}");
        }
    }

    #[test]
    fn one_value_or_no_readable_part_is_as_before() {
        assert_eq!(
            r(FieldKind::Phone, "07700 900123"),
            ok("+447700900123", "", "")
        );
        assert_eq!(
            r(FieldKind::Phone, "07700 900102 (mum)"),
            ok("+447700900102", "", "")
        );
        for (kind, cell) in [
            (FieldKind::Phone, "0770"),
            (FieldKind::Phone, "0770 / 0771"),
            (FieldKind::Phone, "call me"),
            (FieldKind::Email, "amy; bob"),
            // Kinds the scan does not split.
            (FieldKind::Nino, "JZ123458C / JZ123459C"),
            (FieldKind::Postcode, "SW1A 1AA / LS1 4AB"),
        ] {
            let got = r(kind, cell);
            let want = normalize_into(kind, cell, &mut String::new()).unwrap_err();
            assert_eq!(got.status, "rejected", "{kind} {cell}");
            assert_eq!(got.reason, want.to_string(), "{kind} {cell}");
            assert!(got.normalised.is_empty() && got.other_candidates.is_empty());
        }
        let empty = r(FieldKind::Phone, "n/a");
        assert_eq!(empty.status, "rejected");
    }
}
