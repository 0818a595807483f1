//! The one integration-test binary (every extra one relinks polars): a module per command.
#![allow(clippy::print_stderr, clippy::print_stdout)]

mod explain;
mod hostile;
mod index;
mod keygen;
mod leak;
mod merge;
mod normalize;
mod report;
mod run;
mod sample;
mod scan;
mod util;
mod verify_claim;
