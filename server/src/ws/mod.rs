//! The websocket endpoint `/sync/{document}`: socket reading and writing, pings, size
//! and rate limits, close codes. Protocol semantics live in [`crate::room`].
//!
//! Each connection runs two tasks: the reader (decodes frames and hands them to the
//! room, waiting if the room's inbox is full) and the writer (drains the connection's
//! outbox and sends pings). Either one ending closes the other through
//! [`PeerControl`](crate::room::PeerControl).
//!
//! - `upgrade`: the `sync` handler: origin, caller and access checks, then the upgrade.
//! - `recheck`: the connection's access checked again, on change and periodically.
//! - `connection`: the reader and writer loops of one connection.
//! - `forward`: in a cluster, relaying to the node that serves the document.
//! - `limits`: the message rate limit and the message size check.
//! - [`close`]: the close codes.

pub mod close;
mod connection;
mod forward;
mod limits;
mod recheck;
mod upgrade;

pub use forward::internal_sync;
pub use upgrade::sync;
