//! The analysis board server.
//!
//! Review boards are Yjs documents. Clients edit them together over the standard
//! y-websocket protocol; the server keeps each open board in a room, stores every
//! update before anyone is sent it, and serves a little HTTP around that.
//!
//! Layout (see `docs/ARCHITECTURE.md`), from the entry point down; a module uses only
//! modules below it (`scripts/check-module-graph`):
//! - [`cli`]: the `board` command and its subcommands; [`telemetry`]: logging.
//! - [`server`]: the composition root: assembles everything and runs it until shutdown.
//! - [`config`]: command-line flags with environment fallbacks.
//! - [`api`]: the REST API under `/api` and its OpenAPI; [`ws`]: the `/sync/{document}`
//!   websocket; [`http`]: health, readiness, metrics, the accept loop.
//! - [`state`]: what every handler shares; imports no transport.
//! - [`auth`]: who is calling (sessions, tokens, origins, rate limits, password work).
//! - [`room`]: one actor per open document: the `yrs::Doc`, presence, fan-out.
//! - [`store`]: the document log on SQLite or PostgreSQL, the group-commit journal, and
//!   the directory of people, reviews and the audit trail.
//! - [`library`]: the partnership's findings library: what a review publishes to it,
//!   the codebook, and how its counts leave it.
//! - [`report`]: the review report from a snapshot, pseudonymised.
//! - [`board`]: the typed view of a board document; [`review`]: a review's vocabulary
//!   and records; [`chronology`]: agencies' chronologies read from their files;
//!   [`audit`]: the audit trail's records.
//! - [`access`]: roles, callers, accounts and the rules for who may open what.
//! - [`clock`], [`document`], [`fault`], [`metrics`], [`quota`]: leaves.

pub mod access;
pub mod api;
pub mod audit;
pub mod auth;
pub mod board;
pub mod chronology;
pub mod cli;
pub mod clock;
pub mod cluster;
pub mod config;
pub mod demo;
pub mod document;
pub mod fault;
pub mod http;
pub mod library;
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
