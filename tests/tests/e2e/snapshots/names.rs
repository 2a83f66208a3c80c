//! Names a report must not hold: replaced however they are typed (also in the label and
//! the taker's name), found by the pre-publication check when nobody registered them,
//! and an unclean export refused until a lead confirms it.

use anyhow::Result;
use board_tests::{api::ApiClient, board as b};
use serde_json::{Value, json};

use super::{audit_of, built_agreed, check, export, lead, register, take_id, word::docx_text};
use crate::support::{Backend, both_databases, server};

both_databases!(
    names_in_the_label_and_the_takers_name_are_replaced_however_typed,
    the_check_finds_a_name_nobody_registered,
    an_unclean_export_is_refused_until_a_lead_confirms,
    a_name_is_registered_once_however_typed_and_however_raced,
);

/// The attack: the snapshot's label and the name of the one who took it went into every
/// export verbatim, and names typed with a no-break space, a soft hyphen, a double
/// space, a line break, a decomposed accent or a typographic apostrophe were not
/// replaced.
async fn names_in_the_label_and_the_takers_name_are_replaced_however_typed(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = built_agreed(&server).await?;
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " Zoe\u{0308}\u{00A0}Hart was seen with Sean O\u{2019}Brien. ZOË  HART\nsaid so. \
         Zo\u{00AD}\u{00EB} Hart\u{2019}s school and Sean\u{200B} O'Brien agreed.",
    );
    client.wait("echoes", |s| s.updates >= 10).await?;
    register(&server, "Zoë Hart", "Child A").await?;
    register(&server, "Sean O'Brien", "Father").await?;
    register(&server, "Karen Whitlow", "the lead reviewer").await?;
    // The lead who takes the snapshot is named Karen Whitlow, and names the snapshot.
    let taker = board_tests::server::board_command(
        &board_tests::server::board_binary(),
        &server.database_url,
        &[
            "token",
            "create",
            "--review",
            &server.access.review,
            "--role",
            "lead_reviewer",
            "--label",
            "Karen Whitlow",
        ],
        "",
    )
    .await?;
    let taken = ApiClient::with_token(&server, &taker)
        .post(
            &format!("/api/reviews/{}/snapshots", server.access.review),
            json!({"label": "After Zo\u{00EB}\u{00A0}Hart\u{2019}s visit with Sean O'Brien"}),
        )
        .await?
        .expect(201)?;
    let id = taken["id"].as_str().unwrap_or_default().to_string();

    let result = check(&server, &id).await?;
    assert_eq!(result["remaining"], json!([]), "{result}");
    let count = |term: &str| {
        result["replaced"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["term"] == term)
            .and_then(|r| r["count"].as_u64())
    };
    assert_eq!(count("Zoë Hart"), Some(4), "{result}");
    assert_eq!(count("Sean O'Brien"), Some(3), "{result}");
    assert_eq!(count("Karen Whitlow"), Some(1), "{result}");

    for format in ["md", "html", "json", "docx"] {
        let (status, _, body) = export(
            &server,
            &server.access.token,
            &id,
            &format!("format={format}"),
        )
        .await?;
        assert_eq!(status, 200, "{format}: {}", String::from_utf8_lossy(&body));
        let text = if format == "docx" {
            docx_text(&body)?
        } else {
            String::from_utf8(body)?
        };
        for name in ["Hart", "HART", "Whitlow", "Brien", "Karen", "Sean"] {
            assert!(!text.contains(name), "{format}: {name} in {text}");
        }
        for pseudonym in ["Child A", "Father", "the lead reviewer"] {
            assert!(
                text.contains(pseudonym),
                "{format}: no {pseudonym} in {text}"
            );
        }
    }
    // Nor does the audit trail repeat the names of the label.
    let audit = audit_of(&server).await?.to_string();
    assert!(
        !audit.contains("Hart") && !audit.contains("Brien"),
        "{audit}"
    );
    server.assert_healthy();
    Ok(())
}

/// The attack: a lead registered the child and the mother but not the father, and the
/// check said "Passed. Ready to publish" with the father's full name in the report.
async fn the_check_finds_a_name_nobody_registered(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = built_agreed(&server).await?;
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " Jane Smith said Darren Pryce had moved back in with Zoe Smith.",
    );
    b::append_text(
        &client.doc,
        "episodes",
        "e2",
        "appraisal",
        " Nobody asked Darren Pryce about it.",
    );
    b::append_text(
        &client.doc,
        "findings",
        "g1",
        "inCase",
        " Darren Pryce's history was not shared.",
    );
    client.wait("echoes", |s| s.updates >= 12).await?;
    register(&server, "Jane Smith", "Mother").await?;
    register(&server, "Zoe Smith", "Child A").await?;
    let id = take_id(&server, "Final").await?;
    let result = check(&server, &id).await?;
    assert_eq!(result["ok"], false, "{result}");
    assert_eq!(result["remaining"], json!([]), "{result}");
    let possible = result["possible"].as_array().cloned().unwrap_or_default();
    assert_eq!(possible.len(), 1, "{result}");
    assert_eq!(possible[0]["text"], "Darren Pryce");
    assert_eq!(possible[0]["kind"], "name");
    assert_eq!(possible[0]["count"], 3);
    let summary = result["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("no registered name or flagged term remains")
            && summary.contains("1 possible name or identifying detail to review"),
        "{summary}"
    );
    assert!(!summary.to_lowercase().contains("ready"), "{summary}");

    // Registered, the father is replaced and the check is clean.
    register(&server, "Darren Pryce", "Father").await?;
    let result = check(&server, &id).await?;
    assert_eq!(result["ok"], true, "{result}");
    assert_eq!(result["possible"], json!([]));
    server.assert_healthy();
    Ok(())
}

async fn an_unclean_export_is_refused_until_a_lead_confirms(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = built_agreed(&server).await?;
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " The family lived at 14 Larkspur Close, LS6 2QT, and Darren Pryce (DOB 03/04/1988) \
         gave 07700 900123.",
    );
    client.wait("echoes", |s| s.updates >= 10).await?;
    let id = take_id(&server, "Final").await?;

    let (status, _, body) = export(&server, &server.access.token, &id, "format=md").await?;
    assert_eq!(status, 409);
    let refused: Value = serde_json::from_slice(&body)?;
    assert_eq!(refused["error"], "check_not_clean");
    let mut kinds: Vec<(String, String)> = refused["possible"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["kind"].as_str().unwrap_or_default().to_string(),
                p["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec![
            ("address".to_string(), "Larkspur Close".to_string()),
            ("date_of_birth".to_string(), "03/04/1988".to_string()),
            ("name".to_string(), "Darren Pryce".to_string()),
            ("phone".to_string(), "07700 900123".to_string()),
            ("postcode".to_string(), "LS6 2QT".to_string()),
        ],
        "{refused}"
    );
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or_default()
            .contains("5 possible names or identifying details to review"),
        "{refused}"
    );

    // Only a lead may confirm; a review team member may not.
    let member = server.token_for("review_team_member").await?;
    let (status, _, _) = export(&server, &member, &id, "format=md").await?;
    assert_eq!(status, 409);
    let (status, _, _) = export(&server, &member, &id, "format=md&confirm=unreviewed").await?;
    assert_eq!(status, 403);
    let audit = audit_of(&server).await?;
    let actions = |audit: &Value, action: &str| {
        audit
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["action"] == action)
            .count()
    };
    assert_eq!(
        actions(&audit, "report_exported"),
        0,
        "refused exports are not exports"
    );

    // A lead's confirmation exports, and the trail records it without the names.
    let (status, kind, body) = export(
        &server,
        &server.access.token,
        &id,
        "format=md&confirm=unreviewed",
    )
    .await?;
    assert_eq!(status, 200);
    assert!(kind.contains("markdown"), "{kind}");
    assert!(String::from_utf8(body)?.contains("Darren Pryce"));
    let audit = audit_of(&server).await?;
    assert_eq!(actions(&audit, "unreviewed_export_confirmed"), 1, "{audit}");
    assert_eq!(actions(&audit, "report_exported"), 1, "{audit}");
    // The words of the trail (not its times or ids, whose digits may hold anything).
    let words: String = audit
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| format!("{} {} ", e["detail"], e["field"]))
        .collect();
    for detail in ["Pryce", "Larkspur", "2QT", "1988", "900123"] {
        assert!(!words.contains(detail), "{detail} in {audit}");
    }

    // Once everything is registered or marked safe, the export needs no confirmation.
    register(&server, "Darren Pryce", "Father").await?;
    register(&server, "Larkspur Close", "the family home").await?;
    register(&server, "03/04/1988", "(date of birth)").await?;
    register(&server, "07700 900123", "(phone number)").await?;
    lead(&server)
        .post(
            &format!("/api/reviews/{}/safe-terms", server.access.review),
            json!({"term": "LS6 2QT"}),
        )
        .await?
        .expect(201)?;
    let safe = lead(&server)
        .get(&format!("/api/reviews/{}/safe-terms", server.access.review))
        .await?
        .expect(200)?;
    assert_eq!(safe[0]["term"], "LS6 2QT");
    let result = check(&server, &id).await?;
    assert_eq!(result["ok"], true, "{result}");
    let (status, _, body) = export(&server, &member, &id, "format=md").await?;
    assert_eq!(status, 200);
    assert!(!String::from_utf8(body)?.contains("Pryce"));
    let audit = audit_of(&server).await?;
    assert_eq!(actions(&audit, "unreviewed_export_confirmed"), 1);
    assert_eq!(actions(&audit, "safe_term_added"), 1);
    assert!(!audit.to_string().contains("LS6"), "{audit}");
    server.assert_healthy();
    Ok(())
}

/// A name already in the register, typed again in another case, spacing or accent, is
/// refused (409) rather than stored twice; two leads adding one name at the same moment
/// store it once.
async fn a_name_is_registered_once_however_typed_and_however_raced(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let r = server.access.review.clone();
    let path = format!("/api/reviews/{r}/register");
    lead(&server)
        .post(&path, json!({"term": "Zoë Smith", "pseudonym": "Child A"}))
        .await?
        .expect(201)?;
    for typed in ["zoë smith", "Zoe\u{0308}  Smith", "ZOË SMITH"] {
        let answer = lead(&server)
            .post(&path, json!({"term": typed, "pseudonym": "Child B"}))
            .await?;
        assert_eq!(answer.status, 409, "{typed}: {}", answer.body);
    }
    let (first, second) = (lead(&server), lead(&server));
    let (a, b) = tokio::join!(
        first.post(
            &path,
            json!({"term": "Oakfield School", "pseudonym": "a school"})
        ),
        second.post(
            &path,
            json!({"term": "oakfield school", "pseudonym": "the school"})
        ),
    );
    let mut statuses = [a?.status, b?.status];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
    let register = lead(&server).get(&path).await?.expect(200)?;
    assert_eq!(register.as_array().map(Vec::len), Some(2), "{register}");
    server.assert_healthy();
    Ok(())
}
