//! A review with everyone it can have, set up the way the product sets people up: an
//! administrator from the command line who leads the review, everyone else invited by
//! the lead and signed in; and a stranger, in another review.

use anyhow::Result;
use serde_json::json;

use crate::{
    api::{Person, admin, create_review, invite},
    server::TestServer,
};

/// Everyone a review can have, each signed in, plus a stranger in another review.
pub struct Cast {
    /// The review's id: "Child A", a full review.
    pub review: String,
    /// Alex Lead, an administrator and the review's lead reviewer.
    pub lead: Person,
    /// Rita Team (Police), a review team member.
    pub team: Person,
    /// Cary Case (Health visiting), a case group member.
    pub case: Person,
    /// Bob Board (Safeguarding partnership), a board member.
    pub board: Person,
    /// Olive Observer (SCIE), an observer.
    pub observer: Person,
    /// Tess Temp (Education), a second observer, for a test to remove.
    pub temp: Person,
    /// Nina Outsider (Probation), a review team member of another review only.
    pub outsider: Person,
    /// The outsider's review: "Another review", also led by Alex.
    pub other_review: String,
}

impl Cast {
    /// Creates the administrator, both reviews and the invitations, and signs everyone in.
    pub async fn new(server: &TestServer) -> Result<Self> {
        let lead = admin(server, "Alex Lead").await?;
        let review = create_review(
            &lead.api,
            json!({"title": "Child A", "case_ref": "Child A", "variant": "full"}),
        )
        .await?;
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
        let other_review = create_review(&lead.api, json!({"title": "Another review"})).await?;
        let outsider = invite(
            server,
            &lead.api,
            &other_review,
            "review_team_member",
            "Nina Outsider",
            "Probation",
        )
        .await?;
        Ok(Self {
            review,
            lead,
            team,
            case,
            board,
            observer,
            temp,
            outsider,
            other_review,
        })
    }

    /// A token for `role` in the review, minted with `board token create` (labelled with
    /// the role), as a script would hold one.
    pub async fn token(&self, server: &TestServer, role: &str) -> Result<String> {
        server
            .command(
                &[
                    "token",
                    "create",
                    "--review",
                    &self.review,
                    "--role",
                    role,
                    "--label",
                    role,
                ],
                "",
            )
            .await
    }

    /// `ws://HOST:PORT/sync/REVIEW/DOCUMENT`: a document of the review, for a caller who
    /// signs in with a session cookie (or adds `?token=`).
    pub fn sync_url(&self, server: &TestServer, document: &str) -> String {
        format!("ws://{}/sync/{}/{document}", server.addr, self.review)
    }
}
