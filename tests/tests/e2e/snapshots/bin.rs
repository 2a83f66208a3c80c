//! The bin: whatever takes an item off the board (the app's delete, a hostile
//! overwrite, a restore) puts it in the review's bin with who did it; the review team
//! and leads put items back one at a time as a forward change every client receives;
//! a lead restores one item or one field from a snapshot; only a lead empties the bin.

use std::time::Duration;

use anyhow::Result;
use board_tests::{api::Person, board as b, cast::Cast};
use serde_json::{Value, json};
use yrs::{Doc, Map, Transact, WriteTxn};

use super::{board_of, build};
use crate::support::{Backend, both_databases, eventually, poll_until, server};

both_databases!(
    a_deleted_item_comes_back_from_the_bin_to_every_client,
    two_people_putting_back_one_item_at_once_put_it_back_once,
    only_the_review_team_and_leads_see_and_restore_the_bin,
    one_item_or_one_field_comes_back_from_a_snapshot,
);

async fn bin(person: &Person, review: &str) -> Result<Vec<Value>> {
    let listed = person
        .api
        .get(&format!("/api/reviews/{review}/bin"))
        .await?
        .expect(200)?;
    Ok(listed.as_array().cloned().unwrap_or_default())
}

/// Waits until the history at `texts` holds a run of typing.
async fn words_kept(person: &Person, texts: &str) -> Result<()> {
    poll_until("the words are kept", Duration::from_secs(10), || async {
        let runs = person.api.get(texts).await?.expect(200)?;
        match runs.as_array() {
            Some(all) if !all.is_empty() => Ok(()),
            _ => Err(anyhow::anyhow!("no run yet: {runs}")),
        }
    })
    .await
}

/// Deletes an entity and its links in one transaction, as the app does.
fn delete_with_links(doc: &Doc, root: &str, id: &str, links: &[&str]) {
    let mut txn = doc.transact_mut();
    txn.get_or_insert_map(root).remove(&mut txn, id);
    let all = txn.get_or_insert_map("links");
    for link in links {
        all.remove(&mut txn, link);
    }
}

async fn a_deleted_item_comes_back_from_the_bin_to_every_client(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    let ana = cast.lead.on_board(&server, &r).await?;
    let cary = cast.case.on_board(&server, &r).await?;
    build(&ana);
    ana.wait("echoes", |s| s.updates >= 6).await?;
    let before = board_of(&ana)?;

    // A case group member deletes an episode with its two links.
    eventually(
        "the case group sees the board",
        Duration::from_secs(10),
        || board_of(&cary).ok().as_ref() == Some(&before),
    )
    .await?;
    delete_with_links(&cary.doc, "episodes", "e1", &["l1", "l2"]);
    eventually("the lead sees it go", Duration::from_secs(10), || {
        board_of(&ana).is_ok_and(|b| b.episodes.len() == 1 && b.links.is_empty())
    })
    .await?;

    let listed = bin(&cast.team, &r).await?;
    assert_eq!(listed.len(), 1, "{listed:?}");
    let entry = &listed[0];
    assert_eq!(entry["kind"], "episode");
    assert_eq!(entry["entity"], "e1");
    assert_eq!(entry["label"], "Health visit, March");
    assert_eq!(entry["links"], 2);
    assert_eq!(entry["restorable"], true);
    assert_eq!(entry["deletedBy"]["name"], "Cary Case");
    assert_eq!(entry["deletedBy"]["agency"], "Health visiting");
    assert_eq!(
        entry["entityFields"]["appraisal"],
        "Thorough given the caseload."
    );

    // A review team member puts it back: both clients receive it, links included.
    let id = entry["id"].as_str().unwrap_or_default().to_string();
    let put = cast
        .team
        .api
        .post(&format!("/api/reviews/{r}/bin/{id}/restore"), json!({}))
        .await?
        .expect(200)?;
    assert_eq!(put["entity"], "e1");
    eventually("both clients have it back", Duration::from_secs(10), || {
        board_of(&ana).ok().as_ref() == Some(&before)
            && board_of(&cary).ok().as_ref() == Some(&before)
    })
    .await?;
    assert!(bin(&cast.lead, &r).await?.is_empty(), "out of the bin");
    // Once back, it cannot be put back twice.
    cast.team
        .api
        .post(&format!("/api/reviews/{r}/bin/{id}/restore"), json!({}))
        .await?
        .expect(404)?;

    // Replacing an entity under its own key (no app does) bins it just the same.
    {
        let mut txn = cary.doc.transact_mut();
        txn.get_or_insert_map("factors")
            .insert(&mut txn, "f1", "gone");
    }
    eventually("the factor is in the bin", Duration::from_secs(10), || {
        board_of(&ana).is_ok_and(|b| b.factors.is_empty())
    })
    .await?;
    let listed = bin(&cast.lead, &r).await?;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["label"], "No shared record of visits");

    // A deletion the deleter undid (the entity is back under its id) leaves the listing.
    b::remove(&ana.doc, "findings", "g1");
    eventually("the finding is in the bin", Duration::from_secs(10), || {
        board_of(&cary).is_ok_and(|b| b.findings.is_empty())
    })
    .await?;
    assert_eq!(bin(&cast.lead, &r).await?.len(), 2);
    b::add_finding(
        &ana.doc,
        "g1",
        "a0",
        "Agencies rely on memory",
        "human_tasks",
    );
    eventually("the finding is back", Duration::from_secs(10), || {
        board_of(&cary).is_ok_and(|b| b.findings.len() == 1)
    })
    .await?;
    let listed = bin(&cast.lead, &r).await?;
    assert_eq!(listed.len(), 1, "{listed:?}");

    // What is stored holds it, and the audit trail names the put-back.
    server.restart().await?;
    let fresh = cast.lead.on_board(&server, &r).await?;
    assert!(board_of(&fresh)?.episodes.iter().any(|e| e.id == "e1"));
    assert_eq!(
        bin(&cast.lead, &r).await?.len(),
        1,
        "the bin survives a restart"
    );
    let audit = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/audit"))
        .await?
        .expect(200)?;
    let restored: Vec<&Value> = audit
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|e| e["action"] == "item_restored_from_bin")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(restored.len(), 1, "{audit}");
    assert_eq!(restored[0]["actor"]["name"], "Rita Team");
    server.assert_healthy();
    Ok(())
}

async fn two_people_putting_back_one_item_at_once_put_it_back_once(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    let ana = cast.lead.on_board(&server, &r).await?;
    build(&ana);
    ana.wait("echoes", |s| s.updates >= 6).await?;
    let before = board_of(&ana)?;
    delete_with_links(&ana.doc, "episodes", "e1", &["l1", "l2"]);
    let id = poll_until(
        "the episode in the bin",
        Duration::from_secs(10),
        || async {
            let listed = bin(&cast.lead, &r).await?;
            let id = listed.first().and_then(|e| e["id"].as_str());
            id.map(str::to_string)
                .ok_or_else(|| anyhow::anyhow!("the bin is empty"))
        },
    )
    .await?;
    let put_back = format!("/api/reviews/{r}/bin/{id}/restore");
    let (lead, team) = tokio::join!(
        cast.lead.api.post(&put_back, json!({})),
        cast.team.api.post(&put_back, json!({})),
    );
    let mut statuses = [lead?.status, team?.status];
    statuses.sort();
    // One puts it back; the other is told it is already back (or already out of the bin).
    assert!(
        statuses[0] == 200 && (statuses[1] == 409 || statuses[1] == 404),
        "{statuses:?}"
    );
    eventually(
        "the board has it back once",
        Duration::from_secs(10),
        || board_of(&ana).ok().as_ref() == Some(&before),
    )
    .await?;
    assert!(bin(&cast.lead, &r).await?.is_empty());
    let audit = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/audit"))
        .await?
        .expect(200)?;
    let put_backs = audit
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|e| e["action"] == "item_restored_from_bin")
                .count()
        })
        .unwrap_or_default();
    assert_eq!(put_backs, 1, "recorded once");
    server.assert_healthy();
    Ok(())
}

async fn only_the_review_team_and_leads_see_and_restore_the_bin(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    let ana = cast.lead.on_board(&server, &r).await?;
    build(&ana);
    ana.wait("echoes", |s| s.updates >= 6).await?;
    // The factor's title is reworded first: its history keeps the words.
    b::append_text(&ana.doc, "factors", "f1", "title", " (reworded)");
    let texts = format!("/api/reviews/{r}/history/texts?entity=f1");
    words_kept(&cast.lead, &texts).await?;
    // An episode whose title was reworded, deleted and put back by its deleter (an
    // undo): emptying the bin leaves it and its history's words alone.
    b::append_text(&ana.doc, "episodes", "e2", "title", " (kept)");
    let kept = format!("/api/reviews/{r}/history/texts?entity=e2");
    words_kept(&cast.lead, &kept).await?;
    b::remove(&ana.doc, "episodes", "e2");
    b::add_episode(&ana.doc, "e2", "a1", "Strategy meeting (kept)", "");
    b::remove(&ana.doc, "factors", "f1");
    let id = poll_until("the factor in the bin", Duration::from_secs(10), || async {
        let listed = bin(&cast.lead, &r).await?;
        let id = listed
            .iter()
            .find(|e| e["entity"] == "f1")
            .and_then(|e| e["id"].as_str());
        id.map(str::to_string)
            .ok_or_else(|| anyhow::anyhow!("the bin is empty"))
    })
    .await?;
    let list = format!("/api/reviews/{r}/bin");
    let put_back = format!("/api/reviews/{r}/bin/{id}/restore");

    for person in [&cast.case, &cast.board, &cast.observer] {
        person.api.get(&list).await?.expect(403)?;
        person.api.post(&put_back, json!({})).await?.expect(403)?;
        person.api.delete(&list).await?.expect(403)?;
    }
    for role in ["case_group_member", "board_member", "observer"] {
        let token = cast.token(&server, role).await?;
        let api = board_tests::api::ApiClient::with_token(&server, &token);
        api.get(&list).await?.expect(403)?;
        api.post(&put_back, json!({})).await?.expect(403)?;
    }
    // Someone from another review: this review answers like a missing one, and their
    // own review's bin does not hold this entry.
    cast.outsider.api.get(&list).await?.expect(404)?;
    cast.outsider
        .api
        .post(&put_back, json!({}))
        .await?
        .expect(404)?;
    let elsewhere = format!("/api/reviews/{}/bin/{id}/restore", cast.other_review);
    cast.lead
        .api
        .post(&elsewhere, json!({}))
        .await?
        .expect(404)?;

    // The review team may not empty the bin; a lead may.
    cast.team.api.delete(&list).await?.expect(403)?;
    assert_eq!(bin(&cast.team, &r).await?.len(), 1);
    let emptied = cast.lead.api.delete(&list).await?.expect(200)?;
    assert_eq!(emptied["deleted"], 1);
    assert!(bin(&cast.lead, &r).await?.is_empty());
    // Gone for good, with the words its history kept; the episode back on the board
    // keeps its own.
    let runs = cast.lead.api.get(&texts).await?.expect(200)?;
    assert_eq!(runs, json!([]), "the deleted factor's words went with it");
    let runs = cast.lead.api.get(&kept).await?.expect(200)?;
    assert!(runs.as_array().is_some_and(|all| !all.is_empty()), "{runs}");
    cast.lead
        .api
        .post(&put_back, json!({}))
        .await?
        .expect(404)?;
    server.assert_healthy();
    Ok(())
}

async fn one_item_or_one_field_comes_back_from_a_snapshot(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    let ana = cast.lead.on_board(&server, &r).await?;
    build(&ana);
    ana.wait("echoes", |s| s.updates >= 6).await?;
    let snapshot = cast
        .lead
        .api
        .post(
            &format!("/api/reviews/{r}/snapshots"),
            json!({"label": "Meeting 1"}),
        )
        .await?
        .expect(201)?;
    let sid = snapshot["id"].as_str().unwrap_or_default().to_string();

    // After the meeting: an appraisal and a title change, a finding deleted, a factor added.
    b::append_text(&ana.doc, "episodes", "e1", "appraisal", " Later doubts.");
    b::append_text(&ana.doc, "episodes", "e1", "title", " (revised)");
    delete_with_links(&ana.doc, "findings", "g1", &["l2"]);
    b::add_factor(&ana.doc, "f2", "a1", "Staff turnover");
    ana.wait("echoes", |s| s.updates >= 10).await?;

    let item = format!("/api/reviews/{r}/snapshots/{sid}/restore-item");
    // Only the appraisal goes back; the new title stays.
    cast.lead
        .api
        .post(
            &item,
            json!({"kind": "episode", "id": "e1", "field": "appraisal"}),
        )
        .await?
        .expect(200)?;
    // The finding comes back with its link; the new factor stays.
    cast.lead
        .api
        .post(&item, json!({"kind": "finding", "id": "g1"}))
        .await?
        .expect(200)?;
    eventually("the client receives both", Duration::from_secs(10), || {
        board_of(&ana).is_ok_and(|b| {
            let e1 = b.episodes.iter().find(|e| e.id == "e1");
            e1.is_some_and(|e| {
                e.appraisal == "Thorough given the caseload."
                    && e.title == "Health visit, March (revised)"
            }) && b.findings.len() == 1
                && b.links.iter().any(|l| l.id == "l2")
                && b.factors.len() == 2
        })
    })
    .await?;

    // Bad requests are told why; other roles may not; unknown items are missing.
    for (body, status) in [
        (json!({"kind": "meeting", "id": "e1"}), 400),
        (json!({"kind": "episode", "id": "e1", "field": "id"}), 400),
        (
            json!({"kind": "episode", "id": "e1", "field": "nonsense"}),
            400,
        ),
        (json!({"kind": "episode", "id": "nope"}), 404),
        (json!({"kind": "episode", "id": "e1", "extra": 1}), 400),
    ] {
        let answer = cast.lead.api.post(&item, body.clone()).await?;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
    }
    for person in [&cast.team, &cast.case, &cast.board] {
        person
            .api
            .post(&item, json!({"kind": "episode", "id": "e1"}))
            .await?
            .expect(403)?;
    }
    server.assert_healthy();
    Ok(())
}
