//! Scenario `storm`: many clients connecting at the same moment.

use std::{
    fmt::Write as _,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use serde_json::json;
use tokio::sync::watch;
use yrs::Doc;

use crate::{
    cli::StormArgs,
    meters::PhaseMeter,
    report::Report,
    stats::{Dist, ms, now_us},
    sync::{close, connect_synced},
    target::Bench,
};

pub(crate) async fn storm(bench: &Bench, args: &StormArgs, label: &str) -> Result<Report> {
    if args.clients == 0 || args.docs == 0 {
        bail!("--clients and --docs must be at least 1");
    }
    let target = bench.server(&[], label, args.docs).await?;
    let urls = (0..args.docs)
        .map(|doc| target.board_url(doc))
        .collect::<Result<Vec<_>>>()?;
    let (go_tx, go_rx) = watch::channel(false);
    let (stop_tx, stop_rx) = watch::channel(false);
    let done = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..args.clients)
        .map(|i| {
            let url = urls[i % args.docs].clone();
            let mut go = go_rx.clone();
            let mut stop = stop_rx.clone();
            let done = done.clone();
            let timeout = args.timeout;
            tokio::spawn(async move {
                let doc = Doc::new();
                if go.wait_for(|&go| go).await.is_err() {
                    return Err("never started".to_string());
                }
                let synced = tokio::time::timeout(timeout, connect_synced(&url, &doc, &doc)).await;
                done.fetch_add(1, Ordering::Relaxed);
                let (socket, elapsed) = match synced {
                    Ok(Ok(synced)) => (synced.socket, synced.received),
                    Ok(Err(err)) => return Err(format!("{err:#}")),
                    Err(_) => return Err(format!("not synced within {timeout:?}")),
                };
                let synced_at = now_us();
                // Stay connected until everyone is done, as real clients would.
                let _ = stop.wait_for(|&stop| stop).await;
                close(socket).await;
                Ok((elapsed, synced_at))
            })
        })
        .collect();
    // Let every task reach the starting line.
    tokio::time::sleep(Duration::from_millis(200)).await;
    eprintln!(
        "{label}: {} clients connecting at once to {} documents...",
        args.clients, args.docs
    );
    let meter = PhaseMeter::start(target.pid());
    let started_us = now_us();
    let _ = go_tx.send(true);
    let deadline = Instant::now() + args.timeout + Duration::from_secs(5);
    while done.load(Ordering::Relaxed) < args.clients && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let usage = meter.finish();
    let _ = stop_tx.send(true);
    let mut per_client = Vec::new();
    let mut last_synced_us = started_us;
    let mut errors = Vec::new();
    for task in tasks {
        match task.await.context("a client task panicked")? {
            Ok((elapsed, synced_at)) => {
                per_client.push(elapsed);
                last_synced_us = last_synced_us.max(synced_at);
            }
            Err(err) => errors.push(err),
        }
    }
    let connections_closed_slow = target
        .metric("board_clients_closed_slow_total")
        .await
        .unwrap_or(0.0);
    let log = target.finish().await?;
    let all_synced_ms = (last_synced_us - started_us) as f64 / 1e3;
    let dist = Dist::from_durations(&per_client);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{label}: {} clients over {} documents connecting at once ({})",
        args.clients,
        args.docs,
        bench.store_label()
    );
    let _ = writeln!(
        text,
        "  all synced after  {} ms ({} of {} clients)",
        ms(all_synced_ms),
        per_client.len(),
        args.clients
    );
    let _ = writeln!(text, "  connect->synced   {}", dist.text());
    let _ = writeln!(text, "  usage             {}", usage.text());
    let _ = writeln!(
        text,
        "  failures          {} ({} closed as too slow)",
        errors.len(),
        connections_closed_slow
    );
    if let Some(first) = errors.first() {
        let _ = writeln!(text, "  first error       {first}");
    }
    if let Some(log) = &log {
        let _ = writeln!(text, "  {}", log.text());
    }
    let json = json!({
        "scenario": label,
        "kind": "storm",
        "clients": args.clients,
        "docs": args.docs,
        "store": bench.store_label(),
        "all_synced_ms": all_synced_ms,
        "synced": per_client.len(),
        "failures": errors.len(),
        "first_error": errors.first(),
        "connect_to_synced": dist.json(),
        "usage": usage.json(),
        "server_log_warnings": log.as_ref().map(|l| l.warnings),
        "server_log_errors": log.as_ref().map(|l| l.errors),
    });
    Ok(Report { text, json })
}
