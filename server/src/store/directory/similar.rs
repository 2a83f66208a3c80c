//! Published findings like a draft: those that read alike (any of the draft's words,
//! ranked by the database's own full-text engine) and those that share its typology
//! categories. The ranking of the two together is [`crate::library::similar`]'s.

use super::library::{HIT_COLUMNS, HitRow};
use super::*;
use crate::library::similar::Candidate;

/// Candidates of each kind looked at, at most.
const MOST_CANDIDATES: i64 = 60;

impl Directory {
    /// Of `ids` (library findings a board links to), those still current: in a set
    /// neither withdrawn nor replaced.
    pub async fn current_library_findings(
        &self,
        ids: &[String],
    ) -> Result<Vec<String>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let places: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "select f.id from library_findings f join library_sets s on s.id = f.set_id \
             where s.withdrawn_at is null and f.id in ({})",
            places.join(", ")
        );
        Ok(on_pool!(self, |pool| {
            let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.as_str()));
            for id in ids {
                query = query.bind(id);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// Of `words` and `categories`, those carried by current published findings of at
    /// least `threshold` reviews other than `review_id`: a draft cannot use a rare word
    /// (or a rare code) to single a review out behind common ones.
    pub async fn common_terms(
        &self,
        review_id: &str,
        words: &[String],
        categories: &[String],
        threshold: u64,
    ) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let threshold = i64::try_from(threshold).unwrap_or(i64::MAX);
        // Every word's count in one statement (a lookup runs as the draft settles):
        // one part per word, each its own full-text match.
        let postgres = self.is_postgres();
        let parts: Vec<String> = (0..words.len())
            .map(|i| {
                let (n, at) = (i as i64, i + 2);
                let matched = if postgres {
                    format!("f.search @@ to_tsquery('english', ${at})")
                } else {
                    format!("f.id in (select finding_id from library_text where library_text match ${at})")
                };
                format!(
                    "select cast({n} as bigint) as word, count(distinct f.review_id) as reviews \
                     from library_findings f join library_sets s on s.id = f.set_id \
                     where s.withdrawn_at is null and f.review_id <> $1 and {matched}"
                )
            })
            .collect();
        let mut common_words = Vec::new();
        if !parts.is_empty() {
            let sql = parts.join(" union all ");
            let counts: Vec<(i64, i64)> = on_pool!(self, |pool| {
                let mut query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(review_id);
                for word in words {
                    // Letters and digits only: quoted, FTS5 reads it as a word.
                    query = query.bind(if postgres {
                        word.clone()
                    } else {
                        format!("\"{word}\"")
                    });
                }
                query.fetch_all(pool).await?
            });
            for (n, reviews) in counts {
                if let Some(word) = usize::try_from(n).ok().and_then(|n| words.get(n))
                    && reviews >= threshold
                {
                    common_words.push(word.clone());
                }
            }
            // In the draft's order, whatever order the parts came back in.
            common_words.sort_by_key(|w| words.iter().position(|x| x == w));
        }
        let mut common_categories = Vec::new();
        for category in categories {
            let reviews: i64 = on_pool!(self, |pool| {
                sqlx::query_scalar(
                    "select count(distinct f.review_id) from library_findings f \
                     join library_sets s on s.id = f.set_id \
                     where s.withdrawn_at is null and f.review_id <> $1 \
                     and (f.category = $2 or f.secondary_category = $2)",
                )
                .bind(review_id)
                .bind(category)
                .fetch_one(pool)
                .await?
            });
            if reviews >= threshold {
                common_categories.push(category.clone());
            }
        }
        Ok((common_words, common_categories))
    }

    /// Current published findings of reviews other than `review_id` that contain any of
    /// `words` (with their text score, higher is closer) or carry any of `categories`.
    /// `words` must be letters and digits only (they are quoted, never syntax).
    pub async fn similar_findings(
        &self,
        review_id: &str,
        words: &[String],
        categories: &[String],
    ) -> Result<Vec<Candidate>, StoreError> {
        let mut candidates = self.reading_alike(review_id, words).await?;
        if !categories.is_empty() {
            let sql = format!(
                "select {HIT_COLUMNS} from library_findings f \
                 join library_sets s on s.id = f.set_id \
                 where s.withdrawn_at is null and f.review_id <> $1 \
                 and (f.category in ($2, $3) or f.secondary_category in ($2, $3)) \
                 order by s.year desc, s.published_at desc, f.position limit $4"
            );
            let first = categories[0].clone();
            let second = categories.get(1).cloned().unwrap_or_else(|| first.clone());
            let rows: Vec<HitRow> = on_pool!(self, |pool| {
                sqlx::query_as::<_, HitRow>(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(review_id)
                    .bind(&first)
                    .bind(&second)
                    .bind(MOST_CANDIDATES)
                    .fetch_all(pool)
                    .await?
            });
            for row in rows {
                let hit = row.hit()?;
                if !candidates.iter().any(|c| c.hit.id == hit.id) {
                    candidates.push(Candidate {
                        hit,
                        text_score: 0.0,
                    });
                }
            }
        }
        Ok(candidates)
    }

    async fn reading_alike(
        &self,
        review_id: &str,
        words: &[String],
    ) -> Result<Vec<Candidate>, StoreError> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        #[derive(sqlx::FromRow)]
        struct Scored {
            #[sqlx(flatten)]
            row: HitRow,
            score: f64,
        }
        let rows: Vec<Scored> = match self {
            Directory::Postgres(pool) => {
                let query = words.join(" | ");
                let sql = format!(
                    "select {HIT_COLUMNS}, \
                     ts_rank(f.search, to_tsquery('english', $2))::float8 as score \
                     from library_findings f join library_sets s on s.id = f.set_id \
                     where s.withdrawn_at is null and f.review_id <> $1 \
                     and f.search @@ to_tsquery('english', $2) \
                     order by score desc limit $3"
                );
                sqlx::query_as::<_, Scored>(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(review_id)
                    .bind(query)
                    .bind(MOST_CANDIDATES)
                    .fetch_all(pool)
                    .await?
            }
            Directory::Sqlite(pool) => {
                let query = words
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                // The match runs once into a table the findings join by id (joined
                // directly, the planner may run it again for every finding).
                let sql = format!(
                    "with hits (finding_id, rank) as materialized \
                     (select finding_id, bm25(library_text) from library_text \
                      where library_text match $2) \
                     select {HIT_COLUMNS}, -h.rank as score \
                     from hits h join library_findings f on f.id = h.finding_id \
                     join library_sets s on s.id = f.set_id \
                     where s.withdrawn_at is null and f.review_id <> $1 \
                     order by h.rank limit $3"
                );
                sqlx::query_as::<_, Scored>(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(review_id)
                    .bind(query)
                    .bind(MOST_CANDIDATES)
                    .fetch_all(pool)
                    .await?
            }
        };
        rows.into_iter()
            .map(|s| {
                Ok(Candidate {
                    hit: s.row.hit()?,
                    text_score: s.score,
                })
            })
            .collect()
    }
}
