//! The command-line face: the only code that knows clap, terminals and exit codes.
//! Each subcommand lives in its own module with a thin `run(args, &Ui)`.

pub mod explain;
pub mod index;
pub mod inspect;
pub mod keygen;
pub mod merge;
pub mod normalize;
pub mod report;
pub mod run;
pub mod sample;
pub mod scan;
pub mod ui;
pub mod verify_claim;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Find which of your tenants appear in a leaked data dump, field by field, with evidence,
/// without handing tenant plaintext to whoever holds the dump.
#[derive(Debug, Parser)]
#[command(name = "breachmatch", version, about, long_about = None)]
pub struct Cli {
    /// Print only errors and the final summary.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Never draw progress bars (they are hidden anyway when stderr is not a terminal).
    #[arg(long, global = true)]
    pub no_progress: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The main job: index tenants, scan dumps, write results (one command).
    Run(run::Args),
    /// Make a new secret key file (32 random bytes, readable only by you).
    Keygen(keygen::Args),
    /// Build a keyed tenant index (.bmx) that holds no plaintext.
    Index(index::Args),
    /// Scan dumps against an index (needs the index and key, never the tenants file).
    Scan(scan::Args),
    /// Write deterministic synthetic tenants, dumps and ground truth.
    Sample(sample::Args),
    /// Show what an index holds (versions, counts, Bloom filter, key fingerprint).
    Inspect(inspect::Args),
    /// Show how values normalise, or why they are rejected (CSV on stdout).
    Normalize(normalize::Args),
    /// Show why a dump row did or did not match a tenant, or a tenant's hits.
    Explain(explain::Args),
    /// Risk decisions, affected-tenant list, summary, letters and mail merge.
    Report(report::Args),
    /// Check a third party's claim, per resident and per field, with evidence.
    VerifyClaim(verify_claim::Args),
    /// Combine partial results (shards) into one results folder.
    Merge(merge::Args),
}

/// Exit codes, listed in README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// Finished, but some input could not be read in full (see the manifest).
    Partial = 1,
    /// The command could not run: bad arguments or unreadable required input.
    UserError = 2,
    /// A bug or an unexpected failure.
    Internal = 3,
    /// Interrupted (Ctrl-C).
    Interrupted = 130,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

/// Dispatches a parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<Exit> {
    let ui = ui::Ui::new(cli.quiet, cli.no_progress);
    match cli.command {
        Command::Run(a) => run::run(a, &ui),
        Command::Keygen(a) => keygen::run(a, &ui),
        Command::Index(a) => index::run(a, &ui),
        Command::Scan(a) => scan::run(a, &ui),
        Command::Sample(a) => sample::run(a, &ui),
        Command::Inspect(a) => inspect::run(a, &ui),
        Command::Normalize(a) => normalize::run(a, &ui),
        Command::Explain(a) => explain::run(a, &ui),
        Command::Report(a) => report::run(a, &ui),
        Command::VerifyClaim(a) => verify_claim::run(a, &ui),
        Command::Merge(a) => merge::run(a, &ui),
    }
}

/// Key options shared by commands that need the key.
#[derive(Debug, Clone, clap::Args)]
pub struct KeyArgs {
    /// The key file made by `breachmatch keygen` (or set BREACHMATCH_KEY to 64 hex digits).
    /// The key itself is never accepted on the command line.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

impl KeyArgs {
    /// Loads the key and says where it came from; `None` when neither file nor env is set.
    pub fn load(
        &self,
        ui: &ui::Ui,
    ) -> anyhow::Result<Option<(breachmatch::secret::Secret, String)>> {
        use breachmatch::secret::{KEY_ENV, Secret};
        if let Some(p) = &self.key_file {
            warn_if_readable_by_others(p, ui);
            return Ok(Some((
                Secret::from_file(p)?,
                format!("file {}", p.display()),
            )));
        }
        Ok(Secret::from_env()?.map(|s| (s, format!("environment variable {KEY_ENV}"))))
    }
}

/// Warns when a results folder does not cover everything (a merge with parts missing, files
/// not read in full or not searched, a scan stopped early): what is read from it may
/// under-count.
pub fn warn_if_incomplete(
    manifest: &breachmatch::results::manifest::Manifest,
    results: &std::path::Path,
    ui: &ui::Ui,
) {
    let why = manifest.gaps();
    if !why.is_empty() {
        ui.warn(&format!(
            "{}: the results are incomplete ({}): what they do not show may still be in the data",
            results.display(),
            why.join("; ")
        ));
    }
}

/// Refuses a tenants file that is not the one the index behind `results` was built from
/// (tenant ids could now point at other people: letters and verdicts about the wrong ones),
/// unless `changed` says the file was only updated and its ids still mean the same people.
pub fn check_same_tenants(
    manifest: &breachmatch::results::manifest::Manifest,
    table: &breachmatch::tenants::TenantTable,
    changed: bool,
    ui: &ui::Ui,
) -> anyhow::Result<()> {
    let want = &manifest.index.tenants_sha256;
    if want.is_empty() || *want == table.sha256 {
        return Ok(());
    }
    let what = format!(
        "{} is not the tenants file the index behind these results was built from (its SHA-256 differs)",
        table.path.display()
    );
    if changed {
        ui.warn(&format!(
            "{what}; going on because of --tenants-changed: tenant ids must still mean the same people"
        ));
        return Ok(());
    }
    anyhow::bail!(
        "{what}: tenant ids may now point at other people, so letters and verdicts would be about the wrong tenants. Use the same file; or, if you have only updated it (new addresses, corrections) and every tenant id still means the same person, give --tenants-changed"
    )
}

#[cfg(unix)]
fn warn_if_readable_by_others(p: &std::path::Path, ui: &ui::Ui) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(m) = fs_err::metadata(p)
        && m.permissions().mode() & 0o077 != 0
    {
        ui.warn(&format!(
            "key file {} can be read by other users (mode {:o}); run: chmod 600 {}",
            p.display(),
            m.permissions().mode() & 0o777,
            p.display()
        ));
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_p: &std::path::Path, _ui: &ui::Ui) {}

/// Role overrides for one file: `(file, [(column, role)])`.
pub type RoleOverride = (String, Vec<(String, breachmatch::roles::Role)>);

/// Parses `--roles FILE=col:role,col:role` values.
pub fn parse_roles(specs: &[String]) -> anyhow::Result<Vec<RoleOverride>> {
    use breachmatch::roles::Role;
    let mut out = Vec::new();
    for spec in specs {
        let (file, cols) = spec.split_once('=').ok_or_else(|| {
            anyhow::anyhow!("--roles {spec:?}: expected FILE=column:role,column:role")
        })?;
        let mut list = Vec::new();
        for part in cols.split(',').filter(|p| !p.trim().is_empty()) {
            let (c, r) = part.rsplit_once(':').ok_or_else(|| {
                anyhow::anyhow!("--roles {spec:?}: {part:?} should be column:role")
            })?;
            let role = Role::ALL
                .into_iter()
                .find(|x| x.as_str() == r.trim())
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--roles {spec:?}: unknown role {r:?}; roles are {}",
                        Role::ALL.map(Role::as_str).join(", ")
                    )
                })?;
            list.push((c.trim().to_string(), role));
        }
        out.push((file.to_string(), list));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Ok as u8, 0);
        assert_eq!(Exit::Partial as u8, 1);
        assert_eq!(Exit::UserError as u8, 2);
        assert_eq!(Exit::Internal as u8, 3);
        assert_eq!(Exit::Interrupted as u8, 130);
    }

    #[test]
    fn roles_spec_parses_and_rejects() {
        let r = parse_roles(&["a.csv=2:phone,Full Name:full_name".into()]).unwrap();
        assert_eq!(r[0].0, "a.csv");
        assert_eq!(r[0].1.len(), 2);
        assert!(parse_roles(&["a.csv".into()]).is_err());
        assert!(parse_roles(&["a.csv=2:fone".into()]).is_err());
    }

    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
