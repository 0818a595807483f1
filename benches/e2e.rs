//! End-to-end benchmark: one run, all figures as ratios of the same session.
//!
//! Generates (once, cached in target/bench-data) 125,000 tenants and a 2,000,000-row CRM dump
//! with `sample`, gzips it, then measures: (a) the csv crate alone parsing the file with
//! `ByteRecord` (the ceiling for CSV), (b) `scan` on 1 thread, (c) `scan` on all cores,
//! (d) `rg -F -f emails.txt` when ripgrep is installed (literal e-mails only), and for the gz
//! file, decompression alone against the scan. Prints MB/s, rows/s, ratios and peak RSS.
//! Run: `cargo bench --bench e2e`.
#![allow(clippy::print_stdout)]

use breachmatch::scan::{NoProgress, ScanOptions, scan_files};
use breachmatch::secret::Secret;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

const TENANTS: usize = 125_000;
const ROWS: usize = 2_000_000;

fn peak_rss_mb() -> f64 {
    let status = fs_err::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn line(name: &str, secs: f64, bytes: u64, rows: u64, base: f64) {
    println!(
        "{name:<44} {secs:>7.3} s {:>8.1} MB/s {:>10.0} rows/s  {:>5.2}x of csv parse",
        bytes as f64 / secs / 1e6,
        rows as f64 / secs,
        base / secs
    );
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let csv = dir.join("dumps/crm_export.csv");
    if !csv.exists() {
        println!(
            "generating {TENANTS} tenants and {ROWS}-row dumps in {} (once)...",
            dir.display()
        );
        let opts = breachmatch::sample::SampleOptions {
            seed: 7,
            tenants: TENANTS,
            dump_rows: ROWS,
        };
        breachmatch::sample::generate(&opts, &dir).expect("sample");
    }
    let gz = dir.join("crm_export.csv.gz");
    if !gz.exists() {
        let mut e = flate2::write::GzEncoder::new(
            fs_err::File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        std::io::copy(&mut fs_err::File::open(&csv).unwrap(), &mut e).unwrap();
        e.finish().unwrap();
    }
    let size = fs_err::metadata(&csv).unwrap().len();
    let gz_size = fs_err::metadata(&gz).unwrap().len();

    // (a) csv crate alone.
    let t = Instant::now();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(
            1 << 16,
            fs_err::File::open(&csv).unwrap(),
        ));
    let mut rec = csv::ByteRecord::new();
    let mut rows = 0u64;
    while rdr.read_byte_record(&mut rec).unwrap() {
        rows += 1;
    }
    let base = t.elapsed().as_secs_f64();

    // Index.
    let keys = Secret::from_bytes(&[42u8; 32], "bench").unwrap().derive();
    let t = Instant::now();
    let table =
        breachmatch::tenants::read_tenants(&dir.join("tenants.csv"), &Default::default()).unwrap();
    let (index, _) = breachmatch::index::build_index(
        &table,
        &keys,
        breachmatch::index::bloom::DEFAULT_BITS_PER_KEY,
    );
    let index_secs = t.elapsed().as_secs_f64();
    let bytes = breachmatch::index::format::to_bytes(&index);
    let t = Instant::now();
    let _loaded = breachmatch::index::format::from_bytes(&bytes, Path::new("bench.bmx")).unwrap();
    let load_secs = t.elapsed().as_secs_f64();

    let stop = AtomicBool::new(false);
    let scan = |files: &[PathBuf], threads: usize| {
        let opts = ScanOptions::default().with_threads(threads);
        let t = Instant::now();
        let r = scan_files(&index, &keys, files, &opts, &NoProgress, &stop);
        (t.elapsed().as_secs_f64(), r.hits.len())
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (one, hits1) = scan(std::slice::from_ref(&csv), 1);
    let (all, hits_all) = scan(std::slice::from_ref(&csv), cores);
    assert_eq!(hits1, hits_all);

    // gz: decompression alone vs scan.
    let t = Instant::now();
    let mut d = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
        fs_err::File::open(&gz).unwrap(),
    ));
    let mut sink = [0u8; 1 << 16];
    while d.read(&mut sink).unwrap() > 0 {}
    let gunzip = t.elapsed().as_secs_f64();
    let (gz_scan, _) = scan(std::slice::from_ref(&gz), cores);

    println!(
        "\nmachine: {cores} cores; file {} ({:.1} MB, {rows} rows; gz {:.1} MB); {TENANTS} tenants",
        csv.display(),
        size as f64 / 1e6,
        gz_size as f64 / 1e6
    );
    println!(
        "index: built in {index_secs:.2} s ({} keys), loaded from bytes in {load_secs:.3} s",
        index.header.entries
    );
    line("(a) csv crate ByteRecord parse", base, size, rows, base);
    line("(b) scan, 1 thread, every key kind", one, size, rows, base);
    line(&format!("(c) scan, {cores} threads"), all, size, rows, base);
    println!(
        "    all cores vs 1 thread: {:.2}x; hits: {hits1}",
        one / all
    );
    if let Ok(out) = std::process::Command::new("rg").arg("--version").output()
        && out.status.success()
    {
        let emails = dir.join("emails.txt");
        let mut f = fs_err::File::create(&emails).unwrap();
        for r in &table.rows {
            if let Some(e) = r.get(breachmatch::roles::Role::Email) {
                writeln!(f, "{e}").unwrap();
            }
        }
        drop(f);
        let t = Instant::now();
        let o = std::process::Command::new("rg")
            .args(["-F", "-i", "-c", "-f"])
            .arg(&emails)
            .arg(&csv)
            .output()
            .unwrap();
        let rg = t.elapsed().as_secs_f64();
        line(
            "(d) rg -F -i -f emails.txt (e-mails only)",
            rg,
            size,
            rows,
            base,
        );
        println!(
            "    rg matching lines: {}",
            String::from_utf8_lossy(&o.stdout).trim()
        );
    } else {
        println!("(d) rg not installed: skipped");
    }
    line(
        "(e) gzip decompression alone (flate2 zlib-rs)",
        gunzip,
        size,
        rows,
        base,
    );
    line(
        &format!("(f) scan of the .gz, {cores} threads"),
        gz_scan,
        size,
        rows,
        base,
    );
    println!(
        "    gz scan vs decompression alone: {:.2}x slower",
        gz_scan / gunzip
    );
    leak_tree(&dir, &index, &keys, cores);
    println!("peak RSS of this process: {:.0} MB", peak_rss_mb());
}

/// A leak tree of a few thousand documents (Word, PDF, e-mail, text, xlsx, HTML): text
/// extraction alone (read + extract, no matching) against the whole scan, on 1 and all cores.
fn leak_tree(
    dir: &Path,
    index: &breachmatch::index::Index,
    keys: &breachmatch::secret::DerivedKeys,
    cores: usize,
) {
    const DOCS: usize = 3000;
    let tree = dir.join("leak_corpus");
    if !tree.exists() {
        breachmatch::sample::leak::write_document_corpus(&tree, &dir.join("tenants.csv"), DOCS, 7)
            .expect("document corpus");
    }
    let files = breachmatch::dump::expand_inputs(std::slice::from_ref(&tree)).unwrap();
    let bytes: u64 = files
        .iter()
        .map(|f| fs_err::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let limits = breachmatch::docs::ContainerLimits::default();
    let t = Instant::now();
    let mut blocks = 0usize;
    for f in &files {
        let kind = breachmatch::scan::document_kind(f).expect("a document");
        let data = fs_err::read(f).unwrap();
        let e = breachmatch::docs::extract(kind, &data, &limits);
        blocks += e.text.len() + e.tables.iter().map(|t| t.rows.len()).sum::<usize>();
        for (child, b) in &e.children {
            let cursor = || Some(std::io::Cursor::new(b));
            if let Some(k) = breachmatch::docs::resolve_kind(child, b, cursor) {
                blocks += breachmatch::docs::extract(k, b, &limits).text.len();
            }
        }
    }
    let extract = t.elapsed().as_secs_f64();
    let stop = AtomicBool::new(false);
    let run = |threads: usize| {
        let opts = ScanOptions::default().with_threads(threads);
        let t = Instant::now();
        let r = scan_files(index, keys, &files, &opts, &NoProgress, &stop);
        (t.elapsed().as_secs_f64(), r.hits.len(), r.files.len())
    };
    let (one, hits, entries) = run(1);
    let (all, hits_all, _) = run(cores);
    assert_eq!(hits, hits_all);
    println!(
        "\nleak tree: {} documents ({entries} entries with attachments), {:.1} MB, {blocks} text blocks and table rows",
        files.len(),
        bytes as f64 / 1e6
    );
    let doc_line = |name: &str, secs: f64| {
        println!(
            "{name:<44} {secs:>7.3} s {:>8.1} MB/s {:>8.0} files/s  {:>5.2}x of extraction",
            bytes as f64 / secs / 1e6,
            files.len() as f64 / secs,
            extract / secs
        );
    };
    doc_line("(g) text extraction alone, 1 thread", extract);
    doc_line("(h) scan of the tree, 1 thread", one);
    doc_line(&format!("(i) scan of the tree, {cores} threads"), all);
    println!("    hits: {hits}; all cores vs 1 thread: {:.2}x", one / all);
}
