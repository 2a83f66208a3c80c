//! Containing panics from the CRDT library.
//!
//! `yrs` asserts on some hostile input instead of returning an error. [`contain`] runs
//! such code under `catch_unwind`; the panic hook installed by [`install_panic_hook`]
//! logs a contained panic as a refused input (a warning), and any other panic loudly
//! through the default hook, so real bugs stay visible.

use std::{
    cell::Cell,
    panic::{self, AssertUnwindSafe},
};

thread_local! {
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// A panic was caught inside [`contain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the CRDT library refused the input with a panic")]
pub struct Contained;

/// Runs `f`, turning a panic inside it into `Err(Contained)`.
pub fn contain<R>(f: impl FnOnce() -> R) -> Result<R, Contained> {
    let outer = CONTAINED.replace(true);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINED.set(outer);
    result.map_err(|_| Contained)
}

/// Installs the process-wide panic hook described above. Call once, early.
pub fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if CONTAINED.get() {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::warn!(%location, %message, "contained a fault in the CRDT library");
        } else {
            default(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contained_panics_become_errors() {
        assert_eq!(contain(|| 7), Ok(7));
        assert_eq!(contain(|| -> u8 { panic!("hostile") }), Err(Contained));
        // Nesting restores the outer state.
        assert_eq!(
            contain(|| contain(|| -> u8 { panic!("inner") })),
            Ok(Err(Contained))
        );
    }
}
