//! Every role against every REST route and every document: the permission matrix, a
//! review one may not see answering as a missing one, and whose board edits stay.

use std::time::Duration;

use anyhow::{Result, anyhow};
use board_tests::{
    api::{ApiClient, Person},
    cast::Cast,
    client::handshake_status,
};
use yrs::Doc;

use super::routes::{Allowed, UsedUp, routes};
use crate::support::{Backend, YClient, both_databases, eventually, server};

both_databases!(every_role_against_every_route_and_document);

async fn every_role_against_every_route_and_document(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = &cast.review;
    let lead = &cast.lead.api;
    let used = UsedUp::new(&cast).await?;
    let routes = routes(&cast, &used);

    let anonymous = ApiClient::anonymous(&server);
    let lead_token = ApiClient::with_token(&server, &cast.token(&server, "lead_reviewer").await?);
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
            // taken, and so is a name an earlier caller registered.
            let expected = match (done, expected == *success, *method) {
                (true, true, "DELETE") => 404,
                (true, true, "POST")
                    if path.ends_with("/documents") || path.ends_with("/register") =>
                {
                    409
                }
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
    let sync = |document: &str| cast.sync_url(&server, document);
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
