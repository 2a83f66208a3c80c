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
//! - No item may sit against its own neighbours. Every item names the item it was
//!   typed after (its origin) and the one that followed it (its right origin); an
//!   honest client's right origin always lies right of its origin, in the same list.
//!   yrs places an item that says otherwise by how the list's blocks happen to be
//!   split, which differs between the live document and the stored log replayed, so
//!   the room's document would drift from the store. The update's bytes are read for
//!   those neighbours (yrs keeps an update's blocks to itself) and their positions
//!   compared once the update is applied; the room then goes back to what is stored.
//! - No block may wait (for a missing dependency) while continuing a client the
//!   document holds: that is a forged client id, and yrs integrates such a block live
//!   once the real client writes again, but not when the log is replayed.

use yrs::{
    Assoc, ID, IdSet, IndexScope, ReadTxn, StickyIndex, Update,
    block::{
        BLOCK_GC_REF_NUMBER, BLOCK_SKIP_REF_NUMBER, HAS_ORIGIN, HAS_PARENT_SUB, HAS_RIGHT_ORIGIN,
        ItemContent,
    },
    encoding::read::Read,
    updates::decoder::{Decoder, DecoderV1},
};

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

/// An item of an update that names both its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub origin: ID,
    pub right: ID,
}

/// The items of a v1 update that name both neighbours; `None` if the bytes do not read
/// as an update (yrs has already refused those).
pub fn placed_items(update: &[u8]) -> Option<Vec<Placed>> {
    let mut decoder = DecoderV1::from(update);
    let clients: u32 = decoder.read_var().ok()?;
    let mut placed = Vec::new();
    for _ in 0..clients {
        let blocks: u32 = decoder.read_var().ok()?;
        decoder.read_client().ok()?;
        let _first_clock: u32 = decoder.read_var().ok()?;
        for _ in 0..blocks {
            match decoder.read_info().ok()? {
                BLOCK_SKIP_REF_NUMBER => {
                    decoder.read_var::<u32>().ok()?;
                }
                BLOCK_GC_REF_NUMBER => {
                    decoder.read_len().ok()?;
                }
                info => {
                    let origin = if info & HAS_ORIGIN != 0 {
                        Some(decoder.read_left_id().ok()?)
                    } else {
                        None
                    };
                    let right = if info & HAS_RIGHT_ORIGIN != 0 {
                        Some(decoder.read_right_id().ok()?)
                    } else {
                        None
                    };
                    if origin.is_none() && right.is_none() {
                        // Only an item with no neighbours names its parent.
                        if decoder.read_parent_info().ok()? {
                            decoder.read_string().ok()?;
                        } else {
                            decoder.read_left_id().ok()?;
                        }
                        if info & HAS_PARENT_SUB != 0 {
                            decoder.read_string().ok()?;
                        }
                    }
                    ItemContent::decode(&mut decoder, info).ok()?;
                    if let (Some(origin), Some(right)) = (origin, right) {
                        placed.push(Placed { origin, right });
                    }
                }
            }
        }
    }
    Some(placed)
}

/// True when one of `items`, as the document now holds them, has its right origin
/// left of its origin or in another list. Items whose neighbours the document lacks
/// (still pending) are left to yrs. Each check walks the list left of both neighbours.
pub fn misplaced(txn: &impl ReadTxn, items: &[Placed]) -> bool {
    items.iter().any(|item| {
        // The position just after the origin, and the position of the right origin.
        let after = StickyIndex::new(IndexScope::Relative(item.origin), Assoc::Before);
        let before = StickyIndex::new(IndexScope::Relative(item.right), Assoc::After);
        match (after.get_offset(txn), before.get_offset(txn)) {
            (Some(after), Some(before)) => {
                after.branch != before.branch || after.index > before.index
            }
            _ => false,
        }
    })
}

/// The blocks of the document's waiting (pending) update, if any.
pub fn waiting(txn: &impl ReadTxn) -> IdSet {
    txn.store()
        .pending_update()
        .map(|pending| pending.update.insertions(true))
        .unwrap_or_default()
}

/// True when applying an update left blocks waiting, beyond `waiting_before`, for a
/// client the document already held (`held`). An honest client's blocks wait only
/// for another client's blocks the server lacks, and its next sync brings those; a
/// block that continues a known client's clock while waiting is a forged id, which
/// yrs integrates differently live and on replay once that client writes again.
pub fn waits_as_known_client(
    waiting_before: &IdSet,
    waiting_after: &IdSet,
    held: &yrs::StateVector,
) -> bool {
    waiting_after.iter().any(|(client, ranges)| {
        held.get(client) > 0
            && !ranges.is_empty()
            && !matches!(
                (waiting_after.get(client), waiting_before.get(client)),
                (Some(after), Some(before)) if after.subset_of(before)
            )
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

    /// An item whose right neighbour lies left of its left neighbour: what a client
    /// typing "b" between "a" and "c" sends, with the two neighbours swapped.
    #[test]
    fn an_item_against_its_own_neighbours_is_found_after_applying() {
        let (server, reader) = synced();
        // The title was typed in one go by the server's client: character n is clock n.
        let title_id = |n: u32| ID::new(server.client_id(), n);
        // An honest insert between characters 2 and 3 of the title.
        let honest = edit_of(&reader, |doc| {
            let title = doc.get_or_insert_text("title");
            title.insert(&mut doc.transact_mut(), 3, "X");
        });
        let placed = placed_items(&honest).expect("reads");
        assert_eq!(placed.len(), 1, "both neighbours named");
        let item = placed[0];
        assert_eq!(item.origin, title_id(2));
        assert_eq!(item.right, title_id(3));
        let apply_and_check = |update: &[u8], items: &[Placed]| {
            let doc = Doc::new();
            let state = server
                .transact()
                .encode_state_as_update_v1(&StateVector::default());
            let mut txn = doc.transact_mut();
            txn.apply_update(Update::decode_v1(&state).expect("decodes"))
                .expect("applies");
            txn.apply_update(Update::decode_v1(update).expect("decodes"))
                .expect("applies");
            misplaced(&txn, items)
        };
        assert!(!apply_and_check(&honest, &placed));
        // The same item claiming the swapped neighbours.
        let swapped = [Placed {
            origin: item.right,
            right: item.origin,
        }];
        assert!(apply_and_check(&honest, &swapped));
        // An update whose items name at most one neighbour names none here.
        assert_eq!(placed_items(Update::EMPTY_V1), Some(Vec::new()));
        assert_eq!(placed_items(&[0xff, 0xff]), None);
    }

    #[test]
    fn a_new_wait_continuing_a_known_client_is_found() {
        let known = yrs::ClientID::new(5);
        let stranger = yrs::ClientID::new(9);
        let mut held = StateVector::default();
        held.set_max(known, 5);
        let set = |client, start, len| {
            let mut set = IdSet::new();
            set.insert(ID::new(client, start), len);
            set
        };
        let nothing = IdSet::new();
        // A known client's next blocks, waiting on something the document lacks.
        assert!(waits_as_known_client(&nothing, &set(known, 5, 4), &held));
        // An unknown client's blocks may wait (its dependencies come with a sync).
        assert!(!waits_as_known_client(
            &nothing,
            &set(stranger, 0, 3),
            &held
        ));
        // What was already waiting before this update is not this update's doing.
        let before = set(known, 5, 4);
        assert!(!waits_as_known_client(&before, &set(known, 5, 4), &held));
        assert!(!waits_as_known_client(&nothing, &nothing, &held));
    }
}
