//! `breachmatch sample`: deterministic synthetic tenants, leaked dumps and ground truth.
//!
//! Everything comes from one seeded generator (`StdRng`, pinned by Cargo.lock), with integer
//! draws only, so the same options always give byte-identical files. The tenants file has the
//! mess of a real housing system; the dumps are laid out like real leaks (other column names,
//! no header, JSON lines, a gzipped combolist, an Excel export, a zstd file) and mostly hold
//! strangers, including near misses that must not match. `ground_truth.csv` says, per exposed
//! tenant, per dump and per field, what a correct scan finds; `tenant_rows.csv` and
//! `near_misses.csv` point at the rows.

pub mod leak;
mod pools;

use crate::dump::sensitive::{Category, CategorySet};
use crate::keys::Field;
use crate::normalize::{FieldKind, normalize};
use pools::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Options for the generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleOptions {
    /// Random seed.
    pub seed: u64,
    /// Number of tenants.
    pub tenants: usize,
    /// Rows per dump.
    pub dump_rows: usize,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            seed: 42,
            tenants: 3000,
            dump_rows: 4000,
        }
    }
}

/// What was written.
#[derive(Debug, Clone)]
pub struct SampleSummary {
    /// Tenants written.
    pub tenants: usize,
    /// Tenants placed in at least one dump.
    pub exposed_tenants: usize,
    /// Files written and their data rows.
    pub files: Vec<(PathBuf, u64)>,
}

/// Errors writing the sample.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// I/O failure.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

/// The dumps, in the order they are written.
pub const DUMPS: [&str; 6] = [
    "crm_export.csv",
    "contacts.tsv",
    "app_users.jsonl",
    "combo.txt.gz",
    "excel_export.csv",
    "rent_payments.csv.zst",
];

const CRM: usize = 0;
const CONTACTS: usize = 1;
const APP: usize = 2;
const COMBO: usize = 3;
const EXCEL: usize = 4;
const RENT: usize = 5;

/// A person: a tenant, or a stranger in a dump.
#[derive(Debug, Clone)]
struct Person {
    id: String,
    title: &'static str,
    given: &'static str,
    surname: &'static str,
    dob: (i32, u32, u32),
    flat: Option<String>,
    number: String,
    street: &'static str,
    suffix: usize,
    line2: &'static str,
    town: &'static str,
    postcode: (String, String),
    email: Option<String>,
    phone: Option<String>,
    nino: Option<String>,
    bank: Option<(String, String)>,
    tenancy: String,
    upper: bool,
    invalid: Option<Field>,
    household: usize,
}

impl Person {
    fn valid(&self, f: Field) -> bool {
        if self.invalid == Some(f) {
            return false;
        }
        match f {
            Field::Email => self.email.is_some(),
            Field::Phone => self.phone.is_some(),
            Field::Nino => self.nino.is_some(),
            Field::Bank => self.bank.is_some(),
            _ => true,
        }
    }
    fn address_line(&self, abbrev: bool) -> String {
        let (full, short) = SUFFIXES[self.suffix];
        let street = format!(
            "{} {} {}",
            self.number,
            self.street,
            if abbrev { short } else { full }
        );
        match &self.flat {
            Some(f) => format!("Flat {f}, {street}"),
            None => street,
        }
    }
    fn iso_dob(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.dob.0, self.dob.1, self.dob.2)
    }
    /// Canonical match keys, exactly as the scan builds them (via the real normalisers).
    fn keys(&self, out: &mut Vec<String>) {
        out.clear();
        let n = |k, v: &str| normalize(k, v).ok();
        let g = n(FieldKind::GivenName, self.given);
        let s = n(FieldKind::Surname, self.surname);
        let d = self.valid(Field::Dob).then(|| self.iso_dob());
        let pc = self
            .valid(Field::Postcode)
            .then(|| format!("{}{}", self.postcode.0, self.postcode.1));
        let a = n(FieldKind::AddressLine, &self.address_line(false));
        if let Some(e) = &self.email {
            out.push(format!(
                "e:{}",
                n(FieldKind::EmailFolded, e).unwrap_or_default()
            ));
        }
        if let Some(p) = &self.phone {
            out.push(format!("p:{}", n(FieldKind::Phone, p).unwrap_or_default()));
        }
        if let Some(x) = &self.nino {
            out.push(format!("n:{}", &x[..8]));
        }
        if let Some((sc, acc)) = &self.bank {
            out.push(format!("b:{sc}{acc}"));
        }
        out.push(format!("t:{}", self.tenancy.replace('-', "")));
        if let (Some(g), Some(s)) = (&g, &s) {
            if let Some(d) = &d {
                out.push(format!("nd:{g}|{s}|{d}"));
            }
            if let Some(pc) = &pc {
                out.push(format!("np:{g}|{s}|{pc}"));
            }
        }
        if let (Some(s), Some(d), Some(pc)) = (&s, &d, &pc) {
            out.push(format!("sdp:{s}|{d}|{pc}"));
        }
        if let (Some(a), Some(pc)) = (&a, &pc) {
            out.push(format!("ap:{a}|{pc}"));
        }
    }
}

fn chance(rng: &mut StdRng, percent: u32) -> bool {
    rng.random_range(0..100) < percent
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

fn shuffle<T>(rng: &mut StdRng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = rng.random_range(0..=i);
        v.swap(i, j);
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const NINO_FIRST: &[u8] = b"ABCEGHJKLMNPRSTWXYZ";
const NINO_SECOND: &[u8] = b"ABCEGHJKLMNPRSTWXYZ";

struct Gen {
    rng: StdRng,
    serial: u64,
}

impl Gen {
    fn postcode(&mut self, area: &str) -> (String, String) {
        const INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
        let district = self.rng.random_range(1..30);
        let inward = format!(
            "{}{}{}",
            self.rng.random_range(0..10),
            INWARD[self.rng.random_range(0..INWARD.len())] as char,
            INWARD[self.rng.random_range(0..INWARD.len())] as char
        );
        (format!("{area}{district}"), inward)
    }

    fn dob(&mut self) -> (i32, u32, u32) {
        (
            self.rng.random_range(1935..=2007),
            self.rng.random_range(1..=12),
            self.rng.random_range(1..=28),
        )
    }

    /// A new person; `tenant` picks the value ranges that strangers never use.
    fn person(&mut self, tenant: bool, id: String, household: usize) -> Person {
        self.serial += 1;
        let n = self.serial;
        let rng = &mut self.rng;
        let given = pick(rng, GIVEN);
        let surname = pick(rng, SURNAMES);
        let (town, area) = pick(rng, TOWNS);
        let local = format!("{}.{}", ascii(given), ascii(surname))
            .to_lowercase()
            .replace([' ', '\''], "");
        let email = if tenant {
            chance(rng, 85).then(|| format!("{local}{n}@{}", pick(rng, TENANT_DOMAINS)))
        } else {
            chance(rng, 80).then(|| format!("{local}.{n}@{}", pick(rng, OTHER_DOMAINS)))
        };
        let phone = chance(rng, 90).then(|| {
            if tenant {
                if chance(rng, 85) {
                    format!("077{:08}", n)
                } else {
                    format!("01632{:06}", 100_000 + n % 900_000)
                }
            } else {
                format!("079{:08}", n)
            }
        });
        let nino = chance(rng, 80).then(|| {
            let first = if tenant {
                NINO_FIRST[n as usize % 9]
            } else {
                NINO_FIRST[9 + n as usize % 10]
            };
            let mut second = rng.random_range(0..NINO_SECOND.len());
            // Never an unissued prefix (BG, GB, KN, NK, NT, TN, ZZ): the tool refuses those on
            // both sides, so the ground truth could not hold them. The next letter, without
            // another draw, keeps every other value of the sample as it was.
            if matches!(
                &[first, NINO_SECOND[second]],
                b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
            ) {
                second = (second + 1) % NINO_SECOND.len();
            }
            format!(
                "{}{}{:06}{}",
                first as char,
                NINO_SECOND[second] as char,
                n % 1_000_000,
                pick(rng, &['A', 'B', 'C', 'D'])
            )
        });
        let bank = chance(rng, 60).then(|| {
            let prefix = if tenant { 10 } else { 60 };
            (
                format!(
                    "{}{:04}",
                    prefix + rng.random_range(0..40),
                    rng.random_range(0..10_000)
                ),
                format!("{:08}", 10_000_000 + n * 7 % 89_999_999),
            )
        });
        let flat = chance(rng, 25).then(|| {
            if chance(rng, 20) {
                format!("{}{}", rng.random_range(1..9), pick(rng, &['A', 'B']))
            } else {
                rng.random_range(1..40).to_string()
            }
        });
        let number = if chance(rng, 8) {
            format!("{}{}", rng.random_range(1..200), pick(rng, &['a', 'b']))
        } else {
            rng.random_range(1..200).to_string()
        };
        let street = pick(rng, STREETS);
        let suffix = rng.random_range(0..SUFFIXES.len());
        let line2 = if chance(rng, 30) {
            pick(rng, DISTRICTS)
        } else {
            ""
        };
        let title = pick(rng, &["Mr", "Mrs", "Ms", "Miss", "Dr", "Mx", "", ""]);
        let upper = chance(rng, 5);
        let dob = self.dob();
        let postcode = self.postcode(area);
        Person {
            id,
            title,
            given,
            surname,
            dob,
            flat,
            number,
            street,
            suffix,
            line2,
            town,
            postcode,
            email,
            phone,
            nino,
            bank,
            tenancy: format!("TEN-{:06}", household + 1),
            upper,
            invalid: None,
            household,
        }
    }

    // ---- renderings with the variation real data has ----

    fn full_name(&mut self, p: &Person) -> String {
        let (g, s) = if chance(&mut self.rng, 30) {
            (ascii(p.given), ascii(p.surname))
        } else {
            (p.given.to_string(), p.surname.to_string())
        };
        match self.rng.random_range(0..5) {
            0 if !p.title.is_empty() => format!("{} {g} {s}", p.title),
            1 => format!("{}, {g}", s.to_uppercase()),
            2 => format!("{g} {s}").to_lowercase(),
            3 => format!("{g} {s}").to_uppercase(),
            _ => format!("{g} {s}"),
        }
    }

    fn dob_text(&mut self, p: &Person, allow_short: bool) -> String {
        let (y, m, d) = p.dob;
        let short_ok = allow_short && ((1950..=1999).contains(&y) || (2000..=2008).contains(&y));
        match self.rng.random_range(0..5) {
            0 => format!("{y:04}-{m:02}-{d:02}"),
            1 => format!("{d} {} {y}", MONTHS[m as usize - 1]),
            2 if short_ok => format!("{d:02}-{m:02}-{:02}", y % 100),
            3 => format!("{y:04}{m:02}{d:02}"),
            _ => format!("{d:02}/{m:02}/{y}"),
        }
    }

    fn postcode_text(&mut self, p: &Person) -> String {
        let (o, i) = &p.postcode;
        match self.rng.random_range(0..4) {
            0 => format!("{o}{i}"),
            1 => format!("{o} {i}").to_lowercase(),
            _ => format!("{o} {i}"),
        }
    }

    fn phone_text(&mut self, p: &Person) -> String {
        let Some(ph) = &p.phone else {
            return String::new();
        };
        let nat = &ph[1..];
        let (a, b) = nat.split_at(4);
        match self.rng.random_range(0..6) {
            0 => ph.clone(),
            1 => format!("+44 {a} {b}"),
            2 => format!("+44 (0){a} {b}"),
            3 => format!("44{nat}"),
            4 => format!("0044{nat}"),
            _ => format!("0{a} {b}"),
        }
    }

    fn email_text(&mut self, p: &Person) -> String {
        let Some(e) = &p.email else {
            return String::new();
        };
        let (local, domain) = e.split_once('@').unwrap_or((e, ""));
        let gmail = domain == "gmail.com" || domain == "googlemail.com";
        match self.rng.random_range(0..4) {
            0 => e.to_uppercase(),
            1 if gmail => format!("{}+shop@gmail.com", local.replace('.', "")),
            2 if gmail => format!(
                "{}@{domain}",
                local
                    .replace('.', "")
                    .chars()
                    .flat_map(|c| [c, '.'])
                    .collect::<String>()
                    .trim_end_matches('.')
            ),
            _ => e.clone(),
        }
    }

    fn address_text(&mut self, p: &Person) -> String {
        let abbrev = chance(&mut self.rng, 50);
        let line = p.address_line(abbrev);
        match self.rng.random_range(0..3) {
            0 => line.to_uppercase(),
            1 => line.replace(',', ""),
            _ => line,
        }
    }

    fn nino_text(&mut self, p: &Person) -> String {
        let Some(n) = &p.nino else {
            return String::new();
        };
        match self.rng.random_range(0..4) {
            0 => format!(
                "{} {} {} {} {}",
                &n[..2],
                &n[2..4],
                &n[4..6],
                &n[6..8],
                &n[8..]
            ),
            1 => n.to_lowercase(),
            2 => n[..8].to_string(),
            _ => n.clone(),
        }
    }

    fn sort_text(&mut self, sc: &str) -> String {
        match self.rng.random_range(0..3) {
            0 => sc.to_string(),
            1 => format!("{} {} {}", &sc[..2], &sc[2..4], &sc[4..]),
            _ => format!("{}-{}-{}", &sc[..2], &sc[2..4], &sc[4..]),
        }
    }
}

/// One dump row to write.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Stranger,
    Tenant(usize, Plan),
    Near(usize, NearKind),
}

/// Which fields of a tenant a row carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Plan(u16);

impl Plan {
    fn has(self, f: Field) -> bool {
        self.0 & (1 << f as u16) != 0
    }
    fn with(mut self, f: Field) -> Plan {
        self.0 |= 1 << f as u16;
        self
    }
    fn fields(self) -> Vec<Field> {
        Field::ALL.into_iter().filter(|f| self.has(*f)).collect()
    }
    /// 0 = confirmed, 1 = probable, None = would not match.
    fn confidence(self) -> Option<u8> {
        use Field::*;
        let strong = [Email, Phone, Nino, Bank, TenancyRef]
            .iter()
            .any(|f| self.has(*f));
        let name_dob = self.has(Name) && self.has(Dob);
        let other = [Postcode, Address].iter().any(|f| self.has(*f));
        if strong || (name_dob && other) || (self.has(Name) && self.has(Dob) && self.has(Postcode))
        {
            Some(0)
        } else if name_dob {
            Some(1)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NearKind {
    SameNameOtherDob,
    SameSurnamePostcode,
    TenantEmailStrangerName,
    Namesake,
}

impl NearKind {
    fn as_str(self) -> &'static str {
        match self {
            NearKind::SameNameOtherDob => "same_name_other_dob",
            NearKind::SameSurnamePostcode => "same_surname_postcode",
            NearKind::TenantEmailStrangerName => "tenant_email_stranger_name",
            NearKind::Namesake => "namesake",
        }
    }
}

/// The columns each dump can carry.
fn dump_fields(d: usize) -> &'static [Field] {
    use Field::*;
    match d {
        CRM => &[Name, Email, Dob, Postcode, Phone],
        CONTACTS => &[Name, Dob, Address, Postcode, Phone],
        APP => &[Name, Email, Phone, Dob, Address, Postcode],
        COMBO => &[Email],
        EXCEL => &[Name, Dob, Address, Postcode, Phone, Nino, Bank],
        RENT => &[TenancyRef, Name, Bank],
        _ => &[],
    }
}

/// Plans a confirmed row for a tenant in a dump, or None when the tenant's valid fields
/// cannot make one there.
fn plan_row(g: &mut Gen, t: &Person, d: usize) -> Option<Plan> {
    use Field::*;
    let cols = dump_fields(d);
    let required: &[Field] = match d {
        CRM | EXCEL => &[Name],
        CONTACTS => &[Name, Dob],
        APP | COMBO => &[Email],
        _ => &[TenancyRef],
    };
    let mut p = Plan::default();
    for f in required {
        if !t.valid(*f) {
            return None;
        }
        p = p.with(*f);
    }
    for f in cols {
        if t.valid(*f) && chance(&mut g.rng, 55) {
            p = p.with(*f);
        }
    }
    if d == CONTACTS && !p.has(Postcode) && !p.has(Address) && t.valid(Postcode) {
        p = p.with(Postcode);
    }
    if p.confidence() != Some(0) {
        for f in cols {
            if t.valid(*f) {
                p = p.with(*f);
            }
        }
    }
    (p.confidence() == Some(0)).then_some(p)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> SampleError + '_ {
    move |source| SampleError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes through `f` to a temporary name, then renames.
fn write_file(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), SampleError> {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out")
    ));
    let file = fs_err::File::create(&tmp).map_err(io(&tmp))?;
    let mut w = std::io::BufWriter::new(file);
    f(&mut w).map_err(io(path))?;
    w.flush().map_err(io(path))?;
    drop(w);
    fs_err::rename(&tmp, path).map_err(io(path))
}

type Truth = BTreeMap<(usize, usize), (u8, BTreeSet<Field>)>;

/// Co-exposed categories of a tenant row, kept at the tenant's best confidence in that dump.
fn record_co(
    truth_co: &mut BTreeMap<(usize, usize), (u8, CategorySet)>,
    truth: &Truth,
    tenant: usize,
    dump: usize,
    conf: u8,
    co: CategorySet,
) {
    let best = truth.get(&(tenant, dump)).map_or(conf, |t| t.0);
    let e = truth_co
        .entry((tenant, dump))
        .or_insert((conf, CategorySet::default()));
    if e.0 > best {
        *e = (best, CategorySet::default());
    }
    if conf == best {
        e.1.0 |= co.0;
    }
}

fn record_truth(truth: &mut Truth, tenant: usize, dump: usize, conf: u8, fields: &[Field]) {
    let e = truth
        .entry((tenant, dump))
        .or_insert((conf, BTreeSet::new()));
    if conf < e.0 {
        *e = (conf, BTreeSet::new());
    }
    if conf == e.0 {
        e.1.extend(fields.iter().copied());
    }
}

/// Generates the sample into `out_dir` (created if missing).
pub fn generate(opts: &SampleOptions, out_dir: &Path) -> Result<SampleSummary, SampleError> {
    let dumps_dir = out_dir.join("dumps");
    fs_err::create_dir_all(&dumps_dir).map_err(io(&dumps_dir))?;
    let mut g = Gen {
        rng: StdRng::seed_from_u64(opts.seed),
        serial: 0,
    };

    // Tenants: households of one, some of two (joint tenants share address and tenancy).
    let mut tenants: Vec<Person> = Vec::with_capacity(opts.tenants);
    let mut household = 0;
    while tenants.len() < opts.tenants {
        let id = format!("T{:06}", tenants.len() + 1);
        let mut t = g.person(true, id, household);
        if chance(&mut g.rng, 3) && tenants.len() > 10 {
            t.invalid = Some(pick(
                &mut g.rng,
                &[Field::Dob, Field::Postcode, Field::Nino, Field::Bank],
            ));
            if t.invalid == Some(Field::Nino) && t.nino.is_none()
                || t.invalid == Some(Field::Bank) && t.bank.is_none()
            {
                t.invalid = None;
            }
        }
        let joint = chance(&mut g.rng, 8) && tenants.len() + 1 < opts.tenants;
        tenants.push(t.clone());
        if joint {
            let id = format!("T{:06}", tenants.len() + 1);
            let mut p = g.person(true, id, household);
            p.flat = t.flat.clone();
            p.number = t.number.clone();
            p.street = t.street;
            p.suffix = t.suffix;
            p.line2 = t.line2;
            p.town = t.town;
            p.postcode = t.postcode.clone();
            p.invalid = None;
            if chance(&mut g.rng, 60) {
                p.surname = t.surname;
            }
            if p.given == t.given {
                p.given = if t.given == "Mary" { "John" } else { "Mary" };
            }
            tenants.push(p);
        }
        household += 1;
    }
    let mut tenant_keys: HashSet<String> = HashSet::new();
    let mut kbuf = Vec::new();
    for t in &tenants {
        t.keys(&mut kbuf);
        tenant_keys.extend(kbuf.iter().cloned());
    }

    // tenants.csv
    let tenants_path = out_dir.join("tenants.csv");
    let mut rows = Vec::with_capacity(tenants.len());
    for t in &tenants {
        let up = |s: &str| {
            if t.upper {
                s.to_uppercase()
            } else {
                s.to_string()
            }
        };
        let dob = match t.invalid {
            Some(Field::Dob) => "31/02/1990".to_string(),
            _ => {
                let (y, m, d) = t.dob;
                match g.rng.random_range(0..4) {
                    0 => format!("{y:04}-{m:02}-{d:02}"),
                    1 => format!("{d:02} {} {y}", MONTHS[m as usize - 1]),
                    2 => format!("{y:04}{m:02}{d:02}"),
                    _ => format!("{d:02}/{m:02}/{y}"),
                }
            }
        };
        let postcode = match t.invalid {
            Some(Field::Postcode) => t.postcode.0.clone(),
            _ => g.postcode_text(t),
        };
        let phone = match &t.phone {
            Some(_) => g.phone_text(t),
            None if chance(&mut g.rng, 10) => "n/a".into(),
            None => String::new(),
        };
        let nino = match t.invalid {
            Some(Field::Nino) => "QQ123456C".into(),
            _ => g.nino_text(t),
        };
        let (sort, acc) = match (&t.bank, t.invalid) {
            (Some((s, _)), Some(Field::Bank)) => (
                format!("{}-{}-{}", &s[..2], &s[2..4], &s[4..]),
                "123456789".to_string(),
            ),
            (Some((s, a)), _) => (format!("{}-{}-{}", &s[..2], &s[2..4], &s[4..]), a.clone()),
            _ => (String::new(), String::new()),
        };
        rows.push(vec![
            t.id.clone(),
            t.title.to_string(),
            up(t.given),
            up(t.surname),
            dob,
            up(&t.address_line(chance(&mut g.rng, 50))),
            up(t.line2),
            up(t.town),
            postcode,
            t.email.clone().unwrap_or_default(),
            phone,
            nino,
            sort,
            acc,
            t.tenancy.clone(),
        ]);
    }
    write_file(&tenants_path, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record([
            "Tenant ID",
            "Title",
            "Forename",
            "Surname",
            "Date of Birth",
            "Address Line 1",
            "Address Line 2",
            "Town",
            "Postcode",
            "Email",
            "Phone",
            "NI Number",
            "Sort Code",
            "Account Number",
            "Tenancy Ref",
        ])?;
        for r in &rows {
            c.write_record(r)?;
        }
        c.flush()
    })?;
    drop(rows);

    // Which tenants appear where.
    let mut slots: Vec<Vec<Slot>> = vec![Vec::new(); DUMPS.len()];
    let exposed_n = (opts.tenants / 20).max(1);
    let mut order: Vec<usize> = (0..tenants.len()).collect();
    shuffle(&mut g.rng, &mut order);
    let mut exposed = BTreeSet::new();
    let mut probable_left = 4;
    for &ti in order.iter().take(exposed_n) {
        let t = tenants[ti].clone();
        if probable_left > 0 && t.valid(Field::Dob) {
            probable_left -= 1;
            slots[CONTACTS].push(Slot::Tenant(
                ti,
                Plan::default().with(Field::Name).with(Field::Dob),
            ));
            exposed.insert(ti);
            continue;
        }
        let want = pick(&mut g.rng, &[1usize, 1, 1, 2, 2, 3]);
        let mut ds: Vec<usize> = (0..DUMPS.len()).collect();
        shuffle(&mut g.rng, &mut ds);
        let mut placed = 0;
        for d in ds {
            if placed == want {
                break;
            }
            if let Some(plan) = plan_row(&mut g, &t, d) {
                slots[d].push(Slot::Tenant(ti, plan));
                placed += 1;
            }
        }
        if placed > 0 {
            exposed.insert(ti);
        }
    }
    // Near misses, from tenants not otherwise exposed.
    let mut spare = order.iter().skip(exposed_n).copied();
    let mut near = |kind: NearKind,
                    d: usize,
                    n: usize,
                    need: &dyn Fn(&Person) -> bool,
                    slots: &mut Vec<Vec<Slot>>| {
        let mut k = 0;
        for ti in spare.by_ref() {
            if k == n {
                break;
            }
            if need(&tenants[ti]) {
                slots[d].push(Slot::Near(ti, kind));
                k += 1;
            }
        }
    };
    near(NearKind::SameNameOtherDob, CRM, 5, &|_| true, &mut slots);
    near(NearKind::SameNameOtherDob, EXCEL, 5, &|_| true, &mut slots);
    near(
        NearKind::SameSurnamePostcode,
        CONTACTS,
        10,
        &|t| t.valid(Field::Postcode),
        &mut slots,
    );
    near(
        NearKind::TenantEmailStrangerName,
        CRM,
        5,
        &|t| t.email.is_some(),
        &mut slots,
    );
    near(
        NearKind::Namesake,
        CRM,
        5,
        &|t| t.email.is_some() && t.phone.is_some() && t.valid(Field::Dob),
        &mut slots,
    );

    let mut truth: Truth = BTreeMap::new();
    let mut truth_co: BTreeMap<(usize, usize), (u8, CategorySet)> = BTreeMap::new();
    let mut tenant_rows: Vec<(String, u64, String)> = Vec::new();
    let mut near_rows: Vec<(String, u64, &'static str, String)> = Vec::new();
    let mut files = vec![(tenants_path, tenants.len() as u64)];
    for (d, name) in DUMPS.iter().enumerate() {
        let mut ds = std::mem::take(&mut slots[d]);
        let fill = opts.dump_rows.saturating_sub(ds.len());
        ds.extend(std::iter::repeat_n(Slot::Stranger, fill));
        shuffle(&mut g.rng, &mut ds);
        let path = dumps_dir.join(name);
        let header_lines = if d == CONTACTS || d == APP || d == COMBO {
            0
        } else {
            1
        };
        let mut lines = Vec::with_capacity(ds.len());
        for (i, slot) in ds.iter().enumerate() {
            let line = (i + 1 + header_lines) as u64;
            let mut co = CategorySet::default();
            let row = render(&mut g, d, *slot, &tenants, &tenant_keys, &mut kbuf, &mut co);
            match *slot {
                Slot::Tenant(ti, plan) => {
                    let conf = plan.confidence().unwrap_or(1);
                    record_truth(&mut truth, ti, d, conf, &plan.fields());
                    record_co(&mut truth_co, &truth, ti, d, conf, co);
                    tenant_rows.push((name.to_string(), line, tenants[ti].id.clone()));
                    if plan.has(Field::TenancyRef) {
                        for (pi, p) in tenants.iter().enumerate() {
                            if p.household == tenants[ti].household && pi != ti {
                                record_truth(&mut truth, pi, d, 0, &[Field::TenancyRef]);
                                tenant_rows.push((name.to_string(), line, p.id.clone()));
                                exposed.insert(pi);
                            }
                        }
                    }
                }
                Slot::Near(ti, kind) => {
                    near_rows.push((
                        name.to_string(),
                        line,
                        kind.as_str(),
                        tenants[ti].id.clone(),
                    ));
                    if kind == NearKind::TenantEmailStrangerName {
                        record_truth(&mut truth, ti, d, 0, &[Field::Email]);
                        record_co(&mut truth_co, &truth, ti, d, 0, co);
                        tenant_rows.push((name.to_string(), line, tenants[ti].id.clone()));
                        exposed.insert(ti);
                    }
                }
                Slot::Stranger => {}
            }
            lines.push(row);
        }
        write_dump(&path, d, &lines)?;
        files.push((path, lines.len() as u64));
    }

    // ground_truth.csv, tenant_rows.csv, near_misses.csv
    let gt = out_dir.join("ground_truth.csv");
    write_file(&gt, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(["tenant_id", "dump", "field", "exposed", "confidence"])?;
        let mut sorted: Vec<_> = truth.iter().collect();
        sorted.sort_by(|a, b| (&tenants[a.0.0].id, a.0.1).cmp(&(&tenants[b.0.0].id, b.0.1)));
        for ((ti, d), (conf, fields)) in sorted {
            for f in Field::ALL {
                c.write_record([
                    tenants[*ti].id.as_str(),
                    DUMPS[*d],
                    f.as_str(),
                    if fields.contains(&f) { "yes" } else { "no" },
                    if *conf == 0 { "confirmed" } else { "probable" },
                ])?;
            }
        }
        c.flush()
    })?;
    files.push((gt, truth.len() as u64 * 9));
    let gtc = out_dir.join("ground_truth_co.csv");
    write_file(&gtc, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(["tenant_id", "dump", "co_exposed"])?;
        let mut sorted: Vec<_> = truth.keys().collect();
        sorted.sort_by(|a, b| (&tenants[a.0].id, a.1).cmp(&(&tenants[b.0].id, b.1)));
        for (ti, d) in sorted {
            let co = truth_co.get(&(*ti, *d)).map(|x| x.1).unwrap_or_default();
            c.write_record([tenants[*ti].id.as_str(), DUMPS[*d], &co.join()])?;
        }
        c.flush()
    })?;
    files.push((gtc, truth.len() as u64));
    let tr = out_dir.join("tenant_rows.csv");
    tenant_rows.sort();
    write_file(&tr, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(["dump", "line", "tenant_id"])?;
        for (d, l, t) in &tenant_rows {
            c.write_record([d.as_str(), &l.to_string(), t.as_str()])?;
        }
        c.flush()
    })?;
    files.push((tr, tenant_rows.len() as u64));
    let nm = out_dir.join("near_misses.csv");
    near_rows.sort();
    write_file(&nm, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(["dump", "line", "kind", "tenant_id"])?;
        for (d, l, k, t) in &near_rows {
            c.write_record([d.as_str(), &l.to_string(), k, t.as_str()])?;
        }
        c.flush()
    })?;
    files.push((nm, near_rows.len() as u64));
    Ok(SampleSummary {
        tenants: tenants.len(),
        exposed_tenants: exposed.len(),
        files,
    })
}

/// A stranger that shares no key with any tenant.
fn stranger(g: &mut Gen, tenant_keys: &HashSet<String>, kbuf: &mut Vec<String>) -> Person {
    loop {
        let p = g.person(false, String::new(), usize::MAX);
        p.keys(kbuf);
        if !kbuf
            .iter()
            .any(|k| !k.starts_with("t:") && tenant_keys.contains(k))
        {
            return p;
        }
    }
}

/// Renders one row as cells (for line formats, one cell).
fn render(
    g: &mut Gen,
    d: usize,
    slot: Slot,
    tenants: &[Person],
    keys: &HashSet<String>,
    kbuf: &mut Vec<String>,
    co: &mut CategorySet,
) -> Vec<String> {
    use Field::*;
    // The person whose values fill the row, and which fields come from the tenant.
    let (p, plan): (Person, Plan) = match slot {
        Slot::Stranger => {
            let s = stranger(g, keys, kbuf);
            let mut plan = Plan::default();
            for f in dump_fields(d) {
                if s.valid(*f) && chance(&mut g.rng, 80) {
                    plan = plan.with(*f);
                }
            }
            (s, plan.with(Name))
        }
        Slot::Tenant(ti, plan) => (tenants[ti].clone(), plan),
        Slot::Near(ti, kind) => {
            let t = &tenants[ti];
            let mut s = stranger(g, keys, kbuf);
            let plan = match kind {
                NearKind::SameNameOtherDob => {
                    s.given = t.given;
                    s.surname = t.surname;
                    loop {
                        s.keys(kbuf);
                        if !kbuf
                            .iter()
                            .any(|k| !k.starts_with("t:") && keys.contains(k))
                        {
                            break;
                        }
                        s.dob = g.dob();
                        s.postcode = g.postcode("ZE");
                    }
                    Plan::default()
                        .with(Name)
                        .with(Dob)
                        .with(Postcode)
                        .with(Email)
                        .with(Phone)
                }
                NearKind::SameSurnamePostcode => {
                    s.surname = t.surname;
                    s.postcode = t.postcode.clone();
                    while s.given == t.given || {
                        s.keys(kbuf);
                        kbuf.iter().any(|k| {
                            !k.starts_with("t:") && !k.starts_with("ap:") && keys.contains(k)
                        })
                    } {
                        s.given = pick(&mut g.rng, GIVEN);
                        s.dob = g.dob();
                    }
                    Plan::default().with(Name).with(Dob).with(Postcode)
                }
                NearKind::TenantEmailStrangerName => {
                    s.email = t.email.clone();
                    Plan::default()
                        .with(Name)
                        .with(Dob)
                        .with(Postcode)
                        .with(Email)
                }
                NearKind::Namesake => {
                    s.given = t.given;
                    s.surname = t.surname;
                    s.dob = t.dob;
                    if s.phone.is_none() {
                        s.phone = Some(format!("079{:08}", 99_000_000 + g.serial));
                    }
                    if s.email.is_none() {
                        s.email = Some(format!("namesake.{}@example.com", g.serial));
                    }
                    Plan::default().with(Name).with(Dob).with(Email).with(Phone)
                }
            };
            (s, plan)
        }
    };
    let on = |f: Field| plan.has(f);
    let cell = |f: Field, g: &mut Gen| -> String {
        if !on(f) {
            return String::new();
        }
        match f {
            Name => g.full_name(&p),
            Dob => g.dob_text(&p, d == CONTACTS),
            Postcode => g.postcode_text(&p),
            Email => g.email_text(&p),
            Phone => g.phone_text(&p),
            Address => g.address_text(&p),
            Nino => g.nino_text(&p),
            TenancyRef => match g.rng.random_range(0..3) {
                0 => p.tenancy.clone(),
                1 => p.tenancy.replace('-', "").to_lowercase(),
                _ => p.tenancy.replace('-', " "),
            },
            Bank => String::new(),
        }
    };
    let up = |s: &str, upper: bool| {
        if upper {
            s.to_uppercase()
        } else {
            s.to_string()
        }
    };
    match d {
        CRM => {
            let r = format!("C{:07}", g.rng.random_range(0..10_000_000));
            let login = format!(
                "2024-{:02}-{:02}T{:02}:{:02}:00Z",
                g.rng.random_range(1..13),
                g.rng.random_range(1..29),
                g.rng.random_range(0..24),
                g.rng.random_range(0..60)
            );
            vec![
                r,
                cell(Name, g),
                cell(Email, g),
                cell(Dob, g),
                cell(Postcode, g),
                cell(Phone, g),
                password_cell(g, co),
                login,
            ]
        }
        CONTACTS => {
            let (gv, sn) = if on(Name) {
                (p.given.to_string(), p.surname.to_string())
            } else {
                (String::new(), String::new())
            };
            let dob = cell(Dob, g);
            let addr = cell(Address, g);
            let pc = cell(Postcode, g);
            let ph = cell(Phone, g);
            vec![[gv, sn, dob, addr, pc, ph].join("\t")]
        }
        APP => {
            let id = g.rng.random_range(1..1_000_000);
            let created = format!(
                "2023-{:02}-{:02}T10:00:00Z",
                g.rng.random_range(1..13),
                g.rng.random_range(1..29)
            );
            let flat_ok = !on(Address) && !on(Postcode) && !on(Phone);
            let v = if !flat_ok || chance(&mut g.rng, 70) {
                let mut contact = serde_json::Map::new();
                if on(Email) {
                    contact.insert("email".into(), cell(Email, g).into());
                }
                if on(Phone) {
                    contact.insert("phone".into(), cell(Phone, g).into());
                }
                let mut user = serde_json::Map::new();
                if on(Name) {
                    user.insert("first_name".into(), p.given.into());
                    user.insert("last_name".into(), p.surname.into());
                }
                user.insert("contact".into(), contact.into());
                let mut o = serde_json::Map::new();
                o.insert("id".into(), id.into());
                o.insert("user".into(), user.into());
                if on(Dob) {
                    o.insert("dob".into(), p.iso_dob().into());
                }
                if on(Address) || on(Postcode) {
                    let mut a = serde_json::Map::new();
                    if on(Address) {
                        a.insert("line1".into(), cell(Address, g).into());
                    }
                    if on(Postcode) {
                        a.insert("postcode".into(), cell(Postcode, g).into());
                    }
                    o.insert("address".into(), a.into());
                }
                o.insert("created".into(), created.into());
                if chance(&mut g.rng, 70) {
                    co.insert(Category::IpAddress);
                    o.insert(
                        "last_ip".into(),
                        format!("192.0.2.{}", g.rng.random_range(1..255)).into(),
                    );
                }
                if chance(&mut g.rng, 10) {
                    co.insert(Category::FreeText);
                    o.insert("notes".into(), "Called about repairs to the boiler; unhappy with the delay in the contractor's response and asked for a manager to call back.".into());
                }
                serde_json::Value::Object(o)
            } else {
                let mut o = serde_json::Map::new();
                o.insert("id".into(), id.into());
                if on(Name) {
                    o.insert("name".into(), g.full_name(&p).into());
                }
                if on(Email) {
                    o.insert("email".into(), cell(Email, g).into());
                }
                if on(Dob) {
                    let (y, m, dd) = p.dob;
                    o.insert("dob".into(), format!("{dd:02}/{m:02}/{y}").into());
                }
                serde_json::Value::Object(o)
            };
            vec![v.to_string()]
        }
        COMBO => {
            let email = if p.email.is_some() {
                g.email_text(&p)
            } else {
                format!("user{}@example.org", g.serial)
            };
            let pw = password_value(g, co);
            let line = match g.rng.random_range(0..10) {
                0 => format!("{email};{pw}"),
                1 => {
                    co.insert(Category::Username);
                    format!(
                        "{}{}:{email}:{pw}",
                        ascii(p.given).to_lowercase().replace([' ', '\''], ""),
                        g.rng.random_range(1..999)
                    )
                }
                _ => format!("{email}:{pw}"),
            };
            vec![line]
        }
        EXCEL => {
            let upper = p.upper || chance(&mut g.rng, 5);
            let (gv, sn) = if on(Name) {
                (up(p.given, upper), up(p.surname, upper))
            } else {
                (String::new(), String::new())
            };
            let (sc, acc) = match (&p.bank, on(Bank)) {
                (Some((s, a)), true) => (g.sort_text(s), a.clone()),
                _ => (String::new(), String::new()),
            };
            vec![
                if on(Name) {
                    p.title.to_string()
                } else {
                    String::new()
                },
                gv,
                sn,
                cell(Dob, g),
                up(&cell(Address, g), upper),
                cell(Postcode, g),
                cell(Phone, g),
                cell(Nino, g),
                sc,
                acc,
                card_cell(g, co),
                if chance(&mut g.rng, 10) {
                    co.insert(Category::SpecialCategory);
                    pick(
                        &mut g.rng,
                        &[
                            "Mobility impairment",
                            "Visual impairment",
                            "Hearing loss",
                            "Long-term illness",
                        ],
                    )
                    .to_string()
                } else {
                    String::new()
                },
            ]
        }
        _ => {
            let (sc, acc) = match (&p.bank, on(Bank)) {
                (Some((s, a)), true) => (g.sort_text(s), a.clone()),
                _ => (String::new(), String::new()),
            };
            let tenancy = if matches!(slot, Slot::Stranger) {
                format!("REF{:07}", g.rng.random_range(0..10_000_000))
            } else {
                cell(TenancyRef, g)
            };
            vec![
                tenancy,
                if on(Name) {
                    g.full_name(&p)
                } else {
                    String::new()
                },
                sc,
                acc,
                format!(
                    "{}.{:02}",
                    g.rng.random_range(50..900),
                    g.rng.random_range(0..100)
                ),
                format!(
                    "{:02}/{:02}/2026",
                    g.rng.random_range(1..29),
                    g.rng.random_range(1..11)
                ),
            ]
        }
    }
}

/// A password as leaks hold them: plaintext, a fast hash or a slow one.
fn password_value(g: &mut Gen, co: &mut CategorySet) -> String {
    const HEX: &[u8] = b"0123456789abcdef";
    let hex = |n: usize, g: &mut Gen| {
        (0..n)
            .map(|_| HEX[g.rng.random_range(0..16)] as char)
            .collect::<String>()
    };
    match g.rng.random_range(0..10) {
        0..=5 => {
            co.insert(Category::Password);
            format!("Pa55w0rd{}!", g.rng.random_range(0..100_000))
        }
        6..=8 => {
            co.insert(Category::PasswordHash);
            hex(
                if g.rng.random_range(0..2) == 0 {
                    32
                } else {
                    40
                },
                g,
            )
        }
        _ => {
            co.insert(Category::PasswordHashStrong);
            format!("$2b$10${}", hex(53, g))
        }
    }
}

/// The CRM's password cell: empty for some rows.
fn password_cell(g: &mut Gen, co: &mut CategorySet) -> String {
    if chance(&mut g.rng, 60) {
        password_value(g, co)
    } else {
        String::new()
    }
}

/// A card-number cell: Luhn-valid cards, and Luhn-invalid digit runs that are not cards.
fn card_cell(g: &mut Gen, co: &mut CategorySet) -> String {
    if !chance(&mut g.rng, 30) {
        return String::new();
    }
    let mut d: Vec<u32> = std::iter::once(4)
        .chain((0..14).map(|_| g.rng.random_range(0..10)))
        .collect();
    let sum = crate::dump::sensitive::luhn_sum(&d, true);
    let check = (10 - sum % 10) % 10;
    let valid = chance(&mut g.rng, 67);
    d.push(if valid { check } else { (check + 1) % 10 });
    if valid {
        co.insert(Category::PaymentCard);
    }
    let s: String = d
        .iter()
        .map(|x| char::from_digit(*x, 10).unwrap_or('0'))
        .collect();
    format!("{} {} {} {}", &s[..4], &s[4..8], &s[8..12], &s[12..])
}

fn write_dump(path: &Path, d: usize, rows: &[Vec<String>]) -> Result<(), SampleError> {
    write_file(path, |w| match d {
        CRM => {
            let mut c = csv::Writer::from_writer(w);
            c.write_record([
                "Customer Ref",
                "Full Name",
                "E-mail",
                "Birth Date",
                "Post Code",
                "Mobile",
                "Password",
                "Last Login",
            ])?;
            for r in rows {
                c.write_record(r)?;
            }
            c.flush()
        }
        CONTACTS | APP => {
            for r in rows {
                w.write_all(r[0].as_bytes())?;
                w.write_all(b"\n")?;
            }
            Ok(())
        }
        COMBO => {
            let mut gz = flate2::GzBuilder::new()
                .mtime(0)
                .write(w, flate2::Compression::default());
            for r in rows {
                gz.write_all(r[0].as_bytes())?;
                gz.write_all(b"\n")?;
            }
            gz.finish().map(|_| ())
        }
        EXCEL => {
            w.write_all(b"\xEF\xBB\xBF")?;
            let mut c = csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                .from_writer(w);
            c.write_record([
                "Title",
                "Forename",
                "Surname",
                "Date of Birth",
                "Address Line 1",
                "Postcode",
                "Telephone",
                "NI Number",
                "Sort Code",
                "Account Number",
                "Card Number",
                "Disability",
            ])?;
            for r in rows {
                c.write_record(r)?;
            }
            c.flush()
        }
        _ => {
            let mut z = zstd::Encoder::new(w, 3)?;
            {
                let mut c = csv::Writer::from_writer(&mut z);
                c.write_record([
                    "Tenancy Ref",
                    "Payer Name",
                    "Sort Code",
                    "Account No",
                    "Amount",
                    "Paid On",
                ])?;
                for r in rows {
                    c.write_record(r)?;
                }
                c.flush()?;
            }
            z.finish().map(|_| ())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("bm-sample-{name}-{}", std::process::id()))
    }

    #[test]
    fn same_seed_same_bytes_and_small() {
        let opts = SampleOptions {
            seed: 7,
            tenants: 400,
            dump_rows: 300,
        };
        let (a, b) = (tmp("a"), tmp("b"));
        let s = generate(&opts, &a).unwrap();
        generate(&opts, &b).unwrap();
        for (p, _) in &s.files {
            let rel = p.strip_prefix(&a).unwrap();
            assert_eq!(
                fs_err::read(p).unwrap(),
                fs_err::read(b.join(rel)).unwrap(),
                "{}",
                rel.display()
            );
        }
        assert!(s.exposed_tenants >= 20);
        let other = generate(&SampleOptions { seed: 8, ..opts }, &tmp("c")).unwrap();
        assert_ne!(
            fs_err::read(&other.files[0].0).unwrap(),
            fs_err::read(&s.files[0].0).unwrap()
        );
        for d in [a, b, tmp("c")] {
            fs_err::remove_dir_all(d).unwrap();
        }
    }

    #[test]
    fn people_get_only_issued_ni_prefixes() {
        let mut g = Gen {
            rng: StdRng::seed_from_u64(1),
            serial: 0,
        };
        let mut seen = 0;
        for i in 0..5000 {
            let p = g.person(i % 2 == 0, format!("T{i}"), 0);
            if let Some(n) = &p.nino {
                let mut out = String::new();
                let r = crate::normalize::normalize_into(FieldKind::Nino, n, &mut out);
                assert_eq!(r, Ok(()), "{n}");
                seen += 1;
            }
        }
        assert!(seen > 3000);
    }

    #[test]
    fn plans_are_confirmed_or_refused() {
        let p = Plan::default().with(Field::Name).with(Field::Dob);
        assert_eq!(p.confidence(), Some(1));
        assert_eq!(p.with(Field::Postcode).confidence(), Some(0));
        assert_eq!(Plan::default().with(Field::Name).confidence(), None);
        assert_eq!(Plan::default().with(Field::Email).confidence(), Some(0));
    }
}
