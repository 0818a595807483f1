//! Counts kept per file while scanning; they add up across threads, files and shards.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::AddAssign;

/// How many rejected-row examples (line + reason) are kept per file.
pub const MAX_REJECT_EXAMPLES: usize = 1000;

/// Statistics of one file (or, summed, of a whole scan).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanStats {
    /// Rows read from the file (rows scanned + rows rejected).
    pub rows_read: u64,
    /// Rows decoded and matched against the index.
    pub rows_scanned: u64,
    /// Rejected rows by reason (ragged, oversized, invalid_json, repeated_header, ...).
    pub rows_rejected: BTreeMap<String, u64>,
    /// Rows that matched at least one tenant (any confidence).
    pub rows_matched: u64,
    /// Rows that hold a tenant's data (at least one confirmed or probable hit; namesakes and
    /// households left out): the "records concerned" of a breach report. Missing in results
    /// written before it was counted.
    #[serde(default)]
    pub rows_exposing: u64,
    /// Hits by confidence.
    pub hits: BTreeMap<String, u64>,
    /// Values that did not normalise, by column role (not errors: dumps are messy).
    pub invalid_values: BTreeMap<String, u64>,
    /// Cells that were not UTF-8 and were read as Windows-1252.
    pub non_utf8_cells: u64,
    /// Rows with fewer values than the header has columns, read as its first columns.
    #[serde(default)]
    pub short_rows: u64,
    /// Dates of birth in a column read day-first that only make sense month-first
    /// ("12/25/1980"): a sign the column is month-first.
    #[serde(default)]
    pub month_first_dates: u64,
    /// Candidate keys checked against the Bloom filter.
    pub keys_probed: u64,
    /// Bloom positives (HMAC computed).
    pub bloom_positives: u64,
    /// Bloom positives not in the exact table.
    pub bloom_false_positives: u64,
    /// The first rejected rows: `(line, reason)`.
    pub rejected_examples: Vec<(u64, String)>,
}

impl ScanStats {
    /// Counts a rejected row.
    pub fn reject(&mut self, line: u64, reason: &str, detail: String) {
        self.rows_read += 1;
        *self.rows_rejected.entry(reason.to_string()).or_default() += 1;
        if self.rejected_examples.len() < MAX_REJECT_EXAMPLES {
            self.rejected_examples.push((line, detail));
        }
    }

    /// Total rejected rows.
    pub fn rejected_total(&self) -> u64 {
        self.rows_rejected.values().sum()
    }
}

impl AddAssign<&ScanStats> for ScanStats {
    fn add_assign(&mut self, o: &ScanStats) {
        self.rows_read += o.rows_read;
        self.rows_scanned += o.rows_scanned;
        for (k, v) in &o.rows_rejected {
            *self.rows_rejected.entry(k.clone()).or_default() += v;
        }
        self.rows_matched += o.rows_matched;
        self.rows_exposing += o.rows_exposing;
        for (k, v) in &o.hits {
            *self.hits.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.invalid_values {
            *self.invalid_values.entry(k.clone()).or_default() += v;
        }
        self.non_utf8_cells += o.non_utf8_cells;
        self.short_rows += o.short_rows;
        self.month_first_dates += o.month_first_dates;
        self.keys_probed += o.keys_probed;
        self.bloom_positives += o.bloom_positives;
        self.bloom_false_positives += o.bloom_false_positives;
        // The first rows by line of both, whichever is added to which: matching threads take
        // chunks of a file in turn, so the file's first rejected rows can be any thread's.
        self.rejected_examples
            .extend(o.rejected_examples.iter().cloned());
        self.rejected_examples.sort();
        self.rejected_examples.truncate(MAX_REJECT_EXAMPLES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_add_up() {
        let mut a = ScanStats {
            rows_read: 3,
            rows_scanned: 2,
            ..ScanStats::default()
        };
        a.reject(9, "ragged", "row has 3 fields".into());
        let mut b = ScanStats::default();
        b.reject(4, "ragged", "x".into());
        b.reject(5, "oversized", "y".into());
        a += &b;
        assert_eq!(a.rows_read, 6);
        assert_eq!(a.rows_rejected["ragged"], 2);
        assert_eq!(a.rejected_total(), 3);
        assert_eq!(a.rejected_examples[0].0, 4);
    }

    /// The examples kept are the first rows by line, whatever order threads are added in.
    #[test]
    fn examples_are_the_first_rows_of_the_file() {
        let worker = |lines: std::ops::Range<u64>| {
            let mut s = ScanStats::default();
            for l in lines {
                s.reject(l, "ragged", format!("line {l}"));
            }
            s
        };
        let (late, early) = (worker(5000..6500), worker(1..1500));
        let mut a = late.clone();
        a += &early;
        let mut b = early.clone();
        b += &late;
        assert_eq!(a, b);
        assert_eq!(a.rejected_examples.len(), MAX_REJECT_EXAMPLES);
        assert_eq!(a.rejected_examples.first().unwrap().0, 1);
        assert_eq!(a.rejected_examples.last().unwrap().0, 1000);
        assert_eq!(a.rejected_total(), 1500 + 1499);
    }
}
