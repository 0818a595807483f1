//! `breachmatch keygen`: make a secret key file.
//!
//! Writes 32 random bytes to FILE with mode 0600 (readable only by you). Refuses to overwrite
//! an existing file. The key is never printed; only its public fingerprint is.
//!
//! Examples:
//!   breachmatch keygen --out secret.key

use super::{Exit, ui::Ui};
use anyhow::Context;
use breachmatch::secret::Secret;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `keygen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the key (must not exist yet).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Runs `keygen`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<Exit> {
    let secret = Secret::random();
    let mut opts = fs_err::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use fs_err::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&args.out).with_context(|| {
        format!(
            "cannot create key file {} (an existing key is never overwritten)",
            args.out.display()
        )
    })?;
    f.write_all(secret.expose_bytes())?;
    f.sync_all()?;
    ui.info(&format!(
        "wrote a new key to {} (fingerprint {}); keep it secret, and share it only with the partner who scans for you",
        args.out.display(),
        secret.derive().fingerprint
    ));
    Ok(Exit::Ok)
}
