//! Messages for people, on standard error.
//!
//! `eprintln!` panics when standard error cannot be written: a pipe closed
//! early (`outcry poll --once 2>&1 | head -1` in a cron line), a full disk
//! under `2>>log`. A message is worth less than the work it reports on, so
//! outcry writes its messages with [`say!`](crate::say!), which drops a line
//! it cannot write and goes on: what is stored, and the exit status, do not
//! depend on whether anyone still reads standard error. `clippy.toml`
//! forbids `eprintln!`, so a new message cannot bring the panic back.

use std::fmt;
use std::io::Write;

/// Writes one line to standard error; a line that cannot be written is
/// dropped. Call it through [`say!`](crate::say!).
pub fn line(args: fmt::Arguments) {
    let _ = writeln!(std::io::stderr().lock(), "{args}");
}

/// `eprintln!` that cannot panic: see the [module](crate::say).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::say::line(::std::format_args!($($arg)*))
    };
}
