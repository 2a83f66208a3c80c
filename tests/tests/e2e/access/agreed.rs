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
use board_tests::{board as b, cast::Cast};
use serde_json::json;
use yrs::{Transact, WriteTxn};

use crate::support::{Backend, both_databases, eventually, server};

both_databases!(the_case_group_cannot_change_agreed_work);

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
    let rita = cast.team.on_board(&server, &r).await?;
    b::add_episode(&rita.doc, "e1", "a0", "GP appointment", "Agreed appraisal.");
    b::set_field(&rita.doc, "episodes", "e1", "status", "agreed");
    b::add_episode(&rita.doc, "e2", "a1", "Home visit", "Still open.");
    b::add_episode(&rita.doc, "e3", "a2", "Strategy meeting", "Checked.");
    b::set_field(&rita.doc, "episodes", "e3", "status", "checked");
    b::add_finding(&rita.doc, "g1", "a0", "Agreed finding", "human_tasks");
    b::set_field(&rita.doc, "findings", "g1", "status", "agreed");
    rita.wait("echoes", |s| s.updates >= 7).await?;

    // Cary (case group) types into the agreed episode and the open one in one update,
    // deletes the agreed finding, and marks the open episode agreed.
    let cary = cast.case.on_board(&server, &r).await?;
    // Compared with Rita's board as it is now, not as it was: the room may still be
    // adding what it adds after an edit (references), which both then receive.
    eventually("Cary has the board", Duration::from_secs(10), || {
        match (cary.board(), rita.board()) {
            (Ok(cary), Ok(rita)) => {
                cary == rita && cary.episodes.len() == 3 && cary.findings.len() == 1
            }
            _ => false,
        }
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
        || rita.board().is_ok_and(|b| expected(&b)) && cary.board().is_ok_and(|b| expected(&b)),
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
        || cary.board().is_ok_and(|b| status_of(&b, "e3") == "recheck"),
    )
    .await?;

    // What is stored is what everyone has.
    let now = rita.board()?;
    server.restart().await?;
    let fresh = cast.lead.on_board(&server, &r).await?;
    assert_eq!(fresh.board()?, now);
    assert!(expected(&now));

    // Moving Rita to the case group ends her connection; her new one is locked out.
    let rita = cast.team.on_board(&server, &r).await?;
    cast.lead
        .api
        .put(
            &format!("/api/reviews/{r}/members/{}", cast.team.user_id),
            json!({"role": "case_group_member"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(rita.close_code().await?, 4503, "access changed: reconnect");
    let rita = cast.team.on_board(&server, &r).await?;
    b::append_text(&rita.doc, "episodes", "e1", "title", " (Rita)");
    rita.wait("told agreed work is locked", |s| {
        s.permission_denied.is_some()
    })
    .await?;
    eventually("the title is put back", Duration::from_secs(10), || {
        rita.board().is_ok_and(|b| {
            b.episodes
                .iter()
                .any(|e| e.id == "e1" && e.title == "GP appointment")
        })
    })
    .await?;
    server.assert_healthy();
    Ok(())
}
