//! `breachmatch sample`: deterministic synthetic tenants, messy dumps and ground truth, plus a
//! fictional `org.toml` for letters and a third party's `claim.csv` with its expected verdicts.
//!
//! The same --seed always gives byte-identical files. The default output is committed in
//! `sample_data/`; tests, README examples and benchmarks use it.
//!
//! Examples:
//!   breachmatch sample --out sample_data --force
//!   breachmatch sample --out /tmp/big --tenants 125000 --dump-rows 2000000
//!   breachmatch sample --out /tmp/s --leak-tree

use super::{Exit, ui::Ui};
use breachmatch::sample::{SampleOptions, generate};
use std::path::PathBuf;

/// Arguments of `sample`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output directory.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of tenants.
    #[arg(long, default_value_t = 3000)]
    pub tenants: usize,
    /// Rows per tabular dump.
    #[arg(long, default_value_t = 4000)]
    pub dump_rows: usize,
    /// Also write `leak_tree/`: a ransomware-style leak folder (spreadsheets, SQL dump, Word,
    /// PDF, e-mail, zip, scanned image), a people file with staff, and ground truth.
    #[arg(long)]
    pub leak_tree: bool,
    /// Write into a folder that already holds files (files of the same names are replaced).
    #[arg(long)]
    pub force: bool,
}

/// Runs `sample`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<Exit> {
    // Synthetic data must never silently replace real files (a tenants.csv, an org.toml).
    let in_use = fs_err::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some());
    if in_use && !args.force {
        anyhow::bail!(
            "{} already holds files; sample would replace any named tenants.csv, org.toml, claim.csv or dumps/ with synthetic data: choose an empty or new folder, or give --force",
            args.out.display()
        );
    }
    let opts = SampleOptions {
        seed: args.seed,
        tenants: args.tenants,
        dump_rows: args.dump_rows,
    };
    let summary = generate(&opts, &args.out)?;
    let org = args.out.join("org.toml");
    breachmatch::results::atomic::write_bytes(
        &org,
        breachmatch::report::org::Org::sample_toml().as_bytes(),
    )?;
    breachmatch::claims::sample::write_sample_claim(&args.out, args.seed)?;
    if args.leak_tree {
        let files = breachmatch::sample::leak::write_leak_tree(&args.out, args.seed)?;
        ui.info(&format!(
            "wrote a leak tree of {} files to {}",
            files.len(),
            args.out.join("leak_tree").display()
        ));
    }
    ui.info(&format!(
        "wrote {} tenants ({} exposed in the dumps) and {} files to {}",
        summary.tenants,
        summary.exposed_tenants,
        summary.files.len(),
        args.out.display()
    ));
    Ok(Exit::Ok)
}
