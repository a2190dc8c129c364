//! The `chronicle` command line: the commands are in `cli/`, one module
//! each; the library makes reports and this binary prints them.

use std::process::ExitCode;

mod cli;

// A build makes and frees many small strings and maps from several threads
// at once; with the system allocator a quarter of its time went into malloc
// and free (docs/decisions.md).
#[cfg(not(feature = "heap-stats"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "heap-stats")]
#[global_allocator]
static ALLOCATOR: chronicle::heap::Counting<mimalloc::MiMalloc> =
    chronicle::heap::Counting(mimalloc::MiMalloc);

fn main() -> ExitCode {
    cli::main()
}
