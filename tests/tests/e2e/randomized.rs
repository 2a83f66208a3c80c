//! Randomized runs: several clients make random edits, disconnect, edit offline,
//! reconnect, and the server restarts or is killed, all driven by one seed. At the end
//! every client and the stored document are identical.
//!
//! The seed is printed; replay a failure with `SEED=<seed> scripts/test randomized`.
//! `RANDOMIZED_STEPS` lengthens a run.

use std::time::Duration;

use anyhow::Result;
use rand::{Rng, SeedableRng, rngs::StdRng};
use yrs::{Any, Doc, GetString, Map, OffsetKind, Options, ReadTxn, Text, Transact};

use crate::support::{Backend, YClient, both_databases, eventually, server};

both_databases!(random_edits_disconnects_and_restarts_converge);

const CLIENTS: usize = 4;

/// One simulated person: a document that is sometimes connected.
struct Person {
    doc: Doc,
    online: Option<YClient>,
}

fn edit(doc: &Doc, rng: &mut StdRng, step: usize) {
    let text = doc.get_or_insert_text("narrative");
    let map = doc.get_or_insert_map("factors");
    let mut txn = doc.transact_mut();
    match rng.random_range(0..10) {
        0..=4 => {
            let len = text.len(&txn);
            let at = rng.random_range(0..=len);
            let word =
                ["agency ", "referral ", "visit ", "strategy ", "é∂ "][rng.random_range(0..5)];
            text.insert(&mut txn, at, word);
        }
        5..=6 => {
            let len = text.len(&txn);
            if len > 0 {
                let at = rng.random_range(0..len);
                let n = rng.random_range(1..=(len - at).min(6));
                text.remove_range(&mut txn, at, n);
            }
        }
        7..=8 => {
            let key = format!("f{}", rng.random_range(0..12));
            map.insert(&mut txn, key, Any::from(step as f64));
        }
        _ => {
            let key = format!("f{}", rng.random_range(0..12));
            map.remove(&mut txn, &key);
        }
    }
}

fn summary(doc: &Doc) -> (String, String) {
    // Root types first: getting one may need a write lock, so never inside a transaction.
    let (text, map) = (
        doc.get_or_insert_text("narrative"),
        doc.get_or_insert_map("factors"),
    );
    let txn = doc.transact();
    let text = text.get_string(&txn);
    let mut factors: Vec<String> = map.iter(&txn).map(|(k, v)| format!("{k}={v}")).collect();
    factors.sort();
    (text, factors.join(","))
}

async fn random_edits_disconnects_and_restarts_converge(backend: Backend) -> Result<()> {
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    let steps: usize = std::env::var("RANDOMIZED_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    println!("randomized run on {backend:?}: seed {seed}, {steps} steps (replay with SEED={seed})");
    let mut rng = StdRng::seed_from_u64(seed);
    let (_db, mut server) = server(backend, &["--compact-after-updates", "25"]).await?;
    let url = server.ws_url("board");

    let mut people: Vec<Person> = (0..CLIENTS)
        .map(|_| Person {
            // Offsets count UTF-16 units, as in the JavaScript client.
            doc: Doc::with_options(Options {
                offset_kind: OffsetKind::Utf16,
                ..Options::default()
            }),
            online: None,
        })
        .collect();
    for person in &mut people {
        person.online = Some(YClient::connect_doc(&url, person.doc.clone()).await?);
    }

    for step in 0..steps {
        let who = rng.random_range(0..CLIENTS);
        match rng.random_range(0..100) {
            // Edit, online or offline.
            0..=79 => edit(&people[who].doc, &mut rng, step),
            // Leave, politely or not.
            80..=87 => {
                if let Some(client) = people[who].online.take() {
                    if rng.random_bool(0.5) {
                        client.close().await;
                    } else {
                        client.vanish();
                    }
                }
            }
            // Come back with whatever was edited offline.
            88..=95 => {
                if people[who].online.is_none() {
                    let doc = people[who].doc.clone();
                    people[who].online = Some(YClient::connect_doc(&url, doc).await?);
                }
            }
            // The server restarts gracefully or is killed; everyone reconnects.
            _ => {
                let kill = rng.random_bool(0.5);
                println!(
                    "step {step}: server {}",
                    if kill { "killed" } else { "restarted" }
                );
                for person in &mut people {
                    person.online = None;
                }
                if kill {
                    server.kill().await?;
                    server.start_again().await?;
                } else {
                    server.restart().await?;
                }
                for person in &mut people {
                    let doc = person.doc.clone();
                    person.online = Some(YClient::connect_doc(&url, doc).await?);
                }
            }
        }
        if std::env::var_os("TRACE_STEPS").is_some() {
            println!("step {step} done");
        }
        if rng.random_range(0..10) == 0 {
            tokio::time::sleep(Duration::from_millis(rng.random_range(0..20))).await;
        }
    }

    // Everyone comes back online and converges.
    for person in &mut people {
        if person.online.is_none() {
            let doc = person.doc.clone();
            person.online = Some(YClient::connect_doc(&url, doc).await?);
        }
    }
    let converged = eventually("every client identical", Duration::from_secs(20), || {
        let first = people[0].doc.transact().state_vector();
        people.iter().all(|p| {
            p.doc.transact().state_vector() == first && summary(&p.doc) == summary(&people[0].doc)
        })
    })
    .await;
    if converged.is_err() {
        for (i, p) in people.iter().enumerate() {
            println!(
                "client {i}: {:?} {:?}",
                p.doc.transact().state_vector(),
                summary(&p.doc)
            );
        }
    }
    converged?;

    // What is stored equals what the clients hold.
    let expected = summary(&people[0].doc);
    let expected_sv = people[0].doc.transact().state_vector();
    for person in &mut people {
        person.online = None;
    }
    server.restart().await?;
    let fresh = YClient::connect(&url).await?;
    fresh.synced().await?;
    assert_eq!(summary(&fresh.doc), expected, "seed {seed}");
    assert_eq!(
        fresh.doc.transact().state_vector(),
        expected_sv,
        "seed {seed}"
    );
    server.assert_healthy();
    Ok(())
}
