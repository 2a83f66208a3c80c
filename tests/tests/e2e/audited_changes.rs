//! Audited changes commit with their audit rows: when the audit trail refuses a row,
//! the change it records does not stand either, on every kind of route.
//!
//! The trail is made to refuse rows behind the server's back: a trigger in the test's
//! database raises on inserting audit rows of the chosen actions.

use anyhow::{Result, anyhow};
use board_tests::{
    api::{Answer, ApiClient, admin, invite},
    board as b,
};
use serde_json::{Value, json};

use crate::support::{Backend, TestDb, TestServer, YClient, both_databases, server};

both_databases!(
    a_change_whose_audit_row_fails_does_not_stand,
    a_restore_whose_audit_row_fails_leaves_the_board_as_it_was,
);

/// Makes the database refuse audit rows of `actions` (until [`trail_works_again`]).
async fn trail_refuses(db: &TestDb, actions: &[&str]) -> Result<()> {
    let list = actions
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(", ");
    match db.backend {
        Backend::Sqlite => {
            db.execute(&format!(
                "create trigger audit_down before insert on audit_events \
                 when new.action in ({list}) \
                 begin select raise(abort, 'the audit trail is down'); end"
            ))
            .await?;
        }
        Backend::Postgres => {
            db.execute(
                "create or replace function audit_down() returns trigger language plpgsql \
                 as $$ begin raise exception 'the audit trail is down'; end $$",
            )
            .await?;
            db.execute(&format!(
                "create trigger audit_down before insert on audit_events for each row \
                 when (new.action in ({list})) execute function audit_down()"
            ))
            .await?;
        }
    }
    Ok(())
}

async fn trail_works_again(db: &TestDb) -> Result<()> {
    match db.backend {
        Backend::Sqlite => db.execute("drop trigger audit_down").await?,
        Backend::Postgres => {
            db.execute("drop trigger audit_down on audit_events")
                .await?
        }
    };
    Ok(())
}

/// The answer a change gets when its audit row cannot be stored: the database is
/// unavailable, said in the API's JSON error body.
fn refused(answer: Answer, what: &str) -> Result<()> {
    if !(500..600).contains(&answer.status) || answer.body["error"] != "unavailable" {
        return Err(anyhow!(
            "{what}: expected a 5xx `unavailable` answer, got {} {}",
            answer.status,
            answer.body
        ));
    }
    Ok(())
}

async fn get(api: &ApiClient, path: &str) -> Result<Value> {
    api.get(path).await?.expect(200)
}

fn text(value: &Value) -> Result<String> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow!("not a string: {value}"))
}

async fn a_change_whose_audit_row_fails_does_not_stand(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = text(
        &lead
            .api
            .post(
                "/api/reviews",
                json!({"title": "Child A", "variant": "full"}),
            )
            .await?
            .expect(201)?["id"],
    )?;
    let r = format!("/api/reviews/{review}");
    let team = invite(
        &server,
        &lead.api,
        &review,
        "review_team_member",
        "Rita Team",
        "Police",
    )
    .await?;
    let waiting = lead
        .api
        .post(
            &format!("{r}/invitations"),
            json!({"role": "observer", "name": "Nora New", "email": "nora@example.org"}),
        )
        .await?
        .expect(201)?;
    let secret = text(&waiting["secret"])?;
    let meeting = get(&lead.api, &format!("{r}/meetings")).await?[0].clone();
    let meeting_id = text(&meeting["id"])?;
    let invitations_before = get(&lead.api, &format!("{r}/invitations")).await?;

    trail_refuses(
        &db,
        &[
            "review_updated",
            "meeting_updated",
            "role_changed",
            "token_created",
            "invitation_created",
            "invitation_accepted",
            "register_entry_added",
        ],
    )
    .await?;

    refused(
        lead.api.patch(&r, json!({"title": "Renamed"})).await?,
        "review update",
    )?;
    assert_eq!(get(&lead.api, &r).await?["review"]["title"], "Child A");

    refused(
        lead.api
            .patch(
                &format!("{r}/meetings/{meeting_id}"),
                json!({"title": "Moved"}),
            )
            .await?,
        "timeline change",
    )?;
    let meetings = get(&lead.api, &format!("{r}/meetings")).await?;
    assert_eq!(meetings[0]["title"], meeting["title"]);

    refused(
        lead.api
            .put(
                &format!("{r}/members/{}", team.user_id),
                json!({"role": "observer"}),
            )
            .await?,
        "role change",
    )?;
    let members = get(&lead.api, &format!("{r}/members")).await?;
    let rita = members
        .as_array()
        .and_then(|all| all.iter().find(|m| m["user_id"] == team.user_id.as_str()))
        .ok_or_else(|| anyhow!("Rita is no longer a member: {members}"))?;
    assert_eq!(rita["role"], "review_team_member");

    refused(
        lead.api
            .post(
                &format!("{r}/tokens"),
                json!({"role": "observer", "label": "nightly export"}),
            )
            .await?,
        "token mint",
    )?;
    assert_eq!(get(&lead.api, &format!("{r}/tokens")).await?, json!([]));

    refused(
        lead.api
            .post(
                &format!("{r}/invitations"),
                json!({"role": "observer", "name": "Olive", "email": "olive@example.org"}),
            )
            .await?,
        "invitation",
    )?;
    assert_eq!(
        get(&lead.api, &format!("{r}/invitations")).await?,
        invitations_before
    );

    // Accepting with a new account: no account, and the link still works.
    let nora = ApiClient::anonymous(&server);
    let accept = json!({"secret": secret, "password": "Nora has a long password"});
    refused(
        nora.post("/api/invitations/accept", accept.clone()).await?,
        "invitation accepted",
    )?;
    nora.post("/api/invitations/preview", json!({"secret": secret}))
        .await?
        .expect(200)?;
    assert_eq!(
        ApiClient::anonymous(&server)
            .post(
                "/api/session",
                json!({"email": "nora@example.org", "password": "Nora has a long password"}),
            )
            .await?
            .status,
        401,
        "no account was left behind"
    );

    refused(
        lead.api
            .post(
                &format!("{r}/register"),
                json!({"term": "Jane Smith", "pseudonym": "Mother"}),
            )
            .await?,
        "register change",
    )?;
    assert_eq!(get(&lead.api, &format!("{r}/register")).await?, json!([]));

    // With the trail back, the same changes go through, each with its row.
    trail_works_again(&db).await?;
    lead.api
        .patch(&r, json!({"title": "Renamed"}))
        .await?
        .expect(200)?;
    nora.post("/api/invitations/accept", accept)
        .await?
        .expect(200)?;
    let audit = get(&lead.api, &format!("{r}/audit")).await?;
    let actions: Vec<&str> = audit
        .as_array()
        .map(|all| all.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        actions
            .iter()
            .filter(|a| ["review_updated", "invitation_accepted"].contains(a))
            .count(),
        // Rita's acceptance, Nora's and the one rename.
        3,
        "{actions:?}"
    );
    server.assert_healthy();
    Ok(())
}

fn lead_token(server: &TestServer) -> ApiClient {
    ApiClient::with_token(server, &server.access.token)
}

async fn a_restore_whose_audit_row_fails_leaves_the_board_as_it_was(
    backend: Backend,
) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let lead = lead_token(&server);
    let r = format!("/api/reviews/{}", server.access.review);
    let empty = text(
        &lead
            .post(
                &format!("{r}/snapshots"),
                json!({"label": "Before anything"}),
            )
            .await?
            .expect(201)?["id"],
    )?;
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    b::add_episode(&client.doc, "e1", "a0", "Health visit", "Thorough.");
    client.wait("echo", |s| s.updates >= 1).await?;

    trail_refuses(&db, &["snapshot_restored"]).await?;
    refused(
        lead.post(&format!("{r}/snapshots/{empty}/restore"), json!({}))
            .await?,
        "restore",
    )?;
    let board = get(&lead, &format!("{r}/board")).await?;
    assert_eq!(board["episodes"][0]["id"], "e1", "{board}");

    trail_works_again(&db).await?;
    lead.post(&format!("{r}/snapshots/{empty}/restore"), json!({}))
        .await?
        .expect(200)?;
    let board = get(&lead, &format!("{r}/board")).await?;
    assert_eq!(board["episodes"], json!([]), "{board}");
    server.assert_healthy();
    Ok(())
}
