//! The test harness for the board server: a real server process on an ephemeral port
//! with a database of its own ([`server`]), real websocket clients ([`client`]), and a
//! REST client with people set up by invitation ([`api`]).
//! Used by the end-to-end tests in `tests/e2e` and by the `loadgen` benchmark.

pub mod api;
pub mod board;
pub mod client;
pub mod server;

pub use client::{RawClient, YClient, eventually};
pub use server::{Backend, TestDb, TestServer};
