//! The analysis board server.
//!
//! Review boards are Yjs documents. Clients edit them together over the standard
//! y-websocket protocol; the server keeps each open board in a room, stores every
//! update before anyone is sent it, and serves a little HTTP around that.
//!
//! Layout (see `docs/ARCHITECTURE.md`):
//! - [`access`]: roles, callers and the rules for who may open what.
//! - [`api`]: the REST API under `/api` (reviews, people, access) and its OpenAPI.
//! - [`app`]: assembles everything and runs it until shutdown.
//! - [`board`]: the typed view of a board document, for exports and search.
//! - [`cli`]: the `board` command and its subcommands.
//! - [`config`]: command-line flags with environment fallbacks.
//! - [`ws`]: the `/sync/{document}` websocket: reading, writing, limits, close codes.
//! - [`room`]: one actor per open document: the `yrs::Doc`, presence, fan-out.
//! - [`store`]: the storage trait and its SQLite and PostgreSQL implementations, and
//!   the directory of people, reviews and the audit trail.
//! - [`http`]: health, readiness, metrics.
//! - [`report`]: the review report from a snapshot, pseudonymised, as docx/HTML/Markdown/JSON.
//! - [`review`]: the vocabulary of a review and its meeting timeline templates.
//! - [`document`]: document names.
//! - [`fault`]: containing panics from the CRDT library.

pub mod access;
pub mod api;
pub mod audit;
pub mod auth;
pub mod board;
pub mod cli;
pub mod clock;
pub mod config;
pub mod document;
pub mod fault;
pub mod http;
pub mod metrics;
pub mod quota;
pub mod report;
pub mod review;
pub mod room;
pub mod server;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod ws;
