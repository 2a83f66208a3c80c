//! "Seen before": while the review team drafts a finding, the published findings of
//! other reviews that read alike or share its codes, best first; the team records one
//! on the finding, and the report gives it under how widespread the pattern is.

use std::{collections::HashMap, time::Duration};

use anyhow::{Context, Result};
use board_tests::{board as b, cast::Cast, wait::poll_until};
use serde_json::{Value, json};
use yrs::{Any, Map, MapPrelim, Out, Transact, WriteTxn};

use crate::library::{Finding, give_role, publish, snapshot, write_findings};
use crate::support::{Backend, both_databases, server};

both_databases!(
    a_near_duplicate_ranks_first_and_the_link_reaches_the_report,
    only_the_review_team_looks_and_small_numbers_are_withheld,
);

/// The draft finding the review team writes in review A.
const DRAFT: &str =
    "Assessments focused on the mother and never found out about the men in the child's life";

async fn seen_before(
    person: &board_tests::api::Person,
    review: &str,
    finding: &str,
) -> Result<board_tests::api::Answer> {
    person
        .api
        .get(&format!(
            "/api/reviews/{review}/findings/{finding}/seen-before"
        ))
        .await
}

fn statements(answer: &Value) -> Vec<String> {
    answer["suggestions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["statement"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Publishes one review per entry of `published` (titled as given), each holding its
/// findings; returns their ids.
async fn publish_reviews(
    server: &crate::support::TestServer,
    cast: &Cast,
    published: &[(&str, &[Finding<'_>])],
) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for (title, findings) in published {
        let review = board_tests::api::create_review(
            &cast.lead.api,
            json!({"title": title, "case_ref": title}),
        )
        .await?;
        write_findings(server, &cast.lead, &review, findings).await?;
        let taken = snapshot(&cast.lead, &review).await?;
        publish(&cast.lead, &review, &taken).await?;
        ids.push(review);
    }
    Ok(ids)
}

async fn a_near_duplicate_ranks_first_and_the_link_reaches_the_report(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &["--library-threshold", "3"]).await?;
    let cast = Cast::new(&server).await?;
    let planted =
        "Assessments concentrated on the mother and left the men in the household unknown";
    // Each of the draft's words that matter is in three reviews or more (the
    // threshold), as a recurring pattern's are; only D's finding is worded alike.
    let published = publish_reviews(
        &server,
        &cast,
        &[
            (
                "Child B",
                &[
                    ("b1", "Fathers and the men in the household were not invited to conferences; the mother spoke for them", "family_professional_interaction", "agreed", "hinders"),
                    ("b2", "Supervision was squeezed by caseloads", "human_management_system_operation", "agreed", "hinders"),
                ],
            ),
            (
                "Child C",
                &[("c1", "Assessments missed that home visits were announced, so the mother prepared the household", "family_professional_interaction", "agreed", "hinders")],
            ),
            (
                "Child D",
                &[
                    ("d1", "Referral forms ask about the mother's health only", "human_tool_operation", "agreed", "hinders"),
                    ("d2", planted, "human_judgement_reasoning", "agreed", "hinders"),
                ],
            ),
            (
                "Child E",
                &[("e1", "Assessments were updated when new information about the men arrived", "human_judgement_reasoning", "agreed", "supports")],
            ),
        ],
    )
    .await?;
    // Review A published a finding worded like the draft earlier: its own findings are
    // never suggested to it.
    let a = cast.review.clone();
    write_findings(
        &server,
        &cast.lead,
        &a,
        &[(
            "a0",
            "Assessments focused on the mother and the men in the child's life were unknown",
            "family_professional_interaction",
            "agreed",
            "hinders",
        )],
    )
    .await?;
    let taken = snapshot(&cast.lead, &a).await?;
    publish(&cast.lead, &a, &taken).await?;

    // The review team drafts a finding.
    let team = cast.team.on_board(&server, &a).await?;
    b::add_finding(
        &team.doc,
        "draft",
        "b0",
        DRAFT,
        "family_professional_interaction",
    );
    b::set_field(&team.doc, "findings", "draft", "effect", "hinders");
    let answer = poll_until(
        "the draft is looked up",
        Duration::from_secs(20),
        || async {
            let answer = seen_before(&cast.team, &a, "draft").await?.expect(200)?;
            anyhow::ensure!(
                !statements(&answer).is_empty(),
                "no suggestions yet: {answer}"
            );
            Ok(answer)
        },
    )
    .await?;
    let found = statements(&answer);
    assert_eq!(found[0], planted, "{answer}");
    // Findings that share only the category come after it; review A's own never.
    assert!(
        found.iter().any(|s| s.starts_with("Fathers and the men")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|s| s.contains("were unknown")),
        "{found:?}"
    );
    let first = &answer["suggestions"][0];
    assert_eq!(first["caseName"], "Child D");
    assert!(
        first["shared"]
            .as_array()
            .is_some_and(|s| s.contains(&json!("reads alike")))
    );
    assert_eq!(answer["withheld"], false);

    // The team records it as a recurrence, as the app does; the report of the next
    // snapshot gives it under how widespread the pattern is.
    {
        let mut txn = team.doc.transact_mut();
        let findings = txn.get_or_insert_map("findings");
        let Some(Out::YMap(draft)) = findings.get(&txn, "draft") else {
            anyhow::bail!("the draft is on the board");
        };
        let links = draft.insert(&mut txn, "seenBefore", MapPrelim::default());
        let entry: HashMap<String, Any> = HashMap::from([
            ("relation".into(), Any::from("recurrence")),
            (
                "caseName".into(),
                Any::from(first["caseName"].as_str().unwrap_or_default()),
            ),
            (
                "year".into(),
                Any::from(first["year"].as_f64().unwrap_or_default()),
            ),
            (
                "reference".into(),
                Any::from(first["reference"].as_str().unwrap_or_default()),
            ),
            ("statement".into(), Any::from(planted)),
        ]);
        links.insert(
            &mut txn,
            first["id"].as_str().context("an id")?,
            Any::from(entry),
        );
    }
    poll_until("the link is stored", Duration::from_secs(20), || async {
        let board = cast
            .lead
            .api
            .get(&format!("/api/reviews/{a}/board"))
            .await?
            .expect(200)?;
        let links = board["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["id"] == "draft")
            .map(|f| f["seenBefore"].clone())
            .unwrap_or_default();
        anyhow::ensure!(links[0]["relation"] == "recurrence", "not yet: {links}");
        Ok(())
    })
    .await?;
    let taken = snapshot(&cast.lead, &a).await?;
    let report = cast
        .lead
        .api
        .get(&format!(
            "/api/reviews/{a}/snapshots/{taken}/export?format=md&confirm=unreviewed&drafts=true"
        ))
        .await?
        .expect(200)?;
    let report = report.as_str().context("Markdown")?;
    assert!(report.contains("Seen before in other reviews"), "{report}");
    assert!(
        report.contains(&format!(
            "Recurrence of Child D \\({}\\), finding F2\\: \u{201c}{planted}\u{201d}",
            first["year"]
        )),
        "{report}"
    );
    // Review D withdraws its findings: the snapshot's report no longer quotes them.
    cast.lead
        .api
        .delete(&format!("/api/reviews/{}/library", published[2]))
        .await?
        .expect(204)?;
    let again = cast
        .lead
        .api
        .get(&format!(
            "/api/reviews/{a}/snapshots/{taken}/export?format=md&confirm=unreviewed&drafts=true"
        ))
        .await?
        .expect(200)?;
    let again = again.as_str().context("Markdown")?;
    assert!(
        again.contains(&format!(
            "Recurrence of Child D \\({}\\), finding F2, no longer in the library",
            first["year"]
        )),
        "{again}"
    );
    assert!(!again.contains(planted), "{again}");
    server.assert_healthy();
    Ok(())
}

async fn only_the_review_team_looks_and_small_numbers_are_withheld(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &["--library-threshold", "3"]).await?;
    let cast = Cast::new(&server).await?;
    let strategy = |id: &'static str, without: &'static str| -> Finding<'static> {
        (
            id,
            without,
            "multi_agency_incidents_crises",
            "agreed",
            "hinders",
        )
    };
    publish_reviews(
        &server,
        &cast,
        &[
            (
                "Child B",
                &[(
                    "b1",
                    "Chronologies were kept by each agency apart",
                    "multi_agency_assessment_longer_term",
                    "agreed",
                    "hinders",
                )],
            ),
            (
                "Child C",
                &[strategy(
                    "c1",
                    "Strategy discussions went ahead without health",
                )],
            ),
            (
                "Child D",
                &[strategy(
                    "d1",
                    "Strategy discussions went ahead without the police",
                )],
            ),
            (
                "Child E",
                &[strategy(
                    "e1",
                    "Strategy discussions went ahead without the school",
                )],
            ),
        ],
    )
    .await?;
    let a = cast.review.clone();
    let team = cast.team.on_board(&server, &a).await?;
    // Words found in one other review only, and no category: nothing is looked up,
    // for the team member and the lead alike.
    b::add_finding(&team.doc, "rare", "a0", "Chronologies kept apart", "");
    // The same rare words padded with common ones: the common ones find the reviews
    // that share them, and the rare ones neither find nor rank review B.
    b::add_finding(
        &team.doc,
        "padded",
        "a1",
        "Chronologies kept apart; strategy discussions went ahead",
        "",
    );
    b::add_finding(&team.doc, "empty", "a2", "", "");
    let rare = poll_until(
        "the drafts are on the board",
        Duration::from_secs(20),
        || async {
            seen_before(&cast.team, &a, "empty").await?.expect(200)?;
            seen_before(&cast.team, &a, "rare").await?.expect(200)
        },
    )
    .await?;
    assert!(statements(&rare).is_empty(), "{rare}");
    assert!(
        rare["message"]
            .as_str()
            .is_some_and(|m| m.contains("rarer ones are not looked up")),
        "{rare}"
    );
    let lead = seen_before(&cast.lead, &a, "rare").await?.expect(200)?;
    assert!(statements(&lead).is_empty(), "{lead}");
    let padded = seen_before(&cast.team, &a, "padded").await?.expect(200)?;
    let found = statements(&padded);
    assert_eq!(found.len(), 3, "{padded}");
    assert!(
        found.iter().all(|s| s.starts_with("Strategy discussions")),
        "{padded}"
    );
    // Only what the panel shows leaves: no other texts, factors or recommendations.
    let first = &padded["suggestions"][0];
    for field in [
        "inCase",
        "matters",
        "factors",
        "recommendations",
        "setId",
        "questions",
    ] {
        assert!(first.get(field).is_none(), "{field}: {first}");
    }
    // A finding with no words and no category looks nothing up, and says why.
    let empty = seen_before(&cast.team, &a, "empty").await?.expect(200)?;
    assert!(statements(&empty).is_empty());
    assert!(
        empty["message"]
            .as_str()
            .is_some_and(|m| m.contains("statement")),
        "{empty}"
    );

    // The case group, board members and observers may not look; anyone outside the
    // review, a missing finding and a token get nothing.
    for person in [&cast.case, &cast.board, &cast.observer] {
        seen_before(person, &a, "rare").await?.expect(403)?;
    }
    seen_before(&cast.outsider, &a, "rare").await?.expect(404)?;
    seen_before(&cast.team, &a, "no-such-finding")
        .await?
        .expect(404)?;
    give_role(&cast, &cast.outsider, json!("analyst")).await?;
    seen_before(&cast.outsider, &a, "rare").await?.expect(404)?;
    let token = board_tests::api::ApiClient::with_token(&server, &server.access.token);
    let answer = token
        .get(&format!(
            "/api/reviews/{}/findings/rare/seen-before",
            server.access.review
        ))
        .await?;
    assert!(matches!(answer.status, 403 | 404), "{answer:?}");
    server.assert_healthy();
    Ok(())
}
