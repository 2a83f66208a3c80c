//! The typed view of a review board document (layout in `docs/board-schema.md`).
//!
//! Exports, snapshots and search read boards through [`Board::from_update`] or
//! [`Board::read`] instead of walking Yjs types by hand. The reader is lenient: a
//! missing field reads as its default, so a board written by an older client still
//! reads; a board from a newer schema than this server knows is refused. The shape
//! serialises to the same JSON as the web app's `toPlain` (web/src/board/plain.ts),
//! and a fixture written by the web app checks that both agree.

pub mod bin;
pub mod changes;
pub mod compare;
pub mod locks;
pub mod refs;
pub mod restore;
pub mod texts;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use yrs::{
    Any, Doc, GetString, Map, MapRef, Number, Out, ReadTxn, Transact, TransactionMut, Update,
    WriteTxn, updates::decoder::Decode,
};

/// The newest board schema this server understands.
pub const SCHEMA_VERSION: u32 = 1;

/// Names of the vocabularies a board carries (root maps `vocab.<name>`).
pub const VOCABULARIES: [&str; 4] = [
    "typology",
    "factorLevels",
    "factorTypes",
    "recommendationTypes",
];

/// Why a board could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("the document is not a valid Yjs update: {0}")]
    Decode(String),
    #[error("the board uses schema version {0}; this server reads up to {SCHEMA_VERSION}")]
    UnsupportedSchema(u32),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    pub schema_version: u32,
    pub vocabulary_version: String,
    pub vocabularies: BTreeMap<String, BTreeMap<String, VocabularyEntry>>,
    pub episodes: Vec<Episode>,
    pub factors: Vec<Factor>,
    pub findings: Vec<Finding>,
    pub links: Vec<Link>,
    pub layout: BTreeMap<String, Position>,
    /// The report's own words, written on the board.
    #[serde(skip_serializing_if = "ReportTexts::is_empty")]
    pub report: ReportTexts,
}

/// The report's texts that are no item of the board: root `Y.Text`s (named in
/// [`REPORT_TEXTS`]), so two people starting one at once never make two.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportTexts {
    pub executive_summary: String,
    pub family_contribution: String,
}

impl ReportTexts {
    pub fn is_empty(&self) -> bool {
        self.executive_summary.is_empty() && self.family_contribution.is_empty()
    }
}

/// The root `Y.Text`s of the report's own words.
pub const REPORT_TEXTS: [&str; 2] = ["report.executiveSummary", "report.familyContribution"];

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VocabularyEntry {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_label: Option<String>,
    pub order: i64,
}

/// A key practice episode: one row of the practice-analysis table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Episode {
    pub id: String,
    pub order: String,
    /// The stable reference people cite ("E7"), assigned by the room; absent on boards
    /// from before references.
    #[serde(rename = "ref", skip_serializing_if = "String::is_empty")]
    pub reference: String,
    pub title: String,
    /// `exact`, `approximate` or `period`.
    pub date_kind: String,
    pub date_start: String,
    pub date_end: String,
    pub agencies: Vec<String>,
    /// The chronology entries it was made from or cites (entry ids; kept out of reports).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chronology: Vec<String>,
    pub what_happened: String,
    pub seen_at_the_time: String,
    pub appraisal: String,
    /// `good`, `mixed`, `problematic` or `unclear`.
    pub quality: String,
    pub evidence: String,
    pub open_questions: String,
    /// `candidate`, `agreed` or `checked` (with the case group).
    pub status: String,
}

/// A contributory factor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Factor {
    pub id: String,
    pub order: String,
    pub title: String,
    pub description: String,
    /// A code of the `factorLevels` vocabulary.
    pub level: String,
    /// A code of the `factorTypes` vocabulary.
    #[serde(rename = "type")]
    pub kind: String,
    /// `supportive`, `hindering` or `mixed`.
    pub polarity: String,
}

/// A finding: an underlying pattern, with questions and recommendations for the board.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Finding {
    pub id: String,
    pub order: String,
    /// The stable reference people cite ("F3"), assigned by the room.
    #[serde(rename = "ref", skip_serializing_if = "String::is_empty")]
    pub reference: String,
    pub statement: String,
    /// A code of the `typology` vocabulary, or empty while unclassified.
    pub category: String,
    /// A second `typology` code (the categories overlap), or empty.
    pub secondary_category: String,
    /// `supports` (the pattern supports good practice), `hinders` (it makes problematic
    /// practice more likely), or empty while not coded.
    pub effect: String,
    /// The agencies involved in the pattern (a set on the board).
    pub agencies: Vec<String>,
    pub in_case: String,
    pub underlying: String,
    pub widespread: String,
    pub matters: String,
    pub questions: String,
    pub status: String,
    pub priority: String,
    pub recommendations: Vec<Recommendation>,
    /// Published findings of earlier reviews the team recorded as showing the same
    /// pattern (or a related or contrasting one), with their words as published.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub seen_before: Vec<SeenBefore>,
}

/// A finding of an earlier review, from the library, that a finding was linked to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SeenBefore {
    /// The library finding's id.
    pub id: String,
    /// `recurrence`, `related` or `contrasting`.
    pub relation: String,
    /// The earlier review by the name its case goes by in the library.
    pub case_name: String,
    pub year: i64,
    /// Its reference in that review ("F2").
    pub reference: String,
    pub statement: String,
}

impl SeenBefore {
    /// The entry as the board stores it: a plain value under its id.
    pub fn as_any(&self) -> Any {
        Any::from(std::collections::HashMap::from([
            ("relation".to_string(), Any::from(self.relation.as_str())),
            ("caseName".to_string(), Any::from(self.case_name.as_str())),
            ("year".to_string(), Any::from(self.year as f64)),
            ("reference".to_string(), Any::from(self.reference.as_str())),
            ("statement".to_string(), Any::from(self.statement.as_str())),
        ]))
    }
}

/// How a finding relates to one seen before.
pub const SEEN_BEFORE_RELATIONS: [&str; 3] = ["recurrence", "related", "contrasting"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Recommendation {
    pub id: String,
    pub order: String,
    pub text: String,
    /// A code of the `recommendationTypes` vocabulary.
    #[serde(rename = "type")]
    pub kind: String,
    /// Where the board is with it: a code of the codebook's `recommendationStatuses`,
    /// or empty (recommendations from before statuses).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub status: String,
}

/// A relation between two entities, drawn as an edge on the factor map.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Link {
    pub id: String,
    pub from: String,
    pub to: String,
    /// `contributed_to`, `supported`, `constrained` or `evidence_for`.
    pub kind: String,
    /// `positive`, `negative` or `neutral`.
    pub polarity: String,
}

/// Where an entity's node sits on the factor map.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub x: i64,
    pub y: i64,
}

impl Board {
    /// The ids linked to `finding` either way.
    pub fn linked_to(&self, id: &str) -> Vec<&str> {
        self.links
            .iter()
            .filter_map(|l| {
                if l.to == id {
                    Some(l.from.as_str())
                } else if l.from == id {
                    Some(l.to.as_str())
                } else {
                    None
                }
            })
            .collect()
    }

    /// The episodes of `episodes` that show `finding` (linked to it), in their order.
    pub fn episodes_showing<'a>(
        &self,
        finding: &Finding,
        episodes: &[&'a Episode],
    ) -> Vec<&'a Episode> {
        let linked = self.linked_to(&finding.id);
        episodes
            .iter()
            .copied()
            .filter(|e| linked.contains(&e.id.as_str()))
            .collect()
    }

    /// A finding's contributory factors, in the map's order: those linked to it and
    /// those linked to the episodes that show it (`shown_by`).
    pub fn factors_of(&self, finding: &Finding, shown_by: &[&Episode]) -> Vec<&Factor> {
        let linked = self.linked_to(&finding.id);
        self.factors
            .iter()
            .filter(|factor| {
                linked.contains(&factor.id.as_str())
                    || self.links.iter().any(|l| {
                        (l.from == factor.id && shown_by.iter().any(|e| e.id == l.to))
                            || (l.to == factor.id && shown_by.iter().any(|e| e.id == l.from))
                    })
            })
            .collect()
    }

    /// Reads a board from a whole-document update (as stored or snapshotted).
    pub fn from_update(update: &[u8]) -> Result<Self, BoardError> {
        let doc = Doc::new();
        let update = crate::fault::contain(|| Update::decode_v1(update))
            .map_err(|e| BoardError::Decode(e.to_string()))?
            .map_err(|e| BoardError::Decode(e.to_string()))?;
        crate::fault::contain(|| doc.transact_mut().apply_update(update))
            .map_err(|e| BoardError::Decode(e.to_string()))?
            .map_err(|e| BoardError::Decode(e.to_string()))?;
        Self::read(&doc)
    }

    /// Reads a board from a document.
    pub fn read(doc: &Doc) -> Result<Self, BoardError> {
        // Root types are looked up through a write transaction (one may not exist yet).
        let mut txn = doc.transact_mut();
        let meta = root(&mut txn, "meta");
        let schema_version = meta
            .get(&txn, "schemaVersion")
            .and_then(|v| integer(&v))
            .unwrap_or(0);
        let schema_version = u32::try_from(schema_version).unwrap_or(u32::MAX);
        if schema_version > SCHEMA_VERSION {
            return Err(BoardError::UnsupportedSchema(schema_version));
        }
        let vocabulary_version = meta
            .get(&txn, "vocabularyVersion")
            .map(|v| string(&txn, &v))
            .unwrap_or_default();
        let mut vocabularies = BTreeMap::new();
        for name in VOCABULARIES {
            let map = root(&mut txn, &format!("vocab.{name}"));
            let entries = map
                .iter(&txn)
                .filter_map(|(code, value)| Some((code.to_string(), vocabulary_entry(&value)?)))
                .collect();
            vocabularies.insert(name.to_string(), entries);
        }
        let episodes_root = root(&mut txn, "episodes");
        let factors_root = root(&mut txn, "factors");
        let findings_root = root(&mut txn, "findings");
        let links_root = root(&mut txn, "links");
        let layout_root = root(&mut txn, "layout");

        let episodes = ordered(&txn, &episodes_root)
            .into_iter()
            .map(|(id, e)| read_episode(&txn, id, &e))
            .collect();
        let factors = ordered(&txn, &factors_root)
            .into_iter()
            .map(|(id, f)| read_factor(&txn, id, &f))
            .collect();
        let findings = ordered(&txn, &findings_root)
            .into_iter()
            .map(|(id, f)| read_finding(&txn, id, &f))
            .collect();
        let mut links: Vec<Link> = links_root
            .iter(&txn)
            .filter_map(|(id, value)| match value {
                Out::YMap(l) => Some(read_link(&txn, id.to_string(), &l)),
                _ => None,
            })
            .collect();
        links.sort_by(|a, b| a.id.cmp(&b.id));
        let layout = layout_root
            .iter(&txn)
            .filter_map(|(id, value)| Some((id.to_string(), position(&value)?)))
            .collect();
        let [summary, family] =
            REPORT_TEXTS.map(|name| txn.get_or_insert_text(name).get_string(&txn));
        Ok(Board {
            schema_version,
            vocabulary_version,
            vocabularies,
            episodes,
            factors,
            findings,
            links,
            layout,
            report: ReportTexts {
                executive_summary: summary,
                family_contribution: family,
            },
        })
    }
}

pub(crate) fn read_episode<T: ReadTxn>(txn: &T, id: String, e: &MapRef) -> Episode {
    let field = |name: &str| field(txn, e, name);
    let set = |name: &str| match e.get(txn, name) {
        Some(Out::YMap(map)) => {
            let mut keys: Vec<String> = map.keys(txn).map(str::to_string).collect();
            keys.sort();
            keys
        }
        _ => Vec::new(),
    };
    let agencies = set("agencies");
    let chronology = set("chronology");
    Episode {
        order: field("order"),
        reference: field("ref"),
        title: field("title"),
        date_kind: field("dateKind"),
        date_start: field("dateStart"),
        date_end: field("dateEnd"),
        agencies,
        chronology,
        what_happened: field("whatHappened"),
        seen_at_the_time: field("seenAtTheTime"),
        appraisal: field("appraisal"),
        quality: field("quality"),
        evidence: field("evidence"),
        open_questions: field("openQuestions"),
        status: field("status"),
        id,
    }
}

pub(crate) fn read_factor<T: ReadTxn>(txn: &T, id: String, f: &MapRef) -> Factor {
    let field = |name: &str| field(txn, f, name);
    Factor {
        order: field("order"),
        title: field("title"),
        description: field("description"),
        level: field("level"),
        kind: field("type"),
        polarity: field("polarity"),
        id,
    }
}

pub(crate) fn read_finding<T: ReadTxn>(txn: &T, id: String, f: &MapRef) -> Finding {
    let field = |name: &str| field(txn, f, name);
    let recommendations = match f.get(txn, "recommendations") {
        Some(Out::YMap(map)) => ordered(txn, &map)
            .into_iter()
            .map(|(rid, r)| Recommendation {
                order: self::field(txn, &r, "order"),
                text: self::field(txn, &r, "text"),
                kind: self::field(txn, &r, "type"),
                status: self::field(txn, &r, "status"),
                id: rid,
            })
            .collect(),
        _ => Vec::new(),
    };
    let agencies = match f.get(txn, "agencies") {
        Some(Out::YMap(map)) => {
            let mut keys: Vec<String> = map.keys(txn).map(str::to_string).collect();
            keys.sort();
            keys
        }
        _ => Vec::new(),
    };
    let seen_before = match f.get(txn, "seenBefore") {
        Some(Out::YMap(map)) => read_seen_before(txn, &map),
        _ => Vec::new(),
    };
    Finding {
        order: field("order"),
        reference: field("ref"),
        statement: field("statement"),
        category: field("category"),
        secondary_category: field("secondaryCategory"),
        effect: field("effect"),
        agencies,
        in_case: field("inCase"),
        underlying: field("underlying"),
        widespread: field("widespread"),
        matters: field("matters"),
        questions: field("questions"),
        status: field("status"),
        priority: field("priority"),
        recommendations,
        seen_before,
        id,
    }
}

/// A finding's `seenBefore` entries (plain values keyed by library finding id), the
/// newest review first; an entry without a known relation is skipped.
pub(crate) fn read_seen_before<T: ReadTxn>(txn: &T, map: &MapRef) -> Vec<SeenBefore> {
    let mut entries: Vec<SeenBefore> = map
        .iter(txn)
        .filter_map(|(id, value)| {
            let Out::Any(Any::Map(entry)) = value else {
                return None;
            };
            let text = |name: &str| match entry.get(name) {
                Some(Any::String(s)) => s.to_string(),
                _ => String::new(),
            };
            let relation = text("relation");
            if !SEEN_BEFORE_RELATIONS.contains(&relation.as_str()) {
                return None;
            }
            Some(SeenBefore {
                id: id.to_string(),
                relation,
                case_name: text("caseName"),
                year: entry.get("year").and_then(any_integer).unwrap_or(0),
                reference: text("reference"),
                statement: text("statement"),
            })
        })
        .collect();
    entries.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.id.cmp(&b.id)));
    entries
}

pub(crate) fn read_link<T: ReadTxn>(txn: &T, id: String, l: &MapRef) -> Link {
    Link {
        id,
        from: field(txn, l, "from"),
        to: field(txn, l, "to"),
        kind: field(txn, l, "kind"),
        polarity: field(txn, l, "polarity"),
    }
}

fn root(txn: &mut TransactionMut, name: &str) -> MapRef {
    txn.get_or_insert_map(name)
}

/// The entries of a map of entities, in their agreed order (order key, then id).
fn ordered<T: ReadTxn>(txn: &T, map: &MapRef) -> Vec<(String, MapRef)> {
    let mut items: Vec<(String, String, MapRef)> = map
        .iter(txn)
        .filter_map(|(id, value)| match value {
            Out::YMap(entity) => {
                let order = field(txn, &entity, "order");
                Some((order, id.to_string(), entity))
            }
            _ => None,
        })
        .collect();
    items.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    items
        .into_iter()
        .map(|(_, id, entity)| (id, entity))
        .collect()
}

/// A text or string field as a string ("" when missing or of another type).
fn field<T: ReadTxn>(txn: &T, map: &MapRef, name: &str) -> String {
    map.get(txn, name)
        .map(|v| string(txn, &v))
        .unwrap_or_default()
}

fn string<T: ReadTxn>(txn: &T, value: &Out) -> String {
    match value {
        Out::YText(text) => text.get_string(txn),
        Out::Any(Any::String(s)) => s.to_string(),
        _ => String::new(),
    }
}

fn integer(value: &Out) -> Option<i64> {
    match value {
        Out::Any(any) => any_integer(any),
        _ => None,
    }
}

fn any_integer(any: &Any) -> Option<i64> {
    match any {
        Any::Number(Number::Int(n)) => Some(*n),
        Any::Number(Number::Float(n)) if n.is_finite() => Some(n.round() as i64),
        _ => None,
    }
}

fn any_string(any: &Any) -> Option<String> {
    match any {
        Any::String(s) => Some(s.to_string()),
        _ => None,
    }
}

fn vocabulary_entry(value: &Out) -> Option<VocabularyEntry> {
    let Out::Any(Any::Map(entry)) = value else {
        return None;
    };
    Some(VocabularyEntry {
        label: entry.get("label").and_then(any_string)?,
        description: entry.get("description").and_then(any_string),
        short_label: entry.get("shortLabel").and_then(any_string),
        order: entry.get("order").and_then(any_integer).unwrap_or(0),
    })
}

pub(crate) fn position(value: &Out) -> Option<Position> {
    let Out::Any(Any::Map(p)) = value else {
        return None;
    };
    Some(Position {
        x: p.get("x").and_then(any_integer)?,
        y: p.get("y").and_then(any_integer)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &[u8] = include_bytes!("../../../web/src/board/fixtures/board-v1.bin");
    const FIXTURE_JSON: &str = include_str!("../../../web/src/board/fixtures/board-v1.json");

    #[test]
    fn reads_a_board_written_by_the_web_app_exactly_as_the_web_app_does() {
        let board = Board::from_update(FIXTURE).expect("the fixture reads");
        let ours = serde_json::to_value(&board).expect("serialises");
        let theirs: serde_json::Value = serde_json::from_str(FIXTURE_JSON).expect("valid JSON");
        assert_eq!(ours, theirs);
    }

    #[test]
    fn the_fixture_has_what_the_web_app_put_in_it() {
        let board = Board::from_update(FIXTURE).expect("the fixture reads");
        assert_eq!(board.schema_version, 1);
        assert_eq!(board.vocabularies["typology"].len(), 6);
        let titles: Vec<&str> = board.episodes.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Health visiting over the summer",
                "School referral about bruising",
                "KPE: Strategy discussion not convened"
            ]
        );
        assert_eq!(board.findings[0].recommendations.len(), 2);
        assert_eq!(
            board.findings[0].recommendations[1].kind,
            "management_tradeoff"
        );
        assert_eq!(board.layout["episode-referral"], Position { x: 120, y: 80 });
        assert_eq!(board.links.len(), 3);
    }

    #[test]
    fn an_empty_document_reads_as_an_empty_board() {
        let board = Board::read(&Doc::new()).expect("reads");
        assert_eq!(board.schema_version, 0);
        assert!(board.episodes.is_empty() && board.factors.is_empty() && board.findings.is_empty());
    }

    #[test]
    fn newer_schemas_and_garbage_are_refused() {
        let doc = Doc::new();
        {
            let mut txn = doc.transact_mut();
            let meta = txn.get_or_insert_map("meta");
            meta.insert(&mut txn, "schemaVersion", 99);
        }
        assert!(matches!(
            Board::read(&doc),
            Err(BoardError::UnsupportedSchema(99))
        ));
        assert!(matches!(
            Board::from_update(&[0xff, 0xff, 0xff]),
            Err(BoardError::Decode(_))
        ));
    }
}
