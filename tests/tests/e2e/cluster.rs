//! Several nodes on one PostgreSQL database (docs/cluster.md): any node serves any
//! board, one owner at a time, and no kill loses anything a client was sent.
//!
//! Writers type through every node and reconnect when closed (as y-websocket does);
//! witnesses only listen, record every update they are sent and never send one back,
//! so an update broadcast without being stored could not be stored later through them.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result, anyhow, bail};
use board_tests::{
    YClient,
    cluster::{FAILOVER_LIMIT, TestCluster},
    eventually,
    proxy::Mode,
};
use futures_util::{SinkExt, StreamExt};
use rand::Rng;
use tokio_tungstenite::{connect_async, tungstenite::Message as WsMessage};
use yrs::{
    Doc, GetString, ReadTxn, StateVector, Text, Transact, Update,
    sync::{Message, SyncMessage},
    updates::{
        decoder::{Decode, DecoderV1},
        encoder::Encode,
    },
};

const DOC: &str = "board";

/// Kills in the random-kill test: few in CI, more on demand (`BOARD_CLUSTER_KILLS`).
fn kills() -> usize {
    std::env::var("BOARD_CLUSTER_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4)
}

/// A client that types a numbered word every few milliseconds into its own document,
/// connected through one node after another, reconnecting whenever it is closed.
struct Writer {
    doc: Doc,
    typed: Arc<AtomicUsize>,
    connected: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Writer {
    fn start(name: String, urls: Vec<String>, live: Arc<Mutex<Vec<bool>>>, first: usize) -> Self {
        let doc = Doc::new();
        let typed = Arc::new(AtomicUsize::new(0));
        let connected = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn({
            let (doc, typed, connected, stop) =
                (doc.clone(), typed.clone(), connected.clone(), stop.clone());
            async move {
                let mut attempt = first;
                let mut client: Option<YClient> = None;
                while !stop.load(Ordering::Relaxed) {
                    if client.as_ref().is_none_or(|c| c.seen().ended) {
                        client = None;
                        let pick = pick_live(&live, attempt);
                        attempt += 1;
                        if let Some(index) = pick
                            && let Ok(c) = YClient::connect_doc(&urls[index], doc.clone()).await
                        {
                            connected.fetch_add(1, Ordering::Relaxed);
                            client = Some(c);
                        }
                    }
                    // Typed whether connected or not: offline words go out with the
                    // next sync, as a browser's do.
                    let n = typed.fetch_add(1, Ordering::Relaxed);
                    let text = doc.get_or_insert_text("text");
                    let mut txn = doc.transact_mut();
                    let at = text.len(&txn);
                    text.insert(&mut txn, at, &format!("{name}.{n} "));
                    drop(txn);
                    tokio::time::sleep(Duration::from_millis(15)).await;
                }
                if let Some(client) = client {
                    client.close().await;
                }
            }
        });
        Self {
            doc,
            typed,
            connected,
            stop,
            task,
        }
    }

    async fn finish(self) -> Result<Doc> {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await?;
        Ok(self.doc)
    }
}

/// The index of a live node, turning through them with each attempt.
fn pick_live(live: &Mutex<Vec<bool>>, attempt: usize) -> Option<usize> {
    let live = live.lock().unwrap_or_else(|p| p.into_inner()).clone();
    (0..live.len())
        .map(|i| (attempt + i) % live.len())
        .find(|&i| live[i])
}

/// A listener that records every update it is sent and never sends one, reconnecting
/// with an empty state vector (so it is sent the whole document again each time).
struct Witness {
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Witness {
    fn start(urls: Vec<String>, live: Arc<Mutex<Vec<bool>>>, first: usize) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn({
            let (received, stop) = (received.clone(), stop.clone());
            async move {
                let mut attempt = first;
                while !stop.load(Ordering::Relaxed) {
                    let Some(index) = pick_live(&live, attempt) else {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    };
                    attempt += 1;
                    let Ok((socket, _)) = connect_async(urls[index].as_str()).await else {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    };
                    let (mut sink, mut stream) = socket.split();
                    let step1 = Message::Sync(SyncMessage::SyncStep1(StateVector::default()));
                    if sink
                        .send(WsMessage::Binary(step1.encode_v1().into()))
                        .await
                        .is_err()
                    {
                        continue;
                    }
                    loop {
                        let next = tokio::time::timeout(Duration::from_millis(100), stream.next());
                        match next.await {
                            Err(_) if stop.load(Ordering::Relaxed) => return,
                            Err(_) => continue,
                            Ok(Some(Ok(WsMessage::Binary(frame)))) => {
                                let mut decoder = DecoderV1::from(&frame[..]);
                                for message in yrs::sync::MessageReader::new(&mut decoder).flatten()
                                {
                                    if let Message::Sync(
                                        SyncMessage::SyncStep2(update)
                                        | SyncMessage::Update(update),
                                    ) = message
                                    {
                                        received
                                            .lock()
                                            .unwrap_or_else(|p| p.into_inner())
                                            .push(update);
                                    }
                                }
                            }
                            Ok(Some(Ok(_))) => {}
                            Ok(_) => break,
                        }
                    }
                }
            }
        });
        Self {
            received,
            stop,
            task,
        }
    }

    async fn finish(self) -> Result<Vec<Vec<u8>>> {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await?;
        Ok(std::mem::take(
            &mut *self.received.lock().unwrap_or_else(|p| p.into_inner()),
        ))
    }
}

/// The document as the database holds it.
async fn stored_doc(cluster: &TestCluster) -> Result<Doc> {
    let store = cluster.db.open_store().await?;
    let name = format!("{}/{DOC}", cluster.nodes[0].server.access.review);
    let stored = store.load(&name).await?;
    let doc = Doc::new();
    for blob in stored.state.iter().chain(stored.updates.iter()) {
        doc.transact_mut().apply_update(Update::decode_v1(blob)?)?;
    }
    store.close().await;
    Ok(doc)
}

fn text_of(doc: &Doc) -> String {
    let text = doc.get_or_insert_text("text");
    text.get_string(&doc.transact())
}

/// Every word each writer typed, in the text (nothing a client made was lost).
fn assert_all_typed(text: &str, writers: &[(String, usize)]) -> Result<()> {
    for (name, typed) in writers {
        for n in 0..*typed {
            let word = format!("{name}.{n} ");
            if !text.contains(&word) {
                bail!("{word:?} is missing from the stored text");
            }
        }
    }
    Ok(())
}

/// Everything any witness was sent is in the database: its state vector covers each
/// update's, and applying the update to the stored document changes nothing.
fn assert_received_is_stored(stored: &Doc, received: &[Vec<u8>]) -> Result<()> {
    let have = stored.transact().state_vector();
    let before = text_of(stored);
    for update in received {
        let update = Update::decode_v1(update)?;
        for (client, clock) in update.state_vector().iter() {
            if have.get(client) < *clock {
                bail!(
                    "a client was sent an update of {client} up to {clock}, but the database holds only up to {}",
                    have.get(client)
                );
            }
        }
        let probe = Doc::new();
        probe.transact_mut().apply_update(Update::decode_v1(
            &stored
                .transact()
                .encode_state_as_update_v1(&StateVector::default()),
        )?)?;
        probe.transact_mut().apply_update(update)?;
        if text_of(&probe) != before {
            bail!("an update a client was sent changes the stored document");
        }
    }
    Ok(())
}

/// The log is dense: after the merged state's seq, one update per seq, none missing.
async fn assert_dense(cluster: &TestCluster) -> Result<()> {
    let (from, seqs) = cluster.stored_seqs(DOC).await?;
    for (i, seq) in seqs.iter().enumerate() {
        let expected = from + 1 + i as i64;
        if *seq != expected {
            bail!("seq {expected} expected after the state at {from}, found {seq} ({seqs:?})");
        }
    }
    Ok(())
}

/// The sum of one metric over every node.
async fn sum_metric(cluster: &TestCluster, name: &str) -> Result<f64> {
    let mut sum = 0.0;
    for node in &cluster.nodes {
        sum += node.server.metric(name).await?;
    }
    Ok(sum)
}

/// Three writers (and, if asked, three witnesses) on the board, each starting on its
/// own node and moving on among the nodes marked live.
struct Crowd {
    urls: Vec<String>,
    live: Arc<Mutex<Vec<bool>>>,
    writers: Vec<Writer>,
    witnesses: Vec<Witness>,
}

impl Crowd {
    fn start(cluster: &TestCluster, witnesses: bool) -> Self {
        let urls: Vec<String> = (0..3).map(|i| cluster.ws_url(i, DOC)).collect();
        let live = Arc::new(Mutex::new(vec![true; 3]));
        let writers = (0..3)
            .map(|i| Writer::start(format!("w{i}"), urls.clone(), live.clone(), i))
            .collect();
        let witnesses = if witnesses {
            (0..3)
                .map(|i| Witness::start(urls.clone(), live.clone(), i))
                .collect()
        } else {
            Vec::new()
        };
        Self {
            urls,
            live,
            writers,
            witnesses,
        }
    }

    fn set_live(&self, node: usize, live: bool) {
        self.live.lock().unwrap_or_else(|p| p.into_inner())[node] = live;
    }

    /// How many words each writer has typed so far.
    fn marks(&self) -> Vec<usize> {
        self.writers
            .iter()
            .map(|w| w.typed.load(Ordering::Relaxed))
            .collect()
    }

    /// Waits until every writer has typed `more` words since now.
    async fn typing(&self, more: usize) -> Result<()> {
        let from = self.marks();
        eventually("writers typing", Duration::from_secs(20), || {
            self.writers
                .iter()
                .zip(&from)
                .all(|(w, f)| w.typed.load(Ordering::Relaxed) > f + more)
        })
        .await
    }

    /// Waits until the words each writer had typed at `marks` are stored.
    async fn stored_up_to(&self, cluster: &TestCluster, marks: &[usize], what: &str) -> Result<()> {
        let deadline = Instant::now() + FAILOVER_LIMIT;
        loop {
            let stored = text_of(&stored_doc(cluster).await?);
            if marks
                .iter()
                .enumerate()
                .all(|(i, m)| stored.contains(&format!("w{i}.{m} ")))
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("{what} within {FAILOVER_LIMIT:?}\n{}", cluster.logs());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops typing and listening; then every word typed and every update a witness was
    /// sent must be in the database, the same in every writer, and the log dense.
    async fn finish(self, cluster: &TestCluster) -> Result<()> {
        let mut typed = Vec::new();
        let mut docs = Vec::new();
        for (i, writer) in self.writers.into_iter().enumerate() {
            typed.push((format!("w{i}"), writer.typed.load(Ordering::Relaxed)));
            assert!(writer.connected.load(Ordering::Relaxed) >= 1);
            docs.push(writer.finish().await?);
        }
        let text = converge(cluster, &docs, &self.urls).await?;
        assert_all_typed(&text, &typed)?;
        let stored = stored_doc(cluster).await?;
        for witness in self.witnesses {
            let received = witness.finish().await?;
            assert!(!received.is_empty());
            assert_received_is_stored(&stored, &received)?;
        }
        assert_dense(cluster).await
    }
}

/// Waits until every writer's document, and the database's, read the same text.
async fn converge(cluster: &TestCluster, docs: &[Doc], urls: &[String]) -> Result<String> {
    // Each writer syncs once more through a node, so what it still held goes out.
    let mut clients = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let client = YClient::connect_doc(&urls[i % urls.len()], doc.clone()).await?;
        client
            .synced()
            .await
            .with_context(|| format!("through node {}\n{}", i % urls.len(), cluster.logs()))?;
        clients.push(client);
    }
    let mut last = String::new();
    let deadline = Instant::now() + FAILOVER_LIMIT;
    loop {
        let stored = text_of(&stored_doc(cluster).await?);
        let all_equal = docs.iter().all(|d| text_of(d) == stored);
        if all_equal {
            for client in clients {
                client.close().await;
            }
            return Ok(stored);
        }
        if Instant::now() > deadline {
            bail!(
                "clients and database did not converge; stored {} chars, clients {:?}\n{}",
                stored.len(),
                docs.iter().map(|d| text_of(d).len()).collect::<Vec<_>>(),
                cluster.logs()
            );
        }
        if stored != last {
            last = stored;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_on_three_nodes_edit_one_board_and_converge() -> Result<()> {
    let cluster = TestCluster::start(3, &[]).await?;
    let mut clients = Vec::new();
    for i in 0..3 {
        let client = YClient::connect(&cluster.ws_url(i, DOC)).await?;
        client.synced().await?;
        clients.push(client);
    }
    // Exactly one node serves the board; the other two relay to it.
    let owner = cluster
        .owner_of(DOC)
        .await?
        .ok_or_else(|| anyhow!("nobody owns the board"))?;
    for (i, client) in clients.iter().enumerate() {
        client.push("text", &format!("from node {i}. "));
    }
    for client in &clients {
        client
            .wait("everyone's words", |_| {
                let text = client.text("text");
                (0..3).all(|i| text.contains(&format!("from node {i}. ")))
            })
            .await?;
    }
    let forwarded = sum_metric(&cluster, "board_cluster_forwarded_connections").await?;
    assert_eq!(forwarded, 2.0, "two of three clients are relayed");
    assert_eq!(
        cluster.nodes[owner]
            .server
            .metric("board_cluster_owned_rooms")
            .await?,
        1.0
    );
    let stored = text_of(&stored_doc(&cluster).await?);
    assert_eq!(stored, clients[0].text("text"));
    assert_dense(&cluster).await?;
    cluster.assert_no_panic();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kills_of_owners_and_forwarders_lose_nothing_a_client_was_sent() -> Result<()> {
    let mut cluster = TestCluster::start(3, &[]).await?;
    let crowd = Crowd::start(&cluster, true);
    let mut rng = rand::rng();
    let mut failovers = Vec::new();
    for round in 0..kills() {
        // Everyone connected and typing first.
        crowd.typing(10).await?;
        let owner = cluster
            .owner_of(DOC)
            .await?
            .ok_or_else(|| anyhow!("round {round}: nobody owns the board"))?;
        // Half the kills hit the owner, half a node that relays to it.
        let victim = if rng.random_bool(0.5) {
            owner
        } else {
            (owner + rng.random_range(1..3)) % 3
        };
        crowd.set_live(victim, false);
        let killed = Instant::now();
        cluster.nodes[victim].server.kill().await?;
        // Writable again: every writer's newest words reach the database through the
        // nodes still running.
        let marks = crowd.marks();
        let what = format!(
            "round {round}: the board was not writable again after killing node {victim} (owner {owner})"
        );
        crowd.stored_up_to(&cluster, &marks, &what).await?;
        failovers.push((victim == owner, killed.elapsed()));
        cluster.nodes[victim].server.start_again().await?;
        crowd.set_live(victim, true);
    }
    crowd.finish(&cluster).await?;
    // Exactly one owner afterwards (the row names one node).
    assert!(cluster.owner_of(DOC).await?.is_some());
    cluster.assert_no_panic();
    eprintln!("failovers (owner killed?, until writable): {failovers:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_claiming_new_boards_at_once_give_each_one_owner() -> Result<()> {
    let cluster = TestCluster::start(2, &[]).await?;
    for round in 0..5 {
        let access = cluster.nodes[0]
            .server
            .another_review("lead_reviewer")
            .await?;
        let url = |i: usize| {
            format!(
                "ws://{}/sync/{}/board?token={}",
                cluster.nodes[i].server.addr, access.review, access.token
            )
        };
        let (url_a, url_b) = (url(0), url(1));
        let (a, b) = tokio::join!(YClient::connect(&url_a), YClient::connect(&url_b));
        let (a, b) = (a?, b?);
        a.synced().await?;
        b.synced().await?;
        a.push("text", "a");
        b.push("text", "b");
        for client in [&a, &b] {
            client
                .wait("both words", |_| client.text("text").len() == 2)
                .await
                .with_context(|| format!("round {round}"))?;
        }
        let owners: i64 = cluster
            .db
            .scalar(&format!(
                "select count(*) from document_owners where document = '{}/board' and owner_node is not null",
                access.review
            ))
            .await?;
        assert_eq!(owners, 1, "round {round}");
        let claims = sum_metric(&cluster, "board_cluster_claims_total").await?;
        assert!(claims >= f64::from(round + 1));
    }
    cluster.assert_no_panic();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rolling_restart_hands_boards_over_without_losing_an_edit() -> Result<()> {
    let mut cluster = TestCluster::start(3, &[]).await?;
    let crowd = Crowd::start(&cluster, false);
    for i in 0..3 {
        crowd.typing(10).await?;
        crowd.set_live(i, false);
        let stopped = Instant::now();
        let status = cluster.nodes[i].server.stop().await?;
        assert!(status.success(), "node {i} stopped with {status}");
        // Handed over at once: a released board needs no heartbeat to lapse.
        let marks = crowd.marks();
        let what = format!("no edit stored after node {i} stopped");
        crowd.stored_up_to(&cluster, &marks, &what).await?;
        eprintln!(
            "node {i} stopped; edits stored again after {:?}",
            stopped.elapsed()
        );
        cluster.nodes[i].server.start_again().await?;
        crowd.set_live(i, true);
    }
    crowd.finish(&cluster).await?;
    let takeovers = sum_metric(&cluster, "board_cluster_takeovers_total").await?;
    assert_eq!(
        takeovers, 0.0,
        "a graceful stop releases: no board is taken over"
    );
    cluster.assert_no_panic();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cursor_on_one_node_is_seen_through_another_and_leaves_with_its_client() -> Result<()> {
    let cluster = TestCluster::start(2, &[]).await?;
    let on_a = YClient::connect(&cluster.ws_url(0, DOC)).await?;
    on_a.synced().await?;
    let on_b = YClient::connect(&cluster.ws_url(1, DOC)).await?;
    on_b.synced().await?;
    let id = on_a.client_id();
    on_a.set_presence(Some(
        &serde_json::json!({"user": {"name": "Ann"}, "cursor": 3}),
    ));
    on_b.wait("A's cursor", |s| s.presence.contains_key(&id))
        .await?;
    // A's client dies without a word: its cursor goes when its connection does.
    on_a.vanish();
    on_b.wait("A's cursor gone", |s| !s.presence.contains_key(&id))
        .await?;
    cluster.assert_no_panic();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_owner_cut_off_from_the_database_stops_and_another_takes_over() -> Result<()> {
    let cluster = TestCluster::start(3, &[]).await?;
    let urls: Vec<String> = (0..3).map(|i| cluster.ws_url(i, DOC)).collect();
    let first = YClient::connect(&urls[0]).await?;
    first.synced().await?;
    first.push("text", "before. ");
    first
        .wait("the first words back", |s| s.updates >= 1)
        .await?;
    assert_eq!(cluster.owner_of(DOC).await?, Some(0));
    // Listeners on the owner and through another node.
    let on_owner = Witness::start(vec![urls[0].clone()], Arc::new(Mutex::new(vec![true])), 0);
    let relayed = Witness::start(vec![urls[2].clone()], Arc::new(Mutex::new(vec![true])), 0);
    // The owner loses the database: its queries hang, half-open.
    cluster.database_link(0, Mode::BlackHole);
    // What its client types now cannot be stored, so nobody may be sent it.
    first.push("text", "during. ");
    // It stops: its client is told to reconnect within the owner timeout or so.
    let code = tokio::time::timeout(FAILOVER_LIMIT, first.close_code())
        .await
        .map_err(|_| anyhow!("the cut-off owner kept its client\n{}", cluster.logs()))??;
    assert!(
        code == 1012 || code == 1011,
        "closed with {code}, not 'reconnect'"
    );
    // Through another node the board comes back once the owner's heartbeat lapses.
    let other = YClient::connect(&urls[1]).await?;
    other.synced().await?;
    other.push("text", "after. ");
    let deadline = Instant::now() + FAILOVER_LIMIT;
    while !matches!(cluster.owner_of(DOC).await?, Some(i) if i != 0) {
        if Instant::now() > deadline {
            bail!("no node took over\n{}", cluster.logs());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        cluster.nodes[0]
            .server
            .metric("board_connections_closed_total{reason=\"moved\"}")
            .await
            .unwrap_or(0.0)
            + cluster.nodes[0]
                .server
                .metric("board_connections_closed_total{reason=\"store_unavailable\"}")
                .await
                .unwrap_or(0.0)
            >= 1.0
    );
    // Healed, the old owner serves again, by relaying to the new one.
    cluster.database_link(0, Mode::Pass);
    let docs = vec![first.doc.clone(), other.doc.clone()];
    drop(first);
    drop(other);
    let text = converge(&cluster, &docs, &urls).await?;
    for word in ["before. ", "during. ", "after. "] {
        assert!(text.contains(word), "{word:?} missing from {text:?}");
    }
    let back = YClient::connect(&urls[0]).await?;
    back.synced().await?;
    assert_eq!(back.text("text"), text);
    let stored = stored_doc(&cluster).await?;
    for witness in [on_owner, relayed] {
        let received = witness.finish().await?;
        assert!(!received.is_empty());
        assert_received_is_stored(&stored, &received)?;
    }
    assert_dense(&cluster).await?;
    cluster.assert_no_panic();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_relaying_node_cut_off_from_the_owner_closes_its_clients_and_loses_nothing() -> Result<()>
{
    let cluster = TestCluster::start(3, &[]).await?;
    let urls: Vec<String> = (0..3).map(|i| cluster.ws_url(i, DOC)).collect();
    let on_owner = YClient::connect(&urls[0]).await?;
    on_owner.synced().await?;
    assert_eq!(cluster.owner_of(DOC).await?, Some(0));
    let relayed = YClient::connect(&urls[1]).await?;
    relayed.synced().await?;
    let witness = Witness::start(vec![urls[0].clone()], Arc::new(Mutex::new(vec![true])), 0);
    relayed.push("text", "through node 1. ");
    on_owner
        .wait("the relayed words", |_| {
            on_owner.text("text").contains("node 1")
        })
        .await?;
    // Node 1 can no longer reach node 0; both still reach the database.
    cluster.inbound_link(0, Mode::BlackHole);
    relayed.push("text", "cut off. ");
    let code = tokio::time::timeout(FAILOVER_LIMIT, relayed.close_code())
        .await
        .map_err(|_| anyhow!("the relaying node kept its client\n{}", cluster.logs()))??;
    assert_eq!(code, 1012, "told to reconnect");
    // The client reconnects (every node reaches node 0 through the link that is cut,
    // so here straight to the owner, as a balancer hashing on the board would send it),
    // and its words arrive.
    let again = YClient::connect_doc(&urls[0], relayed.doc.clone()).await?;
    drop(relayed);
    again.synced().await?;
    on_owner
        .wait("the words typed while cut off", |_| {
            on_owner.text("text").contains("cut off. ")
        })
        .await?;
    cluster.inbound_link(0, Mode::Pass);
    let received = witness.finish().await?;
    assert_received_is_stored(&stored_doc(&cluster).await?, &received)?;
    assert_dense(&cluster).await?;
    cluster.assert_no_panic();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_by_an_owner_that_was_taken_over_is_refused_whole() -> Result<()> {
    use board_server::store::{Append, Claim, ClusterTables, Directory, Lease};
    let db = board_tests::TestDb::new(board_tests::Backend::Postgres).await?;
    let store = db.open_store().await?;
    let Directory::Postgres(pool) = store.directory() else {
        bail!("not PostgreSQL");
    };
    let tables = ClusterTables::new(pool);
    tables.join("a", "http://a", false).await?;
    tables.join("b", "http://b", false).await?;
    let stale = Duration::from_secs(60);
    let Claim::Owned { epoch: first, .. } = tables.claim("doc", "a", stale).await? else {
        bail!("a could not claim a new document");
    };
    // While a is alive, b is told where the document is served.
    assert_eq!(
        tables.claim("doc", "b", stale).await?,
        Claim::Elsewhere {
            node: "a".into(),
            address: "http://a".into()
        }
    );
    let append = |node: &str, epoch: i64, seq: i64| Append {
        document: "doc".into(),
        seq,
        data: bytes::Bytes::from_static(b"\x00\x00"),
        edit: None,
        lease: Some(Lease {
            node: node.into(),
            epoch,
        }),
    };
    assert!(
        store
            .append_leased(&[append("a", first, 1)])
            .await?
            .is_empty()
    );
    // a's heartbeat lapses; b takes over with the next epoch.
    db.execute(
        "update cluster_nodes set heartbeat_at = now() - interval '5 minutes' where id = 'a'",
    )
    .await?;
    let Claim::Owned {
        epoch: second,
        took_over,
    } = tables.claim("doc", "b", stale).await?
    else {
        bail!("b could not take over");
    };
    assert_eq!((second, took_over), (first + 1, true));
    // a, late, commits seq 2 under its old epoch: refused, nothing stored. b's seq 2
    // then goes in; the log stays dense and has one writer per seq.
    let refused = store.append_leased(&[append("a", first, 2)]).await?;
    assert_eq!(refused, vec![std::sync::Arc::<str>::from("doc")]);
    assert_eq!(db.scalar("select count(*) from document_updates").await?, 1);
    assert!(
        store
            .append_leased(&[append("b", second, 2)])
            .await?
            .is_empty()
    );
    assert_eq!(db.scalar("select max(seq) from document_updates").await?, 2);
    // One batch holding the document under two leases stores none of it.
    let refused = store
        .append_leased(&[append("b", second, 3), append("a", first, 4)])
        .await?;
    assert_eq!(refused, vec![std::sync::Arc::<str>::from("doc")]);
    assert_eq!(db.scalar("select max(seq) from document_updates").await?, 2);
    // A released document is claimed at once, with the next epoch.
    tables.release("doc", "b", second).await?;
    assert!(matches!(
        tables.claim("doc", "a", stale).await?,
        Claim::Owned { epoch, .. } if epoch == second + 1
    ));
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn a_second_server_on_one_sqlite_file_refuses_to_start() -> Result<()> {
    let db = board_tests::TestDb::new(board_tests::Backend::Sqlite).await?;
    let mut first = board_tests::TestServer::start(&db).await?;
    let output = tokio::process::Command::new(board_tests::server::board_binary())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db.url,
        ])
        .output()
        .await?;
    assert!(!output.status.success(), "the second server started");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("another board server is already serving"),
        "{said}"
    );
    // The first one is unharmed, and once it stops the file may be served again.
    first.assert_healthy();
    first.restart().await?;
    first.assert_healthy();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_internal_endpoint_answers_only_the_clusters_signature() -> Result<()> {
    let cluster = TestCluster::start(1, &[]).await?;
    let node = &cluster.nodes[0].server;
    let review = &node.access.review;
    let url = format!("ws://{}/internal/sync/{review}/board", node.addr);
    // Without a signature, and with a forged one claiming edit access.
    let caller = serde_json::json!({"kind": "user", "id": "x", "name": "Mallory", "agency": "", "access": "edit"});
    let hex: String = serde_json::to_vec(&caller)?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let time = board_server::clock::now_ms().to_string();
    for headers in [
        vec![],
        vec![
            ("x-board-node", "evil"),
            ("x-board-time", time.as_str()),
            ("x-board-caller", hex.as_str()),
            ("x-board-signature", "00"),
        ],
    ] {
        let status = board_tests::client::handshake_status(&url, &headers).await?;
        assert_eq!(status, 404, "headers {headers:?}");
    }
    // A SQLite server has no such endpoint at all.
    let db = board_tests::TestDb::new(board_tests::Backend::Sqlite).await?;
    let single = board_tests::TestServer::start(&db).await?;
    let url = format!(
        "ws://{}/internal/sync/{}/board",
        single.addr, single.access.review
    );
    assert_eq!(board_tests::client::handshake_status(&url, &[]).await?, 404);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restore_asked_of_another_node_runs_on_the_owner() -> Result<()> {
    let cluster = TestCluster::start(2, &[]).await?;
    let owner_client = YClient::connect(&cluster.ws_url(0, DOC)).await?;
    owner_client.synced().await?;
    let relayed = YClient::connect(&cluster.ws_url(1, DOC)).await?;
    relayed.synced().await?;
    assert_eq!(cluster.owner_of(DOC).await?, Some(0));
    let review = cluster.nodes[0].server.access.review.clone();
    let lead = board_tests::api::ApiClient::with_token(
        &cluster.nodes[1].server,
        &cluster.nodes[0].server.access.token,
    );
    // An empty board's snapshot, then a finding, then restoring the snapshot through
    // the node that does not serve the board.
    let taken = lead
        .post(
            &format!("/api/reviews/{review}/snapshots"),
            serde_json::json!({"label": "Empty"}),
        )
        .await?
        .expect(201)?;
    let id = taken["id"]
        .as_str()
        .ok_or_else(|| anyhow!("no snapshot id in {taken}"))?
        .to_string();
    board_tests::board::add_finding(&owner_client.doc, "g1", "a0", "A finding", "");
    relayed
        .wait("the finding", |_| {
            relayed
                .board()
                .map(|b| b.findings.len() == 1)
                .unwrap_or(false)
        })
        .await?;
    lead.post(
        &format!("/api/reviews/{review}/snapshots/{id}/restore"),
        serde_json::json!({}),
    )
    .await?
    .expect(200)?;
    for client in [&owner_client, &relayed] {
        client
            .wait("the restore", |_| {
                client
                    .board()
                    .map(|b| b.findings.is_empty())
                    .unwrap_or(false)
            })
            .await?;
    }
    cluster.assert_no_panic();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgresql_restart_mid_edit_loses_nothing_a_client_was_sent() -> Result<()> {
    let postgres = board_tests::postgres::PrivatePostgres::start().await?;
    let db = board_tests::TestDb::postgres_at(&postgres.url("board"))?;
    let cluster = TestCluster::start_on(db, 3, &[]).await?;
    let crowd = Crowd::start(&cluster, true);
    crowd.typing(20).await?;
    postgres.stop_fast().await?;
    // Down: the writers go on typing; nothing they type can be stored or sent.
    crowd.typing(20).await?;
    postgres.start_again().await?;
    // The nodes did lose the database meanwhile.
    let failures = sum_metric(&cluster, "board_cluster_heartbeat_failures_total").await?;
    assert!(failures >= 1.0, "no node noticed the restart");
    // Editing resumes by itself: each writer's newest words reach the database.
    let marks = crowd.marks();
    crowd
        .stored_up_to(&cluster, &marks, "editing did not resume after the restart")
        .await?;
    crowd.finish(&cluster).await?;
    cluster.assert_no_panic();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn access_taken_away_on_one_node_closes_connections_on_the_others() -> Result<()> {
    // The periodic recheck never comes within the test: only the change itself, told
    // from node to node, can close the connections in time.
    let cluster = TestCluster::start(3, &["--access-recheck", "1h"]).await?;
    // A lead signed in on the third node.
    let lead = board_tests::api::admin(&cluster.nodes[2].server, "Alex Lead").await?;
    let review =
        board_tests::api::create_review(&lead.api, serde_json::json!({"title": "Child D"})).await?;
    let lead = lead.api;
    let minted = lead
        .post(
            &format!("/api/reviews/{review}/tokens"),
            serde_json::json!({"role": "observer", "label": "screen"}),
        )
        .await?
        .expect(201)?;
    let secret = minted["secret"].as_str().unwrap_or_default().to_string();
    let id = minted["token"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // One screen on the board's owner, one relayed through another node.
    let url = |node: usize| {
        format!(
            "ws://{}/sync/{review}/board?token={secret}",
            cluster.nodes[node].server.addr
        )
    };
    let direct = YClient::connect(&url(0)).await?;
    direct.synced().await?;
    let relayed = YClient::connect(&url(1)).await?;
    relayed.synced().await?;
    // Revoked through the third node.
    lead.delete(&format!("/api/reviews/{review}/tokens/{id}"))
        .await?
        .expect(204)?;
    assert_eq!(direct.close_code().await?, 4403);
    assert_eq!(relayed.close_code().await?, 4403);
    cluster.assert_no_panic();
    Ok(())
}

/// `count` nodes that talk over mutual TLS, with the folder holding their certificates.
async fn tls_cluster(
    count: usize,
) -> Result<(
    tempfile::TempDir,
    board_tests::cluster::TlsFiles,
    TestCluster,
)> {
    let scratch = tempfile::tempdir()?;
    let tls = board_tests::cluster::TlsFiles::make(scratch.path())?;
    let args = tls.args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let db = board_tests::TestDb::new(board_tests::Backend::Postgres).await?;
    let cluster = TestCluster::start_direct(
        db,
        count,
        &args,
        board_tests::server::ServerOptions::default(),
    )
    .await?;
    Ok((scratch, tls, cluster))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_with_mutual_tls_relay_to_each_other_and_refuse_strangers() -> Result<()> {
    let (_scratch, tls, cluster) = tls_cluster(2).await?;
    // A board opened on node 0, and a client relayed to it through node 1, over TLS.
    let on_owner = YClient::connect(&cluster.ws_url(0, DOC)).await?;
    on_owner.synced().await?;
    let relayed = YClient::connect(&cluster.ws_url(1, DOC)).await?;
    relayed.synced().await?;
    relayed.push("text", "over TLS. ");
    on_owner
        .wait("the relayed words", |_| {
            on_owner.text("text") == "over TLS. "
        })
        .await?;
    assert_eq!(
        cluster.nodes[1]
            .server
            .metric("board_cluster_forwarded_connections")
            .await?,
        1.0
    );
    // The cluster's listener answers a node's certificate only.
    let listener = board_tests::cluster::cluster_listener(&cluster.nodes[0].server)
        .ok_or_else(|| anyhow!("no cluster listener in the log"))?;
    let url = format!("https://{listener}/healthz");
    let curl = |extra: &[&str]| {
        let mut command = std::process::Command::new("curl");
        command
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--max-time",
                "10",
            ])
            .arg("--cacert")
            .arg(&tls.ca)
            .args(extra)
            .arg(&url);
        command
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
    };
    let cert = tls.cert.display().to_string();
    let key = tls.key.display().to_string();
    assert_eq!(curl(&["--cert", &cert, "--key", &key])?, "200");
    assert_ne!(curl(&[])?, "200", "no certificate");
    let stranger = tls.stranger_cert.display().to_string();
    let stranger_key = tls.stranger_key.display().to_string();
    assert_ne!(
        curl(&["--cert", &stranger, "--key", &stranger_key])?,
        "200",
        "a certificate from another authority"
    );
    cluster.assert_no_panic();
    Ok(())
}

/// The headers of an internal handshake to node `to` for `document` of the test's
/// review, signed with the cluster's secret read from the database, for a caller with
/// edit access.
async fn signed_headers(cluster: &TestCluster, to: &str) -> Result<Vec<(&'static str, String)>> {
    use board_server::cluster::{ForwardedCaller, Signed, sign_with_secret};
    let secret: String = {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&cluster.db.url).await?;
        sqlx::query_scalar("select secret from cluster_secret")
            .fetch_one(&mut conn)
            .await?
    };
    let document = format!("{}/{DOC}", cluster.nodes[0].server.access.review);
    let caller = ForwardedCaller {
        kind: "user".into(),
        id: "u-test".into(),
        name: "Relayed".into(),
        agency: String::new(),
        access: board_server::access::DocumentAccess::Edit,
    };
    let signed = sign_with_secret(&secret, "a-test-node", to, &document, &caller);
    Ok(vec![
        (Signed::NODE_HEADER, signed.node),
        (Signed::TIME_HEADER, signed.time_ms.to_string()),
        (Signed::NONCE_HEADER, signed.nonce),
        (Signed::CALLER_HEADER, signed.caller),
        (Signed::SIGNATURE_HEADER, signed.signature),
    ])
}

/// The id the database gives the node whose address ends with `address`.
async fn node_id(cluster: &TestCluster, address: &str) -> Result<String> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&cluster.db.url).await?;
    Ok(sqlx::query_scalar(
        "select id from cluster_nodes where address like '%' || $1 and left_at is null",
    )
    .bind(address)
    .fetch_one(&mut conn)
    .await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_handshake_opens_one_connection_and_only_for_its_node() -> Result<()> {
    let cluster = TestCluster::start(2, &[]).await?;
    let node0 = node_id(&cluster, &cluster.nodes[0].inbound.addr.to_string()).await?;
    let review = &cluster.nodes[0].server.access.review;
    let url = |i: usize| {
        format!(
            "ws://{}/internal/sync/{review}/{DOC}",
            cluster.nodes[i].server.addr
        )
    };
    let headers = signed_headers(&cluster, &node0).await?;
    let as_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    // Made for node 0, refused by node 1; accepted by node 0 once, refused the second
    // time (a handshake seen on the wire cannot be replayed).
    assert_eq!(
        board_tests::client::handshake_status(&url(1), &as_refs).await?,
        404
    );
    assert_eq!(
        board_tests::client::handshake_status(&url(0), &as_refs).await?,
        101
    );
    assert_eq!(
        board_tests::client::handshake_status(&url(0), &as_refs).await?,
        404
    );
    cluster.assert_no_panic();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_mutual_tls_the_public_listener_refuses_even_a_signed_handshake() -> Result<()> {
    let (_scratch, _tls, cluster) = tls_cluster(1).await?;
    let listener = board_tests::cluster::cluster_listener(&cluster.nodes[0].server)
        .ok_or_else(|| anyhow!("no cluster listener in the log"))?;
    let node0 = node_id(&cluster, &listener).await?;
    let headers = signed_headers(&cluster, &node0).await?;
    let as_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let url = format!(
        "ws://{}/internal/sync/{}/{DOC}",
        cluster.nodes[0].server.addr, cluster.nodes[0].server.access.review
    );
    assert_eq!(
        board_tests::client::handshake_status(&url, &as_refs).await?,
        404
    );
    cluster.assert_no_panic();
    Ok(())
}
