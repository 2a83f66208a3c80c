//! Comments on board items: threads with mentions, new to the people linked to them,
//! resolved when done, deleted by their author or a lead, written only by those who may
//! change the board, and never part of the board, its snapshots or its exports.

use std::time::Duration;

use anyhow::Result;
use board_tests::{
    api::{ApiClient, Person},
    board as b,
    cast::Cast,
};
use serde_json::{Value, json};

use crate::support::{Backend, both_databases, eventually, server};

both_databases!(
    threads_reach_the_people_linked_to_them_and_are_resolved_when_done,
    comments_refuse_what_a_role_may_not_do_and_input_that_is_wrong,
);

async fn comments(person: &Person, review: &str) -> Result<Value> {
    person
        .api
        .get(&format!("/api/reviews/{review}/comments"))
        .await?
        .expect(200)
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().unwrap_or_default().to_string()
}

fn find<'a>(listed: &'a Value, id: &str) -> Option<&'a Value> {
    listed["comments"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["id"] == id))
}

async fn threads_reach_the_people_linked_to_them_and_are_resolved_when_done(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    let path = format!("/api/reviews/{r}/comments");
    // The lead adds the episode, so the lead is linked to it.
    let ana = cast.lead.on_board(&server, &r).await?;
    b::add_episode(&ana.doc, "e1", "a0", "Health visit, March", "Thorough.");
    b::add_episode(&ana.doc, "e2", "a1", "Strategy meeting", "");
    eventually(
        "the episodes have references",
        Duration::from_secs(10),
        || {
            ana.board()
                .is_ok_and(|b| b.episodes.iter().all(|e| !e.reference.is_empty()))
        },
    )
    .await?;

    assert_eq!(comments(&cast.team, &r).await?["comments"], json!([]));

    // Cary (case group) asks about E1 and mentions Rita (review team).
    let first = cast
        .case
        .api
        .post(
            &path,
            json!({"itemKind": "episode", "itemId": "e1",
                   "body": "  @Rita Team why was the visit moved?  ",
                   "mentions": [cast.team.user_id, cast.team.user_id]}),
        )
        .await?
        .expect(201)?;
    let thread = id_of(&first);
    assert_eq!(first["threadId"], thread.as_str());
    assert_eq!(first["body"], "@Rita Team why was the visit moved?");
    assert_eq!(first["itemRef"], "E1");
    assert_eq!(first["itemLabel"], "Health visit, March");
    assert_eq!(
        first["mentions"],
        json!([{"userId": cast.team.user_id, "name": "Rita Team"}])
    );
    assert_eq!(first["author"]["name"], "Cary Case");
    assert_eq!(first["mine"], true);

    // Rita is mentioned, Alex changed the episode: both are told. Bob (board) reads it
    // but is not linked, and may not write.
    for (person, for_you) in [(&cast.team, true), (&cast.lead, true), (&cast.board, false)] {
        let listed = comments(person, &r).await?;
        let seen = find(&listed, &thread).cloned().unwrap_or_default();
        assert_eq!(seen["new"], true, "{}", person.name);
        assert_eq!(seen["forYou"], for_you, "{}", person.name);
        assert_eq!(listed["newForYou"], usize::from(for_you), "{}", person.name);
    }
    assert_eq!(comments(&cast.board, &r).await?["canComment"], false);
    assert_eq!(
        comments(&cast.case, &r).await?["newForYou"],
        0,
        "not new to its writer"
    );

    // Rita replies; Cary, in the thread, is told; Rita has read them all.
    let reply = cast
        .team
        .api
        .post(
            &path,
            json!({"threadId": thread, "body": "The family asked to."}),
        )
        .await?
        .expect(201)?;
    assert_eq!(reply["threadId"], thread.as_str());
    assert_eq!(reply["itemId"], "e1");
    assert_eq!(comments(&cast.case, &r).await?["newForYou"], 1);
    // Cary reads up to the first comment she was shown: Rita's reply stays new to her.
    cast.case
        .api
        .post(&format!("{path}/seen"), json!({"upTo": first["createdAt"]}))
        .await?
        .expect(204)?;
    assert_eq!(comments(&cast.case, &r).await?["newForYou"], 1);
    cast.case
        .api
        .post(&format!("{path}/seen"), json!({"upTo": reply["createdAt"]}))
        .await?
        .expect(204)?;
    assert_eq!(comments(&cast.case, &r).await?["newForYou"], 0);
    // Reading never moves back, and never past now.
    cast.case
        .api
        .post(&format!("{path}/seen"), json!({"upTo": 0}))
        .await?
        .expect(204)?;
    assert_eq!(comments(&cast.case, &r).await?["newForYou"], 0);
    cast.team
        .api
        .post(&format!("{path}/seen"), json!({"upTo": i64::MAX}))
        .await?
        .expect(204)?;
    assert_eq!(comments(&cast.team, &r).await?["newForYou"], 0);

    // A reply to a reply is a reply in the same thread, named by its first comment.
    cast.case
        .api
        .post(&path, json!({"threadId": id_of(&reply), "body": "nested"}))
        .await?
        .expect(404)?;

    // Cary started the thread and resolves it; the review team may reopen it.
    let one = format!("{path}/{thread}");
    cast.case
        .api
        .patch(&one, json!({"resolved": true}))
        .await?
        .expect(204)?;
    let resolved = find(&comments(&cast.board, &r).await?, &thread)
        .cloned()
        .unwrap_or_default();
    assert!(resolved["resolvedAt"].as_i64().is_some_and(|at| at > 0));
    assert_eq!(resolved["resolvedBy"], "Cary Case");
    cast.team
        .api
        .patch(&one, json!({"resolved": false}))
        .await?
        .expect(204)?;
    assert_eq!(
        find(&comments(&cast.board, &r).await?, &thread).map(|c| c["resolvedAt"].clone()),
        Some(Value::Null)
    );

    // A thread Rita starts is not Cary's to resolve; a reply is not a thread.
    let ritas = cast
        .team
        .api
        .post(
            &path,
            json!({"itemKind": "episode", "itemId": "e2", "body": "Who chaired?"}),
        )
        .await?
        .expect(201)?;
    let ritas_path = format!("{path}/{}", id_of(&ritas));
    cast.case
        .api
        .patch(&ritas_path, json!({"resolved": true}))
        .await?
        .expect(403)?;
    cast.team
        .api
        .patch(
            &format!("{path}/{}", id_of(&reply)),
            json!({"resolved": true}),
        )
        .await?
        .expect(404)?;

    // Deleting: only the author or a lead. The thread keeps its place, empty.
    cast.team.api.delete(&one).await?.expect(403)?;
    cast.case.api.delete(&one).await?.expect(204)?;
    cast.case.api.delete(&one).await?.expect(404)?;
    cast.lead.api.delete(&ritas_path).await?.expect(204)?;
    let listed = comments(&cast.team, &r).await?;
    let gone = find(&listed, &thread).cloned().unwrap_or_default();
    assert_eq!(gone["deleted"], true);
    assert_eq!(gone["body"], "");
    assert_eq!(gone["mentions"], json!([]));
    assert_eq!(
        find(&listed, &id_of(&reply)).map(|c| c["deleted"].clone()),
        Some(json!(false))
    );
    // No new replies in a deleted thread.
    cast.team
        .api
        .post(&path, json!({"threadId": thread, "body": "late"}))
        .await?
        .expect(404)?;

    // The audit trail records who commented on what, never the words.
    let audit = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/audit"))
        .await?
        .expect(200)?;
    let actions: Vec<&str> = audit
        .as_array()
        .map(|all| all.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    for action in [
        "comment_added",
        "comment_resolved",
        "comment_reopened",
        "comment_deleted",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let trail = audit.to_string();
    assert!(
        !trail.contains("family asked"),
        "the audit trail holds no comment text"
    );
    assert!(
        audit
            .as_array()
            .is_some_and(|all| all.iter().any(|e| e["action"] == "comment_added"
                && e["entity"] == "e1"
                && e["entity_kind"] == "episode")),
        "{audit}"
    );

    // Comments are not the board: neither the live board nor a snapshot holds them,
    // and they outlive a restart.
    let snapshot = cast
        .lead
        .api
        .post(
            &format!("/api/reviews/{r}/snapshots"),
            json!({"label": "Meeting 1"}),
        )
        .await?
        .expect(201)?;
    let taken = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/snapshots/{}", id_of(&snapshot)))
        .await?
        .expect(200)?;
    let live = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/board"))
        .await?
        .expect(200)?;
    for board in [taken.to_string(), live.to_string()] {
        assert!(!board.contains("family asked"), "{board}");
    }
    server.restart().await?;
    let after = comments(&cast.case, &r).await?;
    assert!(find(&after, &id_of(&reply)).is_some_and(|c| c["body"] == "The family asked to."));
    server.assert_healthy();
    Ok(())
}

async fn comments_refuse_what_a_role_may_not_do_and_input_that_is_wrong(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    let path = format!("/api/reviews/{r}/comments");
    let ana = cast.lead.on_board(&server, &r).await?;
    b::add_episode(&ana.doc, "e1", "a0", "Health visit, March", "");
    // The reference comes from the room: the server has the episode.
    eventually(
        "the episode is on the board",
        Duration::from_secs(10),
        || {
            ana.board()
                .is_ok_and(|b| b.episodes.iter().any(|e| !e.reference.is_empty()))
        },
    )
    .await?;
    let on_e1 = |body: &str| json!({"itemKind": "episode", "itemId": "e1", "body": body});

    // Read-only roles read but never write, by session or by token.
    for person in [&cast.board, &cast.observer] {
        comments(person, &r).await?;
        person.api.post(&path, on_e1("hi")).await?.expect(403)?;
    }
    for role in ["board_member", "observer"] {
        let token = cast.token(&server, role).await?;
        let api = ApiClient::with_token(&server, &token);
        api.get(&path).await?.expect(200)?;
        api.post(&path, on_e1("hi")).await?.expect(403)?;
    }
    // A token that may edit writes as itself, and is told nothing (no one to tell).
    let token = cast.token(&server, "review_team_member").await?;
    let scripted = ApiClient::with_token(&server, &token);
    let by_token = scripted
        .post(&path, on_e1("from a script"))
        .await?
        .expect(201)?;
    assert_eq!(by_token["author"]["kind"], "token");
    scripted
        .post(&format!("{path}/seen"), json!({"upTo": 1}))
        .await?
        .expect(204)?;

    // Someone from another review: this review answers like a missing one.
    cast.outsider.api.get(&path).await?.expect(404)?;
    cast.outsider
        .api
        .post(&path, on_e1("hi"))
        .await?
        .expect(404)?;
    cast.outsider
        .api
        .post(&format!("{path}/seen"), json!({"upTo": 1}))
        .await?
        .expect(404)?;

    // Input that is wrong is told why, and nothing is stored.
    let stranger = cast.outsider.user_id.clone();
    for (body, status) in [
        (on_e1(""), 400),
        (on_e1(" \n "), 400),
        (on_e1(&"x".repeat(4_001)), 400),
        (
            json!({"itemKind": "episode", "itemId": "nope", "body": "hi"}),
            400,
        ),
        (
            json!({"itemKind": "meeting", "itemId": "e1", "body": "hi"}),
            400,
        ),
        (json!({"itemId": "e1", "body": "hi"}), 400),
        (json!({"body": "hi"}), 400),
        (
            json!({"itemKind": "episode", "itemId": "e1", "threadId": "x", "body": "hi"}),
            400,
        ),
        (json!({"threadId": "nope", "body": "hi"}), 404),
        (
            json!({"itemKind": "episode", "itemId": "e1", "body": "hi", "mentions": [stranger]}),
            400,
        ),
        (
            json!({"itemKind": "episode", "itemId": "e1", "body": "hi", "extra": true}),
            400,
        ),
        (
            json!({"itemKind": "episode", "itemId": "e1", "body": 5}),
            400,
        ),
    ] {
        let answer = cast.team.api.post(&path, body.clone()).await?;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
    }
    let listed = comments(&cast.team, &r).await?;
    assert_eq!(
        listed["comments"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );

    // Another review's comment is missing here, whatever the path claims.
    let other = format!("/api/reviews/{}/comments", cast.other_review);
    let ana_other = cast.lead.on_board(&server, &cast.other_review).await?;
    b::add_episode(&ana_other.doc, "x1", "a0", "Elsewhere", "");
    eventually("the other board has it", Duration::from_secs(10), || {
        ana_other
            .board()
            .is_ok_and(|b| b.episodes.iter().any(|e| !e.reference.is_empty()))
    })
    .await?;
    let theirs = cast
        .outsider
        .api
        .post(
            &other,
            json!({"itemKind": "episode", "itemId": "x1", "body": "theirs"}),
        )
        .await?
        .expect(201)?;
    let theirs_here = format!("{path}/{}", id_of(&theirs));
    cast.lead.api.delete(&theirs_here).await?.expect(404)?;
    cast.lead
        .api
        .patch(&theirs_here, json!({"resolved": true}))
        .await?
        .expect(404)?;
    cast.lead
        .api
        .post(&path, json!({"threadId": id_of(&theirs), "body": "hi"}))
        .await?
        .expect(404)?;
    // And this review's comments are not listed in theirs.
    let their_list = comments(&cast.outsider, &cast.other_review).await?;
    assert_eq!(their_list["comments"].as_array().map(Vec::len), Some(1));
    server.assert_healthy();
    Ok(())
}
