//! Access: who may open which document and call which route, on both databases; tokens
//! on the websocket; read-only roles; origins and cross-site requests; sign-in, lockout
//! and the first administrator; invitations; the audit trail.
//!
//! One module per theme: the permission matrix ([`matrix`], with its [`routes`]), the
//! websocket's credentials ([`websocket`]), open connections when access changes
//! ([`rechecks`]), the history and the audit trail ([`audit`]), [`invitations`],
//! searching restricted notes ([`search`]), signing in and sessions ([`sign_in`]), and
//! the [`openapi`] document. The cast of roles is [`board_tests::cast::Cast`].

use std::time::Duration;

mod agreed;
mod audit;
mod invitations;
mod matrix;
mod openapi;
mod rechecks;
mod routes;
mod search;
mod sign_in;
mod websocket;

/// The only time bound on waiting for the server to change its answer: generous, so a
/// slow machine waits longer instead of failing.
const PATIENCE: Duration = Duration::from_secs(60);
