//! `board demo`: the Eastmere partnership loads into a new database, its people sign in
//! with the password it prints, and the library's counts on it match a count made by
//! hand from the data file (distinct reviews, small numbers hidden); the review in
//! progress is never in the library, and its draft finding about the men in the
//! household finds the earlier reviews' findings worded alike first.

use anyhow::{Context, Result};
use board_tests::api::ApiClient;
use serde_json::Value;

use board_tests::{
    command::{board_binary, board_command},
    db::TestDb,
};

use crate::support::{Backend, TestServer, both_databases, server};

async fn server_on(backend: Backend) -> Result<(TestDb, TestServer)> {
    server(backend, &[]).await
}

both_databases!(
    the_demo_loads_and_its_library_counts_match_a_hand_count,
    the_demo_loads_only_into_a_new_database,
);

/// A new database with the demo loaded, and a server on it; the password it printed.
async fn demo_server(backend: Backend) -> Result<(TestDb, TestServer, String)> {
    let db = TestDb::new(backend).await?;
    let printed = board_command(&board_binary(), &db.url, &["demo"], "").await?;
    let password = printed
        .split("password is ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .context("the printed password")?;
    let server = TestServer::start_with(&db, &[]).await?;
    Ok((db, server, password.to_string()))
}

fn count(facets: &Value, facet: &str, code: &str) -> Value {
    facets["facets"][facet]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["code"] == code)
        .map(|v| v["count"].clone())
        .unwrap_or(Value::Null)
}

async fn the_demo_loads_and_its_library_counts_match_a_hand_count(backend: Backend) -> Result<()> {
    let (_db, mut server, password) = demo_server(backend).await?;
    let analyst = ApiClient::login(&server, "louise.carter@eastmere.example", &password).await?;
    let info = analyst.get("/api/library").await?.expect(200)?;
    assert_eq!(info["access"]["analyst"], true, "{info}");
    // Twelve reviews published; the thirteenth (2026) is in progress and absent.
    assert_eq!(info["reviews"]["reviews"], 12, "{info}");

    // Counted by hand from server/src/demo/partnership.json: distinct published
    // reviews with an agreed finding carrying the code (primary or second category).
    let facets = analyst.get("/api/library/facets").await?.expect(200)?;
    for (code, reviews) in [
        ("family_professional_interaction", 11),
        ("multi_agency_assessment_longer_term", 10),
        ("human_judgement_reasoning", 9),
        ("human_management_system_operation", 8),
        ("multi_agency_incidents_crises", 5),
    ] {
        assert_eq!(
            count(&facets, "category", code)["reviews"],
            reviews,
            "{code}: {facets}"
        );
    }
    let tools = count(&facets, "category", "human_tool_operation");
    assert_eq!(tools["fewerThan"], 5, "{tools}");
    assert!(tools.get("reviews").is_none(), "{tools}");
    assert_eq!(count(&facets, "effect", "supports")["reviews"], 9);
    assert_eq!(count(&facets, "effect", "hinders")["reviews"], 12);
    assert_eq!(
        count(&facets, "agency", "Children's social care")["reviews"],
        10
    );
    assert_eq!(count(&facets, "agency", "General practice")["reviews"], 7);
    assert_eq!(count(&facets, "agency", "Police")["reviews"], 6);
    assert_eq!(
        count(&facets, "agency", "Maternity services")["fewerThan"],
        5
    );
    assert_eq!(
        count(&facets, "recommendation_type", "local_clear_cut")["reviews"],
        12
    );
    assert_eq!(
        count(&facets, "recommendation_type", "research_development")["reviews"],
        7
    );
    assert_eq!(count(&facets, "kind", "lcspr")["reviews"], 7, "{facets}");
    // Where the board is with the recommendations (the demo's by year): 2023 and 2024's
    // five reviews are in progress; 2021–2022's four done and 2025's three accepted are
    // too few to show.
    assert_eq!(
        count(&facets, "recommendation_status", "in_progress")["reviews"],
        5,
        "{facets}"
    );
    assert_eq!(
        count(&facets, "recommendation_status", "done")["fewerThan"],
        5
    );
    assert_eq!(
        count(&facets, "recommendation_status", "accepted")["fewerThan"],
        5
    );
    assert_eq!(
        count(&facets, "recommendation_status", "proposed"),
        Value::Null,
        "the review in analysis is not published"
    );

    // A period of years (a trend's bar): 2021 to 2023 hold seven reviews, six of them
    // with a family-professional finding.
    let period = analyst
        .get("/api/library/facets?year=2021&until=2023")
        .await?
        .expect(200)?;
    assert_eq!(period["matched"]["reviews"], 7, "{period}");
    assert_eq!(
        count(&period, "category", "family_professional_interaction")["reviews"],
        6
    );
    // The year facet's own counts ignore the period chosen.
    assert_eq!(count(&period, "year", "2025")["fewerThan"], 5);

    // The typology by effect on practice, cell by cell.
    let matrix = analyst
        .get("/api/library/matrix?rows=category&columns=effect")
        .await?
        .expect(200)?;
    let position = |axis: &str, code: &str| {
        matrix[axis]
            .as_array()
            .into_iter()
            .flatten()
            .position(|c| c["code"] == code)
            .unwrap_or(usize::MAX)
    };
    let cell = |row: &str, column: &str| {
        matrix["cells"][position("rows", row)][position("columns", column)].clone()
    };
    assert_eq!(
        cell("family_professional_interaction", "hinders")["reviews"],
        9,
        "{matrix}"
    );
    assert_eq!(
        cell("family_professional_interaction", "supports")["reviews"],
        6
    );
    assert_eq!(
        cell("human_management_system_operation", "hinders")["reviews"],
        8
    );
    assert_eq!(
        cell("multi_agency_incidents_crises", "hinders")["reviews"],
        5
    );
    assert_eq!(cell("human_tool_operation", "supports")["fewerThan"], 5);
    assert_eq!(
        cell("human_management_system_operation", "supports")["reviews"],
        0
    );

    // Persistent patterns over the five years: the family-professional category
    // (the men left out of assessments) recurs in every one of them; the tools
    // category, in fewer than five reviews, is never flagged.
    let persistent = analyst
        .get("/api/library/persistent?years=5")
        .await?
        .expect(200)?
        .to_string();
    assert!(
        persistent.contains("\"code\":\"family_professional_interaction\""),
        "{persistent}"
    );
    assert!(
        !persistent.contains("\"code\":\"human_tool_operation\""),
        "{persistent}"
    );
    // Search stems: "fathers" finds findings about the father, across enough reviews
    // to be listed.
    let found = analyst
        .get("/api/library/findings?q=fathers")
        .await?
        .expect(200)?;
    assert_eq!(found["withheld"], false, "{found}");
    assert!(
        found["matched"]["reviews"].as_u64().is_some_and(|n| n >= 5),
        "{found}"
    );

    // The review in progress: its lead looks up its draft finding about the man in the
    // household, and the earlier reviews' findings worded alike come first.
    let lead = ApiClient::login(&server, "martin.aldridge@eastmere.example", &password).await?;
    let reviews = lead.get("/api/reviews").await?.expect(200)?;
    let in_progress = reviews
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["review"]["title"] == "Child H" || r["title"] == "Child H")
        .context("the review in progress")?;
    let id = in_progress["review"]["id"]
        .as_str()
        .or(in_progress["id"].as_str())
        .context("its id")?;
    let board = lead
        .get(&format!("/api/reviews/{id}/board"))
        .await?
        .expect(200)?;
    let draft = board["findings"][0]["id"]
        .as_str()
        .context("its first finding")?;
    let seen = lead
        .get(&format!("/api/reviews/{id}/findings/{draft}/seen-before"))
        .await?
        .expect(200)?;
    let first = seen["suggestions"][0]["statement"]
        .as_str()
        .unwrap_or_default();
    let planted = [
        "Assessments focused on the mother and did not find out about the men",
        "Assessments concentrated on mothers and left the men in the household unknown",
        "Work with the family centred on the mother, and the men living in the household",
    ];
    assert!(planted.iter().any(|p| first.starts_with(p)), "{seen}");
    assert_ne!(seen["suggestions"][0]["caseName"], "Child H");
    server.assert_healthy();
    Ok(())
}

async fn the_demo_loads_only_into_a_new_database(backend: Backend) -> Result<()> {
    // Loaded once, it is not loaded again.
    let (_db, mut server, _) = demo_server(backend).await?;
    let again = server.command(&["demo"], "").await;
    let refused = format!("{again:?}");
    assert!(
        again.is_err() && refused.contains("new database"),
        "{refused}"
    );
    server.assert_healthy();
    // A database with a review but no account yet (set up by script, or waiting for
    // its first administrator) is refused too.
    let (_other_db, other) = server_on(backend).await?;
    let refused = format!("{:?}", other.command(&["demo"], "").await);
    assert!(
        refused.contains("new database") && refused.contains("review"),
        "{refused}"
    );
    Ok(())
}
