//! Signing in and out, the current account, password changes, and creating the first
//! administrator.

use std::net::SocketAddr;

use axum::{
    Json,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::JsonBody;
use super::{ApiError, ApiResult, Authed, ErrorBody};
use crate::{
    access::{Author, Caller, NewUser, User, secrets},
    audit::{AuditAction, AuditEvent},
    auth::{resolve_caller, session_set_cookie},
    clock::now_ms,
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct SetupStatus {
    /// True while the board has no account: the first administrator must be created,
    /// with the one-time link printed in the server's log (or `board user create`).
    pub needed: bool,
}

/// `GET /api/setup`
#[utoipa::path(get, path = "/api/setup", tag = "session",
    responses((status = 200, body = SetupStatus)))]
pub async fn setup_status(State(app): State<AppState>) -> ApiResult<Json<SetupStatus>> {
    let needed = app.setup.is_open() && app.directory.count_users().await? == 0;
    Ok(Json(SetupStatus { needed }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetupRequest {
    /// The one-time code from the server's log.
    pub code: String,
    pub email: String,
    pub name: String,
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub job_title: String,
    pub password: String,
}

/// `POST /api/setup`: creates the first administrator and signs them in.
#[utoipa::path(post, path = "/api/setup", tag = "session", request_body = SetupRequest,
    responses((status = 200, body = User), (status = 404, body = ErrorBody), (status = 400, body = ErrorBody)))]
pub async fn setup(
    State(app): State<AppState>,
    JsonBody(body): JsonBody<SetupRequest>,
) -> ApiResult<Response> {
    if app.directory.count_users().await? > 0 || !app.setup.redeem(&body.code) {
        return Err(ApiError::NotFound);
    }
    let created = create_administrator(&app, &body).await;
    let user = match created {
        Ok(user) => user,
        Err(err) => {
            app.setup.restore(&body.code);
            return Err(err);
        }
    };
    signed_in(&app, &user, &user).await
}

/// Checks and hashes the first administrator's password, then creates the account
/// with its audit row.
async fn create_administrator(app: &AppState, body: &SetupRequest) -> ApiResult<User> {
    let new = new_account(
        app,
        &body.email,
        &body.name,
        &body.agency,
        &body.job_title,
        &body.password,
        true,
    )
    .await?;
    app.directory
        .create_user(&new, |user| {
            AuditEvent::action(
                Caller::User(user.clone()).actor(),
                "",
                AuditAction::AdministratorCreated,
                &user.id,
                String::new(),
            )
        })
        .await?
        .ok_or_else(email_taken)
}

pub(super) fn email_taken() -> ApiError {
    ApiError::Conflict("an account with that email already exists; sign in instead".into())
}

/// Checks the details of a new account and hashes its password (nothing is stored).
pub(super) async fn new_account(
    app: &AppState,
    email: &str,
    name: &str,
    agency: &str,
    job_title: &str,
    password: &str,
    is_admin: bool,
) -> ApiResult<NewUser> {
    let email = email.trim();
    if !email.contains('@') || email.len() > 254 {
        return Err(ApiError::bad_request(
            "give an email address to sign in with",
        ));
    }
    if name.trim().is_empty() || name.len() > 200 {
        return Err(ApiError::bad_request("give a name of up to 200 characters"));
    }
    if agency.len() > 200 || job_title.len() > 200 {
        return Err(ApiError::bad_request(
            "agency and job title take up to 200 characters",
        ));
    }
    secrets::check_new_password(password).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let password_hash = app.password_work.admit()?.hash(password).await?;
    Ok(NewUser {
        email: email.to_string(),
        name: name.trim().to_string(),
        agency: agency.trim().to_string(),
        job_title: job_title.trim().to_string(),
        password_hash,
        is_admin,
    })
}

/// A session about to open: its secret (for the cookie), the hash stored for it, and
/// when it ends.
struct NewSession {
    secret: String,
    hash: String,
    expires_at: i64,
}

impl NewSession {
    fn new(app: &AppState) -> Self {
        let secret = secrets::new_secret("bs");
        NewSession {
            hash: secrets::secret_hash(&secret),
            secret,
            expires_at: now_ms() + app.auth.session_ttl.as_millis() as i64,
        }
    }

    /// The response that carries the opened session's cookie, and `body`.
    fn response(&self, app: &AppState, body: impl Serialize) -> Response {
        let cookie: HeaderValue = session_set_cookie(Some(&self.secret), &app.auth);
        ([(header::SET_COOKIE, cookie)], Json(body)).into_response()
    }
}

/// A response that signs in `user`, whose account was just created (and recorded): the
/// session cookie, and `body`.
pub(super) async fn signed_in(
    app: &AppState,
    user: &User,
    body: impl Serialize,
) -> ApiResult<Response> {
    let session = NewSession::new(app);
    app.directory
        .create_session(&session.hash, &user.id, session.expires_at)
        .await?;
    Ok(session.response(app, body))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /api/session`: signs in with email and password.
///
/// An unknown email, a wrong password and a locked account answer alike (401, the same
/// body) after the same work (one argon2 check and the same queries), so sign-in does
/// not tell which emails have accounts.
#[utoipa::path(post, path = "/api/session", tag = "session", request_body = LoginRequest,
    responses(
        (status = 200, body = User, description = "Signed in; the session cookie is set"),
        (status = 401, body = ErrorBody, description = "Wrong email or password, or the account is locked for a while"),
        (status = 429, body = ErrorBody, description = "Too many attempts from this address"),
        (status = 503, body = ErrorBody, description = "Too many passwords being checked at once; try again after Retry-After")))]
pub async fn login(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(body): JsonBody<LoginRequest>,
) -> ApiResult<Response> {
    let ip = peer.ip();
    app.login_limiter
        .attempt(ip)
        .map_err(ApiError::TooManyAttempts)?;
    let admission = app.password_work.admit()?;
    let now = now_ms();
    let lock_after = i64::from(app.auth.lockout_after);
    // The attempt is reserved (and counted) before the password is checked, in one
    // statement: parallel guesses cannot all slip past a lockout read earlier. The same
    // statement runs whether or not the email has an account.
    let reserved = app
        .directory
        .reserve_password_check(
            &body.email,
            lock_after,
            now + app.auth.lockout.as_millis() as i64,
            now,
        )
        .await?;
    let (account, failures) = match (app.directory.login_record(&body.email).await?, reserved) {
        (Some(account), Some(failures)) => (account, failures),
        (account, _) => {
            // No account, or a locked one: the same work and answer as a wrong password.
            admission.verify_decoy(&body.password).await?;
            return Err(refused_sign_in(&app, account, &body.email, ip).await?);
        }
    };
    let actor = Caller::User(account.user.clone()).actor();
    if !admission
        .verify(&body.password, &account.password_hash)
        .await?
    {
        let locks = failures >= lock_after;
        record(
            &app,
            actor,
            "",
            AuditAction::LoginFailed,
            &account.user.id,
            format!("from {ip}{}", if locks { "; account locked" } else { "" }),
        )
        .await?;
        return Err(ApiError::BadCredentials);
    }
    let session = NewSession::new(&app);
    let event = AuditEvent::action(
        actor,
        "",
        AuditAction::Login,
        &account.user.id,
        format!("from {ip}"),
    );
    app.directory
        .sign_in(&account.user.id, &session.hash, session.expires_at, &event)
        .await?;
    Ok(session.response(&app, &account.user))
}

/// Records a sign-in refused without a check (no such account, or a locked one) and
/// gives the answer a wrong password gets.
async fn refused_sign_in(
    app: &AppState,
    account: Option<crate::access::LoginRecord>,
    email: &str,
    ip: std::net::IpAddr,
) -> ApiResult<ApiError> {
    let (actor, action, entity, detail) = match account {
        Some(locked) => (
            Caller::User(locked.user.clone()).actor(),
            AuditAction::LoginRefusedLocked,
            locked.user.id,
            format!("from {ip}"),
        ),
        None => (
            Author {
                kind: "system",
                name: secrets::masked_identifier(email),
                ..Author::default()
            },
            AuditAction::LoginFailed,
            String::new(),
            format!("unknown account, from {ip}"),
        ),
    };
    record(app, actor, "", action, &entity, detail).await?;
    Ok(ApiError::BadCredentials)
}

/// `DELETE /api/session`: signs out (ends this session).
#[utoipa::path(delete, path = "/api/session", tag = "session",
    responses((status = 204, description = "Signed out; the cookie is cleared")))]
pub async fn logout(State(app): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some((caller, crate::auth::Credential::Session(hash))) =
        resolve_caller(&app.directory, &headers, None).await?
    {
        let event = AuditEvent::action(caller.actor(), "", AuditAction::Logout, "", String::new());
        app.directory.delete_session(&hash, &event).await?;
        if let Caller::User(user) = &caller {
            app.access_changes.user(&user.id);
        }
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_set_cookie(None, &app.auth));
    Ok(response)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The signed-in person (absent for an access token).
    pub user: Option<User>,
    /// For an access token: the one review it opens, and its role there.
    pub token_review: Option<String>,
    pub token_role: Option<crate::access::Role>,
}

/// Who is signed in on this browser: the person, or nobody.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionState {
    pub user: Option<User>,
}

/// `GET /api/session`: who is signed in on this browser, answered for anyone (`user`
/// null when nobody is), so that a page shown signed out makes no failing request.
/// Only a session cookie counts; an access token is for scripts, which ask `/api/me`.
#[utoipa::path(get, path = "/api/session", tag = "session", operation_id = "session_state",
    responses((status = 200, body = SessionState)))]
pub async fn session_state(
    State(app): State<AppState>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Json<SessionState>> {
    let cookies_only = {
        let mut only = axum::http::HeaderMap::new();
        for value in headers.get_all(axum::http::header::COOKIE) {
            only.append(axum::http::header::COOKIE, value.clone());
        }
        only
    };
    let caller = crate::auth::resolve_caller(&app.directory, &cookies_only, None).await?;
    let user = match caller {
        Some((Caller::User(user), _)) => Some(user),
        _ => None,
    };
    Ok(Json(SessionState { user }))
}

/// `GET /api/me`: who the caller is.
#[utoipa::path(get, path = "/api/me", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn me(Authed(caller): Authed) -> Json<Me> {
    Json(match caller {
        Caller::User(user) => Me {
            user: Some(user),
            token_review: None,
            token_role: None,
        },
        Caller::Token(grant) => Me {
            user: None,
            token_review: Some(grant.review_id),
            token_role: Some(grant.role),
        },
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `PUT /api/me/password`: changes the caller's password and ends their other sessions.
/// Guessing the current password here is held to the same limits as signing in: the
/// address's rate limit, and the account's failure count and lockout.
#[utoipa::path(put, path = "/api/me/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 400, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "Too many attempts from this address, or the account is locked for a while"),
        (status = 503, body = ErrorBody, description = "Too many passwords being checked at once; try again after Retry-After")),
    security(("session" = [])))]
pub async fn change_password(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<PasswordChange>,
) -> ApiResult<StatusCode> {
    let Some((Caller::User(user), crate::auth::Credential::Session(session))) =
        resolve_caller(&app.directory, &headers, None).await?
    else {
        return Err(ApiError::Unauthenticated);
    };
    let ip = peer.ip();
    app.login_limiter
        .attempt(ip)
        .map_err(ApiError::TooManyAttempts)?;
    secrets::check_new_password(&body.new_password)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let admission = app.password_work.admit()?;
    let actor = Caller::User(user.clone()).actor();
    let now = now_ms();
    let lock_after = i64::from(app.auth.lockout_after);
    let Some(failures) = app
        .directory
        .reserve_password_check(
            &user.email,
            lock_after,
            now + app.auth.lockout.as_millis() as i64,
            now,
        )
        .await?
    else {
        let locked_until = app
            .directory
            .login_record(&user.email)
            .await?
            .map_or(now, |account| account.locked_until);
        record(
            &app,
            actor,
            "",
            AuditAction::PasswordChangeRefusedLocked,
            &user.id,
            format!("from {ip}"),
        )
        .await?;
        return Err(ApiError::TooManyAttempts(
            ((locked_until - now) / 1000).max(1) as u64,
        ));
    };
    let account = app
        .directory
        .login_record(&user.email)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    if !admission
        .verify(&body.current_password, &account.password_hash)
        .await?
    {
        let locks = failures >= lock_after;
        record(
            &app,
            actor,
            "",
            AuditAction::PasswordChangeFailed,
            &user.id,
            format!("from {ip}{}", if locks { "; account locked" } else { "" }),
        )
        .await?;
        return Err(ApiError::WrongCurrentPassword);
    }
    app.directory.login_succeeded(&user.id).await?;
    let hash = app.password_work.admit()?.hash(&body.new_password).await?;
    let event = AuditEvent::action(
        actor,
        "",
        AuditAction::PasswordChanged,
        &user.id,
        String::new(),
    );
    app.directory
        .set_password(&user.id, &hash, Some(&session), &event)
        .await?;
    app.access_changes.user(&user.id);
    Ok(StatusCode::NO_CONTENT)
}

/// Records an event that is a change in itself (a refused sign-in, for one). Any other
/// change records its event through the directory method that makes it, in the same
/// transaction.
async fn record(
    app: &AppState,
    actor: Author,
    review_id: &str,
    action: AuditAction,
    entity: &str,
    detail: String,
) -> ApiResult<()> {
    app.directory
        .record(&[AuditEvent::action(actor, review_id, action, entity, detail)])
        .await?;
    Ok(())
}
