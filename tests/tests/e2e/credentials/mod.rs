//! Attacks on accounts and credentials, replayed: parallel password guesses, lockout
//! races, enumeration, credentials minting credentials, invitation races, weak
//! passwords, secrets where logs keep them, and the last lead demoted.
//!
//! One module per theme: guessing passwords ([`guessing`]), credentials that grant
//! access (tokens, invitations and leads, [`grants`]), and secrets chosen weakly or
//! typed in the wrong place ([`secrets`]).

use std::net::IpAddr;

use anyhow::Result;
use board_tests::api::{Answer, ApiClient};

mod grants;
mod guessing;
mod secrets;

/// `count` anonymous clients, each from its own loopback address, as a botnet would be.
fn from_many_addresses(
    server: &board_tests::TestServer,
    count: u8,
    subnet: u8,
) -> Result<Vec<ApiClient>> {
    (1..=count)
        .map(|i| ApiClient::anonymous_from(server, IpAddr::from([127, 0, subnet, i])))
        .collect()
}

fn statuses(answers: &[Answer]) -> Vec<u16> {
    answers.iter().map(|a| a.status).collect()
}
