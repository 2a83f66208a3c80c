//! Reviews: list, create, read and change their details, and the documents of a
//! review the caller may open.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    ApiError, ApiResult, Authed, ErrorBody, JsonBody,
    validate::{LONG_TEXT, SHORT_TEXT, check_len},
};
use crate::{
    access::{Caller, DocumentAccess, Role, document_access},
    audit::{AuditAction, AuditEvent},
    review::{self, Review, ReviewFields},
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewSummary {
    pub review: Review,
    /// The caller's role in the review.
    pub role: Role,
}

/// `GET /api/reviews`: the reviews the caller belongs to.
#[utoipa::path(get, path = "/api/reviews", tag = "reviews", operation_id = "list_reviews",
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
    JsonBody(body): JsonBody<CreateReview>,
) -> ApiResult<(StatusCode, Json<Review>)> {
    let Some(user) = caller.user().filter(|user| user.is_admin) else {
        return Err(ApiError::Forbidden(
            "only an administrator may create reviews",
        ));
    };
    let fields = review::new_review_fields(&body.title, &body.case_ref, &body.kind, &body.variant);
    check_fields(&fields)?;
    let actor = caller.actor();
    let created = app
        .directory
        .create_review(
            &fields,
            &review::timeline(&fields.variant),
            Some(&user.id),
            |review| {
                AuditEvent::action(
                    actor,
                    &review.id,
                    AuditAction::ReviewCreated,
                    &review.id,
                    review.title.clone(),
                )
            },
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

pub(super) async fn visible_documents(
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
        access: document_access(Some(role), false, false).unwrap_or(DocumentAccess::Read),
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
                // Only leads see who takes part: a participant is not told who else is.
                participants: role.leads().then_some(restricted.participants),
            });
        }
    }
    Ok(documents)
}

/// `GET /api/reviews/{review}`: a review's details, the caller's role and documents.
#[utoipa::path(get, path = "/api/reviews/{review}", tag = "reviews", operation_id = "show_review",
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
    JsonBody(body): JsonBody<UpdateReview>,
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
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::ReviewUpdated,
        &review_id,
        String::new(),
    );
    app.directory
        .update_review(&review_id, &fields, &event)
        .await?;
    let review = app
        .directory
        .review(&review_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(review))
}
