//! Reading leaked dumps: bytes in, batches of rows (with file, line and byte offset) out.
//!
//! This stage knows nothing of matching. [`sniff`] decides compression, format, delimiter,
//! header and column roles from the first rows; [`reader`] streams the file in batches;
//! [`decode`] turns one raw row into `(role, text)` cells for the matcher.

pub mod chunk;
pub mod decode;
pub mod json_doc;
pub mod reader;
pub mod sensitive;
pub mod sniff;

pub use sniff::{ColumnInfo, Compression, Format, Layout, SniffError, sniff_file};

use std::path::{Path, PathBuf};

/// Expands files and directories (walked recursively, sorted by path) into the dump files to
/// scan. Hidden files (starting with '.') inside directories are skipped. Errors name the path.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    let mut out = Vec::new();
    let mut visited = std::collections::HashSet::new();
    for p in inputs {
        walk(p, true, &mut out, &mut visited)?;
    }
    Ok(out)
}

/// Splits expanded dump files into those to scan and those that are the tool's own inputs or
/// outputs (`own`: the tenants file, the key and index files, the results folder): scanning
/// the tenants file finds every tenant "exposed", and scanning earlier results finds their
/// details again. Paths are compared canonically; a folder in `own` leaves out all under it.
pub fn leave_out_own(files: Vec<PathBuf>, own: &[&Path]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let own: Vec<PathBuf> = own
        .iter()
        .filter_map(|p| fs_err::canonicalize(p).ok())
        .collect();
    // A file removed since the folder was walked (an earlier result replaced with --force)
    // is placed by the nearest folder above it that still exists.
    let canonical = |f: &PathBuf| -> Option<PathBuf> {
        let mut names = Vec::new();
        let mut p = f.as_path();
        loop {
            let here = if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            };
            if let Ok(c) = fs_err::canonicalize(here) {
                return Some(names.iter().rev().fold(c, |acc, n| acc.join(n)));
            }
            names.push(p.file_name()?);
            p = p.parent()?;
        }
    };
    files
        .into_iter()
        .partition(|f| canonical(f).is_none_or(|c| !own.iter().any(|o| c.starts_with(o))))
}

fn walk(
    p: &Path,
    top: bool,
    out: &mut Vec<PathBuf>,
    visited: &mut std::collections::HashSet<PathBuf>,
) -> Result<(), (PathBuf, std::io::Error)> {
    let meta = match fs_err::metadata(p) {
        Ok(m) => m,
        // A bad entry inside a directory (a dangling link, no permission) is scanned as a
        // file, which reports it and lets the others go on; a bad path given by the user is an
        // error at once.
        Err(_) if !top => {
            out.push(p.to_path_buf());
            return Ok(());
        }
        Err(e) => return Err((p.to_path_buf(), e)),
    };
    if meta.is_dir() {
        // Symlink loops: a directory is visited once, by its canonical path.
        let canon = fs_err::canonicalize(p).map_err(|e| (p.to_path_buf(), e))?;
        if !visited.insert(canon) {
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = fs_err::read_dir(p)
            .map_err(|e| (p.to_path_buf(), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|e| {
                !e.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        entries.sort();
        for e in entries {
            walk(&e, false, out, visited)?;
        }
    } else {
        // Pipes, sockets and devices too: the scan reports them as not regular files.
        out.push(p.to_path_buf());
    }
    Ok(())
}
