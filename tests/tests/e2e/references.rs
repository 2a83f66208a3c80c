//! Stable references: three people adding episodes at the same moment get E1, E2 and
//! E3, each once; moving rows and restarting never changes them; a reference somebody
//! changes is put back; and a new finding is F1.

use std::{collections::BTreeSet, time::Duration};

use anyhow::Result;
use board_server::board::Board;
use board_tests::board as b;

use crate::support::{Backend, YClient, both_databases, eventually, server};

both_databases!(references_are_given_once_and_kept);

fn references(board: &Board) -> Vec<(String, String)> {
    board
        .episodes
        .iter()
        .map(|e| (e.id.clone(), e.reference.clone()))
        .collect()
}

async fn references_are_given_once_and_kept(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let mut people = Vec::new();
    for _ in 0..3 {
        let client = YClient::connect(&server.ws_url("board")).await?;
        client.synced().await?;
        people.push(client);
    }
    // All three add a row at the end at once.
    for (i, person) in people.iter().enumerate() {
        b::add_episode(&person.doc, &format!("e{i}"), "a0", &format!("Row {i}"), "");
    }
    eventually(
        "everyone has three numbered rows",
        Duration::from_secs(10),
        || {
            people.iter().all(|p| {
                p.board().is_ok_and(|b| {
                    b.episodes.len() == 3 && b.episodes.iter().all(|e| !e.reference.is_empty())
                })
            })
        },
    )
    .await?;
    let given = references(&people[0].board()?);
    let refs: BTreeSet<&str> = given.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(refs, BTreeSet::from(["E1", "E2", "E3"]), "{given:?}");
    for person in &people[1..] {
        assert_eq!(references(&person.board()?), given);
    }

    // Moving a row and changing a reference by hand: the references stay.
    b::set_field(&people[1].doc, "episodes", "e0", "order", "zz");
    b::set_field(&people[2].doc, "episodes", "e1", "ref", "E99");
    b::add_finding(&people[0].doc, "g1", "a0", "A finding", "human_tasks");
    eventually("the reference is put back", Duration::from_secs(10), || {
        people[0].board().is_ok_and(|b| {
            b.episodes
                .iter()
                .any(|e| e.id == "e1" && e.reference != "E99")
                && b.episodes.last().is_some_and(|e| e.id == "e0")
                && b.findings.first().is_some_and(|f| f.reference == "F1")
        })
    })
    .await?;
    let mut after: Vec<(String, String)> = references(&people[0].board()?);
    after.sort();
    let mut before = given.clone();
    before.sort();
    assert_eq!(after, before);

    server.restart().await?;
    let fresh = YClient::connect(&server.ws_url("board")).await?;
    fresh.synced().await?;
    let mut stored = references(&fresh.board()?);
    stored.sort();
    assert_eq!(stored, before);
    server.assert_healthy();
    Ok(())
}
