//! Several `board serve` nodes on one PostgreSQL database, each link through a
//! [`Proxy`] that tests can cut: node to database, and the way other nodes reach it.

use std::{net::SocketAddr, time::Duration};

use anyhow::{Context, Result, anyhow};
use sqlx::{Connection, PgConnection, Row};

use crate::{
    Backend, TestDb, TestServer,
    proxy::{Mode, Proxy},
    server::ServerOptions,
};

/// The owner timeout the cluster tests run with: short, so failovers are quick.
pub const OWNER_TIMEOUT: &str = "1s";

/// One node: its server, the proxy it reaches the database through, and the proxy the
/// other nodes reach it through (its `--advertise` address).
pub struct Node {
    pub server: TestServer,
    pub to_database: Proxy,
    pub inbound: Proxy,
}

/// Nodes on one database.
pub struct TestCluster {
    pub db: TestDb,
    pub nodes: Vec<Node>,
    /// The `board` binary and log filter of every node (a benchmark's release build).
    options: ServerOptions,
    /// Whether links go through the proxies (tests) or straight (benchmarks: a proxy's
    /// copy would count as the cluster's own cost).
    proxied: bool,
}

impl TestCluster {
    /// Starts `count` nodes on a new PostgreSQL database, all with `args`; the first
    /// makes the review the tests use, the others share it.
    pub async fn start(count: usize, args: &[&str]) -> Result<Self> {
        Self::start_on(TestDb::new(Backend::Postgres).await?, count, args).await
    }

    /// Starts `count` nodes on the PostgreSQL database `db`.
    pub async fn start_on(db: TestDb, count: usize, args: &[&str]) -> Result<Self> {
        Self::start_with(db, count, args, ServerOptions::default()).await
    }

    /// Starts `count` nodes on `db`, each with `options`' binary and log filter.
    pub async fn start_with(
        db: TestDb,
        count: usize,
        args: &[&str],
        options: ServerOptions,
    ) -> Result<Self> {
        Self::assemble(db, count, args, options, true).await
    }

    /// Starts `count` nodes on `db` with no proxy on any link: each node advertises the
    /// address it listens on and reaches the database directly (for benchmarks; the
    /// link-cutting methods then do nothing).
    pub async fn start_direct(
        db: TestDb,
        count: usize,
        args: &[&str],
        options: ServerOptions,
    ) -> Result<Self> {
        Self::assemble(db, count, args, options, false).await
    }

    async fn assemble(
        db: TestDb,
        count: usize,
        args: &[&str],
        options: ServerOptions,
        proxied: bool,
    ) -> Result<Self> {
        let mut cluster = Self {
            db,
            nodes: Vec::new(),
            options,
            proxied,
        };
        for _ in 0..count {
            cluster.add_node(args).await?;
        }
        Ok(cluster)
    }

    /// Starts one more node.
    pub async fn add_node(&mut self, args: &[&str]) -> Result<&mut Node> {
        let index = self.nodes.len();
        let database: SocketAddr = postgres_address(&self.db.url)?;
        let to_database = Proxy::start(Some(database)).await?;
        let inbound = Proxy::start(None).await?;
        let url = self
            .db
            .url
            .replacen(&database.to_string(), &to_database.addr.to_string(), 1);
        let advertise = format!("http://{}", inbound.addr);
        let mut all: Vec<&str> = if self.proxied {
            vec!["--advertise", &advertise]
        } else {
            Vec::new()
        };
        // Short timings for tests, unless the caller gives its own.
        for (flag, value) in [
            ("--owner-timeout", OWNER_TIMEOUT),
            ("--ping-interval", "1s"),
        ] {
            if !args.contains(&flag) {
                all.extend([flag, value]);
            }
        }
        all.extend_from_slice(args);
        let options = ServerOptions {
            database_url: Some(if self.proxied {
                url
            } else {
                self.db.url.clone()
            }),
            log_name: Some(format!("node{index}")),
            access: self.nodes.first().map(|n| n.server.access.clone()),
            ..self.options.clone()
        };
        let server = TestServer::start_with_options(&self.db, &all, options).await?;
        inbound.target(server.addr);
        self.nodes.push(Node {
            server,
            to_database,
            inbound,
        });
        self.nodes
            .last_mut()
            .ok_or_else(|| anyhow!("no node was added"))
    }

    /// The websocket URL of `document` in the test's review, through node `index`.
    pub fn ws_url(&self, index: usize, document: &str) -> String {
        self.nodes[index].server.ws_url(document)
    }

    /// The node the database names as the owner of `document` (of the test's review),
    /// by its index here; `None` when nobody owns it.
    pub async fn owner_of(&self, document: &str) -> Result<Option<usize>> {
        let name = format!("{}/{document}", self.nodes[0].server.access.review);
        let mut conn = PgConnection::connect(&self.db.url).await?;
        let row = sqlx::query(
            "select n.address from document_owners o join cluster_nodes n on n.id = o.owner_node
             where o.document = $1",
        )
        .bind(&name)
        .fetch_optional(&mut conn)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let address: String = row.try_get(0)?;
        Ok(self.nodes.iter().position(|n| {
            address == format!("http://{}", n.inbound.addr)
                || address == format!("http://{}", n.server.addr)
        }))
    }

    /// Every stored seq of `document`, in order, with the merged state's seq first
    /// (0 without one): a dense log reads 1, 2, 3, ... after it.
    pub async fn stored_seqs(&self, document: &str) -> Result<(i64, Vec<i64>)> {
        let name = format!("{}/{document}", self.nodes[0].server.access.review);
        let mut conn = PgConnection::connect(&self.db.url).await?;
        let state: Option<i64> =
            sqlx::query_scalar("select seq from document_states where document = $1")
                .bind(&name)
                .fetch_optional(&mut conn)
                .await?;
        let seqs: Vec<i64> =
            sqlx::query_scalar("select seq from document_updates where document = $1 order by seq")
                .bind(&name)
                .fetch_all(&mut conn)
                .await?;
        Ok((state.unwrap_or(0), seqs))
    }

    /// Cuts or restores node `index`'s link to the database.
    pub fn database_link(&self, index: usize, mode: Mode) {
        self.nodes[index].to_database.set(mode);
    }

    /// Cuts or restores the other nodes' link to node `index`.
    pub fn inbound_link(&self, index: usize, mode: Mode) {
        self.nodes[index].inbound.set(mode);
    }

    /// Fails if any node that runs logged a panic.
    pub fn assert_no_panic(&self) {
        for (i, node) in self.nodes.iter().enumerate() {
            let log = node.server.log_text();
            assert!(!log.contains("panicked"), "node {i} panicked:\n{log}");
        }
    }

    /// Every node's log, for a failure message.
    pub fn logs(&self) -> String {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| format!("--- node {i}\n{}", n.server.log_text()))
            .collect()
    }
}

/// The host:port of a postgres:// URL.
fn postgres_address(url: &str) -> Result<SocketAddr> {
    let rest = url
        .split_once('@')
        .map(|(_, rest)| rest)
        .context("a PostgreSQL URL with user@host")?;
    let host_port = rest.split('/').next().unwrap_or_default();
    let host_port = if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:5432")
    };
    let host_port = host_port.replace("localhost", "127.0.0.1");
    host_port
        .parse()
        .with_context(|| format!("{host_port} is not an address"))
}

/// How long the cluster tests allow for a failover: the owner timeout, the clients'
/// reconnection and loading, with room for a slow machine.
pub const FAILOVER_LIMIT: Duration = Duration::from_secs(20);

/// Certificates for mutual TLS between test nodes, made with `openssl` in `dir`: the
/// cluster's authority, one certificate every node uses (for 127.0.0.1), and a
/// certificate from another authority.
pub struct TlsFiles {
    pub ca: std::path::PathBuf,
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
    pub stranger_cert: std::path::PathBuf,
    pub stranger_key: std::path::PathBuf,
}

impl TlsFiles {
    pub fn make(dir: &std::path::Path) -> Result<Self> {
        let openssl = |args: &[&str]| -> Result<()> {
            let out = std::process::Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .context("openssl is needed to make test certificates")?;
            if !out.status.success() {
                anyhow::bail!("openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            }
            Ok(())
        };
        std::fs::write(
            dir.join("node.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
             keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n",
        )?;
        for authority in ["ca", "stranger-ca"] {
            openssl(&[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &format!("{authority}.key"),
                "-out",
                &format!("{authority}.pem"),
                "-days",
                "2",
                "-subj",
                "/CN=board test authority",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ])?;
        }
        for (name, authority) in [("node", "ca"), ("stranger", "stranger-ca")] {
            openssl(&[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.csr"),
                "-subj",
                &format!("/CN={name}"),
            ])?;
            openssl(&[
                "x509",
                "-req",
                "-in",
                &format!("{name}.csr"),
                "-CA",
                &format!("{authority}.pem"),
                "-CAkey",
                &format!("{authority}.key"),
                "-CAcreateserial",
                "-out",
                &format!("{name}.pem"),
                "-days",
                "2",
                "-extfile",
                "node.ext",
            ])?;
        }
        Ok(Self {
            ca: dir.join("ca.pem"),
            cert: dir.join("node.pem"),
            key: dir.join("node.key"),
            stranger_cert: dir.join("stranger.pem"),
            stranger_key: dir.join("stranger.key"),
        })
    }

    /// The `board serve` flags of a node that talks to the others over mutual TLS.
    pub fn args(&self) -> Vec<String> {
        let path = |p: &std::path::Path| p.display().to_string();
        vec![
            "--cluster-listen".into(),
            "127.0.0.1:0".into(),
            "--cluster-tls-cert".into(),
            path(&self.cert),
            "--cluster-tls-key".into(),
            path(&self.key),
            "--cluster-tls-ca".into(),
            path(&self.ca),
        ]
    }
}

/// The address a node listens on for the other nodes (with mutual TLS), from its log.
pub fn cluster_listener(server: &TestServer) -> Option<String> {
    let log = server.log_text();
    let line = log
        .lines()
        .rev()
        .find(|l| l.contains("listening for the other nodes"))?;
    let at = line.split("addr=").nth(1)?;
    Some(at.split_whitespace().next()?.to_string())
}
