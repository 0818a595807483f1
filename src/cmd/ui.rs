//! Terminal output: messages, warnings and indicatif progress on stderr; hidden when quiet or
//! when stderr is not a terminal. The library pushes progress through `scan::Progress`.
#![allow(clippy::print_stderr)]

use breachmatch::dump::Layout;
use breachmatch::scan::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// How the command talks to the user.
pub struct Ui {
    quiet: bool,
    bars: bool,
    errored: AtomicBool,
}

impl Ui {
    /// A UI; progress bars only when stderr is a terminal and not disabled.
    pub fn new(quiet: bool, no_progress: bool) -> Ui {
        Ui {
            quiet,
            bars: !quiet && !no_progress && std::io::stderr().is_terminal(),
            errored: AtomicBool::new(false),
        }
    }

    /// An informational line (hidden when quiet).
    pub fn info(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// A warning (always shown).
    pub fn warn(&self, msg: &str) {
        eprintln!("warning: {msg}");
    }

    /// A per-file error that does not stop the run; marks the run as partial.
    pub fn error(&self, msg: &str) {
        self.errored.store(true, Ordering::Relaxed);
        eprintln!("error: {msg}");
    }

    /// Whether [`Ui::error`] was called.
    pub fn errored(&self) -> bool {
        self.errored.load(Ordering::Relaxed)
    }

    /// A progress reporter for a scan over `total_bytes` of input.
    pub fn scan_progress(&self, total_bytes: u64) -> ScanBar<'_> {
        let bar = if self.bars {
            let b = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            Some(b)
        } else {
            None
        };
        ScanBar {
            ui: self,
            bar,
            hits: AtomicU64::new(0),
        }
    }
}

/// indicatif progress for a scan: bytes read of total, speed, ETA, hits so far.
pub struct ScanBar<'a> {
    ui: &'a Ui,
    bar: Option<ProgressBar>,
    hits: AtomicU64,
}

impl ScanBar<'_> {
    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }

    fn println(&self, msg: &str) {
        match &self.bar {
            Some(b) => b.println(msg),
            None => eprintln!("{msg}"),
        }
    }
}

impl Progress for ScanBar<'_> {
    fn start_document(&self, path: &Path, _bytes: u64, kind: breachmatch::docs::DocKind) {
        if self.ui.quiet {
            return;
        }
        self.println(&format!(
            "reading {} as {}",
            path.display(),
            kind.as_str().replace('_', " ")
        ));
    }

    fn start_file(&self, path: &Path, _bytes: u64, layout: &Layout) {
        if self.ui.quiet {
            return;
        }
        let roles: Vec<String> = layout
            .columns
            .iter()
            .filter(|c| c.role != breachmatch::roles::Role::Other)
            .map(|c| format!("{}={}", c.name, c.role))
            .collect();
        self.println(&format!(
            "scanning {} ({}): {}",
            path.display(),
            layout.describe(),
            if roles.is_empty() {
                "no usable columns".into()
            } else {
                roles.join(", ")
            }
        ));
        let sensitive: Vec<String> = layout
            .columns
            .iter()
            .filter_map(|c| c.sensitive.map(|s| format!("{}={}", c.name, s.as_str())))
            .collect();
        if !sensitive.is_empty() {
            self.println(&format!(
                "  sensitive columns (categories recorded, never values): {}",
                sensitive.join(", ")
            ));
        }
        // By number, not by name: a file whose first row is data, read as a header, would
        // put a stranger's name (or health data) on the terminal; the names are in
        // manifest.json, beside each column's role and why.
        let unused: Vec<String> = layout
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.role == breachmatch::roles::Role::Other && c.sensitive.is_none())
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        if !unused.is_empty() {
            let what = if matches!(
                layout.format,
                breachmatch::dump::Format::JsonLines | breachmatch::dump::Format::JsonDocument
            ) {
                format!("{} (JSON fields)", unused.len())
            } else {
                const SHOWN: usize = 12;
                let more = unused.len().saturating_sub(SHOWN);
                format!(
                    "column{} {}{}",
                    if unused.len() == 1 { "" } else { "s" },
                    unused[..unused.len().min(SHOWN)].join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                )
            };
            self.println(&format!(
                "  not used: {what}; their headers are in manifest.json (if one holds personal data, name its role with --roles \"{}=COLUMN:ROLE\")",
                path.display()
            ));
        }
    }

    fn advance(&self, bytes: u64) {
        if let Some(b) = &self.bar {
            b.inc(bytes);
        }
    }

    fn hits(&self, n: u64) {
        let total = self.hits.fetch_add(n, Ordering::Relaxed) + n;
        if let Some(b) = &self.bar {
            b.set_message(format!("{total} hits"));
        }
    }

    fn file_error(&self, path: &Path, message: &str) {
        let _ = path;
        if let Some(b) = &self.bar {
            b.suspend(|| self.ui.error(message));
        } else {
            self.ui.error(message);
        }
    }

    fn warn(&self, path: &Path, message: &str) {
        let msg = format!("{}: {message}", path.display());
        if let Some(b) = &self.bar {
            b.suspend(|| self.ui.warn(&msg));
        } else {
            self.ui.warn(&msg);
        }
    }
}
