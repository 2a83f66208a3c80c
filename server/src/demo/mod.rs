//! `board demo`: a fictional partnership (Eastmere) with thirteen reviews over six years,
//! loaded into an empty database the way the product would have made them: accounts,
//! reviews with their timelines, people invited in their roles, each family's names in
//! the register, a board per review, the snapshot of what was agreed, and the finished
//! reviews' findings published to the library through the same pseudonymisation and
//! check as a lead's. The data is `partnership.json`; the library's tests and benchmark
//! use it too.

mod board;
mod scaled;

use std::{collections::HashMap, sync::Arc};

use bytes::Bytes;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::{
    access::{Author, NewUser, Role, User, secrets},
    audit::{AuditAction, AuditEvent},
    board::Board,
    clock::now_ms,
    library::{self, LibraryRole},
    report::term_key,
    review::{self, FrozenDetails, Review},
    store::{Append, Store, StoreError},
};

pub use board::board_update;

const SOURCE: &str = include_str!("partnership.json");

/// The demo partnership as its data file holds it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Partnership {
    pub partnership: String,
    pub people: Vec<DemoPerson>,
    pub reviews: Vec<DemoReview>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoPerson {
    pub key: String,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub job_title: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoReview {
    pub key: String,
    pub title: String,
    pub case_ref: String,
    pub kind: String,
    pub variant: String,
    /// When its findings were agreed (the snapshot's date).
    pub year: i32,
    pub month: u32,
    pub published: bool,
    pub lead: String,
    #[serde(default)]
    pub team: Vec<String>,
    #[serde(default)]
    pub case_group: Vec<String>,
    #[serde(default)]
    pub board: Vec<String>,
    pub agencies: Vec<String>,
    pub register: Vec<DemoRegisterEntry>,
    #[serde(default)]
    pub safe_terms: Vec<String>,
    pub episodes: Vec<DemoEpisode>,
    pub factors: Vec<DemoFactor>,
    pub findings: Vec<DemoFinding>,
    pub links: Vec<DemoLink>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoRegisterEntry {
    pub term: String,
    pub pseudonym: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoEpisode {
    pub id: String,
    pub title: String,
    pub date_kind: String,
    pub date_start: String,
    #[serde(default)]
    pub date_end: String,
    pub agencies: Vec<String>,
    pub what_happened: String,
    pub seen_at_the_time: String,
    pub appraisal: String,
    pub quality: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub open_questions: String,
    pub status: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoFactor {
    pub id: String,
    pub title: String,
    pub description: String,
    pub level: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub polarity: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoFinding {
    pub id: String,
    pub statement: String,
    pub category: String,
    #[serde(default)]
    pub secondary_category: String,
    pub effect: String,
    pub agencies: Vec<String>,
    pub in_case: String,
    pub underlying: String,
    pub widespread: String,
    pub matters: String,
    pub questions: String,
    pub status: String,
    pub priority: String,
    #[serde(default)]
    pub recommendations: Vec<DemoRecommendation>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DemoRecommendation {
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    /// Where the board is with it; empty for the loader's choice by the review's year.
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DemoLink {
    pub from: String,
    pub to: String,
    pub kind: String,
    pub polarity: String,
}

/// The demo partnership (the data file is part of the build; a test reads it).
pub fn partnership() -> Result<Partnership, DemoError> {
    serde_json::from_str(SOURCE).map_err(|e| DemoError::Data(e.to_string()))
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the demo loads into a new database, and this one already has {accounts} accounts and {reviews} reviews"
    )]
    NotEmpty { accounts: i64, reviews: i64 },
    #[error("the demo data cannot be read: {0}")]
    Data(String),
    #[error("the findings of {review} did not pass the pre-publication check: {summary}")]
    CheckNotClean { review: String, summary: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Board(#[from] crate::board::BoardError),
    #[error("could not set the demo password: {0}")]
    Password(String),
}

/// What was loaded, for the person who asked.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub partnership: String,
    pub reviews: usize,
    pub published: usize,
    /// Everyone, with what they do in the demo: (email, name and role).
    pub people: Vec<(String, String)>,
    /// One password for every demo account, made for this database.
    pub password: String,
}

/// Unix milliseconds of 10:00 UTC on the 15th of `month` in `year`.
fn mid_month(year: i32, month: u32) -> i64 {
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, m) = (
        i64::from(year) - i64::from(month <= 2),
        i64::from(month.clamp(1, 12)),
    );
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + 15 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400_000 + 10 * 3_600_000
}

fn author(user: &User) -> Author {
    Author {
        kind: "user",
        id: user.id.clone(),
        name: user.name.clone(),
        agency: user.agency.clone(),
    }
}

/// Who the audit trail says did everything the demo loaded: the demo, never the
/// people it names.
fn demo_author() -> Author {
    Author {
        kind: "system",
        name: "board demo".into(),
        ..Author::default()
    }
}

/// Loads the demo partnership into `store`, which must hold no account or review yet;
/// with `more` above zero, that many more published reviews of at least ten findings
/// each, made from the demo's (for the library's benchmark).
pub async fn load(store: Arc<dyn Store>, more: usize) -> Result<Loaded, DemoError> {
    let mut data = partnership()?;
    let extra = scaled::generated(&data, more, 10);
    data.reviews.extend(extra);
    let directory = store.directory();
    let (accounts, reviews) = (
        directory.count_users().await?,
        directory.count_reviews().await?,
    );
    if accounts > 0 || reviews > 0 {
        return Err(DemoError::NotEmpty { accounts, reviews });
    }
    // Short enough to type, random per database (48 bits, behind the sign-in limits).
    let password = format!("demo-{}", &secrets::new_secret("demo")[5..17]);
    let password_hash =
        secrets::hash_password(&password).map_err(|e| DemoError::Password(e.to_string()))?;
    let mut users: HashMap<String, User> = HashMap::new();
    for person in &data.people {
        let is_admin = person.key == "admin";
        let new = NewUser {
            email: person.email.clone(),
            name: person.name.clone(),
            agency: person.agency.clone(),
            job_title: person.job_title.clone(),
            password_hash: password_hash.clone(),
            is_admin,
        };
        let created = directory
            .create_user(&new, |user| {
                AuditEvent::action(
                    demo_author(),
                    "",
                    if is_admin {
                        AuditAction::AdministratorCreated
                    } else {
                        AuditAction::AccountCreated
                    },
                    &user.id,
                    user.name.clone(),
                )
            })
            .await?
            .ok_or_else(|| DemoError::Data(format!("{} is listed twice", person.email)))?;
        users.insert(person.key.clone(), created);
    }
    let user = |key: &str| {
        users
            .get(key)
            .cloned()
            .ok_or_else(|| DemoError::Data(format!("no person has the key {key:?}")))
    };
    // The partnership's business manager analyses the library.
    let admin = user("admin")?;
    directory
        .set_library_role(
            &admin.id,
            Some(LibraryRole::Analyst),
            &admin.id,
            now_ms(),
            &AuditEvent::action(
                demo_author(),
                "",
                AuditAction::LibraryRoleChanged,
                &admin.id,
                format!("{} is a partnership analyst", admin.name),
            ),
        )
        .await?;

    let mut published = 0;
    for demo in &data.reviews {
        if load_review(&store, &data.partnership, demo, &user).await? {
            published += 1;
        }
    }

    let mut people = Vec::new();
    for person in &data.people {
        let mut roles: Vec<&str> = Vec::new();
        if person.key == "admin" {
            roles.push("administrator and library analyst");
        }
        let leads = data.reviews.iter().filter(|r| r.lead == person.key).count();
        if leads > 0 {
            roles.push("lead reviewer");
        }
        if data.reviews.iter().any(|r| r.team.contains(&person.key)) {
            roles.push("review team");
        }
        if data
            .reviews
            .iter()
            .any(|r| r.case_group.contains(&person.key))
        {
            roles.push("case group");
        }
        people.push((
            person.email.clone(),
            format!("{} ({}): {}", person.name, person.agency, roles.join(", ")),
        ));
    }
    Ok(Loaded {
        partnership: data.partnership.clone(),
        reviews: data.reviews.len(),
        published,
        people,
        password,
    })
}

/// Loads one review; true if its findings were published to the library.
async fn load_review(
    store: &Arc<dyn Store>,
    partnership: &str,
    demo: &DemoReview,
    user: &impl Fn(&str) -> Result<User, DemoError>,
) -> Result<bool, DemoError> {
    let directory = store.directory();
    let lead = user(&demo.lead)?;
    let mut fields =
        review::new_review_fields(&demo.title, &demo.case_ref, &demo.kind, &demo.variant);
    if !review::is_one_of(&fields.kind, review::KINDS)
        || !review::is_one_of(&fields.variant, review::VARIANTS)
    {
        return Err(DemoError::Data(format!(
            "{}: unknown kind {:?} or variant {:?}",
            demo.key, demo.kind, demo.variant
        )));
    }
    fields.phase = if demo.published {
        "publication"
    } else {
        "analysis"
    }
    .into();
    let mut dates: Vec<&str> = demo
        .episodes
        .iter()
        .flat_map(|e| [e.date_start.as_str(), e.date_end.as_str()])
        .filter(|d| !d.is_empty())
        .collect();
    dates.sort();
    fields.period_start = dates.first().map(|d| d.to_string()).unwrap_or_default();
    fields.period_end = dates.last().map(|d| d.to_string()).unwrap_or_default();
    let review = directory
        .create_review(
            &fields,
            &review::timeline(&fields.variant),
            Some(&lead.id),
            |review| {
                AuditEvent::action(
                    demo_author(),
                    &review.id,
                    AuditAction::ReviewCreated,
                    &review.id,
                    review.title.clone(),
                )
            },
        )
        .await?;
    for (keys, role) in [
        (&demo.team, Role::ReviewTeamMember),
        (&demo.case_group, Role::CaseGroupMember),
        (&demo.board, Role::BoardMember),
    ] {
        for key in keys {
            invite(store, &review, &lead, &user(key)?, role).await?;
        }
    }
    for entry in &demo.register {
        let term = entry.term.clone();
        directory
            .add_register_entry(
                &review.id,
                &entry.term,
                &entry.pseudonym,
                &entry.note,
                |t| term_key(t) == term_key(&term),
                |added| {
                    AuditEvent::action(
                        demo_author(),
                        &review.id,
                        AuditAction::RegisterEntryAdded,
                        &added.id,
                        added.pseudonym.clone(),
                    )
                },
            )
            .await?
            .map_err(|existing| {
                DemoError::Data(format!("{}: {existing:?} is registered twice", demo.key))
            })?;
    }
    for term in &demo.safe_terms {
        directory
            .add_safe_term(&review.id, term, |safe| {
                AuditEvent::action(
                    demo_author(),
                    &review.id,
                    AuditAction::SafeTermAdded,
                    &safe.id,
                    safe.term.clone(),
                )
            })
            .await?;
    }

    let update = board_update(demo);
    let document = format!("{}/board", review.id);
    store
        .append(&[Append {
            document: document.as_str().into(),
            seq: 1,
            data: Bytes::from(update.clone()),
            edit: None,
            lease: None,
        }])
        .await?;

    let taken_at = mid_month(demo.year, demo.month);
    let members = directory.members(&review.id).await?;
    let details = serde_json::to_string(&FrozenDetails::of(&review, &members))
        .map_err(|e| DemoError::Data(e.to_string()))?;
    let label = if demo.published {
        "Findings agreed at the final analysis meeting"
    } else {
        "After the first analysis meeting"
    };
    let snapshot = directory
        .create_snapshot(
            &review.id,
            &document,
            label,
            None,
            &author(&lead),
            taken_at,
            1,
            &update,
            &secrets::hex(&Sha256::digest(&update)),
            &details,
            |snapshot| {
                AuditEvent::action(
                    demo_author(),
                    &review.id,
                    AuditAction::SnapshotTaken,
                    &snapshot.id,
                    label.to_string(),
                )
            },
        )
        .await?;
    if !demo.published {
        return Ok(false);
    }
    publish(
        store,
        partnership,
        &review,
        &lead,
        &snapshot.id,
        taken_at,
        &update,
    )
    .await?;
    Ok(true)
}

async fn invite(
    store: &Arc<dyn Store>,
    review: &Review,
    lead: &User,
    person: &User,
    role: Role,
) -> Result<(), DemoError> {
    let directory = store.directory();
    let invitation = directory
        .create_invitation(
            &secrets::secret_hash(&secrets::new_secret("bi")),
            &review.id,
            role,
            &person.name,
            &person.email,
            &person.agency,
            &person.job_title,
            &lead.id,
            now_ms() + 86_400_000,
            |invitation| {
                AuditEvent::action(
                    demo_author(),
                    &review.id,
                    AuditAction::InvitationCreated,
                    &invitation.id,
                    format!("{} as {role}", person.name),
                )
            },
        )
        .await?;
    directory
        .accept_invitation(&invitation, &person.id, |role| {
            AuditEvent::action(
                demo_author(),
                &review.id,
                AuditAction::InvitationAccepted,
                &invitation.id,
                format!("{} joined as {role}", person.name),
            )
        })
        .await?;
    Ok(())
}

/// Publishes a snapshot's agreed findings as a lead would: the same preparation and
/// check, refused unless clean.
async fn publish(
    store: &Arc<dyn Store>,
    partnership: &str,
    review: &Review,
    lead: &User,
    snapshot_id: &str,
    taken_at: i64,
    update: &[u8],
) -> Result<(), DemoError> {
    let directory = store.directory();
    let board = Board::from_update(update)?;
    let register = directory.register(&review.id).await?;
    let safe_terms = directory.safe_terms(&review.id).await?;
    let (publication, check) = library::prepare(
        review,
        &board,
        taken_at,
        partnership,
        &register,
        &safe_terms,
    );
    if !check.ok {
        let listed: Vec<String> = check
            .remaining
            .iter()
            .map(|r| r.term.clone())
            .chain(check.possible.iter().map(|p| p.text.clone()))
            .collect();
        return Err(DemoError::CheckNotClean {
            review: review.title.clone(),
            summary: format!("{} ({})", check.summary, listed.join(", ")),
        });
    }
    let event = AuditEvent::action(
        demo_author(),
        &review.id,
        AuditAction::LibraryPublished,
        snapshot_id,
        format!("{} agreed findings", publication.findings.len()),
    );
    directory
        .publish_to_library(
            &review.id,
            snapshot_id,
            &publication,
            &lead.name,
            taken_at + 2 * 86_400_000,
            &event,
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::codebook::codebook;

    #[test]
    fn the_data_reads_and_every_code_reference_and_link_is_known() {
        let data = partnership().expect("the demo data reads");
        assert!(data.reviews.len() >= 12);
        let book = codebook();
        let keys: Vec<&str> = data.people.iter().map(|p| p.key.as_str()).collect();
        assert!(keys.contains(&"admin"));
        for r in &data.reviews {
            for key in std::iter::once(&r.lead)
                .chain(&r.team)
                .chain(&r.case_group)
                .chain(&r.board)
            {
                assert!(keys.contains(&key.as_str()), "{}: {key}", r.key);
            }
            let board = Board::from_update(&board_update(r)).expect("the board reads");
            assert_eq!(board.episodes.len(), r.episodes.len());
            assert_eq!(board.findings.len(), r.findings.len());
            let ids: Vec<&str> = board
                .episodes
                .iter()
                .map(|e| e.id.as_str())
                .chain(board.factors.iter().map(|f| f.id.as_str()))
                .chain(board.findings.iter().map(|f| f.id.as_str()))
                .collect();
            for link in &board.links {
                assert!(
                    ids.contains(&link.from.as_str()) && ids.contains(&link.to.as_str()),
                    "{}: {link:?}",
                    r.key
                );
            }
            for f in &board.findings {
                assert_eq!(book.known("category", &f.category), f.category, "{}", r.key);
                assert_eq!(book.known("effect", &f.effect), f.effect, "{}", r.key);
                for rec in &f.recommendations {
                    assert_eq!(book.known("recommendation_type", &rec.kind), rec.kind);
                }
                assert!(f.reference.starts_with('F'));
            }
            for factor in &board.factors {
                assert_eq!(
                    book.known("level", &factor.level),
                    factor.level,
                    "{}",
                    r.key
                );
                assert_eq!(
                    book.known("factor_type", &factor.kind),
                    factor.kind,
                    "{}",
                    r.key
                );
            }
        }
    }

    #[test]
    fn every_published_review_passes_the_pre_publication_check() {
        let data = partnership().expect("reads");
        for r in data.reviews.iter().filter(|r| r.published) {
            let register: Vec<crate::report::RegisterEntry> = r
                .register
                .iter()
                .map(|e| crate::report::RegisterEntry {
                    id: e.term.clone(),
                    review_id: r.key.clone(),
                    term: e.term.clone(),
                    pseudonym: e.pseudonym.clone(),
                    note: e.note.clone(),
                    created_at: 0,
                })
                .collect();
            let review = Review {
                id: r.key.clone(),
                title: r.title.clone(),
                case_ref: r.case_ref.clone(),
                kind: r.kind.clone(),
                variant: r.variant.clone(),
                period_start: String::new(),
                period_end: String::new(),
                questions: String::new(),
                terms_of_reference: String::new(),
                phase: "publication".into(),
                created_at: 0,
            };
            let board = Board::from_update(&board_update(r)).expect("reads");
            let taken_at = mid_month(r.year, r.month);
            let (publication, check) =
                library::prepare(&review, &board, taken_at, &data.partnership, &register, &[]);
            assert!(
                check.ok,
                "{}: {} {:?} {:?}",
                r.key, check.summary, check.remaining, check.possible
            );
            assert_eq!(publication.year, i64::from(r.year), "{}", r.key);
            assert!(!publication.findings.is_empty(), "{}", r.key);
        }
    }

    #[test]
    fn mid_month_is_the_fifteenth() {
        assert_eq!(mid_month(1970, 1), 14 * 86_400_000 + 36_000_000);
        assert_eq!(mid_month(2024, 3), 1_710_496_800_000);
    }
}
