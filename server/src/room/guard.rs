//! What the room lets into a document, decided on the document itself.
//!
//! - A read-only connection may send only updates that would change nothing. A reader's
//!   client answers the server's SyncStep1 with what it holds that the server lacks;
//!   after a sync that is nothing new. The test cannot use the update's own state
//!   vector: yrs counts only clients whose blocks start at clock 0 there, so an update
//!   continuing a known client's clock, or starting a new client past clock 0, would
//!   look empty.
//! - No update may leave a hole in a client's clocks. yrs integrates blocks that arrive
//!   past a gap (behind a placeholder) where Yjs keeps them pending, so such an update
//!   would show content that is neither stored nor sent to anyone, and could make the
//!   document's encoding unreadable. The room sets such an update aside: a Yjs client
//!   sends one only when it edits right after reconnecting, and the SyncStep2 it sends
//!   next carries those blocks again, after what they follow.

use yrs::{ID, IdSet, ReadTxn, Update};

/// True when applying `update` to the document read through `txn` would change it in
/// any way: a block the document does not hold (new, or one that would wait for a
/// missing dependency) or a deletion of something not already deleted (or not there).
pub fn would_change(txn: &impl ReadTxn, update: &Update) -> bool {
    let held = held_ids(txn);
    if !covered(&update.insertions(true), &held) {
        return true;
    }
    let deletions = update.delete_set();
    if deletions.is_empty() {
        return false;
    }
    // Only computed when a delete set is sent; readers' clients send theirs on sync.
    let deleted = txn.snapshot().delete_set;
    !covered(deletions, &deleted)
}

/// True when applying `update` would leave a hole in some client's clocks: blocks
/// starting past what the document holds of that client, or gaps inside the update.
pub fn leaves_gap(txn: &impl ReadTxn, update: &Update) -> bool {
    let inserted = update.insertions(true);
    if inserted.is_empty() {
        return false;
    }
    let held = txn.state_vector();
    inserted.iter().any(|(client, runs)| {
        // Each run of clocks (in order) must start within what is held or sent so far.
        let mut reach = held.get(client);
        for run in runs.iter().filter(|run| !run.is_empty()) {
            if run.start > reach {
                return true;
            }
            reach = reach.max(run.end);
        }
        false
    })
}

/// Every id the document holds: each client's clocks from 0 up to its state.
fn held_ids(txn: &impl ReadTxn) -> IdSet {
    let mut held = IdSet::new();
    for (client, clock) in txn.state_vector().iter() {
        held.insert(ID::new(*client, 0), *clock);
    }
    held
}

/// True when every id in `set` is also in `by`.
fn covered(set: &IdSet, by: &IdSet) -> bool {
    set.iter().all(|(client, ranges)| {
        ranges.iter().all(|range| range.is_empty())
            || matches!((set.get(client), by.get(client)), (Some(mine), Some(by)) if mine.subset_of(by))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{
        Doc, Map, Options, StateVector, Text, Transact, updates::decoder::Decode,
        updates::encoder::Encode,
    };

    /// A server document with one title, and a reader's synced copy of it.
    fn synced() -> (Doc, Doc) {
        let server = Doc::new();
        let title = server.get_or_insert_text("title");
        title.insert(&mut server.transact_mut(), 0, "Child A review");
        server
            .get_or_insert_map("findings")
            .insert(&mut server.transact_mut(), "f1", "agreed");
        let reader = Doc::new();
        let state = server
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        reader
            .transact_mut()
            .apply_update(Update::decode_v1(&state).expect("decodes"))
            .expect("applies");
        (server, reader)
    }

    fn changes(server: &Doc, update: &[u8]) -> bool {
        let update = Update::decode_v1(update).expect("decodes");
        would_change(&server.transact(), &update)
    }

    /// What `edit` made on `doc`, as the update its client would send.
    fn edit_of(doc: &Doc, edit: impl FnOnce(&Doc)) -> Vec<u8> {
        let before = doc.transact().state_vector();
        edit(doc);
        doc.transact().encode_state_as_update_v1(&before)
    }

    #[test]
    fn a_synced_readers_answer_changes_nothing() {
        let (server, reader) = synced();
        let sv = server.transact().state_vector();
        let answer = reader.transact().encode_state_as_update_v1(&sv);
        assert!(!changes(&server, &answer));
        // Its whole state, delete set included, holds nothing new either.
        let whole = reader
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert!(!changes(&server, &whole));
        assert!(!changes(&server, Update::EMPTY_V1));
    }

    #[test]
    fn a_new_client_writing_changes_the_document() {
        let (server, reader) = synced();
        let update = edit_of(&reader, |doc| {
            let title = doc.get_or_insert_text("title");
            title.push(&mut doc.transact_mut(), " (draft)");
        });
        assert!(changes(&server, &update));
    }

    #[test]
    fn reusing_a_known_client_id_changes_the_document() {
        let (server, _) = synced();
        // A doc with the server's own client id continues that client's clock.
        let state = server
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let forger = Doc::with_options(Options {
            client_id: server.client_id(),
            ..Options::default()
        });
        forger
            .transact_mut()
            .apply_update(Update::decode_v1(&state).expect("decodes"))
            .expect("applies");
        let update = edit_of(&forger, |doc| {
            let findings = doc.get_or_insert_map("findings");
            findings.insert(&mut doc.transact_mut(), "f1", "rewritten");
        });
        let decoded = Update::decode_v1(&update).expect("decodes");
        assert!(decoded.state_vector().is_empty(), "the old test missed it");
        assert!(changes(&server, &update));
    }

    #[test]
    fn an_update_waiting_for_a_missing_block_changes_the_document() {
        let (server, _) = synced();
        let author = Doc::new();
        let text = author.get_or_insert_text("other");
        text.insert(&mut author.transact_mut(), 0, "first");
        let second = edit_of(&author, |doc| {
            let text = doc.get_or_insert_text("other");
            text.push(&mut doc.transact_mut(), " second");
        });
        // Starts at clock 5 of a client the server has never seen.
        assert!(changes(&server, &second));
    }

    #[test]
    fn blocks_past_a_gap_leave_a_hole_and_contiguous_ones_do_not() {
        let (server, reader) = synced();
        let gaps = |update: &[u8]| {
            let update = Update::decode_v1(update).expect("decodes");
            leaves_gap(&server.transact(), &update)
        };
        let author = Doc::new();
        let first = edit_of(&author, |doc| {
            let text = doc.get_or_insert_text("other");
            text.insert(&mut doc.transact_mut(), 0, "first");
        });
        let second = edit_of(&author, |doc| {
            let text = doc.get_or_insert_text("other");
            text.push(&mut doc.transact_mut(), " second");
        });
        assert!(!gaps(&first));
        assert!(gaps(&second), "starts at clock 5 of an unknown client");
        // Both together are contiguous; so is a known client continuing its clock.
        let both = yrs::merge_updates_v1([&first, &second]).expect("merges");
        assert!(!gaps(&both));
        let continued = edit_of(&reader, |doc| {
            let title = doc.get_or_insert_text("title");
            title.push(&mut doc.transact_mut(), "!");
        });
        assert!(!gaps(&continued));
        assert!(!gaps(Update::EMPTY_V1));
    }

    #[test]
    fn deleting_what_exists_changes_the_document_and_redeleting_does_not() {
        let (server, reader) = synced();
        let delete = edit_of(&reader, |doc| {
            let findings = doc.get_or_insert_map("findings");
            findings.remove(&mut doc.transact_mut(), "f1");
        });
        let decoded = Update::decode_v1(&delete).expect("decodes");
        assert!(decoded.insertions(true).is_empty(), "a delete set only");
        assert!(changes(&server, &delete));

        // Once the server has made the same deletion, sending it again is harmless.
        server
            .transact_mut()
            .apply_update(decoded)
            .expect("applies");
        assert!(!changes(&server, &delete));
        let encoded = Update::decode_v1(&delete).expect("decodes").encode_v1();
        assert!(!changes(&server, &encoded));
    }
}
