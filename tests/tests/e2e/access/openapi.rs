//! The OpenAPI document: every route is described.

use anyhow::{Context, Result};
use board_tests::api::ApiClient;

use crate::support::{Backend, TestDb, TestServer};

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
