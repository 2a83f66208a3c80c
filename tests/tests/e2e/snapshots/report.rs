//! The exported report: a valid Word document (and HTML, Markdown and JSON) with no
//! real names, Markdown that cannot carry HTML or links, and a .docx that holds no
//! control characters.

use anyhow::Result;
use board_tests::{api::ApiClient, board as b};
use serde_json::json;

use super::{built, built_agreed, export, lead, take_id, word::docx_text};
use crate::support::{Backend, both_databases, server};

both_databases!(
    the_report_is_a_valid_word_document_without_real_names,
    the_markdown_is_escaped_and_the_docx_holds_no_control_characters,
    a_report_says_what_the_review_said_when_its_snapshot_was_taken,
    a_report_names_who_took_part_by_role_and_agency_only,
    a_report_holds_agreed_work_unless_a_lead_includes_the_rest,
);

/// A lead exported a report holding every candidate episode and draft finding as if
/// agreed: a report now holds agreed work, and a lead's choice adds the rest, marked.
async fn a_report_holds_agreed_work_unless_a_lead_includes_the_rest(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = built(&server).await?;
    b::set_field(&client.doc, "episodes", "e2", "status", "checked");
    client.wait("echoes", |s| s.updates >= 7).await?;
    let id = take_id(&server, "Meeting 2").await?;
    let md = |query: &'static str| {
        let (server, id) = (&server, id.clone());
        async move {
            let (status, _, body) = export(server, &server.access.token, &id, query).await?;
            anyhow::ensure!(status == 200, "{query}: {}", String::from_utf8_lossy(&body));
            Ok::<_, anyhow::Error>(String::from_utf8(body)?)
        }
    };
    let agreed = md("format=md&confirm=unreviewed").await?;
    assert!(
        agreed.contains("Episode E2\\: Strategy discussion\n"),
        "{agreed}"
    );
    assert!(!agreed.contains("Health visit, March"), "{agreed}");
    assert!(!agreed.contains("Agencies rely on memory"), "{agreed}");
    assert!(
        agreed.contains("1 candidate episode the review team has not agreed is not included."),
        "{agreed}"
    );
    assert!(agreed.contains("No findings were agreed."), "{agreed}");
    assert!(agreed.contains("1 draft finding the review team has not agreed is not included."));

    let all = md("format=md&confirm=unreviewed&drafts=true").await?;
    assert!(
        all.contains("Episode E1\\: Health visit, March \\(candidate, not yet agreed\\)"),
        "{all}"
    );
    assert!(all.contains("Episode E2\\: Strategy discussion\n"), "{all}");
    assert!(all.contains("\\(draft, not yet agreed\\)"), "{all}");
    assert!(!all.contains("not included"), "{all}");

    // Only a lead includes what was not agreed; the check reads the same texts.
    let member = server.token_for("review_team_member").await?;
    let (status, _, _) = export(&server, &member, &id, "format=md&drafts=true").await?;
    assert_eq!(status, 403);
    let r = &server.access.review;
    let check = |query: &'static str| {
        let (server, id) = (&server, id.clone());
        async move {
            lead(server)
                .get(&format!("/api/reviews/{r}/snapshots/{id}/check{query}"))
                .await?
                .expect(200)
        }
    };
    check("").await?;
    check("?drafts=true").await?;
    server.assert_healthy();
    Ok(())
}

async fn a_report_names_who_took_part_by_role_and_agency_only(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = board_tests::cast::Cast::new(&server).await?;
    let r = cast.review.clone();
    let snapshot = cast
        .lead
        .api
        .post(
            &format!("/api/reviews/{r}/snapshots"),
            json!({"label": "Meeting 1"}),
        )
        .await?
        .expect(201)?;
    let id = snapshot["id"].as_str().unwrap_or_default();
    let md = cast
        .lead
        .api
        .get(&format!(
            "/api/reviews/{r}/snapshots/{id}/export?format=md&confirm=unreviewed"
        ))
        .await?;
    assert_eq!(md.status, 200, "{}", md.body);
    let text = md
        .body
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| md.body.to_string());
    assert!(
        text.contains("## The review team and the case group"),
        "{text}"
    );
    assert!(text.contains("- Review team\\: Police"), "{text}");
    assert!(text.contains("- Case group\\: Health visiting"), "{text}");
    // (The provenance names who took the snapshot, which the check lists.)
    for name in ["Rita Team", "Cary Case", "Bob Board", "Olive Observer"] {
        assert!(!text.contains(name), "{name} in {text}");
    }

    // Naming them is a lead's choice: the review team may not, a lead may, and then the
    // board and observers (who took no part) are still not named.
    let named = format!("/api/reviews/{r}/snapshots/{id}/export?format=md&names=true");
    assert_eq!(cast.team.api.get(&named).await?.status, 403);
    assert_eq!(
        cast.team
            .api
            .get(&format!("/api/reviews/{r}/snapshots/{id}/check?names=true"))
            .await?
            .status,
        403
    );
    let md = cast
        .lead
        .api
        .get(&format!("{named}&confirm=unreviewed"))
        .await?;
    assert_eq!(md.status, 200, "{}", md.body);
    let text = md.body.as_str().unwrap_or_default().to_string();
    for name in ["Rita Team", "Cary Case", "Alex Lead"] {
        assert!(text.contains(name), "{name} missing from {text}");
    }
    for name in ["Bob Board", "Olive Observer"] {
        assert!(!text.contains(name), "{name} in {text}");
    }
    server.assert_healthy();
    Ok(())
}

/// Editing the review after a snapshot changed that snapshot's report: its details are
/// now frozen with it.
async fn a_report_says_what_the_review_said_when_its_snapshot_was_taken(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = built_agreed(&server).await?;
    client.wait("echoes", |s| s.updates >= 9).await?;
    let r = server.access.review.clone();
    let details =
        |terms: &str, questions: &str| json!({"terms_of_reference": terms, "questions": questions});
    lead(&server)
        .patch(
            &format!("/api/reviews/{r}"),
            details("Scope agreed in March.", "Why was the referral closed?"),
        )
        .await?
        .expect(200)?;
    let march = take_id(&server, "Meeting 1").await?;
    lead(&server)
        .patch(
            &format!("/api/reviews/{r}"),
            details("Scope widened in June.", "How did agencies share records?"),
        )
        .await?
        .expect(200)?;
    let june = take_id(&server, "Meeting 2").await?;

    let report = |id: String| {
        let server = &server;
        async move {
            let (status, _, body) = export(server, &server.access.token, &id, "format=md").await?;
            anyhow::ensure!(status == 200, "{}", String::from_utf8_lossy(&body));
            Ok::<_, anyhow::Error>(String::from_utf8(body)?)
        }
    };
    let first = report(march).await?;
    assert!(first.contains("Scope agreed in March."), "{first}");
    assert!(first.contains("Why was the referral closed?"), "{first}");
    assert!(
        !first.contains("June") && !first.contains("share records"),
        "{first}"
    );
    // The file is named after the case, the kind of review, draft, and the day.
    let response = reqwest::Client::new()
        .get(format!(
            "http://{}/api/reviews/{r}/snapshots/{june}/export?format=md",
            server.addr
        ))
        .bearer_auth(&server.access.token)
        .send()
        .await?;
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"test-review-lcspr-report-draft-20")
            && disposition.ends_with(".md\""),
        "{disposition}"
    );
    let second = report(june).await?;
    assert!(second.contains("Scope widened in June."), "{second}");
    assert!(!second.contains("agreed in March"), "{second}");
    server.assert_healthy();
    Ok(())
}

async fn the_report_is_a_valid_word_document_without_real_names(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = built_agreed(&server).await?;
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " Jane Smith told the health visitor about Oak Road.",
    );
    b::append_text(
        &client.doc,
        "findings",
        "g1",
        "inCase",
        " JANE SMITH's GP at St Anne's Surgery was not asked.",
    );
    client.wait("echoes", |s| s.updates >= 11).await?;
    let r = server.access.review.clone();
    let api = lead(&server);
    for (term, pseudonym) in [
        ("Jane Smith", "Mother"),
        ("Oak Road", "the family home"),
        ("St Anne's Surgery", ""),
    ] {
        api.post(
            &format!("/api/reviews/{r}/register"),
            json!({"term": term, "pseudonym": pseudonym}),
        )
        .await?
        .expect(201)?;
    }
    let id = take_id(&server, "Final").await?;

    // A flagged term remains, so the check is not clean: the lead confirms each export.
    let download = |format: &str| {
        let url = format!(
            "http://{}/api/reviews/{r}/snapshots/{id}/export?format={format}&confirm=unreviewed",
            server.addr
        );
        let token = server.access.token.clone();
        async move {
            let response = reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await?;
            anyhow::ensure!(
                response.status() == 200,
                "export answered {}",
                response.status()
            );
            let kind = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            Ok::<_, anyhow::Error>((kind, response.bytes().await?.to_vec()))
        }
    };
    let (kind, docx) = download("docx").await?;
    assert!(kind.contains("wordprocessingml"), "{kind}");
    let text = docx_text(&docx)?;
    for expected in [
        "Agencies rely on memory of past concerns",
        "Health visit, March",
        "Review questions",
        "Methodology",
        "Mother",
        "the family home",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the report: {text}"
        );
    }
    assert!(
        !text.to_lowercase().contains("jane smith"),
        "a real name in the report: {text}"
    );
    assert!(!text.contains("Oak Road"));
    for format in ["html", "md", "json"] {
        let (_, bytes) = download(format).await?;
        let body = String::from_utf8(bytes)?;
        assert!(
            body.contains("Agencies rely on memory of past concerns"),
            "{format}"
        );
        assert!(
            !body.to_lowercase().contains("jane smith"),
            "{format}: {body}"
        );
    }
    // The check names the flagged term that is still there, and where.
    let check = api
        .get(&format!("/api/reviews/{r}/snapshots/{id}/check"))
        .await?
        .expect(200)?;
    assert_eq!(check["ok"], false);
    assert_eq!(check["remaining"][0]["term"], "St Anne's Surgery");
    assert_eq!(check["remaining"][0]["kind"], "flagged");
    let replaced: Vec<(String, u64)> = check["replaced"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["term"].as_str().unwrap_or_default().to_string(),
                e["count"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        replaced.contains(&("Jane Smith".to_string(), 2)),
        "{replaced:?}"
    );
    // Exports are in the audit trail, without the names.
    let audit = api
        .get(&format!("/api/reviews/{r}/audit"))
        .await?
        .expect(200)?;
    let exports = audit
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["action"] == "report_exported")
        .count();
    assert_eq!(exports, 4);
    assert!(!audit.to_string().contains("Jane Smith"));
    // A read-only role may not export, nor read the register.
    let observer = ApiClient::with_token(&server, &server.token_for("observer").await?);
    assert_eq!(
        observer
            .get(&format!("/api/reviews/{r}/snapshots/{id}/export?format=md"))
            .await?
            .status,
        403
    );
    assert_eq!(
        observer
            .get(&format!("/api/reviews/{r}/register"))
            .await?
            .status,
        403
    );
    assert_eq!(
        observer
            .get(&format!("/api/reviews/{r}/snapshots/{id}"))
            .await?
            .status,
        200
    );
    server.assert_healthy();
    Ok(())
}

/// The attack: the Markdown export passed raw HTML and `javascript:` links through, and
/// a control character in a field made the .docx unreadable by Word.
async fn the_markdown_is_escaped_and_the_docx_holds_no_control_characters(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = built_agreed(&server).await?;
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " <script>alert(1)</script> [open](javascript:alert(2)) <javascript:alert(3)> \
         <img src=x onerror=alert(4)> bell\u{0007} escape\u{001B} nul\u{0000} end\u{FFFF}.",
    );
    client.wait("echoes", |s| s.updates >= 10).await?;
    let id = take_id(&server, "Final").await?;
    let (status, _, body) = export(&server, &server.access.token, &id, "format=md").await?;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let md = String::from_utf8(body)?;
    // Every character that could open HTML or a link is escaped.
    let chars: Vec<char> = md.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '<' | '>' | '[' | ']' | '(' | ')') {
            assert_eq!(
                chars.get(i.wrapping_sub(1)),
                Some(&'\\'),
                "{c} at {i} in {md}"
            );
        }
    }
    assert!(
        md.contains("\\<script\\>") && md.contains("javascript\\:alert"),
        "{md}"
    );
    assert!(md.contains("alert"), "the words stay, as text: {md}");
    assert!(
        !md.contains('\u{0007}') && !md.contains('\u{0000}'),
        "{md:?}"
    );

    let (status, _, docx) = export(&server, &server.access.token, &id, "format=docx").await?;
    assert_eq!(status, 200);
    let text = docx_text(&docx)?;
    assert!(text.contains("bell escape nul end."), "{text}");
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    server.assert_healthy();
    Ok(())
}
