//! Who is calling: session cookies, bearer tokens, `?token=` on the websocket, and the
//! checks around them (origins, login rate limits, the one-time setup code, bounded
//! password work). Shared by the REST API and the websocket; imports neither.

mod password_work;

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::http::{HeaderMap, HeaderValue, header};

use crate::{
    access::{Caller, DocumentAccess, DocumentKind, DocumentPlace, Role, document_access, secrets},
    quota::TokenBucket,
    store::{Directory, StoreError},
};

/// How sign-in and cross-site protection behave.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Mark session cookies Secure (the board is served over https).
    pub secure_cookies: bool,
    /// Origins besides the request's own host that may call with a session.
    pub allowed_origins: Vec<String>,
    pub session_ttl: Duration,
    pub lockout_after: u32,
    pub lockout: Duration,
    pub login_attempts_per_minute: u32,
    pub max_body_bytes: usize,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            allowed_origins: Vec::new(),
            session_ttl: Duration::from_secs(12 * 3600),
            lockout_after: 5,
            lockout: Duration::from_secs(15 * 60),
            login_attempts_per_minute: 20,
            max_body_bytes: 64 << 10,
        }
    }
}

pub use password_work::{PasswordWork, PasswordWorkError};

/// The session cookie's name. The `__Host-` prefix would need Secure, which a board
/// on plain http (the local default) cannot set.
pub const SESSION_COOKIE: &str = "board_session";

/// How a caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A session cookie; holds the stored hash of the session secret.
    Session(String),
    /// An access token, from `Authorization: Bearer` or `?token=`.
    Token,
}

/// Resolves the caller from `Authorization: Bearer`, then `query_token`, then the
/// session cookie. `Ok(None)` when no credential is given or it is not valid (unknown,
/// expired, revoked): all the same to the caller.
pub async fn resolve_caller(
    directory: &Directory,
    headers: &HeaderMap,
    query_token: Option<&str>,
) -> Result<Option<(Caller, Credential)>, StoreError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(token) = bearer.or(query_token) {
        let grant = directory.token_grant(&secrets::secret_hash(token)).await?;
        return Ok(grant.map(|grant| (Caller::Token(grant), Credential::Token)));
    }
    if let Some(secret) = session_cookie(headers) {
        let hash = secrets::secret_hash(secret);
        let user = directory.session_user(&hash).await?;
        return Ok(user.map(|user| (Caller::User(user), Credential::Session(hash))));
    }
    Ok(None)
}

/// What the caller may do with the document at `place`; `None` when it must look as if
/// it did not exist: the caller is not in the review, the name is not one a review has,
/// or restricted notes were never created or do not list the caller.
pub async fn document_access_of(
    directory: &Directory,
    caller: &Caller,
    place: &DocumentPlace<'_>,
) -> Result<Option<DocumentAccess>, StoreError> {
    let Some(kind) = place.kind() else {
        return Ok(None);
    };
    let role = role_in(directory, caller, place.review_id).await?;
    if role.is_none() {
        return Ok(None);
    }
    let participant = match kind {
        DocumentKind::Board => false,
        DocumentKind::Notes => {
            let user = caller.user().map(|u| u.id.as_str());
            match directory
                .restricted_participant(place.review_id, place.name, user)
                .await?
            {
                Some(participant) => participant,
                None => return Ok(None),
            }
        }
    };
    Ok(document_access(
        role,
        kind == DocumentKind::Notes,
        participant,
    ))
}

/// The caller's role in a review: a person's membership, or what their token grants.
pub async fn role_in(
    directory: &Directory,
    caller: &Caller,
    review_id: &str,
) -> Result<Option<Role>, StoreError> {
    match caller {
        Caller::User(user) => directory.role_of(review_id, &user.id).await,
        Caller::Token(grant) => Ok((grant.review_id == review_id).then_some(grant.role)),
    }
}

/// The session secret from the `Cookie` header, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// `Set-Cookie` for a new session (or, with `None`, one that clears it).
pub fn session_set_cookie(secret: Option<&str>, config: &AuthConfig) -> HeaderValue {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let value = match secret {
        Some(secret) => format!(
            "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            config.session_ttl.as_secs()
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// True when `origin` is this server's own (the `Host` the request came to) or one the
/// configuration allows.
pub fn allowed_origin(origin: &HeaderValue, headers: &HeaderMap, config: &AuthConfig) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim_end_matches('/');
    if config
        .allowed_origins
        .iter()
        .any(|allowed| allowed == origin)
    {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|origin_host| origin_host.eq_ignore_ascii_case(host))
}

/// Whether a request with `headers` came from another site's page.
pub fn is_cross_site(headers: &HeaderMap, config: &AuthConfig) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN) {
        return !allowed_origin(origin, headers, config);
    }
    matches!(
        headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()),
        Some("cross-site" | "same-site")
    )
}

/// Login attempts per client address: a token bucket each, so a guessing script is
/// slowed down whichever accounts it tries. Bounded: the table is cleared when it
/// grows large (buckets refill within a minute anyway).
#[derive(Debug)]
pub struct LoginLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<IpAddr, TokenBucket>>,
}

const MAX_TRACKED_ADDRESSES: usize = 10_000;

impl LoginLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one attempt for `addr`; `Err(seconds)` until the next is allowed.
    pub fn attempt(&self, addr: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > MAX_TRACKED_ADDRESSES {
            buckets.clear();
        }
        buckets
            .entry(addr)
            .or_insert_with(|| TokenBucket::new(self.per_minute / 60.0, self.per_minute, now))
            .take(now)
            .map_err(|wait| wait.as_secs().max(1))
    }
}

/// The one-time code that lets the first administrator be created from the browser.
/// It exists only while there is no account, lives in memory only, and is printed to
/// the server's log at start.
#[derive(Debug, Default)]
pub struct SetupCode {
    hash: Mutex<Option<String>>,
}

impl SetupCode {
    /// Makes a new code and returns it (to print).
    pub fn issue(&self) -> String {
        let code = secrets::new_secret("setup");
        *self.hash.lock().unwrap_or_else(|e| e.into_inner()) = Some(secrets::secret_hash(&code));
        code
    }

    pub fn is_open(&self) -> bool {
        self.hash
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Uses the code up if `code` is it.
    pub fn redeem(&self, code: &str) -> bool {
        let mut hash = self.hash.lock().unwrap_or_else(|e| e.into_inner());
        if hash.as_deref() == Some(secrets::secret_hash(code).as_str()) {
            *hash = None;
            true
        } else {
            false
        }
    }

    /// Puts a redeemed code back (the account could not be created after all).
    pub fn restore(&self, code: &str) {
        *self.hash.lock().unwrap_or_else(|e| e.into_inner()) = Some(secrets::secret_hash(code));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).expect("header"));
        }
        map
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let h = headers(&[("cookie", "theme=dark; board_session=abc123; x=y")]);
        assert_eq!(session_cookie(&h), Some("abc123"));
        assert_eq!(
            session_cookie(&headers(&[("cookie", "board_session=")])),
            None
        );
        assert_eq!(session_cookie(&HeaderMap::new()), None);
    }

    #[test]
    fn origins_must_be_the_host_or_allowed() {
        let config = AuthConfig {
            allowed_origins: vec!["https://board.example.org".into()],
            ..AuthConfig::default()
        };
        let h = headers(&[("host", "127.0.0.1:8080")]);
        let ok = |o: &str| allowed_origin(&HeaderValue::from_str(o).expect("v"), &h, &config);
        assert!(ok("http://127.0.0.1:8080"));
        assert!(ok("https://board.example.org"));
        assert!(!ok("http://evil.example"));
        assert!(!ok("http://127.0.0.1:8081"));
        assert!(!ok("null"));
    }

    #[test]
    fn session_cookies_are_http_only_and_same_site() {
        let config = AuthConfig::default();
        let cookie = session_set_cookie(Some("s"), &config);
        let text = cookie.to_str().expect("ascii");
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax"));
        assert!(!text.contains("Secure"));
        let secure = AuthConfig {
            secure_cookies: true,
            ..config
        };
        let text = session_set_cookie(Some("s"), &secure);
        assert!(text.to_str().expect("ascii").contains("; Secure"));
    }

    #[test]
    fn login_attempts_are_limited_per_address() {
        let limiter = LoginLimiter::new(3);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        assert!(limiter.attempt(a).is_ok());
        assert!(limiter.attempt(a).is_ok());
        assert!(limiter.attempt(a).is_ok());
        assert!(limiter.attempt(a).is_err());
        assert!(limiter.attempt(b).is_ok());
    }

    #[test]
    fn the_setup_code_works_once() {
        let setup = SetupCode::default();
        assert!(!setup.is_open());
        let code = setup.issue();
        assert!(!setup.redeem("wrong"));
        assert!(setup.redeem(&code));
        assert!(!setup.redeem(&code));
    }
}
