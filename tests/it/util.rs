//! Test helpers: a scratch directory per test and a runner for the real binary.

use std::path::{Path, PathBuf};
use std::process::Output;

/// A scratch directory, removed at the end of a passing test.
pub struct Workdir {
    /// The directory.
    pub dir: PathBuf,
}

impl Workdir {
    /// A fresh directory named after the test.
    pub fn new(name: &str) -> Workdir {
        let dir = std::env::temp_dir()
            .join("breachmatch-it")
            .join(format!("{name}-{}", std::process::id()));
        let _ = fs_err::remove_dir_all(&dir);
        fs_err::create_dir_all(&dir).unwrap();
        Workdir { dir }
    }

    /// A path inside.
    pub fn path(&self, p: &str) -> PathBuf {
        self.dir.join(p)
    }

    /// Writes a file inside and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            fs_err::create_dir_all(parent).unwrap();
        }
        fs_err::write(&p, bytes).unwrap();
        p
    }

    /// Runs breachmatch with arguments in this directory.
    pub fn run(&self, args: &[&str]) -> Output {
        assert_cmd::Command::cargo_bin("breachmatch")
            .unwrap()
            .current_dir(&self.dir)
            .env_remove("BREACHMATCH_KEY")
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "breachmatch {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs and asserts failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "breachmatch {args:?} should have failed"
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs_err::remove_dir_all(&self.dir);
        }
    }
}

/// The repository's sample_data directory.
pub fn sample_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// Reads a CSV (BOM stripped) into header -> value maps.
pub fn read_csv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let bytes = fs_err::read(path).unwrap();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rdr = csv::Reader::from_reader(body);
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// What `scan` writes (and a partner may hold): never any plaintext.
pub const SCAN_OUTPUTS: [&str; 6] = [
    "hits.parquet",
    "exposures.csv",
    "exposures.parquet",
    "review.csv",
    "rejected_rows.csv",
    "manifest.json",
];

/// Every string a results directory holds: text files as they are, Parquet files cell by cell.
pub fn all_output_text(dir: &Path) -> String {
    output_text(dir, |_| true)
}

/// The text of the files in `dir` whose names pass `keep`.
pub fn output_text(dir: &Path, keep: impl Fn(&str) -> bool) -> String {
    let mut text = String::new();
    for e in fs_err::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if !keep(p.file_name().unwrap().to_str().unwrap()) {
            continue;
        }
        if p.extension().is_some_and(|x| x == "parquet") {
            let df = breachmatch::results::hits::read_parquet(&p).unwrap();
            // Text columns only: numbers (lines, offsets, keyed fingerprints) hold no dump value,
            // and their digits could look like one by chance.
            for c in df
                .columns()
                .iter()
                .filter(|c| c.dtype() == &polars::prelude::DataType::String)
            {
                let s = c.cast(&polars::prelude::DataType::String).unwrap();
                for v in s.str().unwrap().iter().flatten() {
                    text.push_str(v);
                    text.push('\n');
                }
            }
        } else if p.is_file() {
            text.push_str(&String::from_utf8_lossy(&fs_err::read(&p).unwrap()));
            text.push('\n');
        }
    }
    text
}

/// Standard base64 (with padding), to look for a key written in that form.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Asserts that no form of the key (raw bytes, hex, base64) is in `haystack`.
pub fn assert_no_key(key: &[u8], haystack: &[u8], what: &str) {
    let hex_lower = hex::encode(key);
    for form in [
        key.to_vec(),
        hex_lower.as_bytes().to_vec(),
        hex_lower.to_uppercase().into_bytes(),
        base64(key).into_bytes(),
    ] {
        assert!(
            !haystack.windows(form.len()).any(|w| w == form.as_slice()),
            "the key appears in {what}"
        );
    }
}

/// Reads `DIR/manifest.json` inside a work directory.
pub fn manifest(wd: &Workdir, dir: &str) -> serde_json::Value {
    serde_json::from_slice(&fs_err::read(wd.path(&format!("{dir}/manifest.json"))).unwrap())
        .unwrap()
}

/// Asserts, for every file of a manifest, rows read = rows scanned + rows rejected by reason.
pub fn assert_counts_add_up(m: &serde_json::Value) {
    for f in m["files"].as_array().unwrap() {
        let s = &f["stats"];
        let rejected: u64 = s["rows_rejected"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(
            s["rows_read"].as_u64().unwrap(),
            s["rows_scanned"].as_u64().unwrap() + rejected,
            "{}",
            f["path"]
        );
    }
}

/// `breachmatch run` on sample_data/ into `wd/r`, with extra arguments; returns stdout.
pub fn run_sample(wd: &Workdir, extra: &[&str]) -> String {
    let tenants = sample_data().join("tenants.csv");
    let dumps = sample_data().join("dumps");
    let mut args = vec![
        "run",
        "--tenants",
        tenants.to_str().unwrap(),
        "--dumps",
        dumps.to_str().unwrap(),
        "--out",
        "r",
    ];
    args.extend_from_slice(extra);
    wd.ok(&args)
}

/// Writes a CSV of `rows` strangers (after one row for the tenant Zoe Smith) and starts a
/// one-thread scan of it against `t.bmx` / `k.key` in the background, stderr piped.
pub fn spawn_long_scan(wd: &Workdir, file: &str, rows: usize) -> std::process::Child {
    let mut big = String::from("Name,Email\nZoe Smith,zoe.smith@example.org\n");
    for i in 0..rows {
        big += &format!("Person Number{i},person{i}@example.net\n");
    }
    wd.write(file, &big);
    std::process::Command::new(assert_cmd::cargo::cargo_bin("breachmatch"))
        .current_dir(&wd.dir)
        .args([
            "scan",
            "--index",
            "t.bmx",
            "--key-file",
            "k.key",
            "--dumps",
            file,
            "--out",
            "r",
            "--threads",
            "1",
        ])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Makes a key `k.key` and indexes `tenants` (a path) into `out` inside the work directory.
pub fn keygen_and_index(wd: &Workdir, tenants: &str, out: &str) {
    wd.ok(&["keygen", "--out", "k.key"]);
    wd.ok(&[
        "index",
        "--tenants",
        tenants,
        "--key-file",
        "k.key",
        "--out",
        out,
    ]);
}
