//! What a review's members may learn and name: participant lists are for leads,
//! attendees are people of the review, only documented document names exist, and the
//! metrics are not on the public port.

use anyhow::{Result, anyhow};
use board_tests::{api::admin, cast::Cast, client::handshake_status};
use serde_json::{Value, json};

use board_tests::server::http_get_with;

use crate::support::{YClient, both_databases, server};

both_databases!(
    only_leads_see_who_takes_part_in_restricted_notes,
    meeting_attendees_are_people_of_the_review,
    metrics_need_the_metrics_token,
    only_the_board_and_created_notes_are_documents,
);

/// The restricted notes `name` as `listing` (a documents list) shows them.
fn listed<'a>(listing: &'a Value, name: &str) -> Result<&'a Value> {
    listing
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["name"] == name)
        .ok_or_else(|| anyhow!("{name} is not listed in {listing}"))
}

fn sorted(ids: &Value) -> Value {
    let mut ids = ids.as_array().cloned().unwrap_or_default();
    ids.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    Value::Array(ids)
}

async fn only_leads_see_who_takes_part_in_restricted_notes(
    backend: board_tests::Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = &cast.review;
    cast.lead
        .api
        .post(
            &format!("/api/reviews/{r}/documents"),
            json!({"slug": "talk", "title": "Conversation", "participants": [cast.case.user_id, cast.team.user_id]}),
        )
        .await?
        .expect(201)?;
    let mut everyone = vec![cast.case.user_id.clone(), cast.team.user_id.clone()];
    everyone.sort();
    let everyone = json!(everyone);

    // The lead sees the list, in the documents list and in the review's details.
    let lead_list = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/documents"))
        .await?
        .expect(200)?;
    assert_eq!(
        sorted(&listed(&lead_list, "notes/talk")?["participants"]),
        everyone
    );
    let lead_detail = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}"))
        .await?
        .expect(200)?;
    assert_eq!(
        sorted(&listed(&lead_detail["documents"], "notes/talk")?["participants"]),
        everyone
    );

    // A participant may open the notes but is not told who else may.
    for person in [&cast.case, &cast.team] {
        let list = person
            .api
            .get(&format!("/api/reviews/{r}/documents"))
            .await?
            .expect(200)?;
        let detail = person
            .api
            .get(&format!("/api/reviews/{r}"))
            .await?
            .expect(200)?;
        for (place, listing) in [("documents", &list), ("review", &detail["documents"])] {
            let notes = listed(listing, "notes/talk")?;
            assert_eq!(
                notes["access"], "edit",
                "{}: may still open them",
                person.name
            );
            assert!(
                notes["participants"].is_null(),
                "{} sees the participants in the {place} answer: {notes}",
                person.name
            );
            let other = if person.user_id == cast.case.user_id {
                &cast.team.user_id
            } else {
                &cast.case.user_id
            };
            assert!(
                !listing.to_string().contains(other.as_str()),
                "{}: the other participant's id is nowhere in {listing}",
                person.name
            );
        }
    }
    server.assert_healthy();
    Ok(())
}

async fn meeting_attendees_are_people_of_the_review(backend: board_tests::Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = &cast.review;
    let meetings = format!("/api/reviews/{r}/meetings");
    let refusal = |id: &str| format!("Everyone attending must be in this review, and {id} is not.");

    // Another review's person, and a made-up id, are refused when adding a meeting...
    for stranger in [cast.outsider.user_id.as_str(), "anything at all"] {
        let refused = cast
            .lead
            .api
            .post(
                &meetings,
                json!({"title": "Practitioner event", "attendees": [cast.case.user_id, stranger]}),
            )
            .await?
            .expect(400)?;
        assert_eq!(refused["message"], refusal(stranger));
    }
    let before = cast.lead.api.get(&meetings).await?.expect(200)?;

    // ...and when changing one; nothing is stored.
    let meeting = before[0]["id"].as_str().unwrap_or_default().to_string();
    let refused = cast
        .lead
        .api
        .patch(
            &format!("{meetings}/{meeting}"),
            json!({"title": "Changed", "attendees": [cast.outsider.user_id]}),
        )
        .await?
        .expect(400)?;
    assert_eq!(refused["message"], refusal(&cast.outsider.user_id));
    assert_eq!(cast.lead.api.get(&meetings).await?.expect(200)?, before);

    // The review's own people are accepted.
    let changed = cast
        .lead
        .api
        .patch(
            &format!("{meetings}/{meeting}"),
            json!({"attendees": [cast.case.user_id, cast.team.user_id, cast.lead.user_id]}),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        changed["attendees"],
        json!([cast.case.user_id, cast.team.user_id, cast.lead.user_id])
    );

    // Someone who attended and then left the review stays on the record, and the
    // meeting can still be changed as the form sends it (the whole list).
    cast.lead
        .api
        .delete(&format!("/api/reviews/{r}/members/{}", cast.team.user_id))
        .await?
        .expect(204)?;
    let closed = cast
        .lead
        .api
        .patch(
            &format!("{meetings}/{meeting}"),
            json!({"closed": true, "attendees": [cast.case.user_id, cast.team.user_id, cast.lead.user_id]}),
        )
        .await?
        .expect(200)?;
    assert_eq!(closed["closed"], true);
    // But nobody can be added who is not in the review now.
    let refused = cast
        .lead
        .api
        .post(
            &meetings,
            json!({"title": "Later", "attendees": [cast.team.user_id]}),
        )
        .await?
        .expect(400)?;
    assert_eq!(refused["message"], refusal(&cast.team.user_id));
    server.assert_healthy();
    Ok(())
}

async fn metrics_need_the_metrics_token(backend: board_tests::Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    let lead = admin(&server, "Alex Lead").await?;
    let cookie = lead.api.cookie().unwrap_or_default();
    let wrong = format!("Bearer {}x", server.metrics_token);
    let session_token = format!("Bearer {}", server.access.token);
    let refused: [(&str, Vec<(&str, &str)>); 5] = [
        ("anonymous", vec![]),
        ("a wrong token", vec![("Authorization", &wrong)]),
        ("an empty bearer", vec![("Authorization", "Bearer ")]),
        (
            "a review's access token",
            vec![("Authorization", &session_token)],
        ),
        ("an administrator's session", vec![("Cookie", &cookie)]),
    ];
    for (who, headers) in &refused {
        let (status, _, body) = http_get_with(server.addr, "/metrics", headers).await?;
        assert_eq!(status, 401, "{who}: {body}");
        assert!(!body.contains("board_"), "{who} was shown metrics: {body}");
    }
    let page = server.metrics_page().await?;
    assert!(page.contains("board_connections 1"), "{page}");
    server.assert_healthy();
    Ok(())
}

async fn only_the_board_and_created_notes_are_documents(
    backend: board_tests::Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = &cast.review;
    cast.lead
        .api
        .post(
            &format!("/api/reviews/{r}/documents"),
            json!({"slug": "talk", "title": "Conversation", "participants": [cast.case.user_id]}),
        )
        .await?
        .expect(201)?;
    let cookie = cast.lead.api.cookie().unwrap_or_default();
    let by_session = |name: &str| format!("ws://{}/sync/{r}/{name}", server.addr);
    let by_token = |name: &str| server.ws_url(name);

    for name in ["board", "notes/talk"] {
        assert_eq!(
            handshake_status(&by_session(name), &[("cookie", &cookie)]).await?,
            101,
            "{name}"
        );
    }
    assert_eq!(handshake_status(&by_token("board"), &[]).await?, 101);

    // Names a review cannot have answer as a missing document does, for a lead too:
    // nobody can keep an unlisted document that no snapshot would hold.
    let unlisted = [
        "cold",
        "one",
        "Board",
        "board/extra",
        "interop/board",
        "bench-1/fanout-0",
        "notes",
        "notes/never-created",
        "notes/talk/extra",
        "notes/a.b",
    ];
    for name in unlisted {
        assert_eq!(
            handshake_status(&by_session(name), &[("cookie", &cookie)]).await?,
            404,
            "{name} by session"
        );
        assert_eq!(
            handshake_status(&by_token(name), &[]).await?,
            404,
            "{name} by token"
        );
        let history = cast
            .lead
            .api
            .get(&format!(
                "/api/reviews/{r}/history?entity=e1&document={}",
                urlencode(name)
            ))
            .await?;
        assert_eq!(history.status, 404, "history of {name}: {}", history.body);
    }
    for name in ["board", "notes/talk"] {
        cast.lead
            .api
            .get(&format!(
                "/api/reviews/{r}/history?entity=e1&document={}",
                urlencode(name)
            ))
            .await?
            .expect(200)?;
    }
    server.assert_healthy();
    Ok(())
}

fn urlencode(text: &str) -> String {
    text.replace('/', "%2F")
}
