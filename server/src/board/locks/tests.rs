use yrs::{Doc, Map, MapPrelim, Out, ReadTxn, Text, TextPrelim, Transact, WriteTxn};

use super::*;
use crate::board::changes::ChangeLog;

/// An agreed episode e1, a candidate episode e2, an agreed finding g1, a factor f1
/// linked to e2.
fn board() -> Doc {
    let doc = Doc::new();
    let mut txn = doc.transact_mut();
    let episodes = txn.get_or_insert_map("episodes");
    for (id, status) in [("e1", "agreed"), ("e2", "candidate"), ("e3", "checked")] {
        let e = episodes.insert(&mut txn, id, MapPrelim::default());
        e.insert(&mut txn, "title", TextPrelim::new(format!("Episode {id}")));
        e.insert(&mut txn, "appraisal", TextPrelim::new("As agreed."));
        e.insert(&mut txn, "status", status);
    }
    let findings = txn.get_or_insert_map("findings");
    let g = findings.insert(&mut txn, "g1", MapPrelim::default());
    g.insert(&mut txn, "statement", TextPrelim::new("Agreed finding"));
    g.insert(&mut txn, "status", "agreed");
    let factors = txn.get_or_insert_map("factors");
    let f = factors.insert(&mut txn, "f1", MapPrelim::default());
    f.insert(&mut txn, "title", TextPrelim::new("Caseload"));
    let links = txn.get_or_insert_map("links");
    let l = links.insert(&mut txn, "l1", MapPrelim::default());
    l.insert(&mut txn, "from", "f1");
    l.insert(&mut txn, "to", "e2");
    drop(txn);
    doc
}

fn entity(doc: &Doc, root: &str, id: &str) -> yrs::MapRef {
    let txn = doc.transact();
    match txn.get_map(root).and_then(|m| m.get(&txn, id)) {
        Some(Out::YMap(m)) => m,
        _ => panic!("{root}/{id}"),
    }
}

fn type_into(doc: &Doc, root: &str, id: &str, field: &str, words: &str) {
    let e = entity(doc, root, id);
    let mut txn = doc.transact_mut();
    let Some(Out::YText(text)) = e.get(&txn, field) else {
        panic!("{field}")
    };
    text.push(&mut txn, words);
}

/// Runs `edit` on a watched board and returns the shadow from before it, the document
/// after it and what it changed.
fn after(edit: impl FnOnce(&Doc)) -> (Shadow, Doc, Vec<Change>) {
    let doc = board();
    let log = ChangeLog::watch(&doc);
    let mut shadow = Shadow::default();
    shadow.ensure(&doc);
    edit(&doc);
    let changes = log.take();
    (shadow, doc, changes)
}

/// The board after `check`'s fixes, or `None` when there are none.
fn fixed(
    (shadow, doc, changes): &(Shadow, Doc, Vec<Change>),
    check: fn(&Shadow, Now, &[Change]) -> Vec<Fix>,
) -> Option<Board> {
    let now = |kind: &'static str, id: &str| crate::board::bin::current(doc, kind, id);
    let fixes = check(shadow, &now, changes);
    (!fixes.is_empty()).then(|| Board::read(doc).expect("reads").fixed(fixes))
}

#[test]
fn the_case_group_changing_agreed_work_is_undone() {
    let original = Board::read(&board()).expect("reads");
    // Typing into an agreed episode, re-titling an agreed finding, deleting an agreed
    // episode, setting an agreed episode back to candidate.
    let edits: [fn(&Doc); 4] = [
        |doc| type_into(doc, "episodes", "e1", "appraisal", " Not really."),
        |doc| type_into(doc, "findings", "g1", "statement", " (disputed)"),
        |doc| {
            let mut txn = doc.transact_mut();
            txn.get_or_insert_map("episodes").remove(&mut txn, "e1");
        },
        |doc| {
            entity(doc, "episodes", "e1").insert(&mut doc.transact_mut(), "status", "candidate");
        },
    ];
    for edit in edits {
        let mut target = fixed(&after(edit), undo_for_case_group).expect("undone");
        target.episodes.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(target.episodes, original.episodes);
        assert_eq!(target.findings, original.findings);
    }
}

#[test]
fn the_case_group_may_not_agree_or_link_to_agreed_work() {
    // Marking a candidate episode agreed keeps it a candidate, with the rest of the edit.
    let run = after(|doc| {
        let e2 = entity(doc, "episodes", "e2");
        let mut txn = doc.transact_mut();
        e2.insert(&mut txn, "status", "agreed");
        let Some(Out::YText(t)) = e2.get(&txn, "title") else {
            panic!("title")
        };
        t.push(&mut txn, " (updated)");
    });
    let target = fixed(&run, undo_for_case_group).expect("undone");
    let e2 = target.episodes.iter().find(|e| e.id == "e2").expect("e2");
    assert_eq!(
        (e2.status.as_str(), e2.title.as_str()),
        ("candidate", "Episode e2 (updated)")
    );

    // A new link to an agreed finding is taken away again.
    let run = after(|doc| {
        let mut txn = doc.transact_mut();
        let l = txn
            .get_or_insert_map("links")
            .insert(&mut txn, "l2", MapPrelim::default());
        l.insert(&mut txn, "from", "e2");
        l.insert(&mut txn, "to", "g1");
    });
    let target = fixed(&run, undo_for_case_group).expect("undone");
    assert!(target.links.iter().all(|l| l.id != "l2"));
}

#[test]
fn the_case_group_editing_other_work_is_left_alone() {
    // Moving an agreed episode in the table is arranging it, not changing it.
    let run = after(|doc| {
        entity(doc, "episodes", "e1").insert(&mut doc.transact_mut(), "order", "zz");
    });
    assert_eq!(fixed(&run, undo_for_case_group), None);
    let run = after(|doc| {
        type_into(doc, "episodes", "e2", "appraisal", " More.");
        type_into(doc, "factors", "f1", "title", " pressure");
        let mut txn = doc.transact_mut();
        txn.get_or_insert_map("links").remove(&mut txn, "l1");
    });
    assert_eq!(fixed(&run, undo_for_case_group), None);
}

#[test]
fn a_checked_episode_edited_by_the_review_team_needs_rechecking() {
    let run = after(|doc| type_into(doc, "episodes", "e3", "appraisal", " Revised."));
    let target = fixed(&run, mark_for_rechecking).expect("marked");
    let e3 = target.episodes.iter().find(|e| e.id == "e3").expect("e3");
    assert_eq!(e3.status, "recheck");
    assert!(e3.appraisal.ends_with("Revised."), "the edit stays");

    // Changing only its status, or editing an agreed episode, marks nothing.
    let run = after(|doc| {
        entity(doc, "episodes", "e3").insert(&mut doc.transact_mut(), "status", "agreed");
    });
    assert_eq!(fixed(&run, mark_for_rechecking), None);
    let run = after(|doc| type_into(doc, "episodes", "e1", "appraisal", " Revised."));
    assert_eq!(fixed(&run, mark_for_rechecking), None);
}

#[test]
fn the_case_group_changing_an_agreed_findings_codes_or_links_is_put_back() {
    let original = Board::read(&board()).expect("reads");
    let edits: [fn(&Doc); 4] = [
        |doc| {
            entity(doc, "findings", "g1").insert(&mut doc.transact_mut(), "effect", "supports");
        },
        |doc| {
            entity(doc, "findings", "g1").insert(
                &mut doc.transact_mut(),
                "secondaryCategory",
                "human_judgement_reasoning",
            );
        },
        |doc| {
            let g = entity(doc, "findings", "g1");
            let mut txn = doc.transact_mut();
            let agencies = g.insert(&mut txn, "agencies", MapPrelim::default());
            agencies.insert(&mut txn, "Police", true);
        },
        |doc| {
            let g = entity(doc, "findings", "g1");
            let mut txn = doc.transact_mut();
            let links = g.insert(&mut txn, "seenBefore", MapPrelim::default());
            let entry = crate::board::SeenBefore {
                id: "lib-1".into(),
                relation: "recurrence".into(),
                case_name: "Child B".into(),
                year: 2024,
                reference: "F1".into(),
                statement: "Made up".into(),
            };
            links.insert(&mut txn, "lib-1", entry.as_any());
        },
    ];
    for edit in edits {
        let edited = after(edit);
        let target = fixed(&edited, undo_for_case_group).expect("undone");
        assert_eq!(target.findings, original.findings);
        // The room writes the fix back: the document reads as before the edit.
        let (_, doc, _) = &edited;
        crate::board::restore::restore(&mut doc.transact_mut(), &target);
        assert_eq!(Board::read(doc).expect("reads").findings, original.findings);
    }
}
