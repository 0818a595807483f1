//! Checking a third party's claim ("these residents' name, address and date of birth are in
//! this dump"), per resident and per claimed field, against a scan's results, with evidence.
//!
//! Runs at the landlord (it needs the tenants file to recognise residents). Residents who are
//! not tenants are reported by claim line only: their names are never copied into outputs.

pub mod parse;
pub mod sample;
pub mod verdict;

pub use parse::{ClaimError, ClaimRow, parse_fields, read_claim};
pub use verdict::{FieldVerdict, Match, ResidentVerdict, Verdict, verify};
