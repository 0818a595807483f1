//! Publishing a report into a folder as a whole: it is written into a staging folder first, and
//! moved into place only once every file is there, so a failure (a broken letter template, a
//! full disk) leaves the earlier report as it was, never a half-written one beside it. The files
//! a report wrote are listed in `report.json`; the next report (or a scan with `--force`)
//! removes exactly those, never a file of the user's that only looks like one of them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The list of the files the last report wrote, written last: a folder whose `report.json`
/// is missing holds no finished report.
pub const REPORT_LIST: &str = "report.json";

/// The staging folder inside the output folder, removed once the report is in place.
pub const STAGING: &str = ".report-in-progress";

/// What `report.json` holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportList {
    /// "breachmatch".
    pub tool: String,
    /// Tool version.
    pub version: String,
    /// When the report was written (RFC 3339, UTC).
    pub written: String,
    /// Every file written, relative to the folder, with `/` between folders.
    pub files: Vec<String>,
}

/// Makes an empty staging folder in `out` (removing one a crashed report left).
pub fn staging_dir(out: &Path) -> io::Result<PathBuf> {
    let dir = out.join(STAGING);
    if dir.exists() {
        fs_err::remove_dir_all(&dir)?;
    }
    fs_err::create_dir_all(&dir)?;
    Ok(dir)
}

/// Removes a staging folder after a failure (best effort: the error that stopped the report
/// is the one to report).
pub fn discard(staging: &Path) {
    let _ = fs_err::remove_dir_all(staging);
}

/// Moves every file of `staging` into `out`: first `report.json` and the files it lists from
/// the earlier report go, then the new files move in, then the new `report.json` is written.
/// Returns the files, relative to `out`.
pub fn publish(staging: &Path, out: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    list_files(staging, Path::new(""), &mut files)?;
    files.sort();
    remove_listed(out)?;
    for rel in &files {
        let to = out.join(rel);
        if let Some(parent) = to.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::rename(staging.join(rel), &to)?;
    }
    fs_err::remove_dir_all(staging)?;
    let list = ReportList {
        tool: "breachmatch".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        written: jiff::Timestamp::now().to_string(),
        files: files.clone(),
    };
    let json = serde_json::to_vec_pretty(&list).map_err(io::Error::other)?;
    super::atomic::write_bytes(&out.join(REPORT_LIST), &json)?;
    Ok(files)
}

/// Removes `report.json` and the files it lists (those that are still there), then the
/// folders it leaves empty. Entries that leave the folder (`..`, absolute paths) are ignored.
pub fn remove_listed(out: &Path) -> io::Result<()> {
    let p = out.join(REPORT_LIST);
    let Ok(bytes) = fs_err::read(&p) else {
        return Ok(());
    };
    let list: ReportList = serde_json::from_slice(&bytes).unwrap_or_default();
    fs_err::remove_file(&p)?;
    let mut dirs = BTreeSet::new();
    for rel in &list.files {
        let rel = Path::new(rel);
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            continue;
        }
        let path = out.join(rel);
        if path.is_file() {
            fs_err::remove_file(&path)?;
        }
        let mut parent = rel.parent();
        while let Some(d) = parent.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(d.to_path_buf());
            parent = d.parent();
        }
    }
    // Deepest first, and only when empty: a file of the user's keeps its folder.
    for d in dirs.iter().rev() {
        let path = out.join(d);
        if fs_err::read_dir(&path).is_ok_and(|mut e| e.next().is_none()) {
            fs_err::remove_dir(&path)?;
        }
    }
    Ok(())
}

fn list_files(dir: &Path, rel: &Path, out: &mut Vec<String>) -> io::Result<()> {
    for e in fs_err::read_dir(dir)? {
        let e = e?;
        let r = rel.join(e.file_name());
        if e.file_type()?.is_dir() {
            list_files(&e.path(), &r, out)?;
        } else {
            let parts: Vec<String> = r
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("bm-publish-{name}-{}", std::process::id()));
        let _ = fs_err::remove_dir_all(&d);
        fs_err::create_dir_all(&d).unwrap();
        d
    }

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        fs_err::create_dir_all(p.parent().unwrap()).unwrap();
        fs_err::write(p, text).unwrap();
    }

    #[test]
    fn a_new_report_replaces_only_the_files_of_the_last_one() {
        let out = tmp("replace");
        // The user's own files, named like report outputs.
        write(&out, "mailmerge_christmas.csv", "mine");
        write(&out, "letters/old/rent_2024.html", "mine");
        let s = staging_dir(&out).unwrap();
        write(&s, "decisions.csv", "1");
        write(&s, "letters/T1.html", "1");
        write(&s, "letters/staff/S1.html", "1");
        assert_eq!(
            publish(&s, &out).unwrap(),
            ["decisions.csv", "letters/T1.html", "letters/staff/S1.html"]
        );
        // The next report notifies someone else: the old letters go, the user's stay.
        let s = staging_dir(&out).unwrap();
        write(&s, "decisions.csv", "2");
        write(&s, "letters/T2.html", "2");
        publish(&s, &out).unwrap();
        assert_eq!(
            fs_err::read_to_string(out.join("decisions.csv")).unwrap(),
            "2"
        );
        assert!(out.join("letters/T2.html").exists());
        assert!(!out.join("letters/T1.html").exists());
        assert!(!out.join("letters/staff").exists());
        assert!(out.join("mailmerge_christmas.csv").exists());
        assert!(out.join("letters/old/rent_2024.html").exists());
        assert!(!out.join(STAGING).exists());
        let list: ReportList =
            serde_json::from_slice(&fs_err::read(out.join(REPORT_LIST)).unwrap()).unwrap();
        assert_eq!(list.files, ["decisions.csv", "letters/T2.html"]);
        fs_err::remove_dir_all(out).unwrap();
    }

    #[test]
    fn a_failed_report_leaves_the_last_one_whole() {
        let out = tmp("fail");
        let s = staging_dir(&out).unwrap();
        write(&s, "decisions.csv", "1");
        publish(&s, &out).unwrap();
        let s = staging_dir(&out).unwrap();
        write(&s, "decisions.csv", "half");
        discard(&s);
        assert_eq!(
            fs_err::read_to_string(out.join("decisions.csv")).unwrap(),
            "1"
        );
        assert!(out.join(REPORT_LIST).exists() && !s.exists());
        fs_err::remove_dir_all(out).unwrap();
    }

    #[test]
    fn a_list_that_points_outside_the_folder_removes_nothing_there() {
        let out = tmp("outside");
        let outside = tmp("outside-victim");
        write(&outside, "keep.txt", "keep");
        let list = ReportList {
            files: vec![
                format!(
                    "../bm-publish-outside-victim-{}/keep.txt",
                    std::process::id()
                ),
                outside.join("keep.txt").display().to_string(),
            ],
            ..ReportList::default()
        };
        write(&out, REPORT_LIST, &serde_json::to_string(&list).unwrap());
        remove_listed(&out).unwrap();
        assert!(outside.join("keep.txt").exists());
        for d in [out, outside] {
            fs_err::remove_dir_all(d).unwrap();
        }
    }
}
