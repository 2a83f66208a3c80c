//! The history and the audit trail: an edit is attributed to its author, each run of
//! typing shows its words before and after, the lead reads the whole trail, and the
//! database itself refuses to change it.

use std::time::Duration;

use anyhow::{Result, anyhow};
use board_tests::{api::admin, board as b, cast::Cast};
use serde_json::json;
use yrs::{Doc, Map, MapPrelim, Text, TextPrelim, Transact};

use crate::support::{Backend, YClient, both_databases, poll_until, server};

both_databases!(
    an_edit_is_attributed_to_its_author_in_the_history,
    the_history_shows_each_run_of_typing_with_its_words_before_and_after,
    the_audit_trail_cannot_be_changed,
);

async fn an_edit_is_attributed_to_its_author_in_the_history(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = &cast.review;
    let url = cast.sync_url(&server, "board");
    let cookie = cast.team.api.cookie().unwrap_or_default();
    let rita = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
    rita.synced().await?;
    let episodes = rita.doc.get_or_insert_map("episodes");
    {
        let mut txn = rita.doc.transact_mut();
        let row = episodes.insert(&mut txn, "e1", MapPrelim::default());
        row.insert(&mut txn, "appraisal", TextPrelim::new(""));
        row.insert(&mut txn, "status", "candidate");
    }
    {
        let mut txn = rita.doc.transact_mut();
        if let Some(yrs::Out::YMap(row)) = episodes.get(&txn, "e1")
            && let Some(yrs::Out::YText(text)) = row.get(&txn, "appraisal")
        {
            text.insert(&mut txn, 0, "Sound judgement given what was known.");
        }
    }
    rita.wait("both echoes", |s| s.updates >= 2).await?;

    // Anyone in the review may read a row's history; it names Rita and her agency. (The
    // reference the room gives the row is an update too, so the echoes above may count
    // it before the appraisal is stored: wait for the appraisal's row.)
    let history = board_tests::poll_until(
        "the appraisal's row in the history",
        std::time::Duration::from_secs(10),
        || async {
            let history = cast
                .observer
                .api
                .get(&format!("/api/reviews/{r}/history?entity=e1"))
                .await?
                .expect(200)?;
            anyhow::ensure!(
                history.to_string().contains("\"appraisal\""),
                "not yet: {history}"
            );
            Ok(history)
        },
    )
    .await?;
    let entries = history.as_array().cloned().unwrap_or_default();
    let by_rita = |field: &str, detail: &str| {
        entries.iter().any(|e| {
            e["actor"]["name"] == "Rita Team"
                && e["actor"]["agency"] == "Police"
                && e["actor"]["kind"] == "user"
                && e["field"] == field
                && e["detail"] == detail
                && e["entity_kind"] == "episode"
        })
    };
    assert!(by_rita("", "added"), "{history:#}");
    assert!(by_rita("appraisal", "changed"), "{history:#}");
    // Newest first.
    assert_eq!(
        entries.first().map(|e| e["field"].clone()),
        Some(json!("appraisal"))
    );

    // The lead's audit trail has the edits, the sign-ins and the invitations.
    let audit = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/audit"))
        .await?
        .expect(200)?;
    let actions: Vec<&str> = audit
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    for action in [
        "edit",
        "invitation_created",
        "invitation_accepted",
        "review_created",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    // Others may not read the whole trail.
    assert_eq!(
        cast.team
            .api
            .get(&format!("/api/reviews/{r}/audit"))
            .await?
            .status,
        403
    );
    server.assert_healthy();
    Ok(())
}

async fn the_history_shows_each_run_of_typing_with_its_words_before_and_after(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = &cast.review;
    let ana = cast.lead.on_board(&server, r).await?;
    let rita = cast.team.on_board(&server, r).await?;
    b::add_episode(
        &ana.doc,
        "e1",
        "a0",
        "Home visit",
        "Thorough given the caseload.",
    );
    ana.wait("added", |s| s.updates >= 2).await?;
    // Rita rewrites the appraisal in a burst of typing (one run), then Alex adds to it.
    rita.wait("has it", |s| s.updates >= 2).await?;
    for word in [" Later", " doubts", " about", " the", " visit."] {
        b::append_text(&rita.doc, "episodes", "e1", "appraisal", word);
    }
    let texts = format!("/api/reviews/{r}/history/texts?entity=e1");
    let runs = poll_until("Rita's run is stored", Duration::from_secs(10), || async {
        let runs = cast.observer.api.get(&texts).await?.expect(200)?;
        match runs.as_array() {
            Some(all)
                if all
                    .iter()
                    .any(|r| r["after"].as_str().is_some_and(|a| a.ends_with("visit."))) =>
            {
                Ok(runs)
            }
            _ => Err(anyhow!("not yet: {runs}")),
        }
    })
    .await?;
    let appraisal: Vec<&serde_json::Value> = runs
        .as_array()
        .map(|all| all.iter().filter(|r| r["field"] == "appraisal").collect())
        .unwrap_or_default();
    assert_eq!(appraisal.len(), 1, "one run for five updates: {runs:#}");
    assert_eq!(appraisal[0]["before"], "Thorough given the caseload.");
    assert_eq!(
        appraisal[0]["after"],
        "Thorough given the caseload. Later doubts about the visit."
    );
    let added: String = appraisal[0]["words"]
        .as_array()
        .map(|w| {
            w.iter()
                .filter(|w| w["op"] == "added")
                .filter_map(|w| w["text"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(added.trim(), "Later doubts about the visit.");

    // Someone else's change begins a new run: Rita's run ends where Alex's begins.
    b::append_text(&ana.doc, "episodes", "e1", "appraisal", " Agreed.");
    let runs = poll_until("Alex's run is stored", Duration::from_secs(10), || async {
        let runs = cast.team.api.get(&texts).await?.expect(200)?;
        let count = runs
            .as_array()
            .map(|all| all.iter().filter(|r| r["field"] == "appraisal").count());
        if count == Some(2) {
            Ok(runs)
        } else {
            Err(anyhow!("not yet: {runs}"))
        }
    })
    .await?;
    let appraisal: Vec<&serde_json::Value> = runs
        .as_array()
        .map(|all| all.iter().filter(|r| r["field"] == "appraisal").collect())
        .unwrap_or_default();
    assert_eq!(appraisal[0]["after"], appraisal[1]["before"]);
    assert_eq!(
        appraisal[1]["after"],
        "Thorough given the caseload. Later doubts about the visit. Agreed."
    );
    // The runs line up with the history's updates: each begins at an update of its field.
    let history = cast
        .team
        .api
        .get(&format!("/api/reviews/{r}/history?entity=e1"))
        .await?
        .expect(200)?;
    for run in &appraisal {
        assert!(
            history.as_array().is_some_and(|h| h
                .iter()
                .any(|e| e["seq"] == run["seq"] && e["field"] == "appraisal")),
            "{run} in {history:#}"
        );
    }
    // A lead's audit trail reads the words of every change on the board; only a lead.
    let all = format!("/api/reviews/{r}/history/texts");
    let board_runs = cast.lead.api.get(&all).await?.expect(200)?;
    let of_e1 = board_runs.as_array().map(|all| {
        all.iter()
            .filter(|r| r["entity"] == "e1" && r["field"] == "appraisal")
            .count()
    });
    assert_eq!(of_e1, Some(2), "{board_runs:#}");
    for person in [&cast.team, &cast.case, &cast.observer] {
        person.api.get(&all).await?.expect(403)?;
    }
    // As confidential as the board: someone from another review finds nothing.
    cast.outsider.api.get(&texts).await?.expect(404)?;
    cast.outsider.api.get(&all).await?.expect(404)?;
    server.assert_healthy();
    Ok(())
}

async fn the_audit_trail_cannot_be_changed(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let _lead = admin(&server, "Alex Lead").await?;
    let editor = YClient::connect(&server.ws_url("board")).await?;
    editor.synced().await?;
    editor.push("text", "hello");
    editor.wait("echo", |s| s.updates >= 1).await?;
    server.stop().await?;
    for sql in [
        "update audit_events set actor_name = 'someone else'",
        "delete from audit_events",
    ] {
        let refused = db.execute(sql).await.err();
        let err = refused.ok_or_else(|| anyhow!("{sql} was allowed"))?;
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    let count = db
        .scalar("select count(*) from audit_events where action = 'edit'")
        .await?;
    assert!(count >= 1, "the edit was recorded");
    Ok(())
}
