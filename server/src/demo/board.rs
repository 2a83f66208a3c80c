//! A demo review's board, written as the web app writes one (`docs/board-schema.md`):
//! the codebook's vocabularies, the review's agencies, episodes, factors, findings with
//! their recommendations, links, and the references the room would have given.

use std::collections::HashMap;

use yrs::{Any, Doc, Map, MapPrelim, MapRef, ReadTxn, StateVector, TextPrelim, Transact, WriteTxn};

use super::{DemoEpisode, DemoFactor, DemoFinding, DemoReview};
use crate::{board::SCHEMA_VERSION, library::codebook::codebook};

/// An order key for the `n`th item: fixed width, so the board's order is the data's.
fn order(n: usize) -> String {
    format!("a{n:04}")
}

/// The review's board as one whole-document update.
pub fn board_update(review: &DemoReview) -> Vec<u8> {
    let doc = Doc::new();
    {
        let mut txn = doc.transact_mut();
        let meta = txn.get_or_insert_map("meta");
        meta.insert(
            &mut txn,
            "schemaVersion",
            Any::from(f64::from(SCHEMA_VERSION)),
        );
        let book = codebook();
        meta.insert(&mut txn, "vocabularyVersion", book.version.as_str());
        for (name, codes) in [
            ("typology", &book.typology),
            ("factorLevels", &book.factor_levels),
            ("factorTypes", &book.factor_types),
            ("recommendationTypes", &book.recommendation_types),
        ] {
            let map = txn.get_or_insert_map(format!("vocab.{name}"));
            for (code, entry) in codes {
                let mut fields = HashMap::from([
                    ("label".to_string(), Any::from(entry.label.as_str())),
                    ("order".to_string(), Any::from(entry.order as f64)),
                ]);
                if let Some(short) = &entry.short_label {
                    fields.insert("shortLabel".into(), Any::from(short.as_str()));
                }
                if let Some(description) = &entry.description {
                    fields.insert("description".into(), Any::from(description.as_str()));
                }
                map.insert(&mut txn, code.as_str(), Any::from(fields));
            }
        }
        let agencies = txn.get_or_insert_map("agencies");
        for agency in &review.agencies {
            agencies.insert(&mut txn, agency.as_str(), true);
        }
        let episodes = txn.get_or_insert_map("episodes");
        for (n, episode) in review.episodes.iter().enumerate() {
            write_episode(&mut txn, &episodes, n, episode);
        }
        let factors = txn.get_or_insert_map("factors");
        for (n, factor) in review.factors.iter().enumerate() {
            write_factor(&mut txn, &factors, n, factor);
        }
        let findings = txn.get_or_insert_map("findings");
        for (n, finding) in review.findings.iter().enumerate() {
            write_finding(&mut txn, &findings, n, finding, status_by_year(review));
        }
        let links = txn.get_or_insert_map("links");
        for (n, link) in review.links.iter().enumerate() {
            let l = links.insert(&mut txn, format!("link-{}", n + 1), MapPrelim::default());
            l.insert(&mut txn, "from", link.from.as_str());
            l.insert(&mut txn, "to", link.to.as_str());
            l.insert(&mut txn, "kind", link.kind.as_str());
            l.insert(&mut txn, "polarity", link.polarity.as_str());
        }
        txn.get_or_insert_map("layout");
    }
    doc.transact()
        .encode_state_as_update_v1(&StateVector::default())
}

fn texts(txn: &mut yrs::TransactionMut, entity: &MapRef, fields: &[(&str, &str)]) {
    for (field, text) in fields {
        entity.insert(txn, *field, TextPrelim::new(*text));
    }
}

fn set(txn: &mut yrs::TransactionMut, entity: &MapRef, key: &str, names: &[String]) {
    let set = entity.insert(txn, key, MapPrelim::default());
    for name in names {
        set.insert(txn, name.as_str(), true);
    }
}

fn write_episode(txn: &mut yrs::TransactionMut, root: &MapRef, n: usize, e: &DemoEpisode) {
    let entity = root.insert(txn, e.id.as_str(), MapPrelim::default());
    entity.insert(txn, "order", order(n));
    entity.insert(txn, "ref", format!("E{}", n + 1));
    texts(
        txn,
        &entity,
        &[
            ("title", &e.title),
            ("whatHappened", &e.what_happened),
            ("seenAtTheTime", &e.seen_at_the_time),
            ("appraisal", &e.appraisal),
            ("evidence", &e.evidence),
            ("openQuestions", &e.open_questions),
        ],
    );
    for (field, value) in [
        ("dateKind", &e.date_kind),
        ("dateStart", &e.date_start),
        ("dateEnd", &e.date_end),
        ("quality", &e.quality),
        ("status", &e.status),
    ] {
        entity.insert(txn, field, value.as_str());
    }
    set(txn, &entity, "agencies", &e.agencies);
}

fn write_factor(txn: &mut yrs::TransactionMut, root: &MapRef, n: usize, f: &DemoFactor) {
    let entity = root.insert(txn, f.id.as_str(), MapPrelim::default());
    entity.insert(txn, "order", order(n));
    texts(
        txn,
        &entity,
        &[("title", &f.title), ("description", &f.description)],
    );
    entity.insert(txn, "level", f.level.as_str());
    entity.insert(txn, "type", f.kind.as_str());
    entity.insert(txn, "polarity", f.polarity.as_str());
}

fn write_finding(
    txn: &mut yrs::TransactionMut,
    root: &MapRef,
    n: usize,
    f: &DemoFinding,
    status: &str,
) {
    let entity = root.insert(txn, f.id.as_str(), MapPrelim::default());
    entity.insert(txn, "order", order(n));
    entity.insert(txn, "ref", format!("F{}", n + 1));
    texts(
        txn,
        &entity,
        &[
            ("statement", &f.statement),
            ("inCase", &f.in_case),
            ("underlying", &f.underlying),
            ("widespread", &f.widespread),
            ("matters", &f.matters),
            ("questions", &f.questions),
        ],
    );
    for (field, value) in [
        ("category", &f.category),
        ("secondaryCategory", &f.secondary_category),
        ("effect", &f.effect),
        ("status", &f.status),
        ("priority", &f.priority),
    ] {
        entity.insert(txn, field, value.as_str());
    }
    set(txn, &entity, "agencies", &f.agencies);
    entity.insert(txn, "seenBefore", MapPrelim::default());
    let recommendations = entity.insert(txn, "recommendations", MapPrelim::default());
    for (r, recommendation) in f.recommendations.iter().enumerate() {
        let rec =
            recommendations.insert(txn, format!("{}-rec-{}", f.id, r + 1), MapPrelim::default());
        rec.insert(txn, "order", order(r));
        rec.insert(txn, "text", TextPrelim::new(recommendation.text.as_str()));
        rec.insert(txn, "type", recommendation.kind.as_str());
        let status = match recommendation.status.as_str() {
            "" => status,
            given => given,
        };
        rec.insert(txn, "status", status);
    }
}

/// Where a board is with a review's recommendations when the data says nothing: a
/// review still in analysis only proposes; the board accepted last year's, is acting on
/// the two years' before, and has done what older reviews asked.
fn status_by_year(review: &DemoReview) -> &'static str {
    match (review.published, review.year) {
        (false, _) => "proposed",
        (true, ..=2022) => "done",
        (true, 2023..=2024) => "in_progress",
        (true, _) => "accepted",
    }
}
