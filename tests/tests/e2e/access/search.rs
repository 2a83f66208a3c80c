//! Searching restricted notes: each person finds matches only in the notes they may
//! open (the leads in all of them), never a word of anyone else's; another review's
//! people find nothing at all.

use std::time::Duration;

use anyhow::{Result, anyhow};
use board_tests::{api::Person, cast::Cast};
use serde_json::{Value, json};
use yrs::Doc;

use crate::support::{Backend, TestServer, YClient, both_databases, poll_until, server};

both_databases!(people_find_words_only_in_the_notes_they_may_open);

/// Creates notes `slug` for `participants` and writes `text` in them as `writer`.
async fn notes_with(
    server: &TestServer,
    cast: &Cast,
    slug: &str,
    participants: &[&str],
    writer: &Person,
    text: &str,
) -> Result<YClient> {
    let r = &cast.review;
    cast.lead
        .api
        .post(
            &format!("/api/reviews/{r}/documents"),
            json!({"slug": slug, "title": format!("Notes {slug}"), "participants": participants}),
        )
        .await?
        .expect(201)?;
    let cookie = writer.api.cookie().unwrap_or_default();
    let client = YClient::connect_with(
        &cast.sync_url(server, &format!("notes/{slug}")),
        &[("cookie", &cookie)],
        Doc::new(),
    )
    .await?;
    client.synced().await?;
    client.push("notes", text);
    client.wait("stored", |s| s.updates >= 1).await?;
    Ok(client)
}

async fn search(person: &Person, review: &str, q: &str) -> Result<Vec<Value>> {
    let found = person
        .api
        .get(&format!("/api/reviews/{review}/search/notes?q={q}"))
        .await?
        .expect(200)?;
    Ok(found.as_array().cloned().unwrap_or_default())
}

async fn people_find_words_only_in_the_notes_they_may_open(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    let _cary = notes_with(
        &server,
        &cast,
        "cary",
        &[&cast.case.user_id],
        &cast.case,
        "Cary said the Bruising was seen at nursery on Monday.",
    )
    .await?;
    let _gp = notes_with(
        &server,
        &cast,
        "gp",
        &[],
        &cast.lead,
        "The GP did not know about the bruising until Friday.",
    )
    .await?;

    // Cary finds the word in her own notes only, with its context.
    let hers = poll_until(
        "Cary's notes are searched",
        Duration::from_secs(10),
        || async {
            let found = search(&cast.case, &r, "bruising").await?;
            if found.is_empty() {
                Err(anyhow!("nothing yet"))
            } else {
                Ok(found)
            }
        },
    )
    .await?;
    assert_eq!(hers.len(), 1, "{hers:?}");
    assert_eq!(hers[0]["name"], "notes/cary");
    assert_eq!(hers[0]["match"], "Bruising");
    assert_eq!(hers[0]["before"], "Cary said the ");
    assert_eq!(hers[0]["after"], " was seen at nursery on Monday.");
    // The lead opens every note; Rita (review team) none of these.
    let leads = search(&cast.lead, &r, "bruising").await?;
    let mut names: Vec<&str> = leads.iter().filter_map(|h| h["name"].as_str()).collect();
    names.sort();
    assert_eq!(names, ["notes/cary", "notes/gp"]);
    assert!(search(&cast.team, &r, "bruising").await?.is_empty());
    assert!(search(&cast.observer, &r, "bruising").await?.is_empty());

    // Bad searches are told why; another review's people find nothing here.
    for q in ["b", "", &"x".repeat(201)] {
        cast.lead
            .api
            .get(&format!("/api/reviews/{r}/search/notes?q={q}"))
            .await?
            .expect(400)?;
    }
    cast.outsider
        .api
        .get(&format!("/api/reviews/{r}/search/notes?q=bruising"))
        .await?
        .expect(404)?;
    assert!(
        search(&cast.outsider, &cast.other_review, "bruising")
            .await?
            .is_empty()
    );
    server.assert_healthy();
    Ok(())
}
