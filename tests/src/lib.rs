//! The test harness for the board server: a real server process on an ephemeral port
//! ([`server`]) with a database of its own ([`db`]), the `board` command's one-off
//! subcommands ([`command`]), a raw HTTP client ([`http`]), real websocket clients
//! ([`client`]), a REST client with people set up by invitation ([`api`]), a review's
//! whole cast of roles ([`cast`]), and waiting for a condition until a deadline
//! ([`wait`]).
//! Used by the end-to-end tests in `tests/e2e` and by the `loadgen` benchmark.

pub mod api;
pub mod board;
pub mod cast;
pub mod client;
pub mod cluster;
pub mod command;
pub mod db;
pub mod http;
pub mod postgres;
pub mod proxy;
pub mod server;
pub mod wait;

pub use client::{RawClient, YClient, eventually};
pub use db::{Backend, TestDb};
pub use server::TestServer;
pub use wait::poll_until;
