//! The findings library: a lead publishes exactly a snapshot's agreed findings,
//! pseudonymised, and may withdraw or replace them; only library readers, analysts and
//! leads see the library, and a review not published is not there; search stems and
//! ranks the words as typed first; facets count distinct reviews and never show a
//! small number.

use std::time::Duration;

use anyhow::{Context, Result};
use board_tests::{api::Person, board as b, cast::Cast, wait::poll_until};
use serde_json::{Value, json};

use crate::support::{Backend, TestServer, both_databases, server};

both_databases!(
    publishing_takes_exactly_the_agreed_findings_pseudonymised,
    only_readers_see_the_library_and_nothing_unpublished,
    search_stems_and_facets_count_distinct_reviews_above_the_threshold,
);

/// A finding to write on a board: id, statement, category, status, effect.
pub(crate) type Finding<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// Writes `findings` (with an agreed episode showing each, and a factor on it) on the
/// review's board as `person`, and waits until the server holds them.
pub(crate) async fn write_findings(
    server: &TestServer,
    person: &Person,
    review: &str,
    findings: &[Finding<'_>],
) -> Result<()> {
    let client = person.on_board(server, review).await?;
    let doc = &client.doc;
    b::init_vocabularies(doc);
    for (n, (id, statement, category, status, effect)) in findings.iter().enumerate() {
        let episode = format!("{id}-episode");
        let factor = format!("{id}-factor");
        b::add_episode(doc, &episode, &format!("a{n}"), "Home visit", "Thorough.");
        b::set_field(doc, "episodes", &episode, "status", "agreed");
        b::add_factor(
            doc,
            &factor,
            &format!("a{n}"),
            "Caseloads above the agreed limit",
        );
        b::set_field(doc, "factors", &factor, "type", "conditions_of_work");
        b::add_finding(doc, id, &format!("a{n}"), statement, category);
        b::set_field(doc, "findings", id, "status", status);
        b::set_field(doc, "findings", id, "effect", effect);
        b::add_to_set(doc, "findings", id, "agencies", "Police");
        b::add_link(
            doc,
            &format!("{id}-l1"),
            &factor,
            &episode,
            "contributed_to",
        );
        b::add_link(doc, &format!("{id}-l2"), &episode, id, "evidence_for");
    }
    let ids: Vec<String> = findings.iter().map(|f| format!("\"{}\"", f.0)).collect();
    poll_until("the board stored", Duration::from_secs(20), || {
        let (api, ids) = (&person.api, ids.clone());
        async move {
            let board = api
                .get(&format!("/api/reviews/{review}/board"))
                .await?
                .expect(200)?
                .to_string();
            anyhow::ensure!(
                ids.iter().all(|id| board.contains(id.as_str()))
                    && board.contains("\"agencies\":[\"Police\"]"),
                "not yet"
            );
            Ok(())
        }
    })
    .await
}

pub(crate) async fn snapshot(person: &Person, review: &str) -> Result<String> {
    let taken = person
        .api
        .post(
            &format!("/api/reviews/{review}/snapshots"),
            json!({"label": "After the last analysis meeting"}),
        )
        .await?
        .expect(201)?;
    Ok(taken["id"].as_str().context("a snapshot id")?.to_string())
}

pub(crate) async fn publish(person: &Person, review: &str, snapshot: &str) -> Result<Value> {
    person
        .api
        .post(
            &format!("/api/reviews/{review}/library"),
            json!({"snapshot": snapshot}),
        )
        .await?
        .expect(201)
}

async fn search(person: &Person, query: &str) -> Result<Value> {
    person
        .api
        .get(&format!("/api/library/findings?{query}"))
        .await?
        .expect(200)
}

fn statements(found: &Value) -> Vec<String> {
    found["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["statement"].as_str().unwrap_or_default().to_string())
        .collect()
}

pub(crate) async fn give_role(cast: &Cast, person: &Person, role: Value) -> Result<()> {
    cast.lead
        .api
        .put(
            &format!("/api/accounts/{}/library-role", person.user_id),
            json!({ "role": role }),
        )
        .await?
        .expect(204)?;
    Ok(())
}

async fn publishing_takes_exactly_the_agreed_findings_pseudonymised(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    cast.lead
        .api
        .post(
            &format!("/api/reviews/{r}/register"),
            json!({"term": "Jane Smith", "pseudonym": "Mother"}),
        )
        .await?
        .expect(201)?;
    write_findings(
        &server,
        &cast.lead,
        &r,
        &[
            (
                "g1",
                "Jane Smith's referrals were judged one at a time",
                "human_tool_operation",
                "agreed",
                "hinders",
            ),
            (
                "g2",
                "A draft nobody agreed yet",
                "human_judgement_reasoning",
                "draft",
                "supports",
            ),
        ],
    )
    .await?;
    let first = snapshot(&cast.lead, &r).await?;

    // Only a lead publishes; the review team and case group may not, nor see it.
    for person in [&cast.team, &cast.case, &cast.board] {
        person
            .api
            .post(
                &format!("/api/reviews/{r}/library"),
                json!({"snapshot": first}),
            )
            .await?
            .expect(403)?;
    }
    cast.outsider
        .api
        .post(
            &format!("/api/reviews/{r}/library"),
            json!({"snapshot": first}),
        )
        .await?
        .expect(404)?;
    // Another review's snapshot is missing here.
    cast.lead
        .api
        .post(
            &format!("/api/reviews/{}/library", cast.other_review),
            json!({"snapshot": first}),
        )
        .await?
        .expect(404)?;

    let set = publish(&cast.lead, &r, &first).await?;
    assert_eq!(set["version"], 1);
    assert_eq!(set["findingCount"], 1, "{set}");
    assert_eq!(set["caseName"], "Child A");

    // A script's token, even a lead's, never publishes to the partnership's library.
    let token = cast.token(&server, "lead_reviewer").await?;
    board_tests::api::ApiClient::with_token(&server, &token)
        .post(
            &format!("/api/reviews/{r}/library"),
            json!({"snapshot": first}),
        )
        .await?
        .expect(403)?;

    // A reader sees that one review matches, never its findings: fewer than 5 reviews
    // would single it out.
    give_role(&cast, &cast.outsider, json!("reader")).await?;
    let withheld = search(&cast.outsider, "").await?;
    assert_eq!(withheld["withheld"], true, "{withheld}");
    assert_eq!(withheld["matched"]["text"], "fewer than 5 reviews");
    assert!(statements(&withheld).is_empty());
    // The lead, in the review, reads what was published.
    let found = search(&cast.lead, "").await?;
    assert_eq!(
        statements(&found),
        ["Mother's referrals were judged one at a time"],
        "{found}"
    );
    let finding = &found["findings"][0];
    assert_eq!(finding["category"], "human_tool_operation");
    assert_eq!(finding["effect"], "hinders");
    assert_eq!(finding["agencies"], json!(["Police"]));
    assert_eq!(
        finding["factors"][0]["title"],
        "Caseloads above the agreed limit"
    );
    assert_eq!(finding["factors"][0]["level"], "frontline");
    assert_eq!(finding["recommendations"][0]["type"], "local_clear_cut");
    assert_eq!(finding["reviewKind"], "lcspr");
    assert!(finding.get("reviewId").is_none(), "{finding}");
    assert!(!found.to_string().contains("Jane"), "{found}");

    // Edits after the snapshot do not reach the library until published again.
    write_findings(
        &server,
        &cast.lead,
        &r,
        &[(
            "g3",
            "Supervision rarely reached the reasoning",
            "human_management_system_operation",
            "agreed",
            "hinders",
        )],
    )
    .await?;
    assert_eq!(statements(&search(&cast.lead, "").await?).len(), 1);

    // Replacing keeps the history; the library holds the new set only.
    let second = snapshot(&cast.lead, &r).await?;
    let replaced = publish(&cast.lead, &r, &second).await?;
    assert_eq!(replaced["version"], 2);
    let mut now = statements(&search(&cast.lead, "").await?);
    now.sort();
    assert_eq!(
        now,
        [
            "Mother's referrals were judged one at a time",
            "Supervision rarely reached the reasoning"
        ]
    );
    let history = cast
        .team
        .api
        .get(&format!("/api/reviews/{r}/library"))
        .await?
        .expect(200)?;
    assert_eq!(history["current"]["version"], 2);
    assert_eq!(history["sets"][1]["replacedBy"], replaced["id"]);
    cast.board
        .api
        .get(&format!("/api/reviews/{r}/library"))
        .await?
        .expect(403)?;

    // Withdrawing takes every finding of the review out of the library.
    cast.team
        .api
        .delete(&format!("/api/reviews/{r}/library"))
        .await?
        .expect(403)?;
    cast.lead
        .api
        .delete(&format!("/api/reviews/{r}/library"))
        .await?
        .expect(204)?;
    assert!(statements(&search(&cast.lead, "").await?).is_empty());
    cast.lead
        .api
        .delete(&format!("/api/reviews/{r}/library"))
        .await?
        .expect(404)?;

    // A name nobody registered stops a publication, and nothing is stored.
    write_findings(
        &server,
        &cast.lead,
        &r,
        &[(
            "g4",
            "Darren Pryce was not asked about the injury",
            "family_professional_interaction",
            "agreed",
            "hinders",
        )],
    )
    .await?;
    let third = snapshot(&cast.lead, &r).await?;
    let refused = cast
        .lead
        .api
        .post(
            &format!("/api/reviews/{r}/library"),
            json!({"snapshot": third}),
        )
        .await?
        .expect(409)?;
    assert_eq!(refused["error"], "check_not_clean");
    assert!(refused.to_string().contains("Darren Pryce"), "{refused}");
    assert!(statements(&search(&cast.lead, "").await?).is_empty());

    // The audit trail says who published and withdrew, never the findings' words.
    let trail = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/audit"))
        .await?
        .expect(200)?
        .to_string();
    assert!(trail.contains("library_published") && trail.contains("library_withdrawn"));
    assert!(!trail.contains("judged one at a time"));
    server.assert_healthy();
    Ok(())
}

async fn only_readers_see_the_library_and_nothing_unpublished(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    write_findings(
        &server,
        &cast.lead,
        &r,
        &[(
            "g1",
            "Referrals were judged one at a time",
            "human_tool_operation",
            "agreed",
            "hinders",
        )],
    )
    .await?;
    snapshot(&cast.lead, &r).await?;

    // Nobody but leads and those given a library role sees the library: it answers
    // like a missing page, to the review team, the case group, a token too.
    for person in [
        &cast.team,
        &cast.case,
        &cast.board,
        &cast.observer,
        &cast.outsider,
    ] {
        for path in [
            "/api/library",
            "/api/library/findings?q=referral",
            "/api/library/facets",
        ] {
            person.api.get(path).await?.expect(404)?;
        }
    }
    let token = cast.token(&server, "review_team_member").await?;
    let with_token = board_tests::api::ApiClient::with_token(&server, &token);
    with_token.get("/api/library/findings").await?.expect(404)?;

    // Only an administrator gives library roles.
    cast.team
        .api
        .put(
            &format!("/api/accounts/{}/library-role", cast.outsider.user_id),
            json!({"role": "analyst"}),
        )
        .await?
        .expect(403)?;
    cast.lead
        .api
        .put(
            &format!("/api/accounts/{}/library-role", cast.outsider.user_id),
            json!({"role": "owner"}),
        )
        .await?
        .expect(400)?;
    cast.lead
        .api
        .put(
            "/api/accounts/nobody/library-role",
            json!({"role": "reader"}),
        )
        .await?
        .expect(404)?;
    give_role(&cast, &cast.outsider, json!("analyst")).await?;
    let info = cast.outsider.api.get("/api/library").await?.expect(200)?;
    assert_eq!(info["access"]["role"], "analyst");
    assert!(
        info["coverage"]
            .as_str()
            .unwrap_or_default()
            .contains("not how often")
    );
    // The board holds an agreed finding and a snapshot, but nothing was published: the
    // library does not know the review exists.
    assert_eq!(info["reviews"]["text"], "no reviews");
    let found = search(&cast.outsider, "q=referrals").await?;
    assert!(statements(&found).is_empty(), "{found}");
    let facets = cast
        .outsider
        .api
        .get("/api/library/facets")
        .await?
        .expect(200)?;
    assert_eq!(facets["facets"]["category"], json!([]), "{facets}");
    // A lead of any review reads the library.
    assert_eq!(
        cast.lead.api.get("/api/library").await?.expect(200)?["access"]["role"],
        "lead_reviewer"
    );
    // Taking the role away takes the library away.
    give_role(&cast, &cast.outsider, Value::Null).await?;
    cast.outsider.api.get("/api/library").await?.expect(404)?;
    server.assert_healthy();
    Ok(())
}

async fn search_stems_and_facets_count_distinct_reviews_above_the_threshold(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &["--library-threshold", "3"]).await?;
    let cast = Cast::new(&server).await?;
    let lead = &cast.lead;
    // Four published reviews: the first with three findings of one category; one more
    // review, never published.
    let mut reviews = vec![cast.review.clone()];
    for title in ["Child B", "Child C", "Child D", "Child E"] {
        reviews.push(
            board_tests::api::create_review(&lead.api, json!({"title": title, "case_ref": title}))
                .await?,
        );
    }
    let boards: [&[Finding]; 5] = [
        &[
            (
                "a1",
                "Assessment forms hide the reasoning behind a referral decision",
                "human_tool_operation",
                "agreed",
                "hinders",
            ),
            (
                "a2",
                "The screening tool counts incidents, not their pattern",
                "human_tool_operation",
                "agreed",
                "hinders",
            ),
            (
                "a3",
                "Chronologies are kept by each agency apart",
                "human_tool_operation",
                "agreed",
                "supports",
            ),
        ],
        &[(
            "b1",
            "Referrals are judged one at a time",
            "human_tool_operation",
            "agreed",
            "hinders",
        )],
        &[(
            "c1",
            "Supervision rarely reached the reasoning about referrals",
            "human_management_system_operation",
            "agreed",
            "hinders",
        )],
        &[(
            "d1",
            "Health visitors referred early and were heard",
            "human_tool_operation",
            "agreed",
            "supports",
        )],
        &[(
            "e1",
            "An unpublished finding about referrals",
            "human_tool_operation",
            "agreed",
            "hinders",
        )],
    ];
    for (review, findings) in reviews.iter().zip(boards) {
        write_findings(&server, lead, review, findings).await?;
        let taken = snapshot(lead, review).await?;
        if review != &reviews[4] {
            publish(lead, review, &taken).await?;
        }
    }
    give_role(&cast, &cast.outsider, json!("reader")).await?;
    let reader = &cast.outsider;

    // English stemming: "referral" finds "referrals", "judging" finds "judged"; the words as typed
    // in a statement rank first; the unpublished review is never found.
    // Words that match fewer reviews than the threshold list nothing to a reader ...
    let rare = search(reader, "q=referrals%20are%20judged").await?;
    assert_eq!(rare["withheld"], true, "{rare}");
    // ... and what they find to the lead of those reviews.
    let found = search(lead, "q=referrals%20are%20judged").await?;
    assert_eq!(
        statements(&found)[0],
        "Referrals are judged one at a time",
        "{found}"
    );
    let stemmed = statements(&search(reader, "q=referral").await?);
    assert!(
        stemmed.contains(&"Referrals are judged one at a time".to_string()),
        "{stemmed:?}"
    );
    assert!(
        stemmed.contains(&"Supervision rarely reached the reasoning about referrals".to_string())
    );
    assert!(!stemmed.contains(&"Health visitors referred early and were heard".to_string()));
    let judging = statements(&search(lead, "q=judging").await?);
    assert_eq!(judging, ["Referrals are judged one at a time"]);
    assert!(
        !stemmed.iter().any(|s| s.contains("unpublished")),
        "{stemmed:?}"
    );
    // What is typed is words, never the engine's syntax; control characters and
    // very long words are refused.
    search(reader, "q=%22referral%20OR%20NEAR(%2A").await?;
    search(reader, "q=-zzz%20%7C%20referral%20%26%20!x").await?;
    reader
        .api
        .get("/api/library/findings?agency=Police%00")
        .await?
        .expect(400)?;
    reader
        .api
        .get(&format!("/api/library/findings?q={}", "a".repeat(201)))
        .await?
        .expect(400)?;

    // Facets count distinct reviews: three findings of one review count once; a count
    // below the threshold is "fewer than 3", never its number.
    let facets = reader.api.get("/api/library/facets").await?.expect(200)?;
    assert_eq!(facets["matched"]["reviews"], 4, "{facets}");
    let category = |code: &str| {
        facets["facets"]["category"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|v| v["code"] == code)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        category("human_tool_operation")["count"]["reviews"],
        3,
        "{facets}"
    );
    assert_eq!(
        category("human_tool_operation")["label"],
        "Patterns in human–tool operation"
    );
    let few = &category("human_management_system_operation")["count"];
    assert_eq!(few["fewerThan"], 3, "{facets}");
    assert!(few.get("reviews").is_none(), "{few}");
    assert_eq!(few["text"], "fewer than 3 reviews");
    let effect = &facets["facets"]["effect"];
    assert!(
        effect.to_string().contains("\"code\":\"hinders\""),
        "{effect}"
    );
    // A facet's counts take the other choices into account.
    let narrowed = reader
        .api
        .get("/api/library/facets?effect=supports")
        .await?
        .expect(200)?;
    assert_eq!(narrowed["matched"]["fewerThan"], 3, "{narrowed}");

    // Choices that narrow the library to fewer reviews than the threshold list nothing
    // for a reader, who could otherwise single a review out ...
    let isolated = search(reader, "category=human_management_system_operation").await?;
    assert_eq!(isolated["withheld"], true, "{isolated}");
    assert!(statements(&isolated).is_empty());
    assert!(
        isolated["message"]
            .as_str()
            .unwrap_or_default()
            .contains("fewer than 3")
    );
    // ... but for the lead of every one of those reviews they do.
    let own = search(lead, "category=human_management_system_operation").await?;
    assert_eq!(
        statements(&own),
        ["Supervision rarely reached the reasoning about referrals"]
    );
    // Enough reviews: listed.
    let many = search(reader, "category=human_tool_operation").await?;
    assert_eq!(many["withheld"], false);
    assert_eq!(statements(&many).len(), 5, "{many}");

    // Thematic analysis: a matrix of typology by factor level counts distinct reviews
    // per cell, small cells hidden.
    let matrix = reader
        .api
        .get("/api/library/matrix?rows=category&columns=level")
        .await?
        .expect(200)?;
    let row = |code: &str| {
        matrix["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .position(|r| r["code"] == code)
            .unwrap_or(usize::MAX)
    };
    let frontline = matrix["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .position(|c| c["code"] == "frontline")
        .context("a frontline column")?;
    assert_eq!(
        matrix["rows"].as_array().map(Vec::len),
        Some(6),
        "every category"
    );
    assert_eq!(
        matrix["cells"][row("human_tool_operation")][frontline]["reviews"],
        3,
        "{matrix}"
    );
    assert_eq!(
        matrix["cells"][row("human_management_system_operation")][frontline]["text"],
        "fewer than 3 reviews"
    );
    assert_eq!(
        matrix["cells"][row("family_professional_interaction")][frontline]["reviews"],
        0
    );
    reader
        .api
        .get("/api/library/matrix?rows=category&columns=partnership")
        .await?
        .expect(400)?;
    // A trend is normalised by the year's reviews.
    let trend = reader
        .api
        .get("/api/library/trend?category=human_tool_operation")
        .await?
        .expect(200)?;
    assert_eq!(trend[0]["matched"]["reviews"], 3, "{trend}");
    assert_eq!(trend[0]["reviews"]["reviews"], 4);
    assert_eq!(trend[0]["share"], 0.75);
    let rare = reader
        .api
        .get("/api/library/trend?category=human_management_system_operation")
        .await?
        .expect(200)?;
    assert!(
        rare[0].get("share").is_none(),
        "a share would give the count away: {rare}"
    );
    // Persistent patterns: seen in at least the threshold's number of reviews.
    let persistent = reader
        .api
        .get("/api/library/persistent?years=1")
        .await?
        .expect(200)?
        .to_string();
    assert!(
        persistent.contains("\"code\":\"human_tool_operation\""),
        "{persistent}"
    );
    assert!(
        persistent.contains("\"code\":\"conditions_of_work\""),
        "{persistent}"
    );
    assert!(
        !persistent.contains("human_management_system_operation"),
        "{persistent}"
    );
    let none = reader
        .api
        .get("/api/library/persistent?years=2")
        .await?
        .expect(200)?;
    assert_eq!(none, json!([]), "every review is of this year");

    // Exports are for analysts, held to the same rule, and in the audit trail.
    reader
        .api
        .get("/api/library/export?format=csv")
        .await?
        .expect(403)?;
    give_role(&cast, reader, json!("analyst")).await?;
    let exported = reader
        .api
        .get("/api/library/export?format=json")
        .await?
        .expect(200)?;
    assert_eq!(exported.as_array().map(Vec::len), Some(6), "{exported}");
    assert!(!exported.to_string().contains("unpublished"), "{exported}");
    let url = format!("http://{}/api/library/export?format=csv", server.addr);
    let csv = reqwest::Client::new()
        .get(url)
        .header("cookie", reader.api.cookie().unwrap_or_default())
        .send()
        .await?;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    let text = csv.text().await?;
    assert!(text.starts_with("Case,Kind of review,"), "{text}");
    assert!(text.contains("Patterns in human–tool operation"), "{text}");
    reader
        .api
        .get("/api/library/export?format=csv&category=human_management_system_operation")
        .await?
        .expect(403)?;
    reader
        .api
        .get("/api/library/export?format=xlsx")
        .await?
        .expect(400)?;

    // Themes: an analyst groups findings from several reviews, with a memo, and takes
    // a thematic summary for the annual report.
    lead.api
        .post("/api/library/themes", json!({"name": "Referrals"}))
        .await?
        .expect(403)?;
    let theme = reader
        .api
        .post(
            "/api/library/themes",
            json!({"name": "Referrals judged alone", "memo": "Each agency sees one incident."}),
        )
        .await?
        .expect(201)?;
    let theme_id = theme["id"].as_str().context("a theme id")?.to_string();
    let referral = search(reader, "q=referral").await?;
    let ids: Vec<String> = referral["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 3, "{referral}");
    for id in &ids {
        reader
            .api
            .put(
                &format!("/api/library/themes/{theme_id}/findings/{id}"),
                json!({}),
            )
            .await?
            .expect(204)?;
    }
    reader
        .api
        .put(
            &format!("/api/library/themes/{theme_id}/findings/nothing"),
            json!({}),
        )
        .await?
        .expect(404)?;
    let shown = reader
        .api
        .get(&format!("/api/library/themes/{theme_id}"))
        .await?
        .expect(200)?;
    assert_eq!(shown["withheld"], false, "{shown}");
    assert_eq!(shown["findings"].as_array().map(Vec::len), Some(3));
    let summary_url = format!(
        "http://{}/api/library/themes/{theme_id}/summary",
        server.addr
    );
    let cookie = reader.api.cookie().unwrap_or_default();
    let md = reqwest::Client::new()
        .get(format!("{summary_url}?format=md"))
        .header("cookie", cookie.clone())
        .send()
        .await?
        .text()
        .await?;
    assert!(md.contains("Referrals judged alone"), "{md}");
    assert!(md.contains("Each agency sees one incident."), "{md}");
    assert!(md.contains("What recurs"), "{md}");
    assert!(md.contains("Conditions of work | 3 reviews"), "{md}");
    assert!(md.contains("fewer than 3 reviews"), "{md}");
    let docx = reqwest::Client::new()
        .get(format!("{summary_url}?format=docx"))
        .header("cookie", cookie)
        .send()
        .await?;
    assert_eq!(docx.status(), 200);
    assert!(docx.bytes().await?.starts_with(b"PK"));
    // A theme of one review's findings lists nothing and gives no summary to an analyst
    // outside it.
    let small = reader
        .api
        .post("/api/library/themes", json!({"name": "One review"}))
        .await?
        .expect(201)?;
    let small_id = small["id"].as_str().context("a theme id")?.to_string();
    reader
        .api
        .put(
            &format!("/api/library/themes/{small_id}/findings/{}", ids[0]),
            json!({}),
        )
        .await?
        .expect(204)?;
    let hidden = reader
        .api
        .get(&format!("/api/library/themes/{small_id}"))
        .await?
        .expect(200)?;
    assert_eq!(hidden["withheld"], true, "{hidden}");
    assert_eq!(hidden["findings"], json!([]));
    reader
        .api
        .get(&format!("/api/library/themes/{small_id}/summary?format=md"))
        .await?
        .expect(403)?;
    reader
        .api
        .patch(
            &format!("/api/library/themes/{small_id}"),
            json!({"name": " "}),
        )
        .await?
        .expect(400)?;

    let trail = lead.api.get("/api/audit").await?.expect(200)?.to_string();
    assert!(trail.contains("library_exported"), "{trail}");
    assert!(
        trail.contains("6 findings as json (the whole library)"),
        "{trail}"
    );
    server.assert_healthy();
    Ok(())
}
