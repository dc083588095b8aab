//! The `selfeval` binary: parse arguments, run with the standard streams, exit with its code.

use std::io::Write;
use std::process::ExitCode;

// A batch allocates and frees many small values per file from several threads: mimalloc does
// that in about half the time of the system allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    // Buffered: a batch writes its results file by file.
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut err = std::io::stderr();
    let mut code = selfeval::cli::run_to(
        selfeval::cli::parse_args(),
        &mut selfeval::cli::Streams { stdout: &mut out, stderr: &mut err },
    );
    // A closed pipe (`selfeval … | head`) is not an error.
    if let Err(e) = out.flush()
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        code = code.max(1);
    }
    let _ = err.flush();
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
