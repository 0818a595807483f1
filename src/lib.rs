//! breachmatch: find which of a landlord's tenants appear in a leaked data dump, field by
//! field, with evidence, without handing tenant plaintext to whoever holds the dump.
//!
//! ```text
//! tenants.csv|parquet --tenants--> rows --keys::Person (normalize)--> match keys + field values
//!     --secret (HMAC-SHA256, SipHash)--> index::Index (.bmx: Bloom + exact table + field hashes)
//! dump files --dump::sniff--> Layout --dump::reader--> batches --dump::decode--> cells
//!     --scan::matcher: Bloom probe -> HMAC confirm -> field comparison--> scan::Hit
//! hits --results (polars group_by/join)--> exposures.csv/.parquet, hits.parquet, manifest.json
//! ```
//!
//! The stages are separate modules: [`normalize`] knows nothing of the pipeline, [`dump`]
//! knows nothing of matching, [`scan`] knows no terminal, [`results`] only writes data.
//!
//! ```
//! use breachmatch::normalize::{normalize, FieldKind};
//! assert_eq!(normalize(FieldKind::Phone, "+44 (0)7700 900123").unwrap(), "+447700900123");
//! ```
#![warn(missing_docs)]

pub mod claims;
pub mod docs;
pub mod dump;
pub mod explain;
pub mod index;
pub mod keys;
pub mod normalize;
pub mod report;
pub mod results;
pub mod roles;
pub mod sample;
pub mod scan;
pub mod secret;
pub mod tenants;
