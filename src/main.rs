//! The `selfeval` binary: parse arguments, run, write the output, exit with its code.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let finished = selfeval::cli::run(selfeval::cli::parse_args());
    // A closed pipe (`selfeval … | head`) is not an error.
    let wrote = std::io::stdout().lock().write_all(&finished.stdout);
    if let Err(e) = wrote
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return ExitCode::from(1);
    }
    let _ = std::io::stderr().lock().write_all(finished.stderr.as_bytes());
    ExitCode::from(u8::try_from(finished.code).unwrap_or(1))
}
