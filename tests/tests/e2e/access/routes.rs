//! The REST routes of the permission matrix: each route, who may call it, and what a
//! successful call answers; and the records the lead's successful calls use up.

use anyhow::Result;
use board_tests::cast::Cast;
use serde_json::{Value, json};

/// Who may call a route.
#[derive(Clone, Copy, Debug)]
pub(super) enum Allowed {
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

/// One row of the matrix: the method, the path, the body, who may call it, and the
/// status a caller who may gets.
pub(super) type Route = (&'static str, String, Option<Value>, Allowed, u16);

/// What the lead's successful (and destructive) calls use up: an invitation and a
/// token to withdraw, meetings to change and delete, a snapshot, a register entry and
/// a safe term. The lead also gives Cary restricted notes, and reviews what the
/// pre-publication check lists, so that exporting is not refused.
pub(super) struct UsedUp {
    invitation: String,
    token: String,
    edited_meeting: String,
    deleted_meeting: String,
    snapshot: String,
    entry: String,
    safe_term: String,
}

impl UsedUp {
    pub(super) async fn new(cast: &Cast) -> Result<Self> {
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
        Ok(Self {
            invitation,
            token,
            edited_meeting,
            deleted_meeting,
            snapshot,
            entry,
            safe_term,
        })
    }
}

/// Every route, with who may call it.
pub(super) fn routes(cast: &Cast, used: &UsedUp) -> Vec<Route> {
    let r = &cast.review;
    let UsedUp {
        invitation,
        token,
        edited_meeting,
        deleted_meeting,
        snapshot,
        entry,
        safe_term,
    } = used;
    let s = format!("/api/reviews/{r}/snapshots/{snapshot}");
    vec![
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
            format!("/api/reviews/{r}/history/texts?entity=e1"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "GET",
            format!("/api/reviews/{r}/search/notes?q=hello"),
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
            format!("/api/reviews/{r}/comments"),
            None,
            Allowed::Members,
            200,
        ),
        (
            "POST",
            format!("/api/reviews/{r}/comments/seen"),
            Some(json!({"upTo": 1})),
            Allowed::Members,
            204,
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
    ]
}
