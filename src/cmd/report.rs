//! `breachmatch report`: risk decisions, affected-tenant list, summary, letters, mail merge.
//!
//! Reads a results folder (from `scan` or `run`) and the tenants file, and writes into --out:
//! `affected_tenants.csv` (+ .parquet) with tenant details joined back, `decisions.csv` (every
//! exposed tenant, notified or not, with the reason), `summary.md` and `summary.html`, and with
//! `--org`: `letters/<tenant>.html`, `letters.html` (all letters, A4, one per page) and
//! `mailmerge.csv`. Runs at the landlord only: these files hold tenant plaintext.
//!
//! Examples:
//!   breachmatch report --results results --tenants sample_data/tenants.csv \
//!       --org sample_data/org.toml --out results
//!   breachmatch report --results r --tenants t.csv --org org.toml --policy risk.toml \
//!       --template my-letter/ --out report

use super::{Exit, ui::Ui};
use anyhow::Context;
use breachmatch::report::{ReportInput, org::Org, policy::Policy, write_report};
use breachmatch::tenants::{ColumnMap, read_tenants};
use std::path::{Path, PathBuf};

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A results folder written by `scan` or `run`.
    #[arg(long, value_name = "DIR")]
    pub results: PathBuf,
    /// The tenants file.
    #[arg(long, value_name = "FILE")]
    pub tenants: PathBuf,
    /// Column map for the tenants file.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Where to write the report (may be the results folder).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Accept a tenants file that differs from the one the index was built from (updated
    /// addresses, corrections), as long as every tenant id still means the same person.
    #[arg(long)]
    pub tenants_changed: bool,
    /// Report options.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Options shared by `report` and `run`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Organisation details for letters (org.toml: name, address, DPO contact, incident text).
    /// Without it, no letters are written.
    #[arg(long, value_name = "FILE")]
    pub org: Option<PathBuf>,
    /// Risk policy TOML replacing the default.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Folder with letter.html and/or page.html replacing the built-in templates.
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,
}

/// Runs `report`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<Exit> {
    let map = match &args.map {
        Some(p) => ColumnMap::from_file(p)?,
        None => ColumnMap::default(),
    };
    let loaded = args.report.load()?;
    let table = read_tenants(&args.tenants, &map)?;
    let manifest = breachmatch::results::read_manifest(&args.results)?;
    super::check_same_tenants(&manifest, &table, args.tenants_changed, ui)?;
    super::warn_if_incomplete(&manifest, &args.results, ui);
    execute(&args.results, &table, &loaded, &args.out, ui)?;
    Ok(Exit::Ok)
}

/// The report's inputs besides the results and tenants, read and checked.
pub struct Loaded {
    policy: Policy,
    org: Option<Org>,
    template: Option<PathBuf>,
}

impl ReportArgs {
    /// Reads and checks the policy, organisation file and templates, so that `run` finds a
    /// mistake in them before it scans, not after.
    pub fn load(&self) -> anyhow::Result<Loaded> {
        let read = |p: &Path, what: &str| {
            fs_err::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("{what} {}: {}", p.display(), plain_io(&e)))
        };
        let policy = match &self.policy {
            Some(p) => Policy::from_toml(&read(p, "risk policy (--policy)")?)
                .map_err(|e| anyhow::anyhow!("risk policy (--policy) {}: {e}", p.display()))?,
            None => Policy::default(),
        };
        let org = match &self.org {
            Some(p) => Some(
                Org::from_toml(&read(p, "organisation file (--org)")?).map_err(|e| {
                    anyhow::anyhow!("organisation file (--org) {}: {e}", p.display())
                })?,
            ),
            None => None,
        };
        breachmatch::report::letters::Letters::new(self.template.as_deref())
            .map_err(|e| anyhow::anyhow!("letter templates (--template): {e}"))?;
        Ok(Loaded {
            policy,
            org,
            template: self.template.clone(),
        })
    }
}

/// An I/O error in words, without the file name fs_err adds (the caller names the file).
fn plain_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::IsADirectory => "is a folder, not a file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => std::error::Error::source(e).map_or_else(|| e.to_string(), |s| s.to_string()),
    }
}

/// Writes the report; shared by `report` and `run`.
pub fn execute(
    results: &Path,
    table: &breachmatch::tenants::TenantTable,
    loaded: &Loaded,
    out: &Path,
    ui: &Ui,
) -> anyhow::Result<()> {
    let org = loaded.org.as_ref();
    let input = ReportInput {
        results,
        tenants: table,
        policy: &loaded.policy,
        org,
        templates: loaded.template.as_deref(),
    };
    let s = write_report(&input, out)
        .with_context(|| format!("writing the report to {}", out.display()))?;
    if !s.unknown_ids.is_empty() {
        ui.warn(&format!(
            "{} exposed tenant ids are not in the tenants file (is it the same file the index was built from?): {}",
            s.unknown_ids.len(),
            s.unknown_ids.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    for g in s
        .by_group
        .keys()
        .filter(|g| *g != "tenant" && *g != "staff")
    {
        ui.warn(&format!(
            "group {g:?} in the people file is neither tenants nor staff: its people are listed and counted apart (affected_{g}.csv), and their letters use the tenants' wording; check that this is right"
        ));
    }
    let groups = if s.by_group.keys().any(|g| g != "tenant") {
        format!(
            " ({})",
            s.by_group
                .iter()
                .map(|(g, n)| format!(
                    "{n} {}",
                    breachmatch::report::group_stem(g).replace('_', " ")
                ))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        String::new()
    };
    ui.info(&format!(
        "report: {} affected {}{groups}, {} to notify, {} letters{}; see {}",
        s.affected,
        if groups.is_empty() {
            "tenants"
        } else {
            "people"
        },
        s.notified,
        s.letters,
        if org.is_none() {
            " (no --org given, so no letters)"
        } else {
            ""
        },
        out.join("summary.html").display()
    ));
    Ok(())
}
