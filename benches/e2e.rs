//! End-to-end benchmark: one run, all figures as ratios of the same session.
//!
//! Generates (once, cached in target/bench-data) 125,000 tenants and a 2,000,000-row CRM dump
//! with `sample`, gzips it, then measures: (a) the csv crate alone parsing the file with
//! `ByteRecord` (the ceiling for CSV), (b) `scan` on 1 thread, (c) `scan` on all cores,
//! (d) `rg -F -f emails.txt` when ripgrep is installed (literal e-mails only), and for the gz
//! file, decompression alone against the scan; (k) the reader's own work (read, hash and
//! parse, against read, hash and cut into chunks for the matching threads), which bounds a scan
//! on any number of cores; each the best of `BENCH_ROUNDS` (default 3) interleaved rounds. Then the peak RSS of the `breachmatch scan` process on a ~1,000,000-row
//! and a 4,000,000-row dump. Prints MB/s, rows/s, ratios and peak RSS.
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

/// Peak resident memory (VmHWM) in MB of a process, from its `/proc/<pid>/status`.
fn peak_rss_mb(status_path: &str) -> Option<f64> {
    fs_err::read_to_string(status_path)
        .ok()?
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
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

    // Warm the page cache, so the first measurement does not pay for the disk.
    for f in [&csv, &gz] {
        std::io::copy(&mut fs_err::File::open(f).unwrap(), &mut std::io::sink()).unwrap();
    }

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
    // Every measurement is taken once per round, the rounds interleaved, and the best of each
    // kept: on a shared machine noise only ever adds time, and it then hits all alike.
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let mut best = [f64::INFINITY; 5];
    let (mut rows, mut hits1, mut hits_all) = (0u64, 0, 0);
    for _ in 0..rounds {
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
        rows = 0;
        while rdr.read_byte_record(&mut rec).unwrap() {
            rows += 1;
        }
        best[0] = best[0].min(t.elapsed().as_secs_f64());
        // (b), (c) scan on one thread and on all cores.
        let (one, h1) = scan(std::slice::from_ref(&csv), 1);
        let (all, ha) = scan(std::slice::from_ref(&csv), cores);
        (hits1, hits_all) = (h1, ha);
        best[1] = best[1].min(one);
        best[2] = best[2].min(all);
        // (e) gz: decompression alone, (f) the scan of the gz.
        let t = Instant::now();
        let mut d = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            fs_err::File::open(&gz).unwrap(),
        ));
        let mut sink = [0u8; 1 << 16];
        while d.read(&mut sink).unwrap() > 0 {}
        best[3] = best[3].min(t.elapsed().as_secs_f64());
        best[4] = best[4].min(scan(std::slice::from_ref(&gz), cores).0);
    }
    assert_eq!(hits1, hits_all);
    let [base, one, all, gunzip, gz_scan] = best;

    println!(
        "\nmachine: {cores} cores; file {} ({:.1} MB, {rows} rows; gz {:.1} MB); {TENANTS} tenants; best of {rounds} rounds",
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
    reader_alone(&csv, &gz, size, rows, base, rounds);
    leak_tree(&dir, &index, &keys, cores, rounds);
    rss_by_dump_size(&dir, &csv, &table);
    println!(
        "peak RSS of this process: {:.0} MB",
        peak_rss_mb("/proc/self/status").unwrap_or(0.0)
    );
}

/// (k) The reader's work alone, which bounds a scan on any number of cores: reading and
/// parsing into batches (one thread does both; before, the reader thread did this beside the
/// matching threads) against reading and cutting into chunks of whole records (the reader
/// thread's work now, the matching threads parse), plain and gz.
fn reader_alone(csv: &Path, gz: &Path, size: u64, rows: u64, base: f64, rounds: usize) {
    use breachmatch::dump::reader::{ReadLimits, read_chunks_with, read_file_with};
    let mut best = [f64::INFINITY; 4];
    for _ in 0..rounds {
        for (i, file) in [csv, gz].into_iter().enumerate() {
            let layout = breachmatch::dump::sniff_file(file).unwrap();
            let t = Instant::now();
            let spare = std::cell::Cell::new(None);
            let out = read_file_with(
                file,
                0,
                &layout,
                ReadLimits::default(),
                || spare.take(),
                |b| {
                    spare.set(Some(b));
                    true
                },
                |_| {},
            );
            assert!(out.error.is_none() && out.rows > 0, "{}", file.display());
            best[2 * i] = best[2 * i].min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let spare = std::cell::Cell::new(None);
            let mut chunks = 0u64;
            let out = read_chunks_with(
                file,
                0,
                &layout,
                ReadLimits::default(),
                breachmatch::dump::chunk::CHUNK_BYTES,
                || spare.take(),
                |c| {
                    chunks += 1;
                    spare.set(Some(c));
                    true
                },
                |_| {},
            );
            assert!(out.error.is_none() && chunks > 0);
            best[2 * i + 1] = best[2 * i + 1].min(t.elapsed().as_secs_f64());
        }
    }
    line(
        "(k) reader alone: read + parse (1 thread)",
        best[0],
        size,
        rows,
        base,
    );
    line(
        "    reader alone: read + cut (threads)",
        best[1],
        size,
        rows,
        base,
    );
    line(
        "    reader alone, gz: read + parse (1 thread)",
        best[2],
        size,
        rows,
        base,
    );
    line(
        "    reader alone, gz: read + cut (threads)",
        best[3],
        size,
        rows,
        base,
    );
}

/// A leak tree of a few thousand documents (Word, PDF, e-mail, text, xlsx, HTML): text
/// extraction alone (read + extract, no matching) against the whole scan, on 1 and all cores.
fn leak_tree(
    dir: &Path,
    index: &breachmatch::index::Index,
    keys: &breachmatch::secret::DerivedKeys,
    cores: usize,
    rounds: usize,
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
    let extract_all = || {
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
        blocks
    };
    let stop = AtomicBool::new(false);
    let run = |threads: usize| {
        let opts = ScanOptions::default().with_threads(threads);
        let t = Instant::now();
        let r = scan_files(index, keys, &files, &opts, &NoProgress, &stop);
        (t.elapsed().as_secs_f64(), r.hits.len(), r.files.len())
    };
    let (mut extract, mut one, mut all) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    let (mut blocks, mut hits, mut hits_all, mut entries) = (0, 0, 0, 0);
    for _ in 0..rounds {
        let t = Instant::now();
        blocks = extract_all();
        extract = extract.min(t.elapsed().as_secs_f64());
        let (secs, h, e) = run(1);
        (one, hits, entries) = (one.min(secs), h, e);
        let (secs, h, _) = run(cores);
        (all, hits_all) = (all.min(secs), h);
    }
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

/// Peak RSS of the `breachmatch scan` process on dumps of about 1,000,000 and 4,000,000 rows (made
/// from the bench dump: its first half, and the whole twice), read from `/proc` while it runs.
fn rss_by_dump_size(dir: &Path, csv: &Path, table: &breachmatch::tenants::TenantTable) {
    let bin = Path::new(env!("CARGO_BIN_EXE_breachmatch"));
    if !Path::new("/proc/self/status").exists() {
        println!("\npeak RSS by dump size: needs /proc (Linux): skipped");
        return;
    }
    let work = dir.join("rss");
    let _ = fs_err::remove_dir_all(&work);
    fs_err::create_dir_all(&work).unwrap();
    let key = work.join("k.key");
    let tenants = work.join("tenants.csv");
    let text = fs_err::read(csv).unwrap();
    let half = text.len() / 2 + memchr::memchr(b'\n', &text[text.len() / 2..]).unwrap() + 1;
    let one_m = work.join("rows_1m.csv");
    let four_m = work.join("rows_4m.csv");
    fs_err::write(&one_m, &text[..half]).unwrap();
    let header_end = memchr::memchr(b'\n', &text).unwrap() + 1;
    // Data rows: lines after the header (records here hold no line breaks).
    let rows_in = |b: &[u8]| memchr::memchr_iter(b'\n', b).count() - 1;
    let rows = [rows_in(&text[..half]), 2 * rows_in(&text)];
    let mut f = fs_err::File::create(&four_m).unwrap();
    f.write_all(&text).unwrap();
    f.write_all(&text[header_end..]).unwrap();
    drop(f);
    drop(text);
    fs_err::copy(dir.join("tenants.csv"), &tenants).unwrap();
    let run = |args: &[&std::ffi::OsStr]| -> (bool, f64) {
        let mut child = std::process::Command::new(bin)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let status_path = format!("/proc/{}/status", child.id());
        let mut peak = 0f64;
        loop {
            if let Some(mb) = peak_rss_mb(&status_path) {
                peak = peak.max(mb);
            }
            if let Some(st) = child.try_wait().unwrap() {
                return (st.code().is_some_and(|c| c <= 1), peak);
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    };
    let (ok, _) = run(&["keygen".as_ref(), "--out".as_ref(), key.as_os_str()]);
    assert!(ok, "keygen");
    let index = work.join("t.bmx");
    let (ok, _) = run(&[
        "index".as_ref(),
        "--tenants".as_ref(),
        tenants.as_os_str(),
        "--key-file".as_ref(),
        key.as_os_str(),
        "--out".as_ref(),
        index.as_os_str(),
    ]);
    assert!(ok, "index");
    let mut peaks = Vec::new();
    for (n, dump) in rows.into_iter().zip([&one_m, &four_m]) {
        let out = work.join("out");
        let (ok, mb) = run(&[
            "scan".as_ref(),
            "-q".as_ref(),
            "--index".as_ref(),
            index.as_os_str(),
            "--key-file".as_ref(),
            key.as_os_str(),
            "--dumps".as_ref(),
            dump.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--force".as_ref(),
        ]);
        assert!(ok, "scan of {n} rows");
        println!("(j) peak RSS of `breachmatch scan`, {n} rows: {mb:>6.0} MB");
        peaks.push(mb);
    }
    println!(
        "    {} rows vs {} rows: {:+.1}% ({} tenants)",
        rows[1],
        rows[0],
        (peaks[1] / peaks[0] - 1.0) * 100.0,
        table.rows.len()
    );
    let _ = fs_err::remove_dir_all(&work);
}
