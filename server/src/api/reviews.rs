//! Reviews and everything hung on them: people and roles, invitations, access tokens,
//! the meeting timeline, restricted documents, history and the audit trail.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiError, ApiResult, Authed, ErrorBody,
    auth::resolve_caller,
    record,
    session::{create_account, signed_in},
};
use crate::{
    access::{Caller, DocumentAccess, Role, User, document_access, secrets},
    app::AppState,
    review,
    store::{
        AccessToken, AuditEvent, Invitation, Meeting, Member, NewMeeting, RestrictedDocument,
        Review, ReviewFields, now_ms,
    },
};

const LONG_TEXT: usize = 20_000;
const SHORT_TEXT: usize = 300;

fn check_len(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.len() > max {
        return Err(ApiError::bad_request(format!(
            "{field} takes up to {max} characters"
        )));
    }
    Ok(())
}

fn parse_role(text: &str) -> ApiResult<Role> {
    Role::parse(text).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown role {text:?}; use one of: {}",
            Role::ALL.map(Role::as_str).join(", ")
        ))
    })
}

// ---- reviews ----

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewSummary {
    pub review: Review,
    /// The caller's role in the review.
    pub role: Role,
}

/// `GET /api/reviews`: the reviews the caller belongs to.
#[utoipa::path(get, path = "/api/reviews", tag = "reviews",
    responses((status = 200, body = Vec<ReviewSummary>), (status = 401, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> ApiResult<Json<Vec<ReviewSummary>>> {
    let reviews = match &caller {
        Caller::User(user) => app.directory.reviews_of(&user.id).await?,
        Caller::Token(grant) => match app.directory.review(&grant.review_id).await? {
            Some(review) => vec![(review, grant.role)],
            None => Vec::new(),
        },
    };
    Ok(Json(
        reviews
            .into_iter()
            .map(|(review, role)| ReviewSummary { review, role })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateReview {
    pub title: String,
    #[serde(default)]
    pub case_ref: String,
    /// Defaults to `lcspr`.
    #[serde(default)]
    pub kind: String,
    /// Defaults to `full`; sets the starting meeting timeline.
    #[serde(default)]
    pub variant: String,
}

/// `POST /api/reviews`: an administrator creates a review and becomes its lead reviewer.
#[utoipa::path(post, path = "/api/reviews", tag = "reviews", request_body = CreateReview,
    responses((status = 201, body = Review), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn create(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(body): Json<CreateReview>,
) -> ApiResult<(StatusCode, Json<Review>)> {
    let Some(user) = caller.user().filter(|user| user.is_admin) else {
        return Err(ApiError::Forbidden(
            "only an administrator may create reviews",
        ));
    };
    let fields = review::new_review_fields(&body.title, &body.case_ref, &body.kind, &body.variant);
    check_fields(&fields)?;
    let created = app
        .directory
        .create_review(&fields, &review::timeline(&fields.variant), Some(&user.id))
        .await?;
    record(
        &app,
        caller.actor(),
        &created.id,
        "review_created",
        &created.id,
        created.title.clone(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

fn check_fields(fields: &ReviewFields) -> ApiResult<()> {
    if fields.title.trim().is_empty() {
        return Err(ApiError::bad_request("give the review a title"));
    }
    check_len("the title", &fields.title, SHORT_TEXT)?;
    check_len("the case reference", &fields.case_ref, SHORT_TEXT)?;
    check_len("the period", &fields.period_start, 40)?;
    check_len("the period", &fields.period_end, 40)?;
    check_len("the review questions", &fields.questions, LONG_TEXT)?;
    check_len(
        "the terms of reference",
        &fields.terms_of_reference,
        LONG_TEXT,
    )?;
    if !review::is_one_of(&fields.kind, review::KINDS) {
        return Err(ApiError::bad_request(format!(
            "unknown kind of review {:?}",
            fields.kind
        )));
    }
    if !review::is_one_of(&fields.variant, review::VARIANTS) {
        return Err(ApiError::bad_request(format!(
            "unknown variant {:?}",
            fields.variant
        )));
    }
    if !review::is_one_of(&fields.phase, review::PHASES) {
        return Err(ApiError::bad_request(format!(
            "unknown phase {:?}",
            fields.phase
        )));
    }
    Ok(())
}

/// A document of a review the caller may open.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    /// The name inside the review: `board`, or `notes/...` for restricted notes.
    pub name: String,
    pub title: String,
    /// The full document name for `/sync/{document}`.
    pub document: String,
    pub restricted: bool,
    pub access: DocumentAccess,
    /// For a lead reviewer, who (besides the leads) may open a restricted document.
    pub participants: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDetail {
    pub review: Review,
    pub role: Role,
    /// The documents the caller may open.
    pub documents: Vec<DocumentView>,
}

async fn visible_documents(
    app: &AppState,
    caller: &Caller,
    review_id: &str,
    role: Role,
) -> ApiResult<Vec<DocumentView>> {
    let mut documents = vec![DocumentView {
        name: "board".into(),
        title: "Analysis board".into(),
        document: format!("{review_id}/board"),
        restricted: false,
        access: if role.edits() {
            DocumentAccess::Edit
        } else {
            DocumentAccess::Read
        },
        participants: None,
    }];
    let user_id = caller.user().map(|u| u.id.as_str());
    for restricted in app.directory.restricted_documents(review_id).await? {
        let participant = user_id.is_some_and(|id| restricted.participants.iter().any(|p| p == id));
        if let Some(access) = document_access(Some(role), true, participant) {
            documents.push(DocumentView {
                document: format!("{review_id}/{}", restricted.name),
                name: restricted.name,
                title: restricted.title,
                restricted: true,
                access,
                // Leads, and the participants themselves, see who takes part.
                participants: (role.leads() || participant).then_some(restricted.participants),
            });
        }
    }
    Ok(documents)
}

/// `GET /api/reviews/{review}`: a review's details, the caller's role and documents.
#[utoipa::path(get, path = "/api/reviews/{review}", tag = "reviews",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = ReviewDetail), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn show(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<ReviewDetail>> {
    let role = auth.role_in(&app, &review_id).await?;
    let review = app
        .directory
        .review(&review_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let documents = visible_documents(&app, &auth.0, &review_id, role).await?;
    Ok(Json(ReviewDetail {
        review,
        role,
        documents,
    }))
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct UpdateReview {
    pub title: Option<String>,
    pub case_ref: Option<String>,
    pub kind: Option<String>,
    pub variant: Option<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub questions: Option<String>,
    pub terms_of_reference: Option<String>,
    pub phase: Option<String>,
}

/// `PATCH /api/reviews/{review}`: a lead changes the review's details.
#[utoipa::path(patch, path = "/api/reviews/{review}", tag = "reviews", request_body = UpdateReview,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Review), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    Json(body): Json<UpdateReview>,
) -> ApiResult<Json<Review>> {
    auth.lead_of(&app, &review_id).await?;
    let current = app
        .directory
        .review(&review_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let pick = |new: Option<String>, old: String| new.map(|s| s.trim().to_string()).unwrap_or(old);
    let fields = ReviewFields {
        title: pick(body.title, current.title),
        case_ref: pick(body.case_ref, current.case_ref),
        kind: pick(body.kind, current.kind),
        variant: pick(body.variant, current.variant),
        period_start: pick(body.period_start, current.period_start),
        period_end: pick(body.period_end, current.period_end),
        questions: pick(body.questions, current.questions),
        terms_of_reference: pick(body.terms_of_reference, current.terms_of_reference),
        phase: pick(body.phase, current.phase),
    };
    check_fields(&fields)?;
    app.directory.update_review(&review_id, &fields).await?;
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "review_updated",
        &review_id,
        String::new(),
    )
    .await?;
    let review = app
        .directory
        .review(&review_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(review))
}

// ---- people ----

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

/// A review always keeps at least one lead reviewer.
async fn ensure_other_lead(app: &AppState, review_id: &str, user_id: &str) -> ApiResult<()> {
    let members = app.directory.members(review_id).await?;
    let other_leads = members
        .iter()
        .filter(|m| m.role.leads() && m.user_id != user_id)
        .count();
    if other_leads == 0 {
        return Err(ApiError::Conflict(
            "a review needs a lead reviewer; make someone else lead first".into(),
        ));
    }
    Ok(())
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
    Json(body): Json<SetRole>,
) -> ApiResult<Json<Member>> {
    auth.lead_of(&app, &review_id).await?;
    let role = parse_role(&body.role)?;
    let current = app
        .directory
        .role_of(&review_id, &user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if current.leads() && !role.leads() {
        ensure_other_lead(&app, &review_id, &user_id).await?;
    }
    app.directory.set_member(&review_id, &user_id, role).await?;
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "role_changed",
        &user_id,
        format!("{current} to {role}"),
    )
    .await?;
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
    let current = app
        .directory
        .role_of(&review_id, &user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if current.leads() {
        ensure_other_lead(&app, &review_id, &user_id).await?;
    }
    app.directory.remove_member(&review_id, &user_id).await?;
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "member_removed",
        &user_id,
        current.to_string(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- invitations ----

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
    security(("session" = []), ("bearer" = [])))]
pub async fn invite(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    Json(body): Json<InviteRequest>,
) -> ApiResult<(StatusCode, Json<InvitationCreated>)> {
    auth.lead_of(&app, &review_id).await?;
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
            &actor.id,
            now_ms() + hours * 3_600_000,
        )
        .await?;
    record(
        &app,
        actor,
        &review_id,
        "invitation_created",
        &invitation.id,
        format!("{} <{}> as {role}", invitation.name, invitation.email),
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
    security(("session" = []), ("bearer" = [])))]
pub async fn withdraw_invitation(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, invitation_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    auth.lead_of(&app, &review_id).await?;
    if !app
        .directory
        .withdraw_invitation(&review_id, &invitation_id)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "invitation_withdrawn",
        &invitation_id,
        String::new(),
    )
    .await?;
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

/// `GET /api/invitations/{secret}`: what an open invitation is for (the secret is the
/// credential). Used or expired invitations are not found.
#[utoipa::path(get, path = "/api/invitations/{secret}", tag = "people",
    params(("secret" = String, Path, description = "The invitation's secret, from its link")),
    responses((status = 200, body = InvitationPreview), (status = 404, body = ErrorBody)))]
pub async fn invitation_preview(
    State(app): State<AppState>,
    Path(secret): Path<String>,
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

/// `POST /api/invitations/{secret}/accept`: joins the review. Signed in, the invitation
/// joins that account; otherwise it creates an account (and signs it in).
#[utoipa::path(post, path = "/api/invitations/{secret}/accept", tag = "people", request_body = AcceptInvitation,
    params(("secret" = String, Path, description = "The invitation's secret, from its link")),
    responses((status = 200, body = Accepted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn accept_invitation(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Json(body): Json<AcceptInvitation>,
) -> ApiResult<Response> {
    let invitation = app
        .directory
        .open_invitation(&secrets::secret_hash(&secret))
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
    let (user, new_account) = match current {
        Some(user) => (user, false),
        None => {
            let pick = |given: &str, invited: &str| {
                if given.trim().is_empty() {
                    invited.to_string()
                } else {
                    given.to_string()
                }
            };
            let user = create_account(
                &app,
                &pick(&body.email, &invitation.email),
                &pick(&body.name, &invitation.name),
                &pick(&body.agency, &invitation.agency),
                &pick(&body.job_title, &invitation.job_title),
                &body.password,
                false,
            )
            .await?;
            (user, true)
        }
    };
    if !app
        .directory
        .accept_invitation(&invitation, &user.id)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    let role = app
        .directory
        .role_of(&invitation.review_id, &user.id)
        .await?
        .unwrap_or(invitation.role);
    let actor = Caller::User(user.clone()).actor();
    record(
        &app,
        actor,
        &invitation.review_id,
        "invitation_accepted",
        &invitation.id,
        format!("joined as {role}"),
    )
    .await?;
    let accepted = Accepted {
        review_id: invitation.review_id.clone(),
        role,
        user: user.clone(),
    };
    if new_account {
        record(
            &app,
            Caller::User(user.clone()).actor(),
            "",
            "account_created",
            &user.id,
            "from an invitation".into(),
        )
        .await?;
        return signed_in(&app, &user, &accepted).await;
    }
    Ok(Json(accepted).into_response())
}

// ---- access tokens ----

#[derive(Debug, Deserialize, ToSchema)]
pub struct MintToken {
    pub role: String,
    #[serde(default)]
    pub label: String,
    /// Default 30 days, at most 365.
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    pub token: AccessToken,
    /// The bearer secret; shown once, stored only as a hash.
    pub secret: String,
}

/// `GET /api/reviews/{review}/tokens`: a lead lists the review's access tokens.
#[utoipa::path(get, path = "/api/reviews/{review}/tokens", tag = "access",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<AccessToken>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn tokens(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<AccessToken>>> {
    auth.lead_of(&app, &review_id).await?;
    Ok(Json(app.directory.tokens(&review_id).await?))
}

/// `POST /api/reviews/{review}/tokens`: a lead mints a token for one role in the review.
#[utoipa::path(post, path = "/api/reviews/{review}/tokens", tag = "access", request_body = MintToken,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = TokenCreated), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn mint_token(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    Json(body): Json<MintToken>,
) -> ApiResult<(StatusCode, Json<TokenCreated>)> {
    auth.lead_of(&app, &review_id).await?;
    let role = parse_role(&body.role)?;
    check_len("the label", &body.label, SHORT_TEXT)?;
    let days = i64::from(body.expires_in_days.unwrap_or(30).clamp(1, 365));
    let secret = secrets::new_secret("bt");
    let actor = auth.0.actor();
    let token = app
        .directory
        .create_token(
            &secrets::secret_hash(&secret),
            &review_id,
            role,
            body.label.trim(),
            Some(&actor.id),
            now_ms() + days * 86_400_000,
        )
        .await?;
    record(
        &app,
        actor,
        &review_id,
        "token_created",
        &token.id,
        format!("{} as {role}", token.label),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { token, secret })))
}

/// `DELETE /api/reviews/{review}/tokens/{token}`: a lead revokes a token.
#[utoipa::path(delete, path = "/api/reviews/{review}/tokens/{token}", tag = "access",
    params(("review" = String, Path, description = "The review's id"), ("token" = String, Path, description = "The token's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn revoke_token(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, token_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    auth.lead_of(&app, &review_id).await?;
    if !app.directory.revoke_token(&review_id, &token_id).await? {
        return Err(ApiError::NotFound);
    }
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "token_revoked",
        &token_id,
        String::new(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- the meeting timeline ----

/// `GET /api/reviews/{review}/meetings`: the review's meeting timeline.
#[utoipa::path(get, path = "/api/reviews/{review}/meetings", tag = "timeline",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<Meeting>), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn meetings(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<Meeting>>> {
    auth.role_in(&app, &review_id).await?;
    Ok(Json(app.directory.meetings(&review_id).await?))
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct MeetingFields {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub scheduled_at: Option<String>,
    pub mode: Option<String>,
    pub attendees: Option<Vec<String>>,
    pub closed: Option<bool>,
    pub position: Option<i64>,
}

fn check_meeting(meeting: &Meeting) -> ApiResult<()> {
    if !review::is_one_of(&meeting.kind, review::MEETING_KINDS) {
        return Err(ApiError::bad_request(format!(
            "unknown kind of meeting {:?}",
            meeting.kind
        )));
    }
    if !review::MEETING_MODES.contains(&meeting.mode.as_str()) {
        return Err(ApiError::bad_request(
            "a meeting is in_person, remote or hybrid",
        ));
    }
    if meeting.title.trim().is_empty() {
        return Err(ApiError::bad_request("give the meeting a title"));
    }
    check_len("the title", &meeting.title, SHORT_TEXT)?;
    check_len("the date", &meeting.scheduled_at, 40)?;
    if meeting.attendees.len() > 500 {
        return Err(ApiError::bad_request("too many attendees"));
    }
    Ok(())
}

/// `POST /api/reviews/{review}/meetings`: a lead adds a meeting at the end.
#[utoipa::path(post, path = "/api/reviews/{review}/meetings", tag = "timeline", request_body = MeetingFields,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = Meeting), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn add_meeting(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    Json(body): Json<MeetingFields>,
) -> ApiResult<(StatusCode, Json<Meeting>)> {
    auth.lead_of(&app, &review_id).await?;
    let draft = Meeting {
        id: String::new(),
        review_id: review_id.clone(),
        position: 0,
        kind: body.kind.unwrap_or_else(|| "other".into()),
        title: body.title.unwrap_or_default(),
        scheduled_at: body.scheduled_at.unwrap_or_default(),
        mode: body.mode.unwrap_or_else(|| "in_person".into()),
        attendees: body.attendees.unwrap_or_default(),
        closed: false,
    };
    check_meeting(&draft)?;
    let meeting = app
        .directory
        .add_meeting(
            &review_id,
            &NewMeeting {
                kind: draft.kind,
                title: draft.title,
                scheduled_at: draft.scheduled_at,
                mode: draft.mode,
                attendees: draft.attendees,
            },
        )
        .await?;
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "meeting_added",
        &meeting.id,
        meeting.title.clone(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(meeting)))
}

/// `PATCH /api/reviews/{review}/meetings/{meeting}`: a lead edits or closes a meeting.
#[utoipa::path(patch, path = "/api/reviews/{review}/meetings/{meeting}", tag = "timeline", request_body = MeetingFields,
    params(("review" = String, Path, description = "The review's id"), ("meeting" = String, Path, description = "The meeting's id")),
    responses((status = 200, body = Meeting), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_meeting(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, meeting_id)): Path<(String, String)>,
    Json(body): Json<MeetingFields>,
) -> ApiResult<Json<Meeting>> {
    auth.lead_of(&app, &review_id).await?;
    let mut meeting = app
        .directory
        .meetings(&review_id)
        .await?
        .into_iter()
        .find(|m| m.id == meeting_id)
        .ok_or(ApiError::NotFound)?;
    if let Some(kind) = body.kind {
        meeting.kind = kind;
    }
    if let Some(title) = body.title {
        meeting.title = title;
    }
    if let Some(at) = body.scheduled_at {
        meeting.scheduled_at = at;
    }
    if let Some(mode) = body.mode {
        meeting.mode = mode;
    }
    if let Some(attendees) = body.attendees {
        meeting.attendees = attendees;
    }
    if let Some(closed) = body.closed {
        meeting.closed = closed;
    }
    if let Some(position) = body.position {
        meeting.position = position;
    }
    check_meeting(&meeting)?;
    app.directory.update_meeting(&meeting).await?;
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "meeting_updated",
        &meeting.id,
        meeting.title.clone(),
    )
    .await?;
    Ok(Json(meeting))
}

/// `DELETE /api/reviews/{review}/meetings/{meeting}`: a lead removes a meeting.
#[utoipa::path(delete, path = "/api/reviews/{review}/meetings/{meeting}", tag = "timeline",
    params(("review" = String, Path, description = "The review's id"), ("meeting" = String, Path, description = "The meeting's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn delete_meeting(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, meeting_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    auth.lead_of(&app, &review_id).await?;
    if !app
        .directory
        .delete_meeting(&review_id, &meeting_id)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "meeting_removed",
        &meeting_id,
        String::new(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- documents ----

/// `GET /api/reviews/{review}/documents`: the documents the caller may open.
#[utoipa::path(get, path = "/api/reviews/{review}/documents", tag = "documents",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<DocumentView>), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn documents(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<DocumentView>>> {
    let role = auth.role_in(&app, &review_id).await?;
    Ok(Json(
        visible_documents(&app, &auth.0, &review_id, role).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateDocument {
    /// Letters, digits, '-' and '_': the document becomes `notes/{slug}`.
    pub slug: String,
    pub title: String,
    /// User ids of the people (besides the leads) who may open it.
    #[serde(default)]
    pub participants: Vec<String>,
}

/// `POST /api/reviews/{review}/documents`: a lead creates restricted notes (e.g. an
/// individual conversation's) that only the participants and the leads may open.
#[utoipa::path(post, path = "/api/reviews/{review}/documents", tag = "documents", request_body = CreateDocument,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = RestrictedDocument), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_document(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    Json(body): Json<CreateDocument>,
) -> ApiResult<(StatusCode, Json<RestrictedDocument>)> {
    auth.lead_of(&app, &review_id).await?;
    let slug = body.slug.trim();
    if slug.is_empty()
        || slug.len() > 80
        || !slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::bad_request(
            "the slug takes 1 to 80 letters, digits, '-' or '_'",
        ));
    }
    check_len("the title", &body.title, SHORT_TEXT)?;
    let members = app.directory.members(&review_id).await?;
    if let Some(stranger) = body
        .participants
        .iter()
        .find(|p| !members.iter().any(|m| &m.user_id == *p))
    {
        return Err(ApiError::bad_request(format!(
            "{stranger} is not in this review"
        )));
    }
    let name = format!("notes/{slug}");
    let title = if body.title.trim().is_empty() {
        name.clone()
    } else {
        body.title.trim().to_string()
    };
    if !app
        .directory
        .create_restricted_document(&review_id, &name, &title, &body.participants)
        .await?
    {
        return Err(ApiError::Conflict(format!("the review already has {name}")));
    }
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "document_created",
        &name,
        title.clone(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(RestrictedDocument {
            name,
            title,
            participants: body.participants,
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateNotes {
    pub title: String,
    /// User ids of the people (besides the leads) who may open the notes.
    pub participants: Vec<String>,
}

/// `PUT /api/reviews/{review}/notes/{slug}`: a lead renames restricted notes and sets who
/// may open them. People taken off lose access at once (their open connection closes).
#[utoipa::path(put, path = "/api/reviews/{review}/notes/{slug}", tag = "documents", request_body = UpdateNotes,
    params(("review" = String, Path, description = "The review's id"), ("slug" = String, Path, description = "The notes' slug: the document is notes/{slug}")),
    responses((status = 200, body = RestrictedDocument), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_notes(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, slug)): Path<(String, String)>,
    Json(body): Json<UpdateNotes>,
) -> ApiResult<Json<RestrictedDocument>> {
    auth.lead_of(&app, &review_id).await?;
    check_len("the title", &body.title, SHORT_TEXT)?;
    check_participants(&app, &review_id, &body.participants).await?;
    let name = format!("notes/{slug}");
    let title = if body.title.trim().is_empty() {
        name.clone()
    } else {
        body.title.trim().to_string()
    };
    if !app
        .directory
        .update_restricted_document(&review_id, &name, &title, &body.participants)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    record(
        &app,
        auth.0.actor(),
        &review_id,
        "document_participants_changed",
        &name,
        body.participants.join(", "),
    )
    .await?;
    Ok(Json(RestrictedDocument {
        name,
        title,
        participants: body.participants,
    }))
}

async fn check_participants(
    app: &AppState,
    review_id: &str,
    participants: &[String],
) -> ApiResult<()> {
    if participants.len() > 500 {
        return Err(ApiError::bad_request("Too many participants."));
    }
    let members = app.directory.members(review_id).await?;
    if let Some(stranger) = participants
        .iter()
        .find(|p| !members.iter().any(|m| &m.user_id == *p))
    {
        return Err(ApiError::bad_request(format!(
            "{stranger} is not in this review."
        )));
    }
    Ok(())
}

// ---- history and audit ----

#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// The document inside the review; default `board`.
    pub document: Option<String>,
    /// The entity id (a row, factor, finding or link).
    pub entity: String,
}

/// `GET /api/reviews/{review}/history?entity=ID`: who changed an entity, newest first.
#[utoipa::path(get, path = "/api/reviews/{review}/history", tag = "audit",
    params(("review" = String, Path, description = "The review's id"), HistoryQuery),
    responses((status = 200, body = Vec<AuditEvent>), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn history(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    Query(query): Query<HistoryQuery>,
) -> ApiResult<Json<Vec<AuditEvent>>> {
    let role = auth.role_in(&app, &review_id).await?;
    let name = query.document.as_deref().unwrap_or("board");
    let restricted = name.starts_with("notes/");
    let participant = if restricted {
        let user = auth.0.user().map(|u| u.id.as_str());
        app.directory
            .restricted_participant(&review_id, name, user)
            .await?
            .ok_or(ApiError::NotFound)?
    } else {
        false
    };
    document_access(Some(role), restricted, participant).ok_or(ApiError::NotFound)?;
    let document = format!("{review_id}/{name}");
    Ok(Json(
        app.directory
            .entity_history(&document, &query.entity, 200)
            .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Most events returned (default 500, at most 5000).
    pub limit: Option<i64>,
}

/// `GET /api/reviews/{review}/audit`: a lead reads the review's audit trail, newest first.
#[utoipa::path(get, path = "/api/reviews/{review}/audit", tag = "audit",
    params(("review" = String, Path, description = "The review's id"), AuditQuery),
    responses((status = 200, body = Vec<AuditEvent>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn audit(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEvent>>> {
    auth.lead_of(&app, &review_id).await?;
    let limit = query.limit.unwrap_or(500).clamp(1, 5000);
    Ok(Json(app.directory.review_audit(&review_id, limit).await?))
}

/// `GET /api/audit`: an administrator reads what belongs to no review: sign-ins, failed
/// sign-ins, lockouts, sign-outs, password changes, accounts created. Newest first.
#[utoipa::path(get, path = "/api/audit", tag = "audit",
    params(AuditQuery),
    responses((status = 200, body = Vec<AuditEvent>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn account_audit(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEvent>>> {
    if !caller.is_admin() {
        return Err(ApiError::Forbidden(
            "Only an administrator may read account activity.",
        ));
    }
    let limit = query.limit.unwrap_or(500).clamp(1, 5000);
    Ok(Json(app.directory.account_audit(limit).await?))
}
