//! The findings library: who may read it, the sets leads publish (and withdraw), and
//! the searches and counts over the current sets. Counts are of distinct reviews; the
//! small-number rule is applied by the caller ([`crate::library::query`]).

use serde::Serialize;
use utoipa::ToSchema;

use super::*;
use crate::audit::AuditEvent;
pub use crate::library::LibraryHit;
use crate::library::{
    LibraryRole, Publication, PublishedFactor, PublishedFinding, PublishedRecommendation,
    query::Filters,
};

/// One publication of a review's findings to the library.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct LibrarySet {
    pub id: String,
    pub snapshot_id: String,
    pub version: i64,
    pub case_name: String,
    pub review_kind: String,
    pub variant: String,
    pub year: i64,
    pub partnership: String,
    pub finding_count: i64,
    pub published_at: i64,
    pub published_by: String,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: Option<String>,
    pub replaced_by: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct HitRow {
    id: String,
    set_id: String,
    review_id: String,
    case_name: String,
    review_kind: String,
    variant: String,
    year: i64,
    partnership: String,
    reference: String,
    statement: String,
    in_case: String,
    underlying: String,
    widespread: String,
    matters: String,
    questions: String,
    category: String,
    secondary_category: String,
    effect: String,
    agencies: String,
    factors: String,
    recommendations: String,
}

impl HitRow {
    pub(super) fn hit(self) -> Result<LibraryHit, StoreError> {
        let json = |what: &str, text: &str| {
            StoreError::Corrupt(format!("a library finding's {what} cannot be read: {text}"))
        };
        let agencies: Vec<String> =
            serde_json::from_str(&self.agencies).map_err(|_| json("agencies", &self.agencies))?;
        let factors: Vec<PublishedFactor> =
            serde_json::from_str(&self.factors).map_err(|_| json("factors", &self.factors))?;
        let recommendations: Vec<PublishedRecommendation> =
            serde_json::from_str(&self.recommendations)
                .map_err(|_| json("recommendations", &self.recommendations))?;
        Ok(LibraryHit {
            id: self.id,
            set_id: self.set_id,
            review_id: self.review_id,
            case_name: self.case_name,
            review_kind: self.review_kind,
            variant: self.variant,
            year: self.year,
            partnership: self.partnership,
            finding: PublishedFinding {
                reference: self.reference,
                statement: self.statement,
                in_case: self.in_case,
                underlying: self.underlying,
                widespread: self.widespread,
                matters: self.matters,
                questions: self.questions,
                category: self.category,
                secondary_category: self.secondary_category,
                effect: self.effect,
                agencies,
                factors,
                recommendations,
            },
        })
    }
}

const SET_COLUMNS: &str = "id, snapshot_id, version, case_name, review_kind, variant, year, \
     partnership, finding_count, published_at, published_by, withdrawn_at, withdrawn_by, replaced_by";

pub(super) const HIT_COLUMNS: &str = "f.id, f.set_id, f.review_id, s.case_name, s.review_kind, s.variant, \
     s.year, s.partnership, f.reference, f.statement, f.in_case, f.underlying, f.widespread, \
     f.matters, f.questions, f.category, f.secondary_category, f.effect, f.agencies, f.factors, \
     f.recommendations";

/// A value bound to a search's SQL, in order.
enum Bind {
    Text(String),
    Int(i64),
}

/// The words of a search as an FTS5 query: each word quoted (so nothing typed is an
/// operator), all of them required; stemming applies inside quotes.
fn fts5_query(words: &str) -> Option<String> {
    let tokens: Vec<String> = words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| format!("\"{t}\""))
        .collect();
    (!tokens.is_empty()).then(|| tokens.join(" "))
}

/// The words of a search as a PostgreSQL tsquery: the same words as [`fts5_query`]
/// (letters and digits only, so nothing typed is an operator), all required.
fn pg_tsquery(words: &str) -> Option<String> {
    let tokens: Vec<&str> = words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    (!tokens.is_empty()).then(|| tokens.join(" & "))
}

/// The SQL after `select ...` that finds the current findings matching `filters` (`f`
/// the finding, `s` its set), with its binds; `$n` numbered from 1. Only fixed words go
/// into the SQL; every value the caller gave is bound.
fn matching(filters: &Filters, postgres: bool, binds: &mut Vec<Bind>) -> String {
    let mut sql = String::new();
    let next = |binds: &mut Vec<Bind>, value: Bind| {
        binds.push(value);
        format!("${}", binds.len())
    };
    let words = filters.words();
    let fts = words.and_then(fts5_query);
    sql.push_str(" from library_findings f");
    sql.push_str(" join library_sets s on s.id = f.set_id where s.withdrawn_at is null");
    if let Some(words) = words {
        if let (true, Some(query)) = (postgres, pg_tsquery(words)) {
            let at = next(binds, Bind::Text(query));
            sql.push_str(&format!(" and f.search @@ to_tsquery('english', {at})"));
        } else if let (false, Some(fts)) = (postgres, fts) {
            // The full-text match as a list of findings, evaluated once: joined
            // instead, the planner may run the match again for every finding (FTS5's
            // `finding_id` has no index), which took seconds at 5,000 findings.
            let at = next(binds, Bind::Text(fts));
            sql.push_str(&format!(
                " and f.id in (select finding_id from library_text where library_text match {at})"
            ));
        } else {
            // Nothing searchable was typed: nothing matches.
            sql.push_str(" and 1 = 0");
        }
    }
    for (facet, code) in filters.codes() {
        let facet = next(binds, Bind::Text(facet.to_string()));
        let code = next(binds, Bind::Text(code.to_string()));
        // A list from the codes' index, evaluated once (a correlated `exists` checked
        // every finding in turn).
        sql.push_str(&format!(
            " and f.id in (select finding_id from library_codes \
             where facet = {facet} and code = {code})"
        ));
    }
    if let Some(kind) = filters.kind() {
        let at = next(binds, Bind::Text(kind.to_string()));
        sql.push_str(&format!(" and s.review_kind = {at}"));
    }
    if let Some(variant) = filters.variant() {
        let at = next(binds, Bind::Text(variant.to_string()));
        sql.push_str(&format!(" and s.variant = {at}"));
    }
    if let Some((from, until)) = filters.years() {
        let from = next(binds, Bind::Int(from));
        let until = next(binds, Bind::Int(until));
        sql.push_str(&format!(" and s.year between {from} and {until}"));
    }
    sql
}

/// Binds `binds` to a query, in order (either backend).
macro_rules! bound {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                Bind::Text(text) => query.bind(text.clone()),
                Bind::Int(n) => query.bind(*n),
            };
        }
        query
    }};
}

impl Directory {
    pub(super) fn is_postgres(&self) -> bool {
        matches!(self, Directory::Postgres(_))
    }

    /// A person's library role given by an administrator, if any.
    pub async fn library_role(&self, user_id: &str) -> Result<Option<LibraryRole>, StoreError> {
        let role: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar("select role from library_readers where user_id = $1")
                .bind(user_id)
                .fetch_optional(pool)
                .await?
        });
        role.map(|r| {
            LibraryRole::parse(&r)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown library role {r:?}")))
        })
        .transpose()
    }

    /// Gives a person a library role, or takes it away (`None`), with its audit row.
    /// False when the person does not exist.
    pub async fn set_library_role(
        &self,
        user_id: &str,
        role: Option<LibraryRole>,
        by: &str,
        now: i64,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let exists: Option<String> = sqlx::query_scalar("select id from users where id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                tx.rollback().await?;
                false
            } else {
                sqlx::query("delete from library_readers where user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                if let Some(role) = role {
                    sqlx::query(
                        "insert into library_readers (user_id, role, granted_by, granted_at)
                         values ($1, $2, $3, $4)",
                    )
                    .bind(user_id)
                    .bind(role.as_str())
                    .bind(by)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                insert_audit!(tx, [audit]);
                tx.commit().await?;
                true
            }
        }))
    }

    /// Everyone with a library role, with it.
    pub async fn library_readers(&self) -> Result<Vec<(String, LibraryRole)>, StoreError> {
        let rows: Vec<(String, String)> = on_pool!(self, |pool| {
            sqlx::query_as("select user_id, role from library_readers order by user_id")
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(id, role)| Some((id, LibraryRole::parse(&role)?)))
            .collect())
    }

    /// Publishes `publication` (already pseudonymised) as the review's current set,
    /// replacing the current one (kept, marked replaced), with its audit row. `None`
    /// when another publication of the review won a race.
    pub async fn publish_to_library(
        &self,
        review_id: &str,
        snapshot_id: &str,
        publication: &Publication,
        by: &str,
        now: i64,
        audit: &AuditEvent,
    ) -> Result<Option<LibrarySet>, StoreError> {
        let id = crate::access::secrets::new_id();
        let postgres = self.is_postgres();
        let outcome: Result<LibrarySet, sqlx::Error> = on_pool!(self, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let version: i64 = sqlx::query_scalar(
                    "select coalesce(max(version), 0) + 1 from library_sets where review_id = $1",
                )
                .bind(review_id)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query(
                    "update library_sets set withdrawn_at = $2, withdrawn_by = $3, replaced_by = $4
                     where review_id = $1 and withdrawn_at is null",
                )
                .bind(review_id)
                .bind(now)
                .bind(by)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                let set = LibrarySet {
                    id: id.clone(),
                    snapshot_id: snapshot_id.to_string(),
                    version,
                    case_name: publication.case_name.clone(),
                    review_kind: publication.review_kind.clone(),
                    variant: publication.variant.clone(),
                    year: publication.year,
                    partnership: publication.partnership.clone(),
                    finding_count: publication.findings.len() as i64,
                    published_at: now,
                    published_by: by.to_string(),
                    withdrawn_at: None,
                    withdrawn_by: None,
                    replaced_by: None,
                };
                sqlx::query(
                    "insert into library_sets (id, review_id, snapshot_id, version, case_name,
                        review_kind, variant, year, partnership, finding_count, published_at,
                        published_by)
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(&set.id)
                .bind(review_id)
                .bind(&set.snapshot_id)
                .bind(set.version)
                .bind(&set.case_name)
                .bind(&set.review_kind)
                .bind(&set.variant)
                .bind(set.year)
                .bind(&set.partnership)
                .bind(set.finding_count)
                .bind(set.published_at)
                .bind(&set.published_by)
                .execute(&mut *tx)
                .await?;
                for (position, finding) in publication.findings.iter().enumerate() {
                    let finding_id = crate::access::secrets::new_id();
                    let search = finding.search_text();
                    let insert = if postgres {
                        "insert into library_findings (id, set_id, review_id, position, reference,
                            statement, in_case, underlying, widespread, matters, questions, category,
                            secondary_category, effect, agencies, factors, recommendations, search)
                         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                            $16, $17, to_tsvector('english', $18))"
                    } else {
                        "insert into library_findings (id, set_id, review_id, position, reference,
                            statement, in_case, underlying, widespread, matters, questions, category,
                            secondary_category, effect, agencies, factors, recommendations)
                         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                            $16, $17)"
                    };
                    let mut query = sqlx::query(insert)
                        .bind(&finding_id)
                        .bind(&set.id)
                        .bind(review_id)
                        .bind(position as i64)
                        .bind(&finding.reference)
                        .bind(&finding.statement)
                        .bind(&finding.in_case)
                        .bind(&finding.underlying)
                        .bind(&finding.widespread)
                        .bind(&finding.matters)
                        .bind(&finding.questions)
                        .bind(&finding.category)
                        .bind(&finding.secondary_category)
                        .bind(&finding.effect)
                        .bind(json(&finding.agencies))
                        .bind(json(&finding.factors))
                        .bind(json(&finding.recommendations));
                    if postgres {
                        query = query.bind(search.clone());
                    }
                    query.execute(&mut *tx).await?;
                    if !postgres {
                        sqlx::query("insert into library_text (finding_id, body) values ($1, $2)")
                            .bind(&finding_id)
                            .bind(&search)
                            .execute(&mut *tx)
                            .await?;
                    }
                    for (facet, code) in finding.codes() {
                        sqlx::query(
                            "insert into library_codes (finding_id, review_id, facet, code)
                             values ($1, $2, $3, $4)",
                        )
                        .bind(&finding_id)
                        .bind(review_id)
                        .bind(facet)
                        .bind(&code)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                insert_audit!(tx, [audit]);
                tx.commit().await?;
                Ok(set)
            }
            .await
        });
        match outcome {
            Ok(set) => Ok(Some(set)),
            // Another publication of the review got there first: its unique current set,
            // or (SQLite) its write to the same rows after this one read them.
            Err(err) if is_conflict(&err) || is_busy(&err) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// Withdraws the review's current set (kept, marked withdrawn), with its audit row.
    /// False when nothing was published.
    pub async fn withdraw_from_library(
        &self,
        review_id: &str,
        by: &str,
        now: i64,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "update library_sets set withdrawn_at = $2, withdrawn_by = $3
                 where review_id = $1 and withdrawn_at is null",
            )
            .bind(review_id)
            .bind(now)
            .bind(by)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }

    /// Every set a review published, newest first.
    pub async fn library_sets(&self, review_id: &str) -> Result<Vec<LibrarySet>, StoreError> {
        let sql = format!(
            "select {SET_COLUMNS} from library_sets where review_id = $1 order by version desc"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, LibrarySet>(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(review_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// The current findings matching `filters`, best first: a statement holding the
    /// words as typed, then by the engine's rank, then newest; at most `limit`.
    pub async fn search_library(
        &self,
        filters: &Filters,
        limit: i64,
    ) -> Result<Vec<LibraryHit>, StoreError> {
        let postgres = self.is_postgres();
        let mut binds = Vec::new();
        let from = matching(filters, postgres, &mut binds);
        let order = match filters.words() {
            Some(words) => {
                binds.push(Bind::Text(words.to_lowercase()));
                let exact = binds.len();
                let rank = if let (true, Some(query)) = (postgres, pg_tsquery(words)) {
                    binds.push(Bind::Text(query));
                    format!(
                        "ts_rank_cd(f.search, to_tsquery('english', ${})) desc",
                        binds.len()
                    )
                } else if !postgres && fts5_query(words).is_some() {
                    "h.rank".to_string()
                } else {
                    "1".to_string()
                };
                let contains = if postgres { "strpos" } else { "instr" };
                format!(
                    "case when {contains}(lower(f.statement), ${exact}) > 0 then 0 else 1 end, {rank}, "
                )
            }
            None => String::new(),
        };
        // On SQLite the engine's rank comes from the match, run once into a table of its
        // own that the findings join by id.
        let (with, from) = match filters.words().and_then(fts5_query) {
            Some(query) if !postgres => {
                binds.push(Bind::Text(query));
                (
                    format!(
                        "with hits (finding_id, rank) as materialized \
                         (select finding_id, bm25(library_text) from library_text \
                          where library_text match ${}) ",
                        binds.len()
                    ),
                    from.replacen(
                        " join library_sets s on s.id = f.set_id",
                        " join hits h on h.finding_id = f.id join library_sets s on s.id = f.set_id",
                        1,
                    ),
                )
            }
            _ => (String::new(), from),
        };
        binds.push(Bind::Int(limit));
        let sql = format!(
            "{with}select {HIT_COLUMNS}{from} order by {order}s.year desc, s.published_at desc, f.position \
             limit ${}",
            binds.len()
        );
        let rows: Vec<HitRow> = on_pool!(self, |pool| {
            bound!(
                sqlx::query_as::<_, HitRow>(sqlx::AssertSqlSafe(sql.as_str())),
                &binds
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(HitRow::hit).collect()
    }

    /// The distinct reviews whose current findings match `filters`.
    pub async fn library_reviews(&self, filters: &Filters) -> Result<Vec<String>, StoreError> {
        let mut binds = Vec::new();
        let from = matching(filters, self.is_postgres(), &mut binds);
        let sql = format!("select distinct f.review_id{from}");
        Ok(on_pool!(self, |pool| {
            bound!(
                sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.as_str())),
                &binds
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// For each of `facets` (all counted under the same `filters`), each code's number
    /// of distinct reviews among the matching findings, as (facet, code, reviews): one
    /// statement for the coded facets together, one for the review's kind, variant and
    /// year.
    pub async fn library_facets(
        &self,
        filters: &Filters,
        facets: &[&str],
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        let mut binds = Vec::new();
        let from = matching(filters, self.is_postgres(), &mut binds);
        let mut parts = Vec::new();
        let coded: Vec<&str> = facets
            .iter()
            .copied()
            .filter(|f| !matches!(*f, "kind" | "variant" | "year"))
            .collect();
        if !coded.is_empty() {
            let mut places = Vec::new();
            for facet in &coded {
                binds.push(Bind::Text(facet.to_string()));
                places.push(format!("${}", binds.len()));
            }
            // Each code row carries its review: the matching findings are a list the
            // codes are checked against, never joined row by row.
            parts.push(format!(
                "select c.facet, c.code, count(distinct c.review_id) from library_codes c \
                 where c.facet in ({}) and c.finding_id in (select f.id{from}) \
                 group by c.facet, c.code",
                places.join(", ")
            ));
        }
        let mut counts: Vec<(String, String, i64)> = if parts.is_empty() {
            Vec::new()
        } else {
            let sql = parts.join(" union all ");
            on_pool!(self, |pool| {
                bound!(
                    sqlx::query_as::<_, (String, String, i64)>(sqlx::AssertSqlSafe(sql.as_str())),
                    &binds[..]
                )
                .fetch_all(pool)
                .await?
            })
        };
        // Kind, variant and year are the set's: one pass counts the reviews of each
        // combination (a review has one of each), and the parts add up.
        let by_set: Vec<&str> = ["kind", "variant", "year"]
            .into_iter()
            .filter(|f| facets.contains(f))
            .collect();
        if !by_set.is_empty() {
            let mut binds = Vec::new();
            let from = matching(filters, self.is_postgres(), &mut binds);
            let sql = format!(
                "select s.review_kind, s.variant, s.year, count(distinct f.review_id){from} \
                 group by s.review_kind, s.variant, s.year"
            );
            let rows: Vec<(String, String, i64, i64)> = on_pool!(self, |pool| {
                bound!(
                    sqlx::query_as::<_, (String, String, i64, i64)>(sqlx::AssertSqlSafe(
                        sql.as_str()
                    )),
                    &binds
                )
                .fetch_all(pool)
                .await?
            });
            let mut sums: std::collections::BTreeMap<(&str, String), i64> = Default::default();
            for (kind, variant, year, reviews) in rows {
                for (facet, code) in [
                    ("kind", kind),
                    ("variant", variant),
                    ("year", year.to_string()),
                ] {
                    if by_set.contains(&facet) {
                        *sums.entry((facet, code)).or_default() += reviews;
                    }
                }
            }
            counts.extend(
                sums.into_iter()
                    .map(|((facet, code), reviews)| (facet.to_string(), code, reviews)),
            );
        }
        Ok(counts)
    }
}

impl Directory {
    /// For two facets, each pair of codes' number of distinct reviews with a current
    /// finding matching `filters` that carries both.
    pub async fn library_matrix(
        &self,
        filters: &Filters,
        rows: &str,
        columns: &str,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        let mut binds = Vec::new();
        let from = matching(filters, self.is_postgres(), &mut binds);
        binds.push(Bind::Text(rows.to_string()));
        let row = binds.len();
        binds.push(Bind::Text(columns.to_string()));
        let column = binds.len();
        let from = from.replacen(
            " join library_sets s on s.id = f.set_id",
            &format!(
                " join library_sets s on s.id = f.set_id \
                 join library_codes a on a.finding_id = f.id and a.facet = ${row} \
                 join library_codes b on b.finding_id = f.id and b.facet = ${column}"
            ),
            1,
        );
        let sql = format!(
            "select a.code, b.code, count(distinct f.review_id){from} group by a.code, b.code"
        );
        Ok(on_pool!(self, |pool| {
            bound!(
                sqlx::query_as::<_, (String, String, i64)>(sqlx::AssertSqlSafe(sql.as_str())),
                &binds
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Each year's number of distinct reviews with a current finding matching
    /// `filters`, and of reviews published with that year at all.
    pub async fn library_years(
        &self,
        filters: &Filters,
    ) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let mut binds = Vec::new();
        let from = matching(filters, self.is_postgres(), &mut binds);
        let sql = format!(
            "select y.year, coalesce(m.reviews, 0), y.reviews from \
             (select year, count(distinct review_id) as reviews from library_sets \
              where withdrawn_at is null group by year) y \
             left join (select s.year as year, count(distinct f.review_id) as reviews{from} \
              group by s.year) m on m.year = y.year order by y.year"
        );
        Ok(on_pool!(self, |pool| {
            bound!(
                sqlx::query_as::<_, (i64, i64, i64)>(sqlx::AssertSqlSafe(sql.as_str())),
                &binds
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// For one facet, each code's number of distinct reviews and of distinct years
    /// among the current findings.
    pub async fn library_spread(&self, facet: &str) -> Result<Vec<(String, i64, i64)>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, (String, i64, i64)>(
                "select c.code, count(distinct f.review_id), count(distinct s.year)
                 from library_codes c join library_findings f on f.id = c.finding_id
                 join library_sets s on s.id = f.set_id
                 where s.withdrawn_at is null and c.facet = $1 group by c.code",
            )
            .bind(facet)
            .fetch_all(pool)
            .await?
        }))
    }
}

/// SQLite's "database is busy" (5) and its extended codes (517: a read transaction that
/// cannot write because another wrote since).
fn is_busy(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db)
        if db.code().is_some_and(|code| code.parse::<u32>().is_ok_and(|c| c & 0xff == 5)))
}

/// JSON of what a finding keeps as JSON (its agencies, factors or recommendations).
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_never_become_tsquery_operators() {
        assert_eq!(
            pg_tsquery("-zzz | referral & !x <-> (y)").as_deref(),
            Some("zzz & referral & x & y")
        );
        assert_eq!(pg_tsquery("!&|"), None);
    }

    #[test]
    fn typed_words_never_become_fts_operators() {
        assert_eq!(
            fts5_query("referral OR \"x\" NEAR(a b) -c*").as_deref(),
            Some("\"referral\" \"OR\" \"x\" \"NEAR\" \"a\" \"b\" \"c\"")
        );
        assert_eq!(fts5_query(" -*\"() "), None);
    }
}
