//! Agreed work is locked: whatever a case group member's update does to an episode or
//! finding the review team agreed (typing, re-titling, deleting, un-agreeing, linking)
//! is undone by the room at once, for every client and in the store, while the rest of
//! the same person's work stays; a case group member cannot agree work either. A review
//! team member's edit of an episode checked with the case group marks it for
//! re-checking. Moving someone between the review team and the case group ends their
//! open connections, so the lock follows the role at once.

use std::time::Duration;

use anyhow::Result;
use board_server::board::Board;
use board_tests::{api::Person, board as b, cast::Cast};
use serde_json::json;
use yrs::{Doc, ReadTxn, StateVector, Transact, WriteTxn};

use crate::support::{Backend, TestServer, YClient, both_databases, eventually, server};

both_databases!(the_case_group_cannot_change_agreed_work);

async fn connect(server: &TestServer, person: &Person, review: &str) -> Result<YClient> {
    let url = format!("ws://{}/sync/{review}/board", server.addr);
    let cookie = person.api.cookie().unwrap_or_default();
    let client = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
    client.synced().await?;
    Ok(client)
}

fn board_of(client: &YClient) -> Result<Board> {
    let state = client
        .doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    Ok(Board::from_update(&state)?)
}

fn status_of(board: &Board, id: &str) -> String {
    board
        .episodes
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.status.clone())
        .unwrap_or_default()
}

async fn the_case_group_cannot_change_agreed_work(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    let rita = connect(&server, &cast.team, &r).await?;
    b::add_episode(&rita.doc, "e1", "a0", "GP appointment", "Agreed appraisal.");
    b::set_field(&rita.doc, "episodes", "e1", "status", "agreed");
    b::add_episode(&rita.doc, "e2", "a1", "Home visit", "Still open.");
    b::add_episode(&rita.doc, "e3", "a2", "Strategy meeting", "Checked.");
    b::set_field(&rita.doc, "episodes", "e3", "status", "checked");
    b::add_finding(&rita.doc, "g1", "a0", "Agreed finding", "human_tasks");
    b::set_field(&rita.doc, "findings", "g1", "status", "agreed");
    rita.wait("echoes", |s| s.updates >= 7).await?;
    let agreed = board_of(&rita)?;

    // Cary (case group) types into the agreed episode and the open one in one update,
    // deletes the agreed finding, and marks the open episode agreed.
    let cary = connect(&server, &cast.case, &r).await?;
    eventually("Cary has the board", Duration::from_secs(10), || {
        board_of(&cary).ok().as_ref() == Some(&agreed)
    })
    .await?;
    {
        let mut txn = cary.doc.transact_mut();
        let episodes = txn.get_or_insert_map("episodes");
        for id in ["e1", "e2"] {
            if let Some(yrs::Out::YMap(e)) = yrs::Map::get(&episodes, &txn, id)
                && let Some(yrs::Out::YText(t)) = yrs::Map::get(&e, &txn, "appraisal")
            {
                yrs::Text::push(&t, &mut txn, " Cary was here.");
            }
        }
    }
    b::remove(&cary.doc, "findings", "g1");
    b::set_field(&cary.doc, "episodes", "e2", "status", "agreed");

    let expected = |board: &Board| {
        let e1 = board.episodes.iter().find(|e| e.id == "e1");
        let e2 = board.episodes.iter().find(|e| e.id == "e2");
        e1.is_some_and(|e| e.appraisal == "Agreed appraisal." && e.status == "agreed")
            && e2.is_some_and(|e| {
                e.appraisal == "Still open. Cary was here." && e.status == "candidate"
            })
            && board
                .findings
                .iter()
                .any(|f| f.id == "g1" && f.status == "agreed")
    };
    eventually(
        "everyone has agreed work as agreed",
        Duration::from_secs(10),
        || {
            board_of(&rita).is_ok_and(|b| expected(&b))
                && board_of(&cary).is_ok_and(|b| expected(&b))
        },
    )
    .await?;
    cary.wait("told agreed work is locked", |s| {
        s.permission_denied
            .as_deref()
            .is_some_and(|m| m.contains("agreed work"))
    })
    .await?;
    assert!(cary.seen().closed.is_none(), "Cary stays connected");
    assert!(
        server
            .metric("board_agreed_work_changes_undone_total")
            .await?
            >= 1.0
    );

    // Rita (review team) edits the checked episode: it now needs re-checking.
    b::append_text(&rita.doc, "episodes", "e3", "appraisal", " Revised.");
    eventually(
        "the checked episode needs re-checking",
        Duration::from_secs(10),
        || board_of(&cary).is_ok_and(|b| status_of(&b, "e3") == "recheck"),
    )
    .await?;

    // What is stored is what everyone has.
    let now = board_of(&rita)?;
    server.restart().await?;
    let fresh = connect(&server, &cast.lead, &r).await?;
    assert_eq!(board_of(&fresh)?, now);
    assert!(expected(&now));

    // Moving Rita to the case group ends her connection; her new one is locked out.
    let rita = connect(&server, &cast.team, &r).await?;
    cast.lead
        .api
        .put(
            &format!("/api/reviews/{r}/members/{}", cast.team.user_id),
            json!({"role": "case_group_member"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(rita.close_code().await?, 4503, "access changed: reconnect");
    let rita = connect(&server, &cast.team, &r).await?;
    b::append_text(&rita.doc, "episodes", "e1", "title", " (Rita)");
    rita.wait("told agreed work is locked", |s| {
        s.permission_denied.is_some()
    })
    .await?;
    eventually("the title is put back", Duration::from_secs(10), || {
        board_of(&rita).is_ok_and(|b| {
            b.episodes
                .iter()
                .any(|e| e.id == "e1" && e.title == "GP appointment")
        })
    })
    .await?;
    server.assert_healthy();
    Ok(())
}
