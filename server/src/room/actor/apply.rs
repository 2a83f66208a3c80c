//! What the room lets into its document and how: the checks on a peer's update, applying
//! it (large ones on a blocking thread), the limit on what one update may touch, and a
//! restore applied like any client's change.

use super::*;

impl Actor {
    /// Applies a restore to the document and queues it like any client's update, with
    /// `event` beside its audit rows. The work (a whole board read, compared and
    /// rewritten) runs on a blocking thread.
    pub(super) async fn restore(
        &mut self,
        target: RestoreTarget,
        author: access::Author,
        event: AuditEvent,
    ) -> Result<Restored, Fault> {
        self.ensure_shadow();
        let doc = self.doc.clone();
        let delta = tokio::task::spawn_blocking(move || {
            contain(|| {
                let target = match target {
                    RestoreTarget::Board(board) => *board,
                    patch => {
                        let Ok(mut live) = Board::read(&doc) else {
                            return Err(PutBackError::Unreadable);
                        };
                        let done = match &patch {
                            RestoreTarget::PutBack(binned) => live.put_back(binned),
                            RestoreTarget::Take {
                                source,
                                kind,
                                id,
                                field,
                            } => live.take_from(source, kind, id, field.as_deref()),
                            RestoreTarget::Board(_) => Ok(()),
                        };
                        done?;
                        live
                    }
                };
                let before = doc.transact().state_vector();
                crate::board::restore::restore(&mut doc.transact_mut(), &target);
                Ok(doc.transact().encode_state_as_update_v1(&before))
            })
        })
        .await
        .unwrap_or(Err(Contained))
        .map_err(|_| Fault::Panicked)?;
        let delta = match delta {
            Ok(delta) => delta,
            Err(refused) => {
                self.changes.take();
                return Ok(Restored::Refused(refused));
            }
        };
        let changes = self.changes.take();
        if changes.is_empty() {
            return Ok(Restored::Unchanged);
        }
        info!(changes = changes.len(), by = %author.name, "restored");
        let texts = self.texts_begun(&author, &changes);
        let binned = self.binned(&changes);
        self.unflushed.push(Unflushed {
            received: None,
            frame: Some(protocol::update(&delta)),
            stored: Bytes::from(delta),
            edit: Some(Arc::new(Edit {
                at_ms: now_ms(),
                actor: Arc::new(author),
                changes,
                event: Some(event),
                binned,
                texts,
            })),
        });
        Ok(Restored::Changed)
    }

    /// Whether `peer`'s update may be applied. An update that would leave a hole in a
    /// client's clocks is set aside: a client sends one when it edits right after
    /// reconnecting, before its SyncStep2 has brought what came before, and that
    /// SyncStep2 carries the update's blocks too, contiguous. A read-only connection's
    /// update is refused unless it would change nothing at all, and then there is
    /// nothing to apply or store either; the connection stays open and is told once.
    pub(super) fn may_apply(&mut self, peer: PeerId, update: &Update) -> Result<bool, Fault> {
        let Some(link) = self.peers.get(&peer) else {
            return Ok(false);
        };
        let may_write = link.may_write;
        let doc = &self.doc;
        let (gap, writes) = contain(|| {
            let txn = doc.transact();
            let writes = !may_write && guard::would_change(&txn, update);
            (may_write && guard::leaves_gap(&txn, update), writes)
        })
        .map_err(|_| Fault::Panicked)?;
        if gap {
            debug!(
                peer,
                "set aside an update that skips clocks until its sync brings it"
            );
            self.ctx.metrics.updates_set_aside.inc();
            return Ok(false);
        }
        if writes {
            self.ctx.metrics.updates_refused_read_only.inc();
            if self.told_read_only.insert(peer) {
                info!(peer, "refused updates from a read-only connection");
                let denied = protocol::permission_denied(
                    "read-only: your role in this review cannot change it",
                );
                self.send_to(peer, denied);
            }
        }
        Ok(may_write)
    }

    /// Applies one update and queues what changed for the group commit. A large update
    /// is applied on a blocking thread, so that one board's big paste never holds the
    /// async workers every other board and the health checks run on.
    pub(super) async fn apply(
        &mut self,
        peer: PeerId,
        update: Update,
        raw: Bytes,
        received: Instant,
    ) -> Result<(), Fault> {
        let author = self.peers.get(&peer).map(|link| link.author.clone());
        self.ensure_shadow();
        let placed = guard::placed_items(&raw).unwrap_or_default();
        let outcome = if raw.len() >= OFFLOAD_BYTES {
            let doc = self.doc.clone();
            tokio::task::spawn_blocking(move || contain(|| integrate(&doc, update, &placed)))
                .await
                .unwrap_or(Err(Contained))
        } else {
            contain(|| integrate(&self.doc, update, &placed))
        };
        let Ok((result, delta, pending, refused)) = outcome else {
            self.changes.take();
            return Err(Fault::Panicked);
        };
        if refused {
            self.changes.take();
            warn!(
                peer,
                "refused an update with an item against its own neighbours or a forged wait"
            );
            self.ctx.metrics.updates_rejected.inc();
            let reason = ProtocolError::CorruptUpdate(
                "an item placed against its own neighbours, or waiting as a known client".into(),
            );
            self.remove_peer(peer, Some(CloseReason::Protocol(reason)));
            // The update is in memory only: go back to exactly what is stored.
            return self.reload().await;
        }
        let touched = self.changes.len();
        let most = self.ctx.config.max_update_changes;
        if touched > most {
            self.changes.take();
            warn!(
                peer,
                touched, most, "refused an update that touches too much"
            );
            self.ctx.metrics.updates_rejected.inc();
            self.remove_peer(peer, Some(CloseReason::UpdateTooLarge { touched, most }));
            // The update is in memory only: go back to exactly what is stored.
            return self.reload().await;
        }
        let changes = self.changes.take();
        let texts = match &author {
            Some(author) => self.texts_begun(author, &changes),
            None => Vec::new(),
        };
        let guarded = self.guard_agreed(peer, &changes);
        let binned = match &guarded {
            Some((_, more, _)) => self.binned(&[&changes[..], &more[..]].concat()),
            None => self.binned(&changes),
        };
        if let Err(err) = &result {
            // Whatever the update integrated before the fault is valid and stays
            // (stored and broadcast below), so the document never drifts from the store.
            warn!(peer, error = %err, "refused a corrupt update");
            self.ctx.metrics.updates_rejected.inc();
            let reason = ProtocolError::CorruptUpdate(err.to_string());
            self.remove_peer(peer, Some(CloseReason::Protocol(reason)));
        }
        // The broadcast frame is encoded once; what is stored is a view into it. An
        // update still waiting for missing dependencies is stored whole, so that what it
        // holds survives a restart and integrates once the dependencies arrive.
        let encoded = delta.as_deref().map(protocol::update_frame);
        let stored = match (&result, pending, &encoded) {
            (Ok(()), true, _) => Some(raw),
            (_, _, Some((_, payload))) => Some(payload.clone()),
            _ => None,
        };
        if let Some(stored) = stored {
            let edit = author.map(|actor| {
                Arc::new(Edit {
                    at_ms: now_ms(),
                    actor,
                    changes,
                    event: None,
                    binned,
                    texts,
                })
            });
            self.unflushed.push(Unflushed {
                stored,
                edit,
                frame: encoded.map(|(frame, _)| frame),
                received: Some(received),
            });
        }
        if let Some((delta, changes, by)) = guarded {
            self.runs
                .interrupted(&format!("{}:{}", by.kind, by.id), now_ms(), &changes);
            // Stored and sent right after the update it answers, to everyone, its
            // sender included.
            self.unflushed.push(Unflushed {
                frame: Some(protocol::update(&delta)),
                stored: Bytes::from(delta),
                edit: Some(Arc::new(Edit {
                    at_ms: now_ms(),
                    actor: by,
                    changes,
                    event: None,
                    binned: Vec::new(),
                    texts: Vec::new(),
                })),
                received: None,
            });
        }
        Ok(())
    }

    /// The rules the room keeps after every edit of a board: agreed work stays as the
    /// review team left it (what a case group member's update does to it is undone), a
    /// checked episode the review team edits is marked for re-checking, and every
    /// episode and finding has its stable reference. Returns the forward change made
    /// (already applied to the document), what it changed and whom the audit trail
    /// names for it.
    fn guard_agreed(
        &mut self,
        peer: PeerId,
        changes: &[Change],
    ) -> Option<(Vec<u8>, Vec<Change>, Arc<access::Author>)> {
        if changes.is_empty() || !self.shadow.is_ready() {
            return None;
        }
        let link = self.peers.get(&peer)?;
        let (case_group, author) = (!link.may_change_agreed, link.author.clone());
        let (doc, shadow) = (&self.doc, &self.shadow);
        let outcome = contain(|| {
            // Only the entities the update touched are read, unless something needs fixing.
            let now = |kind: &'static str, id: &str| crate::board::bin::current(doc, kind, id);
            let mut fixes = if case_group {
                locks::undo_for_case_group(shadow, &now, changes)
            } else {
                locks::mark_for_rechecking(shadow, &now, changes)
            };
            let undone = case_group && !fixes.is_empty();
            fixes.extend(refs::assign(shadow, &now, changes));
            if fixes.is_empty() {
                return None;
            }
            let target = Board::read(doc).ok()?.fixed(fixes);
            let before = doc.transact().state_vector();
            crate::board::restore::restore(&mut doc.transact_mut(), &target);
            Some((doc.transact().encode_state_as_update_v1(&before), undone))
        })
        .ok()
        .flatten();
        let (delta, undone) = outcome?;
        let made = self.changes.take();
        if made.is_empty() {
            return None;
        }
        let by = if undone {
            self.ctx.metrics.agreed_work_changes_undone.inc();
            if self.told_agreed.insert(peer) {
                info!(peer, "undid a case group member's change to agreed work");
                let denied = protocol::permission_denied(
                    "agreed work: only the review team and lead reviewers change it; suggest a change instead",
                );
                self.send_to(peer, denied);
            }
            Arc::new(access::Author {
                kind: "system",
                // The board itself, not a person (the app names it so).
                id: "board".into(),
                name: "Lock on agreed work".into(),
                agency: String::new(),
            })
        } else {
            author
        };
        Some((delta, made, by))
    }

    /// Drops the in-memory document and loads it again from the store, after storing
    /// what is already queued: the document then holds exactly what was stored and sent.
    pub(super) async fn reload(&mut self) -> Result<(), Fault> {
        self.flush().await?;
        self.doc = Doc::new();
        self.changes = ChangeLog::watch(&self.doc);
        self.shadow.reset();
        self.load().await
    }
}

impl Actor {
    /// Reads the board into the shadow before its first change: what a deletion takes
    /// off is gone from the document by the time the deletion is seen. Only a review's
    /// board has a bin.
    fn ensure_shadow(&mut self) {
        let is_board = DocumentPlace::of(self.name.as_str())
            .and_then(|place| place.kind())
            .is_some_and(|kind| kind == DocumentKind::Board);
        if is_board && contain(|| self.shadow.ensure(&self.doc)).is_err() {
            self.shadow.reset();
        }
    }

    /// The texts of the fields where `author`'s `changes` begin a run, as they were
    /// before (read from the shadow, so before the shadow takes in the update).
    fn texts_begun(&mut self, author: &access::Author, changes: &[Change]) -> Vec<FieldText> {
        if !self.shadow.is_ready() {
            return Vec::new();
        }
        let who = format!("{}:{}", author.kind, author.id);
        let (runs, shadow) = (&mut self.runs, &self.shadow);
        contain(|| runs.begun(shadow, &who, now_ms(), changes)).unwrap_or_default()
    }

    /// What `changes` took off the board, as the bin stores it.
    fn binned(&mut self, changes: &[Change]) -> Vec<BinEntry> {
        let (doc, shadow) = (&self.doc, &mut self.shadow);
        let binned = contain(|| shadow.update(doc, changes)).unwrap_or_default();
        binned.iter().filter_map(bin_entry).collect()
    }
}

fn bin_entry(binned: &Binned) -> Option<BinEntry> {
    Some(BinEntry {
        kind: binned.item.kind(),
        entity: binned.item.id().to_string(),
        label: binned.label.clone(),
        content: serde_json::to_string(binned).ok()?,
    })
}

/// Applies `update` in one transaction and checks where the items that name both
/// neighbours (`placed`) landed, and what it left waiting. The delta is not encoded for
/// a refused update: the room drops it by reloading.
fn integrate(doc: &Doc, update: Update, placed: &[guard::Placed]) -> Integrated {
    let mut txn = doc.transact_mut();
    let waiting_before = guard::waiting(&txn);
    let result = txn.apply_update(update);
    let changed = txn.before_state() != txn.after_state() || !txn.delete_set().is_empty();
    // Kept whole or not at all: an item against its neighbours, or a block continuing a
    // known client that waits, would integrate differently here than on replay.
    let refused = (changed && guard::misplaced(&txn, placed))
        || guard::waits_as_known_client(&waiting_before, &guard::waiting(&txn), txn.before_state());
    let delta = (changed && !refused).then(|| txn.encode_update_v1());
    let pending = txn.has_missing_updates();
    drop(txn);
    (result, delta, pending, refused)
}

/// What applying an update came to: yrs's result, its effect encoded (`None` when it
/// changed nothing), whether part of it waits for missing dependencies, and whether it
/// is refused whole (see `guard::misplaced` and `guard::waits_as_known_client`).
type Integrated = (
    Result<(), yrs::error::UpdateError>,
    Option<Vec<u8>>,
    bool,
    bool,
);
