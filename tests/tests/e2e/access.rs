//! Access: who may open which document and call which route, on both databases; tokens
//! on the websocket; read-only roles; origins and cross-site requests; sign-in, lockout
//! and the first administrator; invitations; the audit trail.

use std::time::Duration;

use anyhow::{Context, Result, anyhow, ensure};
use board_tests::{
    api::{ApiClient, Person, admin, invite},
    client::handshake_status,
};
use serde_json::{Value, json};
use yrs::{Doc, Map, MapPrelim, Text, TextPrelim, Transact};

use crate::support::{
    Backend, TestDb, TestServer, YClient, both_databases, eventually, poll_until, server,
};

both_databases!(
    every_role_against_every_route_and_document,
    websocket_refuses_missing_bad_expired_revoked_and_foreign_tokens,
    read_only_roles_receive_but_their_updates_are_refused,
    an_edit_is_attributed_to_its_author_in_the_history,
    the_audit_trail_cannot_be_changed,
    invitations_are_single_use_and_expire,
    open_connections_close_when_access_changes,
    access_changed_behind_the_servers_back_is_found_by_the_periodic_recheck,
);

/// The only time bound on waiting for the server to change its answer: generous, so a
/// slow machine waits longer instead of failing.
const PATIENCE: Duration = Duration::from_secs(60);

/// Everyone a review can have, plus a stranger (in another review) and nobody.
struct Cast {
    review: String,
    lead: Person,
    team: Person,
    case: Person,
    board: Person,
    observer: Person,
    outsider: Person,
    temp: Person,
}

async fn cast(server: &TestServer) -> Result<Cast> {
    let lead = admin(server, "Alex Lead").await?;
    let review = lead
        .api
        .post(
            "/api/reviews",
            json!({"title": "Child A", "case_ref": "Child A", "variant": "full"}),
        )
        .await?
        .expect(201)?["id"]
        .as_str()
        .ok_or_else(|| anyhow!("no review id"))?
        .to_string();
    let join = |role: &'static str, name: &'static str, agency: &'static str| {
        let review = review.clone();
        let lead = &lead.api;
        async move { invite(server, lead, &review, role, name, agency).await }
    };
    let team = join("review_team_member", "Rita Team", "Police").await?;
    let case = join("case_group_member", "Cary Case", "Health visiting").await?;
    let board = join("board_member", "Bob Board", "Safeguarding partnership").await?;
    let observer = join("observer", "Olive Observer", "SCIE").await?;
    let temp = join("observer", "Tess Temp", "Education").await?;
    let other = lead
        .api
        .post("/api/reviews", json!({"title": "Another review"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .ok_or_else(|| anyhow!("no review id"))?
        .to_string();
    let outsider = invite(
        server,
        &lead.api,
        &other,
        "review_team_member",
        "Nina Outsider",
        "Probation",
    )
    .await?;
    Ok(Cast {
        review,
        lead,
        team,
        case,
        board,
        observer,
        outsider,
        temp,
    })
}

/// Who may call a route.
#[derive(Clone, Copy, Debug)]
enum Allowed {
    /// Any signed-in caller.
    AnyoneSignedIn,
    /// Anyone in the review.
    Members,
    /// Lead reviewers of the review.
    Leads,
    /// Lead reviewers and review team members.
    LeadsAndTeam,
    /// Lead reviewers signed in as themselves: not with an access token, so no
    /// credential can mint another that outlives it.
    LeadPeople,
    /// Administrators.
    Admins,
}

async fn every_role_against_every_route_and_document(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = cast(&server).await?;
    let r = &cast.review;
    let lead = &cast.lead.api;

    // Things the lead's successful calls use up.
    let invitation = lead
        .post(
            &format!("/api/reviews/{r}/invitations"),
            json!({"role": "observer"}),
        )
        .await?
        .expect(201)?["invitation"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let token = lead
        .post(
            &format!("/api/reviews/{r}/tokens"),
            json!({"role": "observer", "label": "to revoke"}),
        )
        .await?
        .expect(201)?["token"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let meetings = lead
        .get(&format!("/api/reviews/{r}/meetings"))
        .await?
        .expect(200)?;
    let meeting = |i: usize| meetings[i]["id"].as_str().unwrap_or_default().to_string();
    let (edited_meeting, deleted_meeting) = (meeting(0), meeting(1));
    lead.post(
        &format!("/api/reviews/{r}/documents"),
        json!({"slug": "cary", "title": "Conversation with Cary", "participants": [cast.case.user_id]}),
    )
    .await?
    .expect(201)?;

    let snapshot = lead
        .post(
            &format!("/api/reviews/{r}/snapshots"),
            json!({"label": "For the matrix"}),
        )
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let entry = lead
        .post(
            &format!("/api/reviews/{r}/register"),
            json!({"term": "Jane Smith", "pseudonym": "Mother"}),
        )
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let s = format!("/api/reviews/{r}/snapshots/{snapshot}");
    // The lead reviews what the pre-publication check lists (the people's names in the
    // provenance), so that exporting is not refused.
    let listed = lead.get(&format!("{s}/check")).await?.expect(200)?;
    for possible in listed["possible"].as_array().into_iter().flatten() {
        lead.post(
            &format!("/api/reviews/{r}/safe-terms"),
            json!({"term": possible["text"]}),
        )
        .await?
        .expect(201)?;
    }
    let safe_term = lead
        .post(
            &format!("/api/reviews/{r}/safe-terms"),
            json!({"term": "Front Door"}),
        )
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let routes: Vec<(&str, String, Option<Value>, Allowed, u16)> = vec![
        ("GET", "/api/me".into(), None, Allowed::AnyoneSignedIn, 200),
        (
            "GET",
            "/api/reviews".into(),
            None,
            Allowed::AnyoneSignedIn,
            200,
        ),
        (
            "POST",
            "/api/reviews".into(),
            Some(json!({"title": "New"})),
            Allowed::Admins,
            201,
        ),
        (
            "GET",
            format!("/api/reviews/{r}"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "PATCH",
            format!("/api/reviews/{r}"),
            Some(json!({"phase": "analysis"})),
            Allowed::Leads,
            200,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/members"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "PUT",
            format!("/api/reviews/{r}/members/{}", cast.team.user_id),
            Some(json!({"role": "review_team_member"})),
            Allowed::Leads,
            200,
        ),
        (
            "DELETE",
            format!("/api/reviews/{r}/members/{}", cast.temp.user_id),
            None,
            Allowed::Leads,
            204,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/invitations"),
            None,
            Allowed::Leads,
            200,
        ),
        (
            "POST",
            format!("/api/reviews/{r}/invitations"),
            Some(json!({"role": "observer"})),
            Allowed::LeadPeople,
            201,
        ),
        (
            "DELETE",
            format!("/api/reviews/{r}/invitations/{invitation}"),
            None,
            Allowed::LeadPeople,
            204,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/tokens"),
            None,
            Allowed::Leads,
            200,
        ),
        (
            "POST",
            format!("/api/reviews/{r}/tokens"),
            Some(json!({"role": "observer"})),
            Allowed::LeadPeople,
            201,
        ),
        (
            "DELETE",
            format!("/api/reviews/{r}/tokens/{token}"),
            None,
            Allowed::LeadPeople,
            204,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/meetings"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "POST",
            format!("/api/reviews/{r}/meetings"),
            Some(json!({"kind": "other", "title": "Extra meeting"})),
            Allowed::Leads,
            201,
        ),
        (
            "PATCH",
            format!("/api/reviews/{r}/meetings/{edited_meeting}"),
            Some(json!({"closed": true, "mode": "hybrid"})),
            Allowed::Leads,
            200,
        ),
        (
            "DELETE",
            format!("/api/reviews/{r}/meetings/{deleted_meeting}"),
            None,
            Allowed::Leads,
            204,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/documents"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "POST",
            format!("/api/reviews/{r}/documents"),
            Some(json!({"slug": "second", "title": "Notes", "participants": []})),
            Allowed::Leads,
            201,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/history?entity=e1"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/audit"),
            None,
            Allowed::Leads,
            200,
        ),
        (
            "PUT",
            format!("/api/reviews/{r}/notes/second"),
            Some(json!({"title": "Notes", "participants": [cast.team.user_id]})),
            Allowed::Leads,
            200,
        ),
        ("GET", "/api/audit".into(), None, Allowed::Admins, 200),
        (
            "GET",
            format!("/api/reviews/{r}/snapshots"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "POST",
            format!("/api/reviews/{r}/snapshots"),
            Some(json!({"label": "After"})),
            Allowed::Leads,
            201,
        ),
        ("GET", s.clone(), None, Allowed::Members, 200),
        ("GET", format!("{s}/state"), None, Allowed::Members, 200),
        (
            "GET",
            format!("/api/reviews/{r}/compare?from={snapshot}&to=live"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "GET",
            format!("{s}/export?format=md"),
            None,
            Allowed::LeadsAndTeam,
            200,
        ),
        ("GET", format!("{s}/check"), None, Allowed::Leads, 200),
        (
            "GET",
            format!("/api/reviews/{r}/board"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "POST",
            format!("{s}/restore"),
            Some(json!({})),
            Allowed::Leads,
            200,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/register"),
            None,
            Allowed::Leads,
            200,
        ),
        (
            "POST",
            format!("/api/reviews/{r}/register"),
            Some(json!({"term": "Oak Road", "pseudonym": "the family home"})),
            Allowed::Leads,
            201,
        ),
        (
            "DELETE",
            format!("/api/reviews/{r}/register/{entry}"),
            None,
            Allowed::Leads,
            204,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/safe-terms"),
            None,
            Allowed::Leads,
            200,
        ),
        (
            "POST",
            format!("/api/reviews/{r}/safe-terms"),
            Some(json!({"term": "Children's Social Care"})),
            Allowed::Leads,
            201,
        ),
        (
            "DELETE",
            format!("/api/reviews/{r}/safe-terms/{safe_term}"),
            None,
            Allowed::Leads,
            204,
        ),
    ];

    let anonymous = ApiClient::anonymous(&server);
    let lead_token = ApiClient::with_token(
        &server,
        &server
            .command(
                &[
                    "token",
                    "create",
                    "--review",
                    r,
                    "--role",
                    "lead_reviewer",
                    "--label",
                    "lead script",
                ],
                "",
            )
            .await?,
    );
    // Least to most powerful, so the lead's successful (and destructive) calls come
    // before the lead's token finds what they removed gone.
    let callers: Vec<(&str, &ApiClient, bool, bool, bool)> = vec![
        // (name, client, member, lead, admin)
        ("nobody", &anonymous, false, false, false),
        ("outsider", &cast.outsider.api, false, false, false),
        ("observer", &cast.observer.api, true, false, false),
        ("board member", &cast.board.api, true, false, false),
        ("case group member", &cast.case.api, true, false, false),
        ("review team member", &cast.team.api, true, false, false),
        ("lead reviewer", lead, true, true, true),
        ("lead's token", &lead_token, true, true, false),
    ];
    let mut wrong = Vec::new();
    let mut table = String::new();
    for (method, path, body, allowed, success) in &routes {
        table.push_str(&format!("{method:6} {path}\n"));
        let mut done = false;
        for (who, client, member, leads, is_admin) in &callers {
            let signed_in = *who != "nobody";
            let person = *who != "lead's token";
            let expected = if !signed_in {
                401
            } else {
                match allowed {
                    Allowed::AnyoneSignedIn => *success,
                    Allowed::Admins if *is_admin => *success,
                    Allowed::Admins => 403,
                    Allowed::Members
                    | Allowed::Leads
                    | Allowed::LeadsAndTeam
                    | Allowed::LeadPeople
                        if !member =>
                    {
                        404
                    }
                    Allowed::LeadsAndTeam if *leads || *who == "review team member" => *success,
                    Allowed::LeadsAndTeam => 403,
                    Allowed::Members => *success,
                    Allowed::Leads if *leads => *success,
                    Allowed::Leads => 403,
                    Allowed::LeadPeople if *leads && person => *success,
                    Allowed::LeadPeople => 403,
                }
            };
            // What an earlier caller deleted is gone; a slug an earlier caller took is
            // taken.
            let expected = match (done, expected == *success, *method) {
                (true, true, "DELETE") => 404,
                (true, true, "POST") if path.ends_with("/documents") => 409,
                _ => expected,
            };
            let method = reqwest::Method::from_bytes(method.as_bytes())?;
            let answer = client.call(method.clone(), path, body.clone()).await?;
            done |= answer.status == *success;
            table.push_str(&format!(
                "    {who:20} {} (expected {expected})\n",
                answer.status
            ));
            if answer.status != expected {
                wrong.push(format!(
                    "{who} {path}: {} {}, expected {expected}",
                    answer.status, answer.body
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{}\n\nfull matrix:\n{table}",
        wrong.join("\n")
    );

    // A review you may not see answers exactly like one that does not exist.
    let hidden = cast.outsider.api.get(&format!("/api/reviews/{r}")).await?;
    let missing = cast.outsider.api.get("/api/reviews/no-such-review").await?;
    assert_eq!(
        (hidden.status, &hidden.body),
        (missing.status, &missing.body)
    );

    // Documents over the websocket, signed in with the session cookie.
    let sync = |document: &str| format!("ws://{}/sync/{r}/{document}", server.addr);
    let people: Vec<(&str, &Person)> = vec![
        ("outsider", &cast.outsider),
        ("observer", &cast.observer),
        ("board member", &cast.board),
        ("case group member", &cast.case),
        ("review team member", &cast.team),
        ("lead reviewer", &cast.lead),
    ];
    let expect_ws: &[(&str, &[u16])] = &[
        // outsider, observer, board, case, team, lead
        ("board", &[404, 101, 101, 101, 101, 101]),
        ("notes/cary", &[404, 404, 404, 101, 404, 101]),
        ("notes/never-created", &[404, 404, 404, 404, 404, 404]),
        // Only the board and created notes exist.
        ("other", &[404, 404, 404, 404, 404, 404]),
        ("board/extra", &[404, 404, 404, 404, 404, 404]),
    ];
    for (document, statuses) in expect_ws {
        assert_eq!(
            handshake_status(&sync(document), &[]).await?,
            401,
            "nobody, {document}"
        );
        for ((who, person), expected) in people.iter().zip(statuses.iter()) {
            let cookie = person
                .api
                .cookie()
                .ok_or_else(|| anyhow!("{who} is not signed in"))?;
            let status = handshake_status(&sync(document), &[("cookie", &cookie)]).await?;
            assert_eq!(status, *expected, "{who} opening {document}");
        }
    }

    // Everyone in the review writes to the board; only the editing roles' words stay.
    let lead_cookie = lead.cookie().unwrap_or_default();
    let watcher =
        YClient::connect_with(&sync("board"), &[("cookie", &lead_cookie)], Doc::new()).await?;
    watcher.synced().await?;
    for (who, person) in people.iter().skip(1) {
        let cookie = person.api.cookie().unwrap_or_default();
        let client =
            YClient::connect_with(&sync("board"), &[("cookie", &cookie)], Doc::new()).await?;
        client.synced().await?;
        client.push("said", &format!("{who};"));
        if matches!(*who, "observer" | "board member") {
            client
                .wait("permission denied", |s| s.permission_denied.is_some())
                .await?;
        } else {
            let said = format!("{who};");
            eventually("the edit", Duration::from_secs(10), || {
                watcher.text("said").contains(&said)
            })
            .await?;
        }
        client.close().await;
    }
    let said = watcher.text("said");
    assert!(
        !said.contains("observer") && !said.contains("board member"),
        "{said}"
    );
    for who in ["case group member", "review team member", "lead reviewer"] {
        assert!(said.contains(who), "{who} missing from {said}");
    }
    server.assert_healthy();
    Ok(())
}

async fn websocket_refuses_missing_bad_expired_revoked_and_foreign_tokens(
    backend: Backend,
) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let review = server.access.review.clone();
    let url = |token: &str| format!("ws://{}/sync/{review}/board?token={token}", server.addr);

    assert_eq!(
        handshake_status(&format!("ws://{}/sync/{review}/board", server.addr), &[]).await?,
        401
    );
    assert_eq!(handshake_status(&url("bt_not-a-token"), &[]).await?, 401);
    assert_eq!(
        handshake_status(&url(&server.access.token), &[]).await?,
        101
    );
    // A bearer header works as well as the query.
    let bearer = format!("Bearer {}", server.access.token);
    let plain = format!("ws://{}/sync/{review}/board", server.addr);
    assert_eq!(
        handshake_status(&plain, &[("authorization", &bearer)]).await?,
        101
    );

    // Expired. The token is minted to last long enough to be used however slow the
    // machine, then the test ends its life by ageing it in the database, and waits for
    // the server to stop accepting it.
    let short = server
        .command(
            &[
                "token",
                "create",
                "--review",
                &review,
                "--role",
                "observer",
                "--label",
                "expiring",
                "--expires",
                "1h",
            ],
            "",
        )
        .await?;
    assert_eq!(handshake_status(&url(&short), &[]).await?, 101);
    let aged = db
        .execute(&format!(
            "update access_tokens set expires_at = 1 \
             where review_id = '{review}' and label = 'expiring'"
        ))
        .await?;
    ensure!(aged == 1, "{aged} tokens aged, not one");
    poll_until("the expired token to be refused", PATIENCE, || async {
        let status = handshake_status(&url(&short), &[]).await?;
        ensure!(status != 101, "still accepted");
        Ok(())
    })
    .await?;
    assert_eq!(handshake_status(&url(&short), &[]).await?, 401, "expired");

    // Revoked, through the API by a lead (a person: a token cannot mint or revoke).
    let lead = admin(&server, "Alex Lead").await?;
    let theirs = lead
        .api
        .post("/api/reviews", json!({"title": "Child E"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let minted = lead
        .api
        .post(
            &format!("/api/reviews/{theirs}/tokens"),
            json!({"role": "review_team_member", "label": "laptop"}),
        )
        .await?
        .expect(201)?;
    let secret = minted["secret"].as_str().unwrap_or_default().to_string();
    let id = minted["token"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let theirs_url = format!("ws://{}/sync/{theirs}/board?token={secret}", server.addr);
    assert_eq!(handshake_status(&theirs_url, &[]).await?, 101);
    lead.api
        .delete(&format!("/api/reviews/{theirs}/tokens/{id}"))
        .await?
        .expect(204)?;
    assert_eq!(handshake_status(&theirs_url, &[]).await?, 401, "revoked");

    // A token for another review: that review's documents only; this one looks missing.
    let other = server
        .command(&["review", "create", "--title", "Other"], "")
        .await?;
    let foreign = server
        .command(
            &[
                "token",
                "create",
                "--review",
                &other,
                "--role",
                "lead_reviewer",
            ],
            "",
        )
        .await?;
    assert_eq!(handshake_status(&url(&foreign), &[]).await?, 404, "foreign");
    let nowhere = format!(
        "ws://{}/sync/no-such-review/board?token={foreign}",
        server.addr
    );
    assert_eq!(
        handshake_status(&nowhere, &[]).await?,
        404,
        "no such review"
    );
    let own = format!("ws://{}/sync/{other}/board?token={foreign}", server.addr);
    assert_eq!(handshake_status(&own, &[]).await?, 101);
    // A name outside any review.
    let bare = format!(
        "ws://{}/sync/board?token={}",
        server.addr, server.access.token
    );
    assert_eq!(handshake_status(&bare, &[]).await?, 404);

    // Browsers' pages from elsewhere are refused; this server's own pages are not.
    let token_url = url(&server.access.token);
    assert_eq!(
        handshake_status(&token_url, &[("origin", "http://evil.example")]).await?,
        403
    );
    let own_origin = format!("http://{}", server.addr);
    assert_eq!(
        handshake_status(&token_url, &[("origin", &own_origin)]).await?,
        101
    );

    assert!(
        server
            .metric("board_connections_refused_total{reason=\"unauthenticated\"}")
            .await?
            >= 4.0
    );
    assert!(
        server
            .metric("board_connections_refused_total{reason=\"origin\"}")
            .await?
            >= 1.0
    );
    server.assert_healthy();
    Ok(())
}

async fn read_only_roles_receive_but_their_updates_are_refused(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let editor = YClient::connect(&server.ws_url("board")).await?;
    editor.synced().await?;
    editor.push("text", "agreed;");
    editor.wait("the echo", |s| s.updates >= 1).await?;
    let observer_token = server.token_for("observer").await?;
    let observer_access = board_tests::server::Access {
        review: server.access.review.clone(),
        token: observer_token,
    };
    let observer = YClient::connect(&server.ws_url_as(&observer_access, "board")).await?;
    observer.synced().await?;
    assert_eq!(observer.text("text"), "agreed;");

    // The observer's change is refused, and they are told why.
    observer.push("text", "observer was here;");
    observer
        .wait("permission denied", |s| s.permission_denied.is_some())
        .await?;
    assert!(
        observer
            .seen()
            .permission_denied
            .unwrap_or_default()
            .contains("read-only")
    );
    server
        .wait_metric("board_updates_refused_read_only_total", |v| v >= 1.0)
        .await?;

    // The room carries on: the editor's next edit reaches the observer, whose
    // connection stays open, and nobody else ever sees the refused change.
    editor.push("text", "next;");
    eventually(
        "the next edit at the observer",
        Duration::from_secs(10),
        || observer.text("text").contains("next;"),
    )
    .await?;
    assert!(observer.seen().closed.is_none());
    assert_eq!(editor.text("text"), "agreed;next;");
    server.restart().await?;
    let fresh = YClient::connect(&server.ws_url("board")).await?;
    fresh.synced().await?;
    assert_eq!(fresh.text("text"), "agreed;next;");
    server.assert_healthy();
    Ok(())
}

async fn an_edit_is_attributed_to_its_author_in_the_history(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = cast(&server).await?;
    let r = &cast.review;
    let url = format!("ws://{}/sync/{r}/board", server.addr);
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

    // Anyone in the review may read a row's history; it names Rita and her agency.
    let history = cast
        .observer
        .api
        .get(&format!("/api/reviews/{r}/history?entity=e1"))
        .await?
        .expect(200)?;
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

async fn invitations_are_single_use_and_expire(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = lead
        .api
        .post("/api/reviews", json!({"title": "Child B"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let make = |role: &'static str| {
        let api = &lead.api;
        let review = review.clone();
        async move {
            let created = api
                .post(
                    &format!("/api/reviews/{review}/invitations"),
                    json!({"role": role, "name": "Pat", "email": "pat@example.org"}),
                )
                .await?
                .expect(201)?;
            Ok::<_, anyhow::Error>((
                created["secret"].as_str().unwrap_or_default().to_string(),
                created["invitation"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ))
        }
    };
    let anonymous = ApiClient::anonymous(&server);

    // The preview says what it is for; accepting creates the account and signs it in.
    let (secret, _) = make("case_group_member").await?;
    let preview = anonymous
        .post("/api/invitations/preview", json!({"secret": secret}))
        .await?
        .expect(200)?;
    assert_eq!(preview["review_title"], "Child B");
    assert_eq!(preview["role"], "case_group_member");
    let pat = ApiClient::anonymous(&server);
    let short = pat
        .post(
            "/api/invitations/accept",
            json!({"secret": secret, "password": "short"}),
        )
        .await?;
    assert_eq!(short.status, 400, "{}", short.body);
    let accepted = pat
        .post(
            "/api/invitations/accept",
            json!({"secret": secret, "password": "a long enough password"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(accepted["role"], "case_group_member");
    assert_eq!(
        pat.get(&format!("/api/reviews/{review}"))
            .await?
            .expect(200)?["role"],
        "case_group_member"
    );
    // Used once: gone.
    let again = ApiClient::anonymous(&server);
    assert_eq!(
        again
            .post("/api/invitations/preview", json!({"secret": secret}))
            .await?
            .status,
        404
    );
    assert_eq!(
        again
            .post(
                "/api/invitations/accept",
                json!({"secret": secret, "password": "another long password", "email": "x@example.org"})
            )
            .await?
            .status,
        404
    );

    // A second invitation joins a signed-in account and raises its role.
    let (secret, _) = make("review_team_member").await?;
    let joined = pat
        .post("/api/invitations/accept", json!({"secret": secret}))
        .await?
        .expect(200)?;
    assert_eq!(joined["role"], "review_team_member");

    // Withdrawn.
    let (secret, id) = make("observer").await?;
    lead.api
        .delete(&format!("/api/reviews/{review}/invitations/{id}"))
        .await?
        .expect(204)?;
    assert_eq!(
        anonymous
            .post("/api/invitations/preview", json!({"secret": secret}))
            .await?
            .status,
        404
    );
    let listed = lead
        .api
        .get(&format!("/api/reviews/{review}/invitations"))
        .await?
        .expect(200)?;
    let withdrawn = listed
        .as_array()
        .and_then(|all| all.iter().find(|i| i["id"] == json!(id)))
        .cloned()
        .unwrap_or_default();
    assert!(withdrawn["withdrawn_at"].is_i64(), "{withdrawn}");

    // Expired (the shortest link lasts an hour; age this one in the database).
    let (secret, id) = make("observer").await?;
    db.execute(&format!(
        "update invitations set expires_at = 1 where id = '{id}'"
    ))
    .await?;
    assert_eq!(
        anonymous
            .post("/api/invitations/preview", json!({"secret": secret}))
            .await?
            .status,
        404
    );
    server.assert_healthy();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_locks_out_after_repeated_failures_and_limits_each_address() -> Result<()> {
    // The lock lasts long enough to be seen however slow the machine; the test ends it
    // by ageing it in the database.
    let (db, mut server) = server(
        Backend::Sqlite,
        &[
            "--lockout-after",
            "3",
            "--lockout",
            "10m",
            "--login-attempts-per-minute",
            "10",
        ],
    )
    .await?;
    let sam = admin(&server, "Sam Jones").await?;
    let anonymous = ApiClient::anonymous(&server);
    let attempt = |password: &str| {
        let body = json!({"email": sam.email, "password": password});
        let anonymous = &anonymous;
        async move { anonymous.post("/api/session", body).await }
    };
    // An unknown account and a wrong password look the same.
    let unknown = anonymous
        .post(
            "/api/session",
            json!({"email": "nobody@example.org", "password": "whatever it is"}),
        )
        .await?;
    assert_eq!(unknown.status, 401);
    for _ in 0..3 {
        let wrong = attempt("not the password").await?;
        assert_eq!(
            (wrong.status, &wrong.body["error"]),
            (401, &json!("bad_credentials"))
        );
        assert_eq!(wrong.body, unknown.body);
    }
    // Locked: even the right password is refused for a while, in the words an unknown
    // email gets (so a lock does not tell that the account exists).
    let locked = attempt(&sam.password).await?;
    assert_eq!(
        (locked.status, &locked.body),
        (401, &unknown.body),
        "{}",
        locked.body
    );
    // Once the lock's time has passed, the right password works again.
    db.execute(&format!(
        "update users set locked_until = 1 where email = '{}'",
        sam.email
    ))
    .await?;
    let password = sam.password.as_str();
    let attempt = &attempt;
    let ok = poll_until("the lock to end", PATIENCE, move || async move {
        let answer = attempt(password).await?;
        ensure!(answer.status != 401, "still locked: {}", answer.body);
        Ok(answer)
    })
    .await?;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let cookie = ok.set_cookie.unwrap_or_default();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");

    // Ten attempts a minute from one address, whichever accounts they try.
    let mut limited = false;
    for i in 0..12 {
        let answer = anonymous
            .post(
                "/api/session",
                json!({"email": format!("guess{i}@example.org"), "password": "guessing away"}),
            )
            .await?;
        if answer.status == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "login attempts were not rate-limited");

    // Administrators see the account activity: failures, the lockout, the sign-in. The
    // address may still be rate-limited: sign in as soon as it may try again.
    let admin_api = poll_until("the address to be allowed to sign in", PATIENCE, || {
        ApiClient::login(&server, &sam.email, &sam.password)
    })
    .await?;
    let activity = admin_api.get("/api/audit").await?.expect(200)?;
    let actions: Vec<&str> = activity
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    for action in [
        "login_failed",
        "login_refused_locked",
        "login",
        "administrator_created",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    server.assert_healthy();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_administrator_comes_from_a_one_time_link() -> Result<()> {
    let (_db, mut server) = server(
        Backend::Sqlite,
        &["--public-url", "https://board.example.org"],
    )
    .await?;
    let anonymous = ApiClient::anonymous(&server);
    assert_eq!(
        anonymous.get("/api/setup").await?.expect(200)?["needed"],
        true
    );
    let log = server.log_text();
    let code = log
        .split("setup#")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .context("the setup link is in the log")?
        .to_string();
    let body = |code: &str| json!({"code": code, "email": "first@example.org", "name": "First Admin", "password": "the very first password"});
    assert_eq!(
        anonymous
            .post("/api/setup", body("setup_wrong"))
            .await?
            .status,
        404
    );
    let created = anonymous.post("/api/setup", body(&code)).await?;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.body["is_admin"], true);
    // Served over https: the cookie is Secure.
    assert!(created.set_cookie.unwrap_or_default().contains("; Secure"));
    assert_eq!(
        anonymous.get("/api/setup").await?.expect(200)?["needed"],
        false
    );
    assert_eq!(
        ApiClient::anonymous(&server)
            .post("/api/setup", body(&code))
            .await?
            .status,
        404
    );
    // No default password anywhere: the only account is the one just made.
    let admin = ApiClient::login(&server, "first@example.org", "the very first password").await?;
    assert_eq!(
        admin.get("/api/me").await?.expect(200)?["user"]["name"],
        "First Admin"
    );
    server.assert_healthy();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_requests_sizes_passwords_and_sign_out() -> Result<()> {
    let (_db, mut server) = server(Backend::Sqlite, &[]).await?;
    let sam = admin(&server, "Sam Jones").await?;
    let own = format!("http://{}", server.addr);
    let create = json!({"title": "Child C"});

    // A page on another site cannot change anything with Sam's cookie.
    let evil = ApiClient::login(&server, &sam.email, &sam.password)
        .await?
        .from_origin("http://evil.example");
    let refused = evil.post("/api/reviews", create.clone()).await?;
    assert_eq!(
        (refused.status, &refused.body["error"]),
        (403, &json!("cross_site"))
    );
    assert_eq!(
        evil.get("/api/reviews").await?.status,
        200,
        "reading is not changing"
    );
    let same = ApiClient::login(&server, &sam.email, &sam.password)
        .await?
        .from_origin(&own);
    same.post("/api/reviews", create.clone())
        .await?
        .expect(201)?;
    let fetch_meta = sam
        .api
        .call(reqwest::Method::POST, "/api/reviews", Some(create.clone()))
        .await?;
    assert_eq!(fetch_meta.status, 201, "no Origin (a script): allowed");

    // Oversized bodies are refused.
    let huge = json!({"title": "x".repeat(100_000)});
    assert_eq!(sam.api.post("/api/reviews", huge).await?.status, 413);
    // API answers are never cached.
    let (status, _) = server.get("/api/setup").await?;
    assert_eq!(status, 200);

    // Changing the password ends other sessions; the old password stops working.
    let other_session = ApiClient::login(&server, &sam.email, &sam.password).await?;
    sam.api
        .put(
            "/api/me/password",
            json!({"current_password": sam.password, "new_password": "a brand new password"}),
        )
        .await?
        .expect(204)?;
    assert_eq!(other_session.get("/api/me").await?.status, 401);
    assert_eq!(
        sam.api.get("/api/me").await?.status,
        200,
        "this session stays"
    );
    assert!(
        ApiClient::login(&server, &sam.email, &sam.password)
            .await
            .is_err()
    );
    let renewed = ApiClient::login(&server, &sam.email, "a brand new password").await?;
    // Signing out ends the session for good.
    let cookie = renewed.cookie().unwrap_or_default();
    renewed.delete("/api/session").await?.expect(204)?;
    let status = reqwest::Client::new()
        .get(format!("http://{}/api/me", server.addr))
        .header("cookie", cookie)
        .send()
        .await?
        .status()
        .as_u16();
    assert_eq!(status, 401, "a signed-out session cookie is dead");
    server.assert_healthy();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_route() -> Result<()> {
    let db = TestDb::new(Backend::Sqlite).await?;
    let mut server = TestServer::start(&db).await?;
    let doc = ApiClient::anonymous(&server)
        .get("/api/openapi.json")
        .await?
        .expect(200)?;
    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.")
    );
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    for (path, methods) in [
        ("/api/setup", &["get", "post"][..]),
        ("/api/session", &["post", "delete"]),
        ("/api/me", &["get"]),
        ("/api/me/password", &["put"]),
        ("/api/invitations/preview", &["post"]),
        ("/api/invitations/accept", &["post"]),
        ("/api/reviews", &["get", "post"]),
        ("/api/reviews/{review}", &["get", "patch"]),
        ("/api/reviews/{review}/members", &["get"]),
        ("/api/reviews/{review}/members/{user}", &["put", "delete"]),
        ("/api/reviews/{review}/invitations", &["get", "post"]),
        (
            "/api/reviews/{review}/invitations/{invitation}",
            &["delete"],
        ),
        ("/api/reviews/{review}/tokens", &["get", "post"]),
        ("/api/reviews/{review}/tokens/{token}", &["delete"]),
        ("/api/reviews/{review}/meetings", &["get", "post"]),
        (
            "/api/reviews/{review}/meetings/{meeting}",
            &["patch", "delete"],
        ),
        ("/api/reviews/{review}/documents", &["get", "post"]),
        ("/api/reviews/{review}/history", &["get"]),
        ("/api/reviews/{review}/notes/{slug}", &["put"]),
        ("/api/reviews/{review}/audit", &["get"]),
        ("/api/audit", &["get"]),
        ("/api/reviews/{review}/snapshots", &["get", "post"]),
        ("/api/reviews/{review}/snapshots/{snapshot}", &["get"]),
        ("/api/reviews/{review}/snapshots/{snapshot}/state", &["get"]),
        (
            "/api/reviews/{review}/snapshots/{snapshot}/restore",
            &["post"],
        ),
        (
            "/api/reviews/{review}/snapshots/{snapshot}/export",
            &["get"],
        ),
        ("/api/reviews/{review}/snapshots/{snapshot}/check", &["get"]),
        ("/api/reviews/{review}/compare", &["get"]),
        ("/api/reviews/{review}/board", &["get"]),
        ("/api/reviews/{review}/register", &["get", "post"]),
        ("/api/reviews/{review}/register/{entry}", &["delete"]),
        ("/api/reviews/{review}/safe-terms", &["get", "post"]),
        ("/api/reviews/{review}/safe-terms/{term}", &["delete"]),
    ] {
        let entry = paths
            .get(path)
            .with_context(|| format!("{path} is not described"))?;
        for method in methods {
            assert!(
                entry.get(*method).is_some(),
                "{method} {path} is not described"
            );
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    server.assert_healthy();
    Ok(())
}

async fn open_connections_close_when_access_changes(backend: Backend) -> Result<()> {
    // The periodic recheck never comes within the test: each change reaches open
    // connections at once.
    let (_db, mut server) = server(backend, &["--access-recheck", "1h"]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = lead
        .api
        .post("/api/reviews", json!({"title": "Child D"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let url = format!("ws://{}/sync/{review}/board", server.addr);

    // A revoked token's connection is closed.
    let minted = lead
        .api
        .post(
            &format!("/api/reviews/{review}/tokens"),
            json!({"role": "observer", "label": "screen"}),
        )
        .await?
        .expect(201)?;
    let secret = minted["secret"].as_str().unwrap_or_default();
    let id = minted["token"]["id"].as_str().unwrap_or_default();
    let screen = YClient::connect(&format!("{url}?token={secret}")).await?;
    screen.synced().await?;
    lead.api
        .delete(&format!("/api/reviews/{review}/tokens/{id}"))
        .await?
        .expect(204)?;
    assert_eq!(screen.close_code().await?, 4403);

    // A role change closes the connection; reconnecting gives the new role.
    let rita = invite(
        &server,
        &lead.api,
        &review,
        "review_team_member",
        "Rita Team",
        "Police",
    )
    .await?;
    let cookie = rita.api.cookie().unwrap_or_default();
    let editing = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
    editing.synced().await?;
    lead.api
        .put(
            &format!("/api/reviews/{review}/members/{}", rita.user_id),
            json!({"role": "observer"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        editing.close_code().await?,
        4503,
        "access changed: reconnect"
    );
    let reading = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
    reading.synced().await?;
    reading.push("text", "still trying");
    reading
        .wait("permission denied", |s| s.permission_denied.is_some())
        .await?;

    // Removed from the review: closed, and the review is gone for her.
    lead.api
        .delete(&format!("/api/reviews/{review}/members/{}", rita.user_id))
        .await?
        .expect(204)?;
    assert_eq!(reading.close_code().await?, 4403, "access ended");
    assert_eq!(handshake_status(&url, &[("cookie", &cookie)]).await?, 404);

    // Taken off restricted notes: their open notes close, for good.
    let cary = invite(
        &server,
        &lead.api,
        &review,
        "case_group_member",
        "Cary Case",
        "Health visiting",
    )
    .await?;
    // Only people in the review can be given notes.
    let refused = lead
        .api
        .post(
            &format!("/api/reviews/{review}/documents"),
            json!({"slug": "cary", "title": "Conversation with Cary", "participants": ["somebody-else"]}),
        )
        .await?
        .expect(400)?;
    assert_eq!(
        refused["message"],
        "Everyone given the notes must be in this review, and somebody-else is not."
    );
    lead.api
        .post(
            &format!("/api/reviews/{review}/documents"),
            json!({"slug": "cary", "title": "Conversation with Cary", "participants": [cary.user_id]}),
        )
        .await?
        .expect(201)?;
    let notes_url = format!("ws://{}/sync/{review}/notes/cary", server.addr);
    let cary_cookie = cary.api.cookie().unwrap_or_default();
    let notes = YClient::connect_with(&notes_url, &[("cookie", &cary_cookie)], Doc::new()).await?;
    notes.synced().await?;
    let listed = lead
        .api
        .get(&format!("/api/reviews/{review}/documents"))
        .await?
        .expect(200)?;
    assert_eq!(
        listed[1]["participants"],
        json!([cary.user_id]),
        "leads see who"
    );
    let hers = cary
        .api
        .get(&format!("/api/reviews/{review}/documents"))
        .await?
        .expect(200)?;
    assert!(
        hers[1]["participants"].is_null(),
        "only leads see who takes part"
    );
    lead.api
        .put(
            &format!("/api/reviews/{review}/notes/cary"),
            json!({"title": "Conversation with Cary", "participants": []}),
        )
        .await?
        .expect(200)?;
    assert_eq!(notes.close_code().await?, 4403);
    assert_eq!(
        handshake_status(&notes_url, &[("cookie", &cary_cookie)]).await?,
        404
    );
    // Signing out closes that session's connections; a password change closes the
    // other sessions' connections, not the one that changed it.
    let board_of = |cookie: &str| {
        let url = url.clone();
        let cookie = cookie.to_string();
        async move {
            let client = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
            client.synced().await?;
            anyhow::Ok(client)
        }
    };
    let cary_board = board_of(&cary_cookie).await?;
    cary.api.delete("/api/session").await?.expect(204)?;
    assert_eq!(cary_board.close_code().await?, 4403, "signed out");
    let lead_cookie = lead.api.cookie().unwrap_or_default();
    let other = ApiClient::login(&server, &lead.email, &lead.password).await?;
    let other_cookie = other.cookie().unwrap_or_default();
    let this_session = board_of(&lead_cookie).await?;
    let other_session = board_of(&other_cookie).await?;
    lead.api
        .put(
            "/api/me/password",
            json!({"current_password": lead.password, "new_password": "a brand new passphrase for Alex"}),
        )
        .await?
        .expect(204)?;
    assert_eq!(
        other_session.close_code().await?,
        4403,
        "other session ended"
    );
    this_session.push("text", "still here;");
    this_session.wait("the echo", |s| s.updates >= 1).await?;
    assert!(this_session.seen().closed.is_none());

    let closed = |reason: &str| format!("board_connections_closed_total{{reason=\"{reason}\"}}");
    assert!(server.metric(&closed("access_ended")).await? >= 5.0);
    assert!(server.metric(&closed("access_changed")).await? >= 1.0);
    server.assert_healthy();
    Ok(())
}

async fn access_changed_behind_the_servers_back_is_found_by_the_periodic_recheck(
    backend: Backend,
) -> Result<()> {
    let (db, mut server) = server(backend, &["--access-recheck", "200ms"]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = lead
        .api
        .post("/api/reviews", json!({"title": "Child E"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let rita = invite(
        &server,
        &lead.api,
        &review,
        "review_team_member",
        "Rita Team",
        "Police",
    )
    .await?;
    let url = format!("ws://{}/sync/{review}/board", server.addr);
    let cookie = rita.api.cookie().unwrap_or_default();
    let editing = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
    editing.synced().await?;
    // An operator changes the role in the database directly: no event, only the recheck.
    db.execute(&format!(
        "update memberships set role = 'observer' where review_id = '{review}' and user_id = '{}'",
        rita.user_id
    ))
    .await?;
    assert_eq!(editing.close_code().await?, 4503);
    server.assert_healthy();
    Ok(())
}
