//! A review's meeting timeline.

use super::*;
use crate::audit::AuditEvent;
use crate::review::{Meeting, NewMeeting};

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: String,
    review_id: String,
    position: i64,
    kind: String,
    title: String,
    scheduled_at: String,
    mode: String,
    attendees: String,
    closed: bool,
}

impl From<MeetingRow> for Meeting {
    fn from(row: MeetingRow) -> Self {
        Meeting {
            attendees: serde_json::from_str(&row.attendees).unwrap_or_default(),
            id: row.id,
            review_id: row.review_id,
            position: row.position,
            kind: row.kind,
            title: row.title,
            scheduled_at: row.scheduled_at,
            mode: row.mode,
            closed: row.closed,
        }
    }
}

impl Directory {
    pub async fn meetings(&self, review_id: &str) -> Result<Vec<Meeting>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, MeetingRow>(
                "select * from meetings where review_id = $1 order by position, id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Meeting::from).collect())
    }

    /// Adds a meeting at the end of the timeline, with its audit row.
    pub async fn add_meeting(
        &self,
        review_id: &str,
        meeting: &NewMeeting,
        audit: impl FnOnce(&Meeting) -> AuditEvent,
    ) -> Result<Meeting, StoreError> {
        let id = crate::access::secrets::new_id();
        let attendees = serde_json::to_string(&meeting.attendees).unwrap_or_else(|_| "[]".into());
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let position = sqlx::query_scalar::<_, i64>(
                "insert into meetings (id, review_id, position, kind, title, scheduled_at, mode, attendees, closed)
                 select $1, $2, coalesce(max(position), -1) + 1, $3, $4, $5, $6, $7, $8
                 from meetings where review_id = $2
                 returning position",
            )
            .bind(&id)
            .bind(review_id)
            .bind(&meeting.kind)
            .bind(&meeting.title)
            .bind(&meeting.scheduled_at)
            .bind(&meeting.mode)
            .bind(&attendees)
            .bind(false)
            .fetch_one(&mut *tx)
            .await?;
            let added = Meeting {
                id: id.clone(),
                review_id: review_id.into(),
                position,
                kind: meeting.kind.clone(),
                title: meeting.title.clone(),
                scheduled_at: meeting.scheduled_at.clone(),
                mode: meeting.mode.clone(),
                attendees: meeting.attendees.clone(),
                closed: false,
            };
            insert_audit!(tx, [&audit(&added)]);
            tx.commit().await?;
            added
        }))
    }

    /// Saves a meeting's editable fields with the audit row; false if the review has no
    /// such meeting.
    pub async fn update_meeting(
        &self,
        meeting: &Meeting,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        let attendees = serde_json::to_string(&meeting.attendees).unwrap_or_else(|_| "[]".into());
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "update meetings set kind = $3, title = $4, scheduled_at = $5, mode = $6,
                        attendees = $7, closed = $8, position = $9
                 where review_id = $1 and id = $2",
            )
            .bind(&meeting.review_id)
            .bind(&meeting.id)
            .bind(&meeting.kind)
            .bind(&meeting.title)
            .bind(&meeting.scheduled_at)
            .bind(&meeting.mode)
            .bind(&attendees)
            .bind(meeting.closed)
            .bind(meeting.position)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }

    /// Removes a meeting with the audit row; false if the review has no such meeting.
    pub async fn delete_meeting(
        &self,
        review_id: &str,
        id: &str,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        self.change_row_audited(
            "delete from meetings where review_id = $1 and id = $2",
            review_id,
            id,
            None,
            audit,
        )
        .await
    }
}
