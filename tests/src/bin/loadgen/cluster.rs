//! Scenario `cluster`: three nodes on one PostgreSQL database (docs/cluster.md).
//!
//! 1. Relay overhead: clients of one board spread over the nodes; writers edit at a
//!    steady rate; the fan-out latency of clients on the owner is compared with that of
//!    clients relayed through another node.
//! 2. Failover: clients of one board spread over the nodes reconnect when closed (as
//!    y-websocket does: 100 ms, then doubling up to 2.5 s); the owner is killed with
//!    SIGKILL, and the time until every client is synced again is measured, kill after
//!    kill (the killed node restarts once the board is served again).
//! 3. Scale: many clients over many boards, spread over the nodes; every edit must reach
//!    every client of its board; peak memory per node.

use std::{
    fmt::Write as _,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use board_tests::{
    Backend, TestDb,
    cluster::TestCluster,
    server::{Access, ServerOptions},
};
use futures_util::StreamExt;
use serde_json::json;
use tokio::sync::{Semaphore, watch};
use yrs::Doc;

use crate::{
    cli::ClusterArgs,
    fanout_client::{ClientPlan, FanoutShared, Phase, fanout_client},
    meters::status_mb,
    report::Report,
    stats::{Dist, now_us},
    sync::connect_synced,
    target::{Bench, server_binary},
};

/// Flags every node runs with: the simulated clients share tokens and one address.
const NODE_ARGS: [&str; 4] = [
    "--max-websockets-per-credential",
    "1000000",
    "--max-connections-per-address",
    "1000000",
];

pub(crate) async fn cluster(bench: &Bench, args: &ClusterArgs, label: &str) -> Result<Report> {
    if bench.external.is_some() {
        bail!("{label} starts nodes of its own: it cannot use --url");
    }
    let mut text = String::new();
    let mut json = json!({"scenario": label, "kind": "cluster", "nodes": args.nodes});

    let _ = writeln!(
        text,
        "{label}: {} nodes on one PostgreSQL database",
        args.nodes
    );
    let part = |name: &str| args.parts.iter().any(|p| p == name);
    if part("relay") {
        relay_part(bench, args, &mut text, &mut json).await?;
    }
    if part("failover") {
        let failover = failover(bench, args).await?;
        let _ = writeln!(
            text,
            "  failover          {} kills of the owner, {} clients: kill -9 to every client synced again {}",
            args.kills,
            args.failover_clients,
            failover.text()
        );
        json["failover"] = failover.json();
    }
    if part("scale") {
        scale_part(bench, args, &mut text, &mut json).await?;
    }
    Ok(Report { text, json })
}

async fn relay_part(
    bench: &Bench,
    args: &ClusterArgs,
    text: &mut String,
    json: &mut serde_json::Value,
) -> Result<()> {
    let relay = relay_overhead(bench, args).await?;
    let _ = writeln!(
        text,
        "  relay overhead    {} clients on one board, {} writers x {} edits/s for {:.0} s",
        args.clients,
        args.writers,
        args.rate,
        args.duration.as_secs_f64()
    );
    let _ = writeln!(text, "    on the owner    {}", relay.direct.text());
    let _ = writeln!(text, "    relayed         {}", relay.relayed.text());
    let _ = writeln!(
        text,
        "    added by relay  p50 {:+.2} ms, p99 {:+.2} ms; {} of {} deliveries",
        relay.relayed.p50 - relay.direct.p50,
        relay.relayed.p99 - relay.direct.p99,
        relay.received,
        relay.expected
    );
    json["relay"] = json!({
        "direct": relay.direct.json(),
        "relayed": relay.relayed.json(),
        "added_p50_ms": relay.relayed.p50 - relay.direct.p50,
        "added_p99_ms": relay.relayed.p99 - relay.direct.p99,
        "deliveries_expected": relay.expected,
        "deliveries_received": relay.received,
    });
    Ok(())
}

async fn scale_part(
    bench: &Bench,
    args: &ClusterArgs,
    text: &mut String,
    json: &mut serde_json::Value,
) -> Result<()> {
    let scale = scale(bench, args).await?;
    let _ = writeln!(
        text,
        "  scale             {} clients over {} boards, {} edits/s each for {:.0} s: {} of {} deliveries; fan-out {}",
        args.scale_clients,
        args.scale_docs,
        args.scale_rate,
        args.scale_duration.as_secs_f64(),
        scale.received,
        scale.expected,
        scale.latency.text()
    );
    let _ = writeln!(
        text,
        "    peak memory     {} MB per node",
        scale
            .peak_mb
            .iter()
            .map(|mb| format!("{mb:.0}"))
            .collect::<Vec<_>>()
            .join(" / ")
    );
    json["scale"] = json!({
        "clients": args.scale_clients,
        "docs": args.scale_docs,
        "deliveries_expected": scale.expected,
        "deliveries_received": scale.received,
        "latency": scale.latency.json(),
        "peak_rss_mb_per_node": scale.peak_mb,
    });
    Ok(())
}

/// Starts the nodes on a new PostgreSQL database with the release binary.
async fn start(bench: &Bench, nodes: usize, owner_timeout: &str) -> Result<TestCluster> {
    let bin = server_binary(bench.args.server_bin.as_deref())?;
    let options = ServerOptions {
        bin: Some(bin),
        log_filter: Some("info,sqlx=warn".to_string()),
        ..ServerOptions::default()
    };
    let mut args = NODE_ARGS.to_vec();
    args.extend(["--owner-timeout", owner_timeout]);
    // No test proxies on the links: their copies would count as the cluster's cost.
    TestCluster::start_direct(TestDb::new(Backend::Postgres).await?, nodes, &args, options).await
}

fn board_url(cluster: &TestCluster, node: usize, access: &Access) -> String {
    format!(
        "ws://{}/sync/{}/board?token={}",
        cluster.nodes[node].server.addr, access.review, access.token
    )
}

/// Runs the fan-out clients of `plans` through one edit phase; returns each client's
/// latencies and the deliveries expected.
async fn run_fanout(
    plans: Vec<ClientPlan>,
    docs: usize,
    writers: usize,
    rate: f64,
    duration: Duration,
) -> Result<(Vec<Vec<u32>>, u64)> {
    let clients = plans.len();
    let mut on_doc = vec![0u64; docs];
    for plan in &plans {
        on_doc[plan.doc] += 1;
    }
    let shared = Arc::new(FanoutShared {
        synced: AtomicUsize::new(0),
        failed: AtomicUsize::new(0),
        writers_synced: AtomicUsize::new(0),
        writers_done: AtomicUsize::new(0),
        delivered: AtomicU64::new(0),
        sent: (0..docs).map(|_| AtomicU64::new(0)).collect(),
        connect_permits: Semaphore::new(100),
    });
    let period = Duration::from_secs_f64(1.0 / rate);
    let (phase_tx, phase_rx) = watch::channel(Phase::Connect);
    let tasks: Vec<_> = plans
        .into_iter()
        .map(|plan| {
            tokio::spawn(fanout_client(
                plan,
                shared.clone(),
                phase_rx.clone(),
                period,
                tokio::time::MissedTickBehavior::Skip,
            ))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while shared.synced.load(Ordering::Relaxed) + shared.failed.load(Ordering::Relaxed) < clients {
        if Instant::now() > deadline {
            bail!("clients did not finish connecting within 120 s");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    if shared.failed.load(Ordering::Relaxed) > 0 {
        bail!(
            "{} clients could not connect",
            shared.failed.load(Ordering::Relaxed)
        );
    }
    let start = tokio::time::Instant::now() + Duration::from_millis(20);
    let end = start + duration;
    let _ = phase_tx.send(Phase::Edit { start, end });
    tokio::time::sleep_until(end).await;
    let finish = Instant::now() + Duration::from_secs(10);
    while shared.writers_done.load(Ordering::Relaxed) < writers.min(clients)
        && Instant::now() < finish
    {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let expected: u64 = shared
        .sent
        .iter()
        .zip(&on_doc)
        .map(|(sent, n)| sent.load(Ordering::Relaxed) * n)
        .sum();
    let drain = Instant::now() + Duration::from_secs(20);
    while shared.delivered.load(Ordering::Relaxed) < expected && Instant::now() < drain {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let _ = phase_tx.send(Phase::Stop);
    let mut latencies = Vec::new();
    for task in tasks {
        let outcome = task.await.context("a client task panicked")?;
        if let Some(error) = outcome.error {
            bail!("a client failed: {error}");
        }
        latencies.push(outcome.latencies_us);
    }
    Ok((latencies, expected))
}

struct RelayOverhead {
    direct: Dist,
    relayed: Dist,
    expected: u64,
    received: u64,
}

async fn relay_overhead(bench: &Bench, args: &ClusterArgs) -> Result<RelayOverhead> {
    eprintln!("cluster: relay overhead...");
    let cluster = start(bench, args.nodes, "2s").await?;
    let access = cluster.nodes[0].server.access.clone();
    // Node 0 claims the board first, so clients on node 0 are on the owner.
    let (owner_socket, _) = tokio_tungstenite::connect_async(board_url(&cluster, 0, &access))
        .await
        .context("opening the board on node 0")?;
    let nodes = args.nodes;
    let plans: Vec<ClientPlan> = (0..args.clients)
        .map(|i| ClientPlan {
            url: board_url(&cluster, i % nodes, &access),
            doc: 0,
            writer: (i < args.writers).then(|| {
                let offset = Duration::from_secs_f64(1.0 / args.rate)
                    .mul_f64(i as f64 / args.writers.max(1) as f64);
                (i, offset)
            }),
        })
        .collect();
    let (latencies, expected) =
        run_fanout(plans, 1, args.writers, args.rate, args.duration).await?;
    drop(owner_socket);
    let mut direct = Vec::new();
    let mut relayed = Vec::new();
    for (i, client) in latencies.into_iter().enumerate() {
        let into = if i % nodes == 0 {
            &mut direct
        } else {
            &mut relayed
        };
        into.extend(client.into_iter().map(u64::from));
    }
    let received = (direct.len() + relayed.len()) as u64;
    Ok(RelayOverhead {
        direct: Dist::from_micros(direct),
        relayed: Dist::from_micros(relayed),
        expected,
        received,
    })
}

async fn failover(bench: &Bench, args: &ClusterArgs) -> Result<Dist> {
    eprintln!("cluster: failover...");
    // The default owner timeout, as the figure is asked for with default settings.
    let mut cluster = start(bench, args.nodes, "2s").await?;
    let access = cluster.nodes[0].server.access.clone();
    let urls: Arc<Vec<String>> = Arc::new(
        (0..args.nodes)
            .map(|n| board_url(&cluster, n, &access))
            .collect(),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let last_synced: Arc<Vec<AtomicU64>> = Arc::new(
        (0..args.failover_clients)
            .map(|_| AtomicU64::new(0))
            .collect(),
    );
    let tasks: Vec<_> = (0..args.failover_clients)
        .map(|i| {
            let (urls, stop, last_synced) = (urls.clone(), stop.clone(), last_synced.clone());
            tokio::spawn(async move { reconnecting(i, &urls, &stop, &last_synced[i]).await })
        })
        .collect();
    let all_synced_after = |t: u64| last_synced.iter().all(|s| s.load(Ordering::Relaxed) > t);
    let mut times = Vec::new();
    for kill in 0..args.kills {
        let ready = Instant::now() + Duration::from_secs(60);
        while !all_synced_after(0) {
            if Instant::now() > ready {
                bail!("clients did not connect");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let owner = wait_owner(&cluster).await?;
        let killed = now_us();
        cluster.nodes[owner].server.kill().await?;
        let deadline = Instant::now() + Duration::from_secs(60);
        while !all_synced_after(killed) {
            if Instant::now() > deadline {
                bail!("kill {kill}: not every client synced again within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let latest = last_synced
            .iter()
            .map(|s| s.load(Ordering::Relaxed))
            .max()
            .unwrap_or(killed);
        times.push(Duration::from_micros(latest.saturating_sub(killed)));
        eprintln!("  kill {kill}: {:?}", times.last());
        cluster.nodes[owner].server.start_again().await?;
    }
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    Ok(Dist::from_durations(&times))
}

/// The node the database names as the board's owner.
async fn wait_owner(cluster: &TestCluster) -> Result<usize> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(owner) = cluster.owner_of("board").await? {
            return Ok(owner);
        }
        if Instant::now() > deadline {
            bail!("nobody owns the board");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A client that stays synced: when closed it reconnects (to the next node), with
/// y-websocket's back-off, and records when it was last synced.
async fn reconnecting(first: usize, urls: &[String], stop: &AtomicBool, last_synced: &AtomicU64) {
    let doc = Doc::new();
    let local = Doc::new();
    let mut attempt = first;
    let mut backoff = Duration::from_millis(100);
    while !stop.load(Ordering::Relaxed) {
        let url = &urls[attempt % urls.len()];
        attempt += 1;
        match connect_synced(url, &doc, &local).await {
            Ok(synced) => {
                last_synced.store(now_us(), Ordering::Relaxed);
                backoff = Duration::from_millis(100);
                let mut socket = synced.socket;
                loop {
                    let next =
                        tokio::time::timeout(Duration::from_millis(100), socket.next()).await;
                    match next {
                        Err(_) if stop.load(Ordering::Relaxed) => return,
                        Err(_) | Ok(Some(Ok(_))) => {}
                        Ok(_) => break,
                    }
                }
            }
            Err(_) => backoff = (backoff * 2).min(Duration::from_millis(2500)),
        }
        tokio::time::sleep(backoff).await;
    }
}

struct Scale {
    expected: u64,
    received: u64,
    latency: Dist,
    peak_mb: Vec<f64>,
}

async fn scale(bench: &Bench, args: &ClusterArgs) -> Result<Scale> {
    eprintln!(
        "cluster: {} clients over {} boards...",
        args.scale_clients, args.scale_docs
    );
    let cluster = start(bench, args.nodes, "2s").await?;
    let first = &cluster.nodes[0].server;
    let boards: Vec<Access> = futures_util::stream::iter(0..args.scale_docs)
        .map(|_| first.another_review("review_team_member"))
        .buffered(8)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let nodes = args.nodes;
    let plans: Vec<ClientPlan> = (0..args.scale_clients)
        .map(|i| {
            let doc = i % args.scale_docs;
            ClientPlan {
                url: board_url(&cluster, (i / args.scale_docs + doc) % nodes, &boards[doc]),
                doc,
                // One writer per board, at a random point of its period.
                writer: (i < args.scale_docs).then(|| {
                    let offset = Duration::from_secs_f64(1.0 / args.scale_rate)
                        .mul_f64(rand::random::<f64>());
                    (i, offset)
                }),
            }
        })
        .collect();
    let (latencies, expected) = run_fanout(
        plans,
        args.scale_docs,
        args.scale_docs,
        args.scale_rate,
        args.scale_duration,
    )
    .await?;
    let all: Vec<u64> = latencies.into_iter().flatten().map(u64::from).collect();
    let received = all.len() as u64;
    let peak_mb = cluster
        .nodes
        .iter()
        .map(|n| {
            n.server
                .pid()
                .and_then(|pid| status_mb(pid, "VmHWM"))
                .unwrap_or(0.0)
        })
        .collect();
    Ok(Scale {
        expected,
        received,
        latency: Dist::from_micros(all),
        peak_mb,
    })
}
