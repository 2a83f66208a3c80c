//! Agencies' chronologies: imported files, entry versions, the mapping last used for
//! each agency, and discrepancies.

use super::*;
use crate::audit::AuditEvent;
use crate::chronology::{
    BadRowRecord, Correction, DiscrepancyRecord, EntryRecord, ImportRecord, NewImport, Reach,
    agency_key, sort_key,
};

const ENTRY_COLUMNS: &str = "id, entry_id, version, import_id, row_number, agency, date, \
     approximate, time, role, event, source, created_at, created_by, note, superseded_at";

/// Entries inserted per statement (19 values each, well under both backends' limits).
const ENTRIES_PER_INSERT: usize = 500;

impl Directory {
    /// The mapping last used for an agency's files (JSON), if any.
    pub async fn chronology_mapping(&self, agency: &str) -> Result<Option<String>, StoreError> {
        let key = agency_key(agency);
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("select mapping from chronology_mappings where agency_key = $1")
                .bind(&key)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Stores an imported file and its entries in one transaction, with its audit row,
    /// and remembers its mapping for the agency's next file.
    pub async fn import_chronology(
        &self,
        review_id: &str,
        import: &NewImport<'_>,
        now: i64,
        audit: impl FnOnce(&ImportRecord) -> AuditEvent,
    ) -> Result<ImportRecord, StoreError> {
        let mapping = serde_json::to_string(import.mapping).unwrap_or_else(|_| "{}".into());
        let bad: Vec<BadRowRecord> = import.bad.iter().map(BadRowRecord::from).collect();
        let record = ImportRecord {
            id: crate::access::secrets::new_id(),
            agency: import.agency.clone(),
            file_name: import.file_name.clone(),
            file_kind: import.file_kind.to_string(),
            mapping: mapping.clone(),
            entry_count: import.entries.len() as i64,
            bad_rows: serde_json::to_string(&bad).unwrap_or_else(|_| "[]".into()),
            imported_at: now,
            imported_by: import.imported_by.clone(),
        };
        let event = audit(&record);
        let key = agency_key(&import.agency);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "insert into chronology_imports (id, review_id, agency, file_name, file_kind,
                        mapping, entry_count, bad_rows, imported_at, imported_by)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&record.id)
            .bind(review_id)
            .bind(&record.agency)
            .bind(&record.file_name)
            .bind(&record.file_kind)
            .bind(&record.mapping)
            .bind(record.entry_count)
            .bind(&record.bad_rows)
            .bind(record.imported_at)
            .bind(&record.imported_by)
            .execute(&mut *tx)
            .await?;
            for chunk in import.entries.chunks(ENTRIES_PER_INSERT) {
                let mut insert = sqlx::QueryBuilder::new(
                    "insert into chronology_entries (id, entry_id, version, review_id, import_id,
                        row_number, agency, agency_key, date, approximate, time, sort_key, role,
                        event, source, created_at, created_by, note, superseded_at) ",
                );
                insert.push_values(chunk, |mut row, entry| {
                    let id = crate::access::secrets::new_id();
                    row.push_bind(id.clone())
                        .push_bind(id)
                        .push_bind(1_i64)
                        .push_bind(review_id)
                        .push_bind(&record.id)
                        .push_bind(entry.row as i64)
                        .push_bind(&entry.agency)
                        .push_bind(agency_key(&entry.agency))
                        .push_bind(&entry.date)
                        .push_bind(i64::from(entry.approximate))
                        .push_bind(&entry.time)
                        .push_bind(sort_key(&entry.date, &entry.time))
                        .push_bind(&entry.role)
                        .push_bind(&entry.event)
                        .push_bind(&entry.source)
                        .push_bind(now)
                        .push_bind(&record.imported_by)
                        .push_bind("")
                        .push_bind(None::<i64>);
                });
                insert.build().execute(&mut *tx).await?;
            }
            sqlx::query(
                "insert into chronology_mappings (agency_key, mapping, updated_at)
                 values ($1, $2, $3)
                 on conflict (agency_key) do update set mapping = excluded.mapping,
                     updated_at = excluded.updated_at",
            )
            .bind(&key)
            .bind(&mapping)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, [&event]);
            tx.commit().await?;
        });
        Ok(record)
    }

    /// The review's imported files (those of the agencies `reach` covers), oldest first.
    pub async fn chronology_imports(
        &self,
        review_id: &str,
        reach: &Reach,
    ) -> Result<Vec<ImportRecord>, StoreError> {
        let all = on_pool!(self, |pool| {
            sqlx::query_as::<_, ImportRecord>(
                "select id, agency, file_name, file_kind, mapping, entry_count, bad_rows,
                        imported_at, imported_by
                 from chronology_imports where review_id = $1 order by imported_at, id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
        });
        Ok(all.into_iter().filter(|i| reach.sees(&i.agency)).collect())
    }

    /// How many entries (current versions) the review holds.
    pub async fn chronology_entry_count(&self, review_id: &str) -> Result<i64, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "select count(*) from chronology_entries
                 where review_id = $1 and superseded_at is null",
            )
            .bind(review_id)
            .fetch_one(pool)
            .await?
        }))
    }

    /// The current version of every entry `reach` covers, merged in time order.
    pub async fn chronology_entries(
        &self,
        review_id: &str,
        reach: &Reach,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        let (agency_filter, key) = match reach {
            Reach::None => return Ok(Vec::new()),
            Reach::All => ("", String::new()),
            Reach::Agency(key) => ("and agency_key = $2", key.clone()),
        };
        let sql = format!(
            "select {ENTRY_COLUMNS} from chronology_entries
             where review_id = $1 and superseded_at is null {agency_filter}
             order by sort_key, agency_key, row_number, entry_id"
        );
        Ok(on_pool!(self, |pool| {
            let query =
                sqlx::query_as::<_, EntryRecord>(sqlx::AssertSqlSafe(sql.clone())).bind(review_id);
            let query = if agency_filter.is_empty() {
                query
            } else {
                query.bind(&key)
            };
            query.fetch_all(pool).await?
        }))
    }

    /// Every version of one entry, oldest first (empty when the review has no such
    /// entry).
    pub async fn chronology_entry_versions(
        &self,
        review_id: &str,
        entry_id: &str,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        let sql = format!(
            "select {ENTRY_COLUMNS} from chronology_entries
             where review_id = $1 and entry_id = $2 order by version"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, EntryRecord>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .bind(entry_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Stores a correction as the entry's next version, superseding `version`; `None`
    /// when that is no longer the current version (someone corrected it first).
    pub async fn correct_chronology_entry(
        &self,
        review_id: &str,
        current: &EntryRecord,
        correction: &Correction,
        now: i64,
        audit: &AuditEvent,
    ) -> Result<Option<EntryRecord>, StoreError> {
        let next = EntryRecord {
            id: crate::access::secrets::new_id(),
            entry_id: current.entry_id.clone(),
            version: current.version + 1,
            import_id: current.import_id.clone(),
            row_number: current.row_number,
            agency: correction.agency.clone(),
            date: correction.date.clone(),
            approximate: i64::from(correction.approximate),
            time: correction.time.clone(),
            role: correction.role.clone(),
            event: correction.event.clone(),
            source: correction.source.clone(),
            created_at: now,
            created_by: correction.by.clone(),
            note: correction.note.clone(),
            superseded_at: None,
        };
        let stored = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "update chronology_entries set superseded_at = $1
                 where review_id = $2 and entry_id = $3 and version = $4
                   and superseded_at is null",
            )
            .bind(now)
            .bind(review_id)
            .bind(&current.entry_id)
            .bind(current.version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 1 {
                sqlx::query(
                    "insert into chronology_entries (id, entry_id, version, review_id, import_id,
                        row_number, agency, agency_key, date, approximate, time, sort_key, role,
                        event, source, created_at, created_by, note)
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                        $16, $17, $18)",
                )
                .bind(&next.id)
                .bind(&next.entry_id)
                .bind(next.version)
                .bind(review_id)
                .bind(&next.import_id)
                .bind(next.row_number)
                .bind(&next.agency)
                .bind(agency_key(&next.agency))
                .bind(&next.date)
                .bind(next.approximate)
                .bind(&next.time)
                .bind(sort_key(&next.date, &next.time))
                .bind(&next.role)
                .bind(&next.event)
                .bind(&next.source)
                .bind(next.created_at)
                .bind(&next.created_by)
                .bind(&next.note)
                .execute(&mut *tx)
                .await?;
            }
            commit_audited!(tx, done, [audit])
        });
        Ok(stored.then_some(next))
    }

    /// The review's discrepancies, oldest first.
    pub async fn chronology_discrepancies(
        &self,
        review_id: &str,
    ) -> Result<Vec<DiscrepancyRecord>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, DiscrepancyRecord>(
                "select id, entries, note, created_at, created_by, resolved_at, resolution
                 from chronology_discrepancies where review_id = $1 order by created_at, id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Marks entries as a discrepancy, with the audit row.
    pub async fn add_chronology_discrepancy(
        &self,
        review_id: &str,
        entry_ids: &[String],
        note: &str,
        by: &str,
        now: i64,
        audit: impl FnOnce(&str) -> AuditEvent,
    ) -> Result<DiscrepancyRecord, StoreError> {
        let record = DiscrepancyRecord {
            id: crate::access::secrets::new_id(),
            entries: serde_json::to_string(entry_ids).unwrap_or_else(|_| "[]".into()),
            note: note.to_string(),
            created_at: now,
            created_by: by.to_string(),
            resolved_at: None,
            resolution: String::new(),
        };
        let event = audit(&record.id);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "insert into chronology_discrepancies (id, review_id, entries, note, created_at,
                        created_by)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&record.id)
            .bind(review_id)
            .bind(&record.entries)
            .bind(&record.note)
            .bind(record.created_at)
            .bind(&record.created_by)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, [&event]);
            tx.commit().await?;
        });
        Ok(record)
    }

    /// Settles (`Some((when, how))`) or reopens (`None`) a discrepancy, with the audit
    /// row; false when the review has no such discrepancy.
    pub async fn settle_chronology_discrepancy(
        &self,
        review_id: &str,
        id: &str,
        settled: Option<(i64, &str)>,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        let (at, resolution) = match settled {
            Some((at, how)) => (Some(at), how),
            None => (None, ""),
        };
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "update chronology_discrepancies set resolved_at = $1, resolution = $2
                 where review_id = $3 and id = $4",
            )
            .bind(at)
            .bind(resolution)
            .bind(review_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }
}
