//! Scenario `fanout`: clients spread over documents; writers edit at a fixed rate, and
//! every client of a document times every edit's arrival.

use std::{
    fmt::Write as _,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::json;
use tokio::sync::{Semaphore, watch};

use crate::{
    cli::FanoutArgs,
    fanout_client::{ClientPlan, FanoutShared, Phase, fanout_client},
    meters::{CommitTimes, PhaseMeter, sample},
    report::Report,
    stats::Dist,
    target::Bench,
};

pub(crate) async fn fanout(bench: &Bench, args: &FanoutArgs, label: &str) -> Result<Report> {
    if args.clients == 0 || args.docs == 0 {
        bail!("--clients and --docs must be at least 1");
    }
    if args.writers > args.clients {
        bail!(
            "--writers ({}) exceeds --clients ({})",
            args.writers,
            args.clients
        );
    }
    if !(args.rate > 0.0 && args.rate.is_finite()) {
        bail!("--rate must be a positive number");
    }
    let target = bench.server(&[], label, args.docs).await?;
    let urls = (0..args.docs)
        .map(|doc| target.board_url(doc))
        .collect::<Result<Vec<_>>>()?;
    let period = Duration::from_secs_f64(1.0 / args.rate);

    // Each writer starts at a random (seeded) point of its period, as independent users
    // would, rather than all at once.
    let mut rng = StdRng::seed_from_u64(1);
    let offsets: Vec<Duration> = (0..args.writers)
        .map(|_| period.mul_f64(rng.random_range(0.0..1.0)))
        .collect();
    let planned = planned_edits(args.duration, &offsets, period);
    // Client i is on document i % docs; the first `writers` clients write, so writers
    // are spread over the documents as evenly as clients are.
    let mut clients_on_doc = vec![0u64; args.docs];
    let plans: Vec<ClientPlan> = (0..args.clients)
        .map(|i| {
            let doc = i % args.docs;
            clients_on_doc[doc] += 1;
            let writer = offsets.get(i).map(|offset| (i, *offset));
            ClientPlan {
                url: urls[doc].clone(),
                doc,
                writer,
            }
        })
        .collect();

    let shared = Arc::new(FanoutShared {
        synced: AtomicUsize::new(0),
        failed: AtomicUsize::new(0),
        writers_synced: AtomicUsize::new(0),
        writers_done: AtomicUsize::new(0),
        delivered: AtomicU64::new(0),
        sent: (0..args.docs).map(|_| AtomicU64::new(0)).collect(),
        connect_permits: Semaphore::new(args.connect_concurrency.max(1)),
    });
    let (phase_tx, phase_rx) = watch::channel(Phase::Connect);
    eprintln!(
        "{label}: connecting {} clients to {} document(s)...",
        args.clients, args.docs
    );
    let tasks: Vec<_> = plans
        .into_iter()
        .map(|plan| {
            tokio::spawn(fanout_client(
                plan,
                shared.clone(),
                phase_rx.clone(),
                period,
                args.missed_ticks.behavior(),
            ))
        })
        .collect();

    // Everyone synced (or failed) before the first edit, so every edit is owed to every
    // client of its document.
    let connect_deadline = Instant::now() + Duration::from_secs(60);
    while shared.synced.load(Ordering::Relaxed) + shared.failed.load(Ordering::Relaxed)
        < args.clients
    {
        if Instant::now() > connect_deadline {
            bail!("clients did not finish connecting within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let failed_connects = shared.failed.load(Ordering::Relaxed);

    eprintln!(
        "{label}: {} writer(s) editing at {}/s for {:?}...",
        args.writers, args.rate, args.duration
    );
    let meter = PhaseMeter::start(target.pid());
    let start = tokio::time::Instant::now() + Duration::from_millis(20);
    let end = start + args.duration;
    let _ = phase_tx.send(Phase::Edit { start, end });
    tokio::time::sleep_until(end).await;
    // Every connected writer reports when its schedule has run out.
    let finish_deadline = Instant::now() + Duration::from_secs(10);
    while shared.writers_done.load(Ordering::Relaxed)
        < shared.writers_synced.load(Ordering::Relaxed)
        && Instant::now() < finish_deadline
    {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let sent: Vec<u64> = shared
        .sent
        .iter()
        .map(|s| s.load(Ordering::Relaxed))
        .collect();
    let edits_sent: u64 = sent.iter().sum();
    let expected: u64 = sent
        .iter()
        .zip(&clients_on_doc)
        .map(|(sent, clients)| sent * clients)
        .sum();
    let drain_deadline = Instant::now() + args.drain_timeout;
    while shared.delivered.load(Ordering::Relaxed) < expected && Instant::now() < drain_deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let edit_phase = meter.finish();
    let _ = phase_tx.send(Phase::Stop);

    let mut latencies = Vec::new();
    let mut connects = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for task in tasks {
        let outcome = task.await.context("a client task panicked")?;
        if let Some(after) = outcome.synced_after {
            connects.push(after);
        }
        latencies.extend(outcome.latencies_us.iter().map(|&us| u64::from(us)));
        if let Some(error) = outcome.error {
            errors.push(error);
        }
    }
    let received = latencies.len() as u64;
    let latency = Dist::from_micros(latencies);
    let connect = Dist::from_durations(&connects);
    let page = target.metrics().await.unwrap_or_default();
    let closed_slow = sample(&page, "board_clients_closed_slow_total").unwrap_or(0.0);
    let commits = CommitTimes::from_page(&page);
    // CPU over the edit phase; memory over the server's life, connections included.
    let usage = edit_phase;
    let log = target.finish().await?;

    let ratio = if expected == 0 {
        0.0
    } else {
        received as f64 / expected as f64
    };
    let per_second = received as f64 / args.duration.as_secs_f64();
    // What one delivered frame costs the server: decoding, applying, storing and
    // sending included, over the edit phase.
    let cpu_us_per_frame = usage
        .cpu_seconds
        .filter(|_| received > 0)
        .map(|seconds| seconds * 1e6 / received as f64);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{label}: {} clients on {} document(s), {} writer(s) x {} edits/s for {:.0} s \
         ({}, missed ticks: {:?})",
        args.clients,
        args.docs,
        args.writers,
        args.rate,
        args.duration.as_secs_f64(),
        bench.store_label(),
        args.missed_ticks
    );
    let _ = writeln!(
        text,
        "  edits sent        {edits_sent} of {planned} planned"
    );
    let _ = writeln!(
        text,
        "  deliveries        {received} of {expected} expected ({:.3} %), {per_second:.0}/s",
        ratio * 100.0
    );
    let _ = writeln!(text, "  fan-out latency   {}", latency.text());
    let _ = writeln!(text, "  connect->synced   {}", connect.text());
    let _ = writeln!(text, "  usage             {}", usage.text());
    if let Some(us) = cpu_us_per_frame {
        let _ = writeln!(text, "  server CPU/frame  {us:.1} µs per delivered frame");
    }
    let _ = writeln!(text, "  server commits    {}", commits.text());
    let _ = writeln!(
        text,
        "  failures          {} connect, {} client errors, {} closed as too slow",
        failed_connects,
        errors.len(),
        closed_slow
    );
    if let Some(first) = errors.first() {
        let _ = writeln!(text, "  first error       {first}");
    }
    if let Some(log) = &log {
        let _ = writeln!(text, "  {}", log.text());
    }
    let json = json!({
        "scenario": label,
        "kind": "fanout",
        "clients": args.clients,
        "docs": args.docs,
        "writers": args.writers,
        "rate_per_writer": args.rate,
        "duration_s": args.duration.as_secs_f64(),
        "store": bench.store_label(),
        "missed_ticks": format!("{:?}", args.missed_ticks).to_lowercase(),
        "edits_planned": planned,
        "edits_sent": edits_sent,
        "deliveries_expected": expected,
        "deliveries_received": received,
        "delivery_ratio": ratio,
        "deliveries_per_s": per_second,
        "latency": latency.json(),
        "connect_to_synced": connect.json(),
        "usage": usage.json(),
        "server_cpu_us_per_frame": cpu_us_per_frame,
        "server_commits": commits.json(),
        "failed_connects": failed_connects,
        "client_errors": errors.len(),
        "closed_slow": closed_slow,
        "server_log_warnings": log.as_ref().map(|l| l.warnings),
        "server_log_errors": log.as_ref().map(|l| l.errors),
    });
    Ok(Report { text, json })
}

/// Edits the schedule holds: each writer ticks at start + offset + k * period < end.
pub(crate) fn planned_edits(duration: Duration, offsets: &[Duration], period: Duration) -> u64 {
    offsets
        .iter()
        .map(|offset| {
            let span = duration.saturating_sub(*offset).as_secs_f64();
            (span / period.as_secs_f64()).ceil() as u64
        })
        .sum()
}
