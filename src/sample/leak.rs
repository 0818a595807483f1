//! `sample --leak-tree`: a small ransomware-style leak folder built from the sample tenants,
//! with a people file that also holds staff, and ground truth.
//!
//! The tree holds what such leaks hold: an arrears spreadsheet whose header is on row 4 (with a
//! real Excel date column) and a contacts sheet; a staff list; a `mysqldump` with a tenants
//! table (and password hashes); Word letters; PDF rent statements; case notes as free text; an
//! e-mail with a PDF attachment; a zip of a letter and a CSV; a scanned-image PDF, a photo and
//! an encrypted zip (all three listed as not searched). `leak_truth.csv` says, per person and
//! per file, which fields a correct scan finds (confirmed or probable); `leak_not_searched.csv`
//! lists the files that cannot be searched; `case_notes_truth.csv` says which person each case
//! note paragraph really exposes, for measuring the free-text window.

use super::SampleError;
use crate::normalize::{FieldKind, normalize};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// One person of the people file, with display forms of the values.
#[derive(Debug, Clone)]
struct P {
    id: String,
    group: &'static str,
    title: String,
    given: String,
    surname: String,
    dob: jiff::civil::Date,
    addr1: String,
    town: String,
    postcode: String,
    email: String,
    phone: String,
    nino: String,
    sort: String,
    account: String,
    tenancy: String,
}

impl P {
    fn name(&self) -> String {
        format!("{} {}", self.given, self.surname)
    }
    fn dob_long(&self) -> String {
        self.dob.strftime("%-d %B %Y").to_string()
    }
    fn dob_short(&self) -> String {
        self.dob.strftime("%d/%m/%Y").to_string()
    }
}

fn pretty_postcode(pc: &str) -> String {
    let p = normalize(FieldKind::Postcode, pc).unwrap_or_else(|_| pc.to_string());
    let p: String = p.chars().filter(|c| !c.is_whitespace()).collect();
    if p.len() > 3 {
        format!("{} {}", &p[..p.len() - 3], &p[p.len() - 3..])
    } else {
        p
    }
}

fn pretty_phone(ph: &str) -> String {
    match normalize(FieldKind::Phone, ph) {
        Ok(e164) if e164.starts_with("+44") && e164.len() == 13 => {
            format!("0{} {}", &e164[3..7], &e164[7..])
        }
        _ => ph.to_string(),
    }
}

fn read_people(tenants_csv: &Path) -> Result<Vec<P>, SampleError> {
    let io = super::io(tenants_csv);
    let mut r = csv::Reader::from_path(tenants_csv)
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let headers = r
        .headers()
        .map_err(|e| io(std::io::Error::other(e.to_string())))?
        .clone();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| io(std::io::Error::other(e.to_string())))?;
        let g = |n: &str| {
            col(n)
                .and_then(|i| rec.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let Ok(dob) = normalize(FieldKind::Dob, &g("Date of Birth")) else {
            continue;
        };
        let Ok(dob) = dob.parse::<jiff::civil::Date>() else {
            continue;
        };
        out.push(P {
            id: g("Tenant ID"),
            group: "tenant",
            title: g("Title"),
            given: g("Forename"),
            surname: g("Surname"),
            dob,
            addr1: g("Address Line 1"),
            town: g("Town"),
            postcode: g("Postcode"),
            email: g("Email").to_lowercase(),
            phone: g("Phone"),
            nino: g("NI Number").to_uppercase(),
            sort: g("Sort Code"),
            account: g("Account Number"),
            tenancy: g("Tenancy Ref"),
        });
    }
    Ok(out)
}

/// A person is usable in the tree when every field is present and normalises, and nobody else
/// in the file shares the name or a strong value (joint tenants share a tenancy reference and
/// are both exposed by it, as the main sample's truth says; the tree keeps to one person per
/// value so that its truth needs no household reasoning).
fn usable(p: &P, names: &BTreeMap<String, usize>, shared: &BTreeMap<String, usize>) -> bool {
    let ok = |k: FieldKind, v: &str| !v.is_empty() && normalize(k, v).is_ok();
    let once = |k: FieldKind, v: &str| {
        normalize(k, v).is_ok_and(|n| shared.get(&format!("{k:?}:{n}")) == Some(&1))
    };
    names.get(&p.name().to_lowercase()) == Some(&1)
        && once(FieldKind::TenancyRef, &p.tenancy)
        && once(FieldKind::Phone, &p.phone)
        && once(FieldKind::Email, &p.email)
        && ok(FieldKind::Email, &p.email)
        && ok(FieldKind::Phone, &p.phone)
        && ok(FieldKind::Nino, &p.nino)
        && ok(FieldKind::Postcode, &p.postcode)
        && ok(FieldKind::TenancyRef, &p.tenancy)
        && ok(FieldKind::AddressLine, &p.addr1)
        && p.given.chars().all(|c| c.is_alphabetic())
        && p.surname.chars().all(|c| c.is_alphabetic())
        && p.addr1.split_whitespace().count() >= 3
}

/// Files of the tree that are expected not to be searched, with a word their reason contains.
pub const NOT_SEARCHED: [(&str, &str); 3] = [
    ("Scans/signed_tenancy_agreement.pdf", "OCR"),
    ("Photos/estate_visit.jpg", "OCR"),
    ("Archive/payroll_protected.zip!/payroll.csv", "encrypted"),
];

/// Writes `<out>/leak_tree/`: `people.csv`, `tree/...`, `leak_truth.csv`,
/// `leak_not_searched.csv` and `case_notes_truth.csv`. Reads `<out>/tenants.csv`.
pub fn write_leak_tree(out: &Path, seed: u64) -> Result<Vec<std::path::PathBuf>, SampleError> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1ea4_7ee5);
    let tenants = read_people(&out.join("tenants.csv"))?;
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for t in &tenants {
        *names.entry(t.name().to_lowercase()).or_default() += 1;
    }
    let mut shared: BTreeMap<String, usize> = BTreeMap::new();
    for t in &tenants {
        for (k, v) in [
            (FieldKind::TenancyRef, &t.tenancy),
            (FieldKind::Phone, &t.phone),
            (FieldKind::Email, &t.email),
        ] {
            if let Ok(n) = normalize(k, v) {
                *shared.entry(format!("{k:?}:{n}")).or_default() += 1;
            }
        }
    }
    let pool: Vec<&P> = tenants
        .iter()
        .filter(|p| usable(p, &names, &shared))
        .collect();
    // Households (same address) would add household matches; keep one person per address.
    let mut seen_addr = BTreeSet::new();
    let mut chosen: Vec<P> = Vec::new();
    let mut order: Vec<usize> = (0..pool.len()).collect();
    for i in (1..order.len()).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    for i in order {
        let p = pool[i];
        let addr = (
            p.addr1.to_lowercase(),
            p.postcode.replace(' ', "").to_uppercase(),
        );
        let pc = p.postcode.replace(' ', "").to_uppercase();
        if seen_addr.insert(addr) && seen_addr.insert((String::new(), pc)) {
            chosen.push(p.clone());
        }
        if chosen.len() == 24 {
            break;
        }
    }
    if chosen.len() < 24 {
        return Err(SampleError::Io {
            path: out.join("tenants.csv"),
            source: std::io::Error::other("too few complete tenants for a leak tree (need 24)"),
        });
    }
    let staff = make_staff(&mut rng, &names);
    let dir = out.join("leak_tree");
    let tree = dir.join("tree");
    // A tree written before (the command asked for --force) goes first: its files for other
    // tenants would otherwise stay beside the new ones, outside the new ground truth.
    if tree.exists() {
        fs_err::remove_dir_all(&tree).map_err(super::io(&tree))?;
    }
    let mut truth: BTreeMap<(String, String), (String, BTreeSet<&'static str>)> = BTreeMap::new();
    let mut add = |who: &P, file: &str, fields: &[&'static str]| {
        truth
            .entry((who.id.clone(), file.to_string()))
            .or_insert_with(|| (who.group.to_string(), BTreeSet::new()))
            .1
            .extend(fields.iter().copied());
    };
    let mut written = Vec::new();
    let mut put = |rel: &str, bytes: &[u8]| -> Result<(), SampleError> {
        let p = tree.join(rel);
        if let Some(parent) = p.parent() {
            fs_err::create_dir_all(parent).map_err(super::io(parent))?;
        }
        fs_err::write(&p, bytes).map_err(super::io(&p))?;
        written.push(p);
        Ok(())
    };
    let c = &chosen;
    // 1. Arrears spreadsheet: title rows, header on row 4, a real Excel date column; and a
    //    contacts sheet with its header on row 1. Two strangers in the arrears sheet.
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let props = rust_xlsxwriter::DocProperties::new()
            .set_creation_datetime(
                &rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 1).unwrap_or_default(),
            )
            .set_author("Finance");
        wb.set_properties(&props);
        let date_fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        let ws = wb.add_worksheet();
        let e = |r: Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>| {
            r.map(|_| ()).map_err(|e| xlsx_err(&tree, e))
        };
        e(ws.set_name("Arrears"))?;
        e(ws.write_string(0, 0, "Rent arrears report"))?;
        e(ws.write_string(1, 0, "Prepared 01/03/2024 by Finance"))?;
        for (j, h) in [
            "Tenant Name",
            "Date of Birth",
            "Address",
            "Post Code",
            "Arrears",
        ]
        .iter()
        .enumerate()
        {
            e(ws.write_string(3, j as u16, *h))?;
        }
        let mut row = 4u32;
        let strangers = [
            ("Oliver", "Quenby", "1961-07-14", "3 Mill Lane", "YO1 7HH"),
            ("Priya", "Zell", "1990-11-02", "88 Kings Road", "BS1 5TR"),
        ];
        for (k, p) in c[0..5].iter().enumerate() {
            e(ws.write_string(row, 0, p.name()))?;
            let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(
                p.dob.year() as u16,
                p.dob.month() as u8,
                p.dob.day() as u8,
            )
            .map_err(|e| xlsx_err(&tree, e))?;
            e(ws.write_datetime_with_format(row, 1, &dt, &date_fmt))?;
            e(ws.write_string(row, 2, &p.addr1))?;
            e(ws.write_string(row, 3, pretty_postcode(&p.postcode)))?;
            e(ws.write_number(row, 4, (120 + 35 * k) as f64))?;
            add(
                p,
                "Finance/arrears_2024.xlsx",
                &["name", "dob", "address", "postcode"],
            );
            row += 1;
        }
        for (g, s, d, a, pc) in strangers {
            e(ws.write_string(row, 0, format!("{g} {s}")))?;
            e(ws.write_string(row, 1, d))?;
            e(ws.write_string(row, 2, a))?;
            e(ws.write_string(row, 3, pc))?;
            row += 1;
        }
        let ws = wb.add_worksheet();
        e(ws.set_name("Contacts"))?;
        for (j, h) in ["Email", "Mobile"].iter().enumerate() {
            e(ws.write_string(0, j as u16, *h))?;
        }
        for (k, p) in c[5..8].iter().enumerate() {
            e(ws.write_string(k as u32 + 1, 0, &p.email))?;
            e(ws.write_string(k as u32 + 1, 1, pretty_phone(&p.phone)))?;
            add(p, "Finance/arrears_2024.xlsx", &["email", "phone"]);
        }
        let bytes = wb.save_to_buffer().map_err(|e| xlsx_err(&tree, e))?;
        put("Finance/arrears_2024.xlsx", &bytes)?;
    }
    // 2. Staff list (HR): staff only.
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let props = rust_xlsxwriter::DocProperties::new().set_creation_datetime(
            &rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 1).unwrap_or_default(),
        );
        wb.set_properties(&props);
        let ws = wb.add_worksheet();
        let e = |r: Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>| {
            r.map(|_| ()).map_err(|e| xlsx_err(&tree, e))
        };
        e(ws.set_name("Staff"))?;
        for (j, h) in ["Employee", "DOB", "NI Number", "Work Email"]
            .iter()
            .enumerate()
        {
            e(ws.write_string(0, j as u16, *h))?;
        }
        for (k, s) in staff.iter().enumerate() {
            let r = k as u32 + 1;
            e(ws.write_string(r, 0, s.name()))?;
            e(ws.write_string(r, 1, s.dob_short()))?;
            e(ws.write_string(r, 2, &s.nino))?;
            e(ws.write_string(r, 3, &s.email))?;
            add(s, "HR/staff_list.xlsx", &["name", "dob", "nino", "email"]);
        }
        let bytes = wb.save_to_buffer().map_err(|e| xlsx_err(&tree, e))?;
        put("HR/staff_list.xlsx", &bytes)?;
    }
    // 3. mysqldump: tenants table with password hashes (and a stranger).
    {
        let mut s = String::from(
            "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: housing\n-- ------------------------------------------------------\n/*!40101 SET NAMES utf8mb4 */;\n\nDROP TABLE IF EXISTS `portal_users`;\nCREATE TABLE `portal_users` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `first_name` varchar(60) DEFAULT NULL,\n  `last_name` varchar(60) DEFAULT NULL,\n  `date_of_birth` date DEFAULT NULL,\n  `email` varchar(120) DEFAULT NULL,\n  `ni_number` varchar(13) DEFAULT NULL,\n  `tenancy_ref` varchar(20) DEFAULT NULL,\n  `password_hash` varchar(64) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\nLOCK TABLES `portal_users` WRITE;\nINSERT INTO `portal_users` VALUES ",
        );
        let mut tuples = Vec::new();
        for (k, p) in c[8..13].iter().enumerate() {
            let hash = format!("{:032x}", rng.random::<u128>());
            tuples.push(format!(
                "({},'{}','{}','{}','{}','{}','{}','{}')",
                k + 1,
                p.given.replace('\'', "\\'"),
                p.surname.replace('\'', "\\'"),
                p.dob,
                p.email,
                p.nino,
                p.tenancy,
                hash
            ));
            add(
                p,
                "IT/backup/housing_db.sql",
                &["name", "dob", "email", "nino", "tenancy_ref"],
            );
        }
        tuples.push("(6,'Quentin','Abara','1977-01-09','q.abara@example.net','JT123456A','TEN-990001','5f4dcc3b5aa765d61d8327deb882cf99')".into());
        s.push_str(&tuples.join(","));
        s.push_str(";\nUNLOCK TABLES;\n");
        put("IT/backup/housing_db.sql", s.as_bytes())?;
    }
    // 4. Word letters (name, address, postcode, tenancy reference).
    for p in &c[13..15] {
        let rel = format!("Letters/letter_{}.docx", p.tenancy.replace('/', "-"));
        put(&rel, &letter_docx(p))?;
        add(p, &rel, &["name", "address", "postcode", "tenancy_ref"]);
    }
    // 5. PDF rent statement: page 1 who, page 2 bank details (when the tenant has them).
    {
        let p = &c[15];
        let mut page2 = vec![
            "Payments received".to_string(),
            "01/02/2024  Direct debit  425.00".to_string(),
        ];
        // The PDF's font holds Latin-1 only: a name with another letter (Wiśniewska) is
        // printed with a '?' in its place, so the statement does not expose it.
        let mut fields = if p.name().chars().all(|ch| u32::from(ch) < 256) {
            vec!["name", "address", "postcode", "tenancy_ref"]
        } else {
            vec!["address", "postcode", "tenancy_ref"]
        };
        if !p.sort.is_empty() && !p.account.is_empty() {
            page2.push(format!(
                "Paid from sort code {} account {}",
                fmt_sort(&p.sort),
                p.account
            ));
            fields.push("bank");
        }
        let pdf = crate::docs::pdf::write_simple(&[
            Some(vec![
                "Rent statement, March 2024".into(),
                format!("{} {}", p.title, p.name()),
                p.addr1.clone(),
                p.town.clone(),
                pretty_postcode(&p.postcode),
                format!("Tenancy reference: {}", p.tenancy),
            ]),
            Some(page2),
        ]);
        put("Finance/statements/rent_statement_march.pdf", &pdf)?;
        add(p, "Finance/statements/rent_statement_march.pdf", &fields);
    }
    // 6. Case notes (free text): a paragraph per visit, values at varied distances.
    let notes = case_notes(&c[16..21], &mut add);
    put("Housing/case_notes.txt", notes.0.as_bytes())?;
    // 7. E-mail from a tenant, with a PDF statement of another tenant attached.
    {
        let (a, b) = (&c[21], &c[22]);
        let att = crate::docs::pdf::write_simple(&[Some(vec![
            "Rent statement".into(),
            b.name(),
            b.addr1.clone(),
            pretty_postcode(&b.postcode),
        ])]);
        let eml = crate::docs::mail::write_simple(
            &format!("{} <{}>", a.name(), a.email),
            "Housing Team <housing@flagstone-homes.example>",
            "Repair still not done",
            &format!(
                "Hello,\n\nThe boiler is still broken. Please call me on {}.\n\nAttached is my neighbour's statement that was posted to me by mistake.\n\nThanks",
                pretty_phone(&a.phone)
            ),
            &[("statement.pdf", "application/pdf", &att)],
        );
        put("Mail/inbox/complaint.eml", &eml)?;
        add(a, "Mail/inbox/complaint.eml", &["name", "email", "phone"]);
        add(
            b,
            "Mail/inbox/complaint.eml!/statement.pdf",
            &["name", "address", "postcode"],
        );
    }
    // 8. A zip holding a letter and a CSV export.
    {
        let p = &c[23];
        let letter = letter_docx(&c[14]);
        let csv = format!(
            "Name,Email,Phone\n{},{},{}\nZara Quill,zara.quill@example.org,07700 900999\n",
            p.name(),
            p.email,
            pretty_phone(&p.phone)
        );
        let z = zip_of(&[
            ("old/letter_copy.docx", &letter, None),
            ("exports/contacts.csv", csv.as_bytes(), None),
        ]);
        put("Archive/old_letters.zip", &z)?;
        add(
            &c[14],
            "Archive/old_letters.zip!/old/letter_copy.docx",
            &["name", "address", "postcode", "tenancy_ref"],
        );
        add(
            p,
            "Archive/old_letters.zip!/exports/contacts.csv",
            &["name", "email", "phone"],
        );
        // An encrypted zip: listed as not searched.
        let payroll = format!("Name,NI\n{},{}\n", staff[0].name(), staff[0].nino);
        let z = zip_of(&[("payroll.csv", payroll.as_bytes(), Some("Winter2024!"))]);
        put("Archive/payroll_protected.zip", &z)?;
        // A 7-Zip backup of HR contacts (staff e-mails and NI numbers).
        let hr = format!(
            "Employee,Email,NI Number\n{},{},{}\n{},{},{}\n",
            staff[1].name(),
            staff[1].email,
            staff[1].nino,
            staff[2].name(),
            staff[2].email,
            staff[2].nino
        );
        let mut w = sevenz_rust2::ArchiveWriter::new(std::io::Cursor::new(Vec::new()))
            .map_err(|e| xlsx_err(&tree, e.to_string()))?;
        w.push_archive_entry(
            sevenz_rust2::ArchiveEntry::new_file("hr/contacts.csv"),
            Some(hr.as_bytes()),
        )
        .map_err(|e| xlsx_err(&tree, e.to_string()))?;
        let bytes = w
            .finish()
            .map_err(|e| xlsx_err(&tree, e.to_string()))?
            .into_inner();
        put("Archive/hr_backup.7z", &bytes)?;
        for s in &staff[1..3] {
            add(
                s,
                "Archive/hr_backup.7z!/hr/contacts.csv",
                &["name", "email", "nino"],
            );
        }
    }
    // 9. Unsearchable: a scanned-image PDF and a photo.
    put(
        "Scans/signed_tenancy_agreement.pdf",
        &crate::docs::pdf::write_simple(&[None, None]),
    )?;
    let mut jpg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];
    jpg.extend(std::iter::repeat_n(0x55u8, 2000));
    jpg.extend([0xFF, 0xD9]);
    put("Photos/estate_visit.jpg", &jpg)?;

    // People file: every tenant, then staff, with a Group column.
    let mut people = String::from(
        "Person ID,Group,Title,Forename,Surname,Date of Birth,Address Line 1,Town,Postcode,Email,Phone,NI Number,Sort Code,Account Number,Tenancy Ref\n",
    );
    for p in tenants.iter().chain(staff.iter()) {
        let cells = [
            p.id.as_str(),
            p.group,
            &p.title,
            &p.given,
            &p.surname,
            &p.dob.to_string(),
            &p.addr1,
            &p.town,
            &p.postcode,
            &p.email,
            &p.phone,
            &p.nino,
            &p.sort,
            &p.account,
            &p.tenancy,
        ];
        let line: Vec<String> = cells
            .iter()
            .map(|v| {
                if v.contains([',', '"']) {
                    format!("\"{}\"", v.replace('"', "\"\""))
                } else {
                    v.to_string()
                }
            })
            .collect();
        people.push_str(&line.join(","));
        people.push('\n');
    }
    let wf = |name: &str, body: &str, written: &mut Vec<std::path::PathBuf>| {
        let p = dir.join(name);
        fs_err::write(&p, body).map_err(super::io(&p))?;
        written.push(p);
        Ok::<(), SampleError>(())
    };
    let mut t = String::from("person_id,group,source,fields\n");
    for ((id, file), (group, fields)) in &truth {
        let f: Vec<&str> = fields.iter().copied().collect();
        t.push_str(&format!("{id},{group},{file},{}\n", f.join("|")));
    }
    let mut ns = String::from("source,reason_contains\n");
    for (f, why) in NOT_SEARCHED {
        ns.push_str(&format!("{f},{why}\n"));
    }
    wf("people.csv", &people, &mut written)?;
    wf("leak_truth.csv", &t, &mut written)?;
    wf("leak_not_searched.csv", &ns, &mut written)?;
    wf("case_notes_truth.csv", &notes.1, &mut written)?;
    Ok(written)
}

fn xlsx_err(tree: &Path, e: impl std::fmt::Display) -> SampleError {
    SampleError::Io {
        path: tree.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

fn fmt_sort(s: &str) -> String {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    if d.len() == 6 {
        format!("{}-{}-{}", &d[..2], &d[2..4], &d[4..])
    } else {
        s.to_string()
    }
}

fn make_staff(rng: &mut StdRng, tenant_names: &BTreeMap<String, usize>) -> Vec<P> {
    let given = ["Harriet", "Desmond", "Imogen", "Rupert", "Niamh", "Tobias"];
    let surname = [
        "Fairweather",
        "Okonkwo",
        "Blackwood",
        "Penhaligon",
        "Ashdown",
        "Treloar",
    ];
    let mut out = Vec::new();
    for (k, (g, s)) in given.iter().zip(surname.iter()).enumerate() {
        if tenant_names.contains_key(&format!("{g} {s}").to_lowercase()) {
            continue;
        }
        let y = 1965 + rng.random_range(0..30i16);
        let m = 1 + rng.random_range(0..12i8);
        let d = 1 + rng.random_range(0..28i8);
        let letters = b"ABCEGHJKLMNPRSTWXYZ";
        let nino = loop {
            let n = format!(
                "{}{}{:06}{}",
                letters[rng.random_range(0..letters.len())] as char,
                letters[rng.random_range(0..letters.len())] as char,
                rng.random_range(0..1_000_000u32),
                ['A', 'B', 'C', 'D'][k % 4]
            );
            if normalize(FieldKind::Nino, &n).is_ok() {
                break n;
            }
        };
        out.push(P {
            id: format!("S{:04}", k + 1),
            group: "staff",
            title: String::new(),
            given: g.to_string(),
            surname: s.to_string(),
            dob: jiff::civil::date(y, m, d),
            addr1: String::new(),
            town: String::new(),
            postcode: String::new(),
            email: format!(
                "{}.{}@flagstone-homes.example",
                g.to_lowercase(),
                s.to_lowercase()
            ),
            phone: String::new(),
            nino,
            sort: String::new(),
            account: String::new(),
            tenancy: String::new(),
        });
    }
    out
}

fn letter_docx(p: &P) -> Vec<u8> {
    let para = |t: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            t.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('\'', "&apos;")
        )
    };
    let body: String = [
        para("Flagstone Homes, 1 Harbour Street, Bristol BS1 4AA"),
        para(&format!("{} {}", p.title, p.name())),
        para(&p.addr1),
        para(&p.town),
        para(&pretty_postcode(&p.postcode)),
        para(&format!("Tenancy reference: {}", p.tenancy)),
        para(&format!("Dear {} {},", p.title, p.surname)),
        para("We are writing about the gas safety check at your home next month."),
        para("Yours sincerely, Housing Team"),
    ]
    .concat();
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let ct = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    zip_of(&[
        ("[Content_Types].xml", ct.as_bytes(), None),
        ("_rels/.rels", rels.as_bytes(), None),
        ("word/document.xml", doc.as_bytes(), None),
    ])
}

/// A zip with fixed timestamps (byte-identical output). Members given a password are marked
/// encrypted (general-purpose flag bit 0 in the local and central headers): `zip` only writes
/// real encryption with its AES feature, and a reader must refuse such a member either way.
fn zip_of(files: &[(&str, &[u8], Option<&str>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body, _) in files {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        if w.start_file(*name, opts).is_ok() {
            let _ = w.write_all(body);
        }
    }
    let mut bytes = w.finish().map(|c| c.into_inner()).unwrap_or_default();
    let encrypted: Vec<&str> = files
        .iter()
        .filter(|f| f.2.is_some())
        .map(|f| f.0)
        .collect();
    if !encrypted.is_empty() {
        let mut i = 0;
        while i + 46 <= bytes.len() {
            let (sig, flag_at, name_len_at, name_at) = match &bytes[i..i + 4] {
                b"PK\x03\x04" => (true, i + 6, i + 26, i + 30),
                b"PK\x01\x02" => (true, i + 8, i + 28, i + 46),
                _ => (false, 0, 0, 0),
            };
            if sig {
                let n = u16::from_le_bytes([bytes[name_len_at], bytes[name_len_at + 1]]) as usize;
                let name = String::from_utf8_lossy(&bytes[name_at..(name_at + n).min(bytes.len())])
                    .to_string();
                if encrypted.contains(&name.as_str()) {
                    bytes[flag_at] |= 1;
                }
            }
            i += 1;
        }
    }
    bytes
}

/// Case notes: one paragraph per visit. Returns the text and `case_notes_truth.csv`
/// (paragraph line, person, fields a reader sees exposed there).
fn case_notes(ps: &[P], add: &mut impl FnMut(&P, &str, &[&'static str])) -> (String, String) {
    let file = "Housing/case_notes.txt";
    let filler = "The tenant raised the damp in the back bedroom again and asked when the contractor would return; I explained that the works order had been raised and that the surveyor would call ahead.";
    /// A paragraph and who it exposes, with which fields.
    type Para<'a> = (String, Vec<(&'a P, Vec<&'static str>)>);
    let mut paras: Vec<Para> = Vec::new();
    let (a, b, c, d, e) = (&ps[0], &ps[1], &ps[2], &ps[3], &ps[4]);
    // Name, then the address and postcode a few words on: confirmed once the window reaches
    // the postcode.
    paras.push((
        format!(
            "Home visit 04/03/2024. Spoke to {} {} at {}, {}, about the rent account.",
            a.title,
            a.name(),
            a.addr1,
            pretty_postcode(&a.postcode)
        ),
        vec![(a, vec!["name", "address", "postcode"])],
    ));
    // Name and postcode far apart (about 70 words): probable only, whatever the window.
    paras.push((
        format!(
            "Phone call from {}. {} {} Their postcode is {}.",
            b.name(),
            filler,
            filler.replace("again", "once more"),
            pretty_postcode(&b.postcode)
        ),
        vec![(b, vec!["name", "postcode"])],
    ));
    // A tenant's name and postcode, then a relative's date of birth about 18 words on: a wide
    // window takes the relative's date for the tenant's own, which conflicts (a namesake).
    paras.push((
        format!("{} ({}) rang about the housing register application she made last spring for her daughter, born 12/08/2009, who needs her own room soon.", c.name(), pretty_postcode(&c.postcode)),
        vec![(c, vec!["name", "postcode"])],
    ));
    // E-mail and a long date.
    paras.push((
        format!("Email received from {} asking for a copy of the tenancy agreement; date of birth given as {} for security.", d.email, d.dob_long()),
        vec![(d, vec!["email", "dob"])],
    ));
    // Name with date of birth in the next sentence, and the phone.
    paras.push((
        format!("Mrs Jones next door complained about noise. Visited {} {} who was polite. Date of birth checked: {}. Mobile {}.", e.title, e.name(), e.dob_long(), pretty_phone(&e.phone)),
        vec![(e, vec!["name", "dob", "phone"])],
    ));
    let mut text = String::new();
    let mut truth = String::from("line,person_id,fields\n");
    let mut line = 1;
    for (para, who) in &paras {
        text.push_str(para);
        text.push_str("\n\n");
        for (p, fields) in who {
            add(p, file, fields);
            truth.push_str(&format!("{line},{},{}\n", p.id, fields.join("|")));
        }
        line += 2;
    }
    (text, truth)
}

/// Writes `docs` documents into `dir` for throughput measurements: Word letters, two-page PDF
/// statements, e-mails (every tenth with a PDF attached), case notes, spreadsheets of twenty
/// rows and HTML letters, in turn, about tenants of `tenants_csv` picked at random. Returns the
/// files written and their total size.
pub fn write_document_corpus(
    dir: &Path,
    tenants_csv: &Path,
    docs: usize,
    seed: u64,
) -> Result<(usize, u64), SampleError> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xc0_4b05);
    let people = read_people(tenants_csv)?;
    if people.is_empty() {
        return Err(SampleError::Io {
            path: tenants_csv.to_path_buf(),
            source: std::io::Error::other("no tenants to write documents about"),
        });
    }
    let pick = |rng: &mut StdRng| people[rng.random_range(0..people.len())].clone();
    let mut total = 0u64;
    for k in 0..docs {
        let sub = dir.join(format!("folder_{:03}", k / 100));
        fs_err::create_dir_all(&sub).map_err(super::io(&sub))?;
        let p = pick(&mut rng);
        let (name, bytes): (String, Vec<u8>) = match k % 6 {
            0 => (format!("letter_{k}.docx"), letter_docx(&p)),
            1 => (
                format!("statement_{k}.pdf"),
                crate::docs::pdf::write_simple(&[
                    Some(vec![
                        "Rent statement".into(),
                        format!("{} {}", p.title, p.name()),
                        p.addr1.clone(),
                        pretty_postcode(&p.postcode),
                        format!("Tenancy reference: {}", p.tenancy),
                    ]),
                    Some(
                        (0..30)
                            .map(|i| format!("{:02}/01/2024  Payment  {}.00", i % 28 + 1, 400 + i))
                            .collect(),
                    ),
                ]),
            ),
            2 => {
                let att = if k % 10 == 2 {
                    let q = pick(&mut rng);
                    Some(crate::docs::pdf::write_simple(&[Some(vec![
                        q.name(),
                        q.addr1.clone(),
                        pretty_postcode(&q.postcode),
                    ])]))
                } else {
                    None
                };
                let atts: Vec<(&str, &str, &[u8])> = att
                    .as_deref()
                    .map(|a| vec![("statement.pdf", "application/pdf", a)])
                    .unwrap_or_default();
                (
                    format!("mail_{k}.eml"),
                    crate::docs::mail::write_simple(
                        &format!("{} <{}>", p.name(), p.email),
                        "Housing Team <housing@flagstone-homes.example>",
                        "Repair request",
                        &format!(
                            "Hello,\n\nThe kitchen tap is leaking again. I am at {} {} most days; call me on {}.\n\nThanks",
                            p.addr1,
                            pretty_postcode(&p.postcode),
                            pretty_phone(&p.phone)
                        ),
                        &atts,
                    ),
                )
            }
            3 => {
                let mut t = String::new();
                for _ in 0..5 {
                    let q = pick(&mut rng);
                    t.push_str(&format!(
                        "Visited {} {} at {}, {}. Date of birth checked: {}. The tenant raised the damp in the back bedroom again and asked when the contractor would return.\n\n",
                        q.title,
                        q.name(),
                        q.addr1,
                        pretty_postcode(&q.postcode),
                        q.dob_long()
                    ));
                }
                (format!("notes_{k}.txt"), t.into_bytes())
            }
            4 => {
                let mut wb = rust_xlsxwriter::Workbook::new();
                let props = rust_xlsxwriter::DocProperties::new().set_creation_datetime(
                    &rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 1).unwrap_or_default(),
                );
                wb.set_properties(&props);
                let ws = wb.add_worksheet();
                let mut ok = true;
                for (j, h) in ["Name", "DOB", "Postcode", "Email"].iter().enumerate() {
                    ok &= ws.write_string(0, j as u16, *h).is_ok();
                }
                for r in 1..=20u32 {
                    let q = pick(&mut rng);
                    ok &= ws.write_string(r, 0, q.name()).is_ok();
                    ok &= ws.write_string(r, 1, q.dob_short()).is_ok();
                    ok &= ws.write_string(r, 2, pretty_postcode(&q.postcode)).is_ok();
                    ok &= ws.write_string(r, 3, &q.email).is_ok();
                }
                let _ = ok;
                let bytes = wb.save_to_buffer().map_err(|e| xlsx_err(dir, e))?;
                (format!("sheet_{k}.xlsx"), bytes)
            }
            _ => (
                format!("letter_{k}.html"),
                format!(
                    "<!DOCTYPE html><html><body><p>{} {}</p><p>{}<br>{}</p><p>Dear {} {},</p><p>Your tenancy {} is due for renewal.</p></body></html>",
                    p.title,
                    p.name(),
                    p.addr1,
                    pretty_postcode(&p.postcode),
                    p.title,
                    p.surname,
                    p.tenancy
                )
                .into_bytes(),
            ),
        };
        let path = sub.join(name);
        fs_err::write(&path, &bytes).map_err(super::io(&path))?;
        total += bytes.len() as u64;
    }
    Ok((docs, total))
}
