//! Scenario `cold-load`: a board built from many small updates, opened again and again
//! by a fresh client while its room is cold (loaded from the store).

use std::{
    fmt::Write as _,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::json;
use tokio::{sync::watch, time::MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::{
    Doc, ReadTxn, Text, Transact,
    sync::{Message, SyncMessage},
};

use crate::{
    cli::{ColdBy, ColdLoadArgs, Pattern},
    meters::{room_opened, status_mb},
    report::Report,
    stats::Dist,
    sync::{Socket, Synced, binary, close, connect_synced, decode_frame, describe_close},
    target::{Bench, Target},
};

/// Flags that lift the per-connection rate limit while one client builds the board.
pub(crate) fn build_limits() -> Vec<String> {
    [
        "--max-messages-per-second",
        "100000",
        "--message-burst",
        "100000",
    ]
    .map(String::from)
    .to_vec()
}

pub(crate) async fn cold_load(bench: &Bench, args: &ColdLoadArgs, label: &str) -> Result<Report> {
    if args.updates == 0 || args.runs == 0 {
        bail!("--updates and --runs must be at least 1");
    }
    if bench.external.is_some() && args.cold_by == ColdBy::Restart {
        bail!("--cold-by restart needs a started server; with --url use --cold-by idle");
    }
    let mut build_flags = build_limits();
    if args.cold_by == ColdBy::Idle {
        build_flags.extend(["--room-idle".to_string(), "200ms".to_string()]);
    }
    let mut target = bench.server(&build_flags, label, 1).await?;

    eprintln!(
        "{label}: building a board of {} one-character inserts ({:?})...",
        args.updates, args.pattern
    );
    let build_started = Instant::now();
    let mut builder = Builder::connect(&target.board_url(0)?, args).await?;
    if args.no_settle {
        builder.insert(args.updates).await?;
    } else {
        // A compaction that is still running when the writes stop leaves everything
        // appended meanwhile in the log; one more update after it has finished starts a
        // compaction of the whole log, so the board is stored as the server keeps a
        // board that is edited normally: a merged state plus a short log.
        builder.insert(args.updates - 1).await?;
        settle_compactions(&target).await?;
        builder.insert(1).await?;
        settle_compactions(&target).await?;
    }
    builder.close().await?;
    let build_time = build_started.elapsed();
    let compactions = target
        .metric("board_compactions_total")
        .await
        .unwrap_or(0.0);

    eprintln!("{label}: {} cold loads ({:?})...", args.runs, args.cold_by);
    let mut received = Vec::with_capacity(args.runs);
    let mut applied = Vec::with_capacity(args.runs);
    let mut server_ms = Vec::new();
    let mut log_updates = Vec::new();
    let mut peak_rss: Option<f64> = None;
    let mut state_bytes = 0;
    for run in 0..args.runs {
        match &mut target {
            Target::Spawned(spawned) if args.cold_by == ColdBy::Restart => {
                spawned.restart().await?
            }
            _ => wait_rooms_closed(&target).await?,
        }
        let doc = Doc::new();
        // After a restart the server listens on a new port.
        let synced = connect_synced(&target.board_url(0)?, &doc, &doc)
            .await
            .with_context(|| format!("cold load {}", run + 1))?;
        let text = doc.get_or_insert_text("text");
        let len = text.len(&doc.transact()) as usize;
        if len != args.updates {
            bail!(
                "cold load {} got {len} characters, expected {}",
                run + 1,
                args.updates
            );
        }
        received.push(synced.received);
        applied.push(synced.applied);
        state_bytes = doc
            .transact()
            .encode_state_as_update_v1(&Default::default())
            .len();
        if let Some(rss) = target.pid().and_then(|pid| status_mb(pid, "VmHWM:")) {
            peak_rss = Some(peak_rss.map_or(rss, |peak| peak.max(rss)));
        }
        close(synced.socket).await;
        if let Target::Spawned(spawned) = &target
            && let Some((updates, ms)) = room_opened(&spawned.server.current_log_text())
        {
            log_updates.push(updates);
            server_ms.push(Duration::from_secs_f64(ms / 1e3));
        }
    }
    let log = target.finish().await?;
    let loaded = Dist::from_durations(&applied);
    let arrived = Dist::from_durations(&received);
    let server_load = Dist::from_durations(&server_ms);
    let first_log = log_updates.first().copied();
    let max_log = log_updates.iter().copied().max();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{label}: a board of {} one-character Y.Text inserts ({:?}), opened cold {} times \
         (cold by {:?}, {})",
        args.updates,
        args.pattern,
        args.runs,
        args.cold_by,
        bench.store_label()
    );
    let _ = writeln!(
        text,
        "  build             {:.1} s, {} compactions (rate limits lifted for the build{})",
        build_time.as_secs_f64(),
        compactions,
        if args.no_settle {
            ""
        } else {
            "; compaction settled"
        }
    );
    let _ = writeln!(
        text,
        "  document          {state_bytes} bytes as one update; the log read with the merged \
         state: {} updates at the first load, {} at most",
        first_log.map_or_else(|| "n/a".into(), |n| n.to_string()),
        max_log.map_or_else(|| "n/a".into(), |n| n.to_string()),
    );
    let _ = writeln!(text, "  connect->loaded   {}", loaded.text());
    let _ = writeln!(text, "  SyncStep2 arrived {}", arrived.text());
    if server_load.n > 0 {
        let _ = writeln!(text, "  server load       {}", server_load.text());
    }
    let _ = writeln!(
        text,
        "  server peak RSS   {}",
        peak_rss.map_or_else(|| "n/a".into(), |mb| format!("{mb:.1} MB"))
    );
    if let Some(log) = &log {
        let _ = writeln!(text, "  {}", log.text());
    }
    let json = json!({
        "scenario": label,
        "kind": "cold-load",
        "updates": args.updates,
        "pattern": format!("{:?}", args.pattern).to_lowercase(),
        "runs": args.runs,
        "cold_by": format!("{:?}", args.cold_by).to_lowercase(),
        "settled": !args.no_settle,
        "store": bench.store_label(),
        "build_s": build_time.as_secs_f64(),
        "compactions": compactions,
        "state_bytes": state_bytes,
        "log_updates_first_load": first_log,
        "log_updates_max": max_log,
        "connect_to_loaded": loaded.json(),
        "connect_to_step2": arrived.json(),
        "server_load": server_load.json(),
        "server_peak_rss_mb": peak_rss,
        "server_log_warnings": log.as_ref().map(|l| l.warnings),
        "server_log_errors": log.as_ref().map(|l| l.errors),
    });
    Ok(Report { text, json })
}

/// Waits until the server's compaction counter has not moved for a while.
pub(crate) async fn settle_compactions(target: &Target) -> Result<()> {
    let quiet = Duration::from_millis(600);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = target.metric("board_compactions_total").await?;
    let mut since = Instant::now();
    while since.elapsed() < quiet {
        if Instant::now() > deadline {
            bail!("compactions did not settle within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = target.metric("board_compactions_total").await?;
        if now != last {
            last = now;
            since = Instant::now();
        }
    }
    Ok(())
}

/// One client building a board from one-character inserts, each its own transaction
/// and message, with a window of updates in flight (sent, not yet echoed).
pub(crate) struct Builder {
    pub(crate) doc: Doc,
    pub(crate) text: yrs::TextRef,
    pub(crate) sink: futures_util::stream::SplitSink<Socket, WsMessage>,
    pub(crate) echoed: watch::Receiver<u64>,
    pub(crate) reader: tokio::task::JoinHandle<Result<()>>,
    pub(crate) sent: u64,
    pub(crate) rng: StdRng,
    pub(crate) pacer: Option<tokio::time::Interval>,
    pub(crate) pattern: Pattern,
    pub(crate) window: u64,
}

impl Builder {
    pub(crate) async fn connect(url: &str, args: &ColdLoadArgs) -> Result<Self> {
        let doc = Doc::new();
        let text = doc.get_or_insert_text("text");
        let Synced { socket, .. } = connect_synced(url, &doc, &doc).await?;
        let (sink, mut stream) = socket.split();
        let (echoed_tx, echoed) = watch::channel(0u64);
        // Counts the server's echoes of our updates (sent once they are stored).
        let reader = tokio::spawn(async move {
            let mut count = 0u64;
            while let Some(frame) = stream.next().await {
                match frame? {
                    WsMessage::Binary(frame) => {
                        count += decode_frame(&frame)?
                            .iter()
                            .filter(|m| matches!(m, Message::Sync(SyncMessage::Update(_))))
                            .count() as u64;
                        echoed_tx.send_replace(count);
                    }
                    WsMessage::Close(frame) => {
                        bail!("the server closed the builder: {}", describe_close(frame))
                    }
                    _ => {}
                }
            }
            Ok(())
        });
        let pacer = (args.build_rate > 0.0).then(|| {
            let mut interval =
                tokio::time::interval(Duration::from_secs_f64(1.0 / args.build_rate));
            interval.set_missed_tick_behavior(MissedTickBehavior::Burst);
            interval
        });
        Ok(Self {
            doc,
            text,
            sink,
            echoed,
            reader,
            sent: 0,
            rng: StdRng::seed_from_u64(7),
            pacer,
            pattern: args.pattern,
            window: args.window.max(1),
        })
    }

    /// Sends `count` more inserts and waits until the server has echoed all of them.
    pub(crate) async fn insert(&mut self, count: usize) -> Result<()> {
        for _ in 0..count {
            if let Some(pacer) = &mut self.pacer {
                pacer.tick().await;
            }
            let sent = self.sent;
            let window = self.window;
            self.wait_echoed(|echoed| sent < echoed + window).await?;
            let update = {
                let mut txn = self.doc.transact_mut();
                match self.pattern {
                    Pattern::Append => self.text.push(&mut txn, "x"),
                    Pattern::Random => {
                        let len = self.text.len(&txn);
                        let at = self.rng.random_range(0..=len);
                        self.text.insert(&mut txn, at, "x");
                    }
                }
                txn.encode_update_v1()
            };
            self.sink
                .send(binary(Message::Sync(SyncMessage::Update(update))))
                .await
                .context("sending an update")?;
            self.sent += 1;
        }
        let sent = self.sent;
        self.wait_echoed(|echoed| echoed >= sent).await
    }

    pub(crate) async fn wait_echoed(&mut self, ready: impl Fn(u64) -> bool) -> Result<()> {
        let waited =
            tokio::time::timeout(Duration::from_secs(60), self.echoed.wait_for(|&e| ready(e)))
                .await
                .map(|result| result.map(|_| ()));
        match waited {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => {
                // The reader has ended: say why.
                let reader = (&mut self.reader).await;
                match reader {
                    Ok(Err(err)) => Err(err.context("building the board")),
                    _ => bail!("the builder's connection ended"),
                }
            }
            Err(_) => bail!(
                "only {} of {} updates were echoed within 60 s",
                *self.echoed.borrow(),
                self.sent
            ),
        }
    }

    pub(crate) async fn close(mut self) -> Result<()> {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.sink.close()).await;
        self.reader.abort();
        let len = self.text.len(&self.doc.transact()) as u64;
        if len != self.sent {
            bail!(
                "the builder's own text has {len} characters, not {}",
                self.sent
            );
        }
        Ok(())
    }
}

/// Waits until the server has unloaded every room (its --room-idle has passed).
pub(crate) async fn wait_rooms_closed(target: &Target) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if target.metric("board_rooms_open").await? == 0.0 {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("rooms stayed open for 60 s (is the server's --room-idle short?)");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
