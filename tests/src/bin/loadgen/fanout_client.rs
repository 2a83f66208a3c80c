//! One `fanout` client: connects, then (if it is a writer) edits on schedule, and times
//! the arrival of every edit of its document.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use anyhow::{Result, bail};
use futures_util::{SinkExt, StreamExt};
use tokio::{
    sync::{Semaphore, watch},
    time::MissedTickBehavior,
};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::{
    Any, Doc, Map, Observable, Out, Transact,
    sync::{Message, SyncMessage},
    types::EntryChange,
};

use crate::{
    stats::now_us,
    sync::{Synced, apply, binary, close, connect_synced, decode_frame, describe_close},
};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Phase {
    Connect,
    Edit {
        start: tokio::time::Instant,
        end: tokio::time::Instant,
    },
    Stop,
}

/// Counters every fan-out client updates.
pub(crate) struct FanoutShared {
    pub(crate) synced: AtomicUsize,
    pub(crate) failed: AtomicUsize,
    pub(crate) writers_synced: AtomicUsize,
    pub(crate) writers_done: AtomicUsize,
    pub(crate) delivered: AtomicU64,
    /// Edits sent, by document.
    pub(crate) sent: Vec<AtomicU64>,
    pub(crate) connect_permits: Semaphore,
}

/// One client's part of the plan.
pub(crate) struct ClientPlan {
    pub(crate) url: String,
    pub(crate) doc: usize,
    /// For writers: (writer number, offset of its first edit into the period).
    pub(crate) writer: Option<(usize, Duration)>,
}

/// Where a client's receive path records arrivals (written from inside the document's
/// observer, which runs while an update is applied).
#[derive(Default)]
pub(crate) struct Arrivals {
    /// Receive time of the frame being applied; 0 while nothing is being timed.
    pub(crate) received_us: AtomicU64,
    pub(crate) latencies_us: Mutex<Vec<u32>>,
}

pub(crate) struct ClientOutcome {
    pub(crate) synced_after: Option<Duration>,
    pub(crate) latencies_us: Vec<u32>,
    pub(crate) error: Option<String>,
}

pub(crate) async fn fanout_client(
    plan: ClientPlan,
    shared: Arc<FanoutShared>,
    mut phase: watch::Receiver<Phase>,
    period: Duration,
    missed: MissedTickBehavior,
) -> ClientOutcome {
    let mut outcome = ClientOutcome {
        synced_after: None,
        latencies_us: Vec::new(),
        error: None,
    };
    let arrivals = Arc::new(Arrivals::default());
    // What arrives from the server is applied here, and timed by the observer.
    let doc = Doc::new();
    let map = doc.get_or_insert_map("edits");
    let probe = arrivals.clone();
    let counter = shared.clone();
    map.observe("loadgen", move |txn, event| {
        let received = probe.received_us.load(Ordering::Relaxed);
        if received == 0 {
            return;
        }
        let mut latencies = probe.latencies_us.lock().unwrap_or_else(|p| p.into_inner());
        for change in event.keys(txn).values() {
            if let EntryChange::Inserted(Out::Any(value)) = change
                && let Ok(sent) = value.clone().cast::<i64>()
            {
                let sent = u64::try_from(sent).unwrap_or(0);
                let latency = received.saturating_sub(sent);
                latencies.push(u32::try_from(latency).unwrap_or(u32::MAX));
                counter.delivered.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    // A writer's own edits are made here, as in a browser; the echo lands in `doc`.
    let local = Doc::new();
    let local_map = local.get_or_insert_map("edits");

    let connected = {
        let _permit = shared.connect_permits.acquire().await;
        connect_synced(&plan.url, &doc, &local).await
    };
    let mut socket = match connected {
        Ok(Synced {
            socket, received, ..
        }) => {
            outcome.synced_after = Some(received);
            if plan.writer.is_some() {
                shared.writers_synced.fetch_add(1, Ordering::Relaxed);
            }
            shared.synced.fetch_add(1, Ordering::Relaxed);
            socket
        }
        Err(err) => {
            outcome.error = Some(format!("{err:#}"));
            shared.failed.fetch_add(1, Ordering::Relaxed);
            return outcome;
        }
    };

    let mut ticker: Option<tokio::time::Interval> = None;
    let mut done_writing = plan.writer.is_none();
    let mut end = tokio::time::Instant::now();
    let mut seq = 0u64;
    let result: Result<()> = async {
        loop {
            tokio::select! {
                biased;
                changed = phase.changed() => {
                    if changed.is_err() {
                        break;
                    }
                    match *phase.borrow_and_update() {
                        Phase::Connect => {}
                        Phase::Edit { start, end: stop } => {
                            if let Some((_, offset)) = plan.writer {
                                let mut interval =
                                    tokio::time::interval_at(start + offset, period);
                                interval.set_missed_tick_behavior(missed);
                                ticker = Some(interval);
                                end = stop;
                            }
                        }
                        Phase::Stop => break,
                    }
                }
                frame = socket.next() => {
                    let received = now_us();
                    let frame = match frame {
                        Some(Ok(WsMessage::Binary(frame))) => frame,
                        Some(Ok(WsMessage::Close(frame))) => {
                            bail!("closed by the server: {}", describe_close(frame))
                        }
                        Some(Ok(_)) => continue,
                        Some(Err(err)) => return Err(err.into()),
                        None => bail!("the connection ended"),
                    };
                    // An update reaches every client of the document at about the same
                    // moment: let the other clients take their arrival time before this
                    // one spends time decoding and applying.
                    tokio::task::yield_now().await;
                    for message in decode_frame(&frame)? {
                        if let Message::Sync(SyncMessage::Update(update)) = message {
                            arrivals.received_us.store(received.max(1), Ordering::Relaxed);
                            let applied = apply(&doc, &update);
                            arrivals.received_us.store(0, Ordering::Relaxed);
                            applied?;
                        }
                    }
                }
                at = next_tick(&mut ticker) => {
                    if at >= end {
                        ticker = None;
                        done_writing = true;
                        shared.writers_done.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    let Some((writer, _)) = plan.writer else { continue };
                    seq += 1;
                    let update = {
                        let mut txn = local.transact_mut();
                        let sent_at = i64::try_from(now_us()).unwrap_or(i64::MAX);
                        local_map.insert(&mut txn, format!("{writer}-{seq}"), Any::from(sent_at));
                        txn.encode_update_v1()
                    };
                    socket.send(binary(Message::Sync(SyncMessage::Update(update)))).await?;
                    shared.sent[plan.doc].fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        Ok(())
    }
    .await;
    if let Err(err) = result {
        outcome.error = Some(format!("{err:#}"));
        if !done_writing {
            // A writer whose connection failed is done writing.
            shared.writers_done.fetch_add(1, Ordering::Relaxed);
        }
    } else {
        close(socket).await;
    }
    outcome.latencies_us = std::mem::take(
        &mut *arrivals
            .latencies_us
            .lock()
            .unwrap_or_else(|p| p.into_inner()),
    );
    outcome
}

/// The next tick of an optional interval; never resolves without one.
pub(crate) async fn next_tick(ticker: &mut Option<tokio::time::Interval>) -> tokio::time::Instant {
    match ticker {
        Some(interval) => interval.tick().await,
        None => std::future::pending().await,
    }
}
