//! A REST client for the board's `/api`, and people set up the way the product sets
//! them up: an administrator from the command line, everyone else by invitation.

use std::sync::Mutex;

use anyhow::{Context, Result, anyhow, bail};
use reqwest::{Method, header};
use serde_json::{Value, json};

use crate::server::{Access, TestServer};

/// A caller of the API: anonymous, signed in (a session cookie), or holding a token.
pub struct ApiClient {
    base: String,
    http: reqwest::Client,
    cookie: Mutex<Option<String>>,
    bearer: Option<String>,
    origin: Option<String>,
}

/// An answer: the status and the JSON body (`Value::Null` when there is none).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub set_cookie: Option<String>,
    /// The `Retry-After` header, in seconds.
    pub retry_after: Option<u64>,
}

impl Answer {
    /// The body, if the status is `expected`.
    pub fn expect(self, expected: u16) -> Result<Value> {
        if self.status != expected {
            bail!("expected {expected}, got {}: {}", self.status, self.body);
        }
        Ok(self.body)
    }
}

impl ApiClient {
    pub fn anonymous(server: &TestServer) -> Self {
        Self::at(server.addr)
    }

    /// An anonymous caller of the server at `addr`.
    pub fn at(addr: std::net::SocketAddr) -> Self {
        Self {
            base: format!("http://{addr}"),
            http: reqwest::Client::new(),
            cookie: Mutex::new(None),
            bearer: None,
            origin: None,
        }
    }

    /// Anonymous, connecting from the loopback address `from` (e.g. 127.0.0.7), as
    /// one of many machines would.
    pub fn anonymous_from(server: &TestServer, from: std::net::IpAddr) -> Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder().local_address(from).build()?,
            ..Self::anonymous(server)
        })
    }

    pub fn with_token(server: &TestServer, token: &str) -> Self {
        Self {
            bearer: Some(token.to_string()),
            ..Self::anonymous(server)
        }
    }

    /// Signs in with email and password.
    pub async fn login(server: &TestServer, email: &str, password: &str) -> Result<Self> {
        Self::login_at(server.addr, email, password).await
    }

    /// Signs in to the server at `addr` with email and password.
    pub async fn login_at(addr: std::net::SocketAddr, email: &str, password: &str) -> Result<Self> {
        let client = Self::at(addr);
        client
            .post(
                "/api/session",
                json!({"email": email, "password": password}),
            )
            .await?
            .expect(200)
            .context("signing in")?;
        Ok(client)
    }

    /// The same caller, sending `Origin: origin` (as a browser page would).
    pub fn from_origin(mut self, origin: &str) -> Self {
        self.origin = Some(origin.to_string());
        self
    }

    /// The session cookie (`board_session=...`), if signed in.
    pub fn cookie(&self) -> Option<String> {
        self.cookie
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub async fn get(&self, path: &str) -> Result<Answer> {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Result<Answer> {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Result<Answer> {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Result<Answer> {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Result<Answer> {
        self.call(Method::DELETE, path, None).await
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Result<Answer> {
        self.send(method, path, |request| match body {
            Some(body) => request.json(&body),
            None => request,
        })
        .await
    }

    /// Posts `bytes` as the body (a file, as the browser uploads one).
    pub async fn post_file(&self, path: &str, bytes: Vec<u8>) -> Result<Answer> {
        self.send(Method::POST, path, |request| {
            request
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .body(bytes)
        })
        .await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<Answer> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(cookie) = self.cookie() {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(origin) = &self.origin {
            request = request.header(header::ORIGIN, origin);
        }
        let response = body(request)
            .send()
            .await
            .with_context(|| format!("{method} {path}"))?;
        let status = response.status().as_u16();
        let set_cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let Some(set) = &set_cookie {
            let pair = set.split(';').next().unwrap_or_default().trim().to_string();
            let cleared = pair.ends_with('=');
            *self.cookie.lock().unwrap_or_else(|e| e.into_inner()) = (!cleared).then_some(pair);
        }
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let text = response.text().await?;
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok(Answer {
            status,
            body,
            set_cookie,
            retry_after,
        })
    }
}

/// Creates a review titled `title` as `admin` (an administrator, who becomes its lead)
/// and mints a token for `role` in it.
pub async fn review_with_token(admin: &ApiClient, title: &str, role: &str) -> Result<Access> {
    let review = admin
        .post("/api/reviews", json!({"title": title}))
        .await?
        .expect(201)
        .context("creating a review")?["id"]
        .as_str()
        .ok_or_else(|| anyhow!("no review id"))?
        .to_string();
    let minted = admin
        .post(
            &format!("/api/reviews/{review}/tokens"),
            json!({"role": role, "label": role}),
        )
        .await?
        .expect(201)
        .context("minting a token")?;
    let token = minted["secret"]
        .as_str()
        .ok_or_else(|| anyhow!("no secret in {minted}"))?
        .to_string();
    Ok(Access { review, token })
}

/// Someone with an account.
pub struct Person {
    pub name: String,
    pub email: String,
    pub password: String,
    pub user_id: String,
    pub api: ApiClient,
}

impl Person {
    /// A sync client on `review`'s board, signed in as this person, synced.
    pub async fn on_board(&self, server: &TestServer, review: &str) -> Result<crate::YClient> {
        let url = format!("ws://{}/sync/{review}/board", server.addr);
        let cookie = self.api.cookie().unwrap_or_default();
        let client =
            crate::YClient::connect_with(&url, &[("cookie", &cookie)], yrs::Doc::new()).await?;
        client.synced().await?;
        Ok(client)
    }
}

/// Creates an administrator with `board user create --admin` and signs them in.
pub async fn admin(server: &TestServer, name: &str) -> Result<Person> {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let password = format!("{name} has a long password");
    let user_id = server
        .command(
            &[
                "user",
                "create",
                "--email",
                &email,
                "--name",
                name,
                "--agency",
                "Safeguarding partnership",
                "--admin",
            ],
            &format!("{password}\n"),
        )
        .await?;
    let api = ApiClient::login(server, &email, &password).await?;
    Ok(Person {
        name: name.to_string(),
        email,
        password,
        user_id,
        api,
    })
}

/// `lead` invites `name` (of `agency`) to `review` as `role`; the invitation is accepted
/// by a new account, signed in.
pub async fn invite(
    server: &TestServer,
    lead: &ApiClient,
    review: &str,
    role: &str,
    name: &str,
    agency: &str,
) -> Result<Person> {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let created = lead
        .post(
            &format!("/api/reviews/{review}/invitations"),
            json!({"role": role, "name": name, "email": email, "agency": agency}),
        )
        .await?
        .expect(201)
        .context("inviting")?;
    let secret = created["secret"]
        .as_str()
        .ok_or_else(|| anyhow!("no secret in {created}"))?
        .to_string();
    let password = format!("{name} has a long password");
    let api = ApiClient::anonymous(server);
    let accepted = api
        .post(
            "/api/invitations/accept",
            json!({"secret": secret, "password": password}),
        )
        .await?
        .expect(200)
        .context("accepting")?;
    let user_id = accepted["user"]["id"]
        .as_str()
        .ok_or_else(|| anyhow!("no user in {accepted}"))?
        .to_string();
    Ok(Person {
        name: name.to_string(),
        email,
        password,
        user_id,
        api,
    })
}

/// `lead` creates a review from `fields` (its title at least); returns its id.
pub async fn create_review(lead: &ApiClient, fields: Value) -> Result<String> {
    Ok(lead.post("/api/reviews", fields).await?.expect(201)?["id"]
        .as_str()
        .ok_or_else(|| anyhow!("no review id"))?
        .to_string())
}
