//! The `breachmatch` binary: parse, dispatch, print one error, return the exit code.
#![allow(clippy::print_stderr)]

mod cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    // First Ctrl-C: stop reading at the next batch, write what was found (marked incomplete).
    // Second Ctrl-C: leave at once; nothing half-written looks complete (no manifest yet).
    let _ = ctrlc::set_handler(|| {
        if cmd::scan::STOP.swap(true, std::sync::atomic::Ordering::SeqCst) {
            #[allow(clippy::exit, clippy::disallowed_methods)]
            std::process::exit(130);
        }
        eprintln!(
            "\ninterrupted: finishing the current batch and writing partial results (Ctrl-C again to quit now)"
        );
    });
    match cmd::dispatch(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            // A closed pipe (e.g. `| head`) is not an error.
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            // Each cause once: many errors already quote their source's words.
            let mut msg = String::new();
            for cause in err.chain() {
                let text = cause.to_string();
                if msg.contains(&text) {
                    continue;
                }
                if !msg.is_empty() {
                    msg.push_str(": ");
                }
                msg.push_str(&text);
            }
            eprintln!("error: {msg}");
            cmd::Exit::UserError.into()
        }
    }
}
