//! People in a review and their roles, and invitations by single-use links.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::JsonBody;
use super::{
    ApiError, ApiResult, Authed, ErrorBody, found,
    session::{email_taken, new_account, signed_in},
    validate::{SHORT_TEXT, check_len, parse_role},
};
use crate::{
    access::{Caller, Role, User, secrets},
    audit::{AuditAction, AuditEvent},
    auth::resolve_caller,
    clock::now_ms,
    review::{Invitation, Member, MemberChange, NewAccountJoin},
    state::AppState,
};

/// `GET /api/reviews/{review}/members`: the people in a review and their roles.
#[utoipa::path(get, path = "/api/reviews/{review}/members", tag = "people",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<Member>), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn members(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<Member>>> {
    auth.role_in(&app, &review_id).await?;
    Ok(Json(app.directory.members(&review_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetRole {
    pub role: String,
}

/// Changes (or, with `None`, removes) a member so that the review keeps a lead
/// reviewer, even when leads change each other at the same moment. `audit` makes the
/// change's audit row from the role they had before.
async fn change_member(
    app: &AppState,
    auth: &Authed,
    review_id: &str,
    user_id: &str,
    role: Option<Role>,
    audit: impl FnOnce(Role) -> AuditEvent,
) -> ApiResult<()> {
    let acting = auth.0.user().map(|user| user.id.as_str());
    match app
        .directory
        .change_member_keeping_a_lead(review_id, user_id, role, acting, audit)
        .await?
    {
        MemberChange::Done { .. } => Ok(()),
        MemberChange::NotMember => Err(ApiError::NotFound),
        MemberChange::ActorNotLead => Err(ApiError::Forbidden("only a lead reviewer may do this")),
        MemberChange::LastLead => Err(ApiError::Conflict(
            "a review needs a lead reviewer; make someone else lead first".into(),
        )),
    }
}

/// `PUT /api/reviews/{review}/members/{user}`: a lead changes someone's role.
#[utoipa::path(put, path = "/api/reviews/{review}/members/{user}", tag = "people", request_body = SetRole,
    params(("review" = String, Path, description = "The review's id"), ("user" = String, Path, description = "The person's user id")),
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn set_role(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, user_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<SetRole>,
) -> ApiResult<Json<Member>> {
    auth.lead_of(&app, &review_id).await?;
    let role = parse_role(&body.role)?;
    let actor = auth.0.actor();
    change_member(&app, &auth, &review_id, &user_id, Some(role), |before| {
        AuditEvent::action(
            actor,
            &review_id,
            AuditAction::RoleChanged,
            &user_id,
            format!("{before} to {role}"),
        )
    })
    .await?;
    app.access_changes.review(&review_id);
    let member = app
        .directory
        .members(&review_id)
        .await?
        .into_iter()
        .find(|m| m.user_id == user_id)
        .ok_or(ApiError::NotFound)?;
    Ok(Json(member))
}

/// `DELETE /api/reviews/{review}/members/{user}`: a lead removes someone from the review.
#[utoipa::path(delete, path = "/api/reviews/{review}/members/{user}", tag = "people",
    params(("review" = String, Path, description = "The review's id"), ("user" = String, Path, description = "The person's user id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn remove_member(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, user_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    auth.lead_of(&app, &review_id).await?;
    let actor = auth.0.actor();
    change_member(&app, &auth, &review_id, &user_id, None, |before| {
        AuditEvent::action(
            actor,
            &review_id,
            AuditAction::MemberRemoved,
            &user_id,
            before.to_string(),
        )
    })
    .await?;
    app.access_changes.review(&review_id);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteRequest {
    pub role: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub job_title: String,
    /// How long the link works; default 7 days (168 hours), at most 30 days.
    pub expires_in_hours: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationCreated {
    pub invitation: Invitation,
    /// The single-use secret; shown once, stored only as a hash.
    pub secret: String,
    /// Where the invited person goes: this path on the board's address.
    pub path: String,
}

/// `GET /api/reviews/{review}/invitations`: a lead lists invitations (never secrets).
#[utoipa::path(get, path = "/api/reviews/{review}/invitations", tag = "people",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<Invitation>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn invitations(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<Invitation>>> {
    auth.lead_of(&app, &review_id).await?;
    Ok(Json(app.directory.invitations(&review_id).await?))
}

/// `POST /api/reviews/{review}/invitations`: a lead invites a person with a role, by a
/// single-use, expiring link.
#[utoipa::path(post, path = "/api/reviews/{review}/invitations", tag = "people", request_body = InviteRequest,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = InvitationCreated), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn invite(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<InviteRequest>,
) -> ApiResult<(StatusCode, Json<InvitationCreated>)> {
    auth.person_leading(&app, &review_id).await?;
    let role = parse_role(&body.role)?;
    for (field, value) in [
        ("the name", &body.name),
        ("the email", &body.email),
        ("the agency", &body.agency),
        ("the job title", &body.job_title),
    ] {
        check_len(field, value, SHORT_TEXT)?;
    }
    let hours = i64::from(body.expires_in_hours.unwrap_or(168).clamp(1, 24 * 30));
    let secret = secrets::new_secret("bi");
    let actor = auth.0.actor();
    let created_by = actor.id.clone();
    let invitation = app
        .directory
        .create_invitation(
            &secrets::secret_hash(&secret),
            &review_id,
            role,
            body.name.trim(),
            body.email.trim(),
            body.agency.trim(),
            body.job_title.trim(),
            &created_by,
            now_ms() + hours * 3_600_000,
            |invitation| {
                AuditEvent::action(
                    actor,
                    &review_id,
                    AuditAction::InvitationCreated,
                    &invitation.id,
                    format!("{} <{}> as {role}", invitation.name, invitation.email),
                )
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationCreated {
            path: format!("/invite#{secret}"),
            invitation,
            secret,
        }),
    ))
}

/// `DELETE /api/reviews/{review}/invitations/{invitation}`: a lead withdraws an unused
/// invitation.
#[utoipa::path(delete, path = "/api/reviews/{review}/invitations/{invitation}", tag = "people",
    params(("review" = String, Path, description = "The review's id"), ("invitation" = String, Path, description = "The invitation's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn withdraw_invitation(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, invitation_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    auth.person_leading(&app, &review_id).await?;
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::InvitationWithdrawn,
        &invitation_id,
        String::new(),
    );
    found(
        app.directory
            .withdraw_invitation(&review_id, &invitation_id, &event)
            .await?,
    )?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationPreview {
    pub review_title: String,
    pub case_ref: String,
    pub role: Role,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub job_title: String,
    pub expires_at: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitationSecret {
    /// The invitation's secret, from its link.
    pub secret: String,
}

/// `POST /api/invitations/preview`: what an open invitation is for (the secret is the
/// credential, so it travels in the body, never in a URL that logs keep). Used or
/// expired invitations are not found.
#[utoipa::path(post, path = "/api/invitations/preview", tag = "people", request_body = InvitationSecret,
    responses((status = 200, body = InvitationPreview), (status = 404, body = ErrorBody)))]
pub async fn invitation_preview(
    State(app): State<AppState>,
    JsonBody(InvitationSecret { secret }): JsonBody<InvitationSecret>,
) -> ApiResult<Json<InvitationPreview>> {
    let invitation = app
        .directory
        .open_invitation(&secrets::secret_hash(&secret))
        .await?
        .ok_or(ApiError::NotFound)?;
    let review = app
        .directory
        .review(&invitation.review_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(InvitationPreview {
        review_title: review.title,
        case_ref: review.case_ref,
        role: invitation.role,
        name: invitation.name,
        email: invitation.email,
        agency: invitation.agency,
        job_title: invitation.job_title,
        expires_at: invitation.expires_at,
    }))
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct AcceptInvitation {
    /// The invitation's secret, from its link.
    pub secret: String,
    /// For a new account: defaults to the invitation's.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub job_title: String,
    /// For a new account. Leave out when signed in: the invitation joins that account.
    #[serde(default)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub review_id: String,
    pub role: Role,
    pub user: User,
}

/// `POST /api/invitations/accept`: joins the review. Signed in, the invitation joins
/// that account; otherwise it creates an account (and signs it in).
#[utoipa::path(post, path = "/api/invitations/accept", tag = "people", request_body = AcceptInvitation,
    responses((status = 200, body = Accepted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn accept_invitation(
    State(app): State<AppState>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<AcceptInvitation>,
) -> ApiResult<Response> {
    let invitation = app
        .directory
        .open_invitation(&secrets::secret_hash(&body.secret))
        .await?
        .ok_or(ApiError::NotFound)?;
    let current = match resolve_caller(&app.directory, &headers, None).await? {
        Some((Caller::User(user), _)) => Some(user),
        Some((Caller::Token(_), _)) => {
            return Err(ApiError::Forbidden(
                "an invitation is for a person, not an access token",
            ));
        }
        None => None,
    };
    let accepted_event = |user: &User, role: Role| {
        AuditEvent::action(
            Caller::User(user.clone()).actor(),
            &invitation.review_id,
            AuditAction::InvitationAccepted,
            &invitation.id,
            format!("joined as {role}"),
        )
    };
    let (user, role, new_account) = match current {
        Some(user) => {
            let role = app
                .directory
                .accept_invitation(&invitation, &user.id, |role| accepted_event(&user, role))
                .await?
                .ok_or(ApiError::NotFound)?;
            // A member accepting a higher role: their open connections get it now.
            app.access_changes.review(&invitation.review_id);
            (user, role, false)
        }
        None => {
            let pick = |given: &str, invited: &str| {
                if given.trim().is_empty() {
                    invited.to_string()
                } else {
                    given.to_string()
                }
            };
            let new = new_account(
                &app,
                &pick(&body.email, &invitation.email),
                &pick(&body.name, &invitation.name),
                &pick(&body.agency, &invitation.agency),
                &pick(&body.job_title, &invitation.job_title),
                &body.password,
                false,
            )
            .await?;
            // Claiming the invitation and creating the account happen together, so
            // people racing on one link cannot each come away with an account.
            let events = |user: &User| {
                vec![
                    accepted_event(user, invitation.role),
                    AuditEvent::action(
                        Caller::User(user.clone()).actor(),
                        "",
                        AuditAction::AccountCreated,
                        &user.id,
                        "from an invitation".into(),
                    ),
                ]
            };
            match app
                .directory
                .accept_invitation_as_new_user(&invitation, &new, events)
                .await?
            {
                NewAccountJoin::Joined(user) => (user, invitation.role, true),
                NewAccountJoin::InvitationUsed => return Err(ApiError::NotFound),
                NewAccountJoin::EmailTaken => return Err(email_taken()),
            }
        }
    };
    let accepted = Accepted {
        review_id: invitation.review_id.clone(),
        role,
        user: user.clone(),
    };
    if new_account {
        return signed_in(&app, &user, &accepted).await;
    }
    Ok(Json(accepted).into_response())
}
