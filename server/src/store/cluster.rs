//! The cluster's tables on PostgreSQL (migration 0015): nodes and their heartbeats,
//! who owns each open document with its epoch, and the nodes' shared secret. Every
//! time is the database's `now()`, so all nodes judge staleness by one clock.

use std::time::Duration;

use sqlx::PgPool;

use super::StoreError;

/// The cluster's rows, on the PostgreSQL database every node shares. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ClusterTables {
    /// The server's pool: claims and releases, which rooms make.
    pool: PgPool,
    /// A small pool of the cluster's own for heartbeats and access notices, so that a
    /// busy (or stuck) main pool never stops the heartbeat.
    own: PgPool,
}

/// Who serves a document, as the table says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This node serves it; its commits must carry this epoch.
    Owned { epoch: i64, took_over: bool },
    /// A live node serves it, reached at `address`.
    Elsewhere { node: String, address: String },
}

impl ClusterTables {
    /// The tables on `pool`, with a pool of their own beside it (three connections,
    /// opened on demand with the same settings).
    pub fn new(pool: PgPool) -> Self {
        let own = super::postgres::with_session_limits(sqlx::postgres::PgPoolOptions::new())
            .max_connections(3)
            .acquire_timeout(Duration::from_secs(5))
            .connect_lazy_with(pool.connect_options().as_ref().clone());
        Self { pool, own }
    }

    /// Records a starting node. With `holds_address` (the address is the one this node
    /// just bound, so no live process can have it), a node still on record there has
    /// stopped: it is marked as gone, so its documents are claimed at once instead of
    /// after its heartbeat lapses.
    pub async fn join(
        &self,
        node: &str,
        address: &str,
        holds_address: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.own.begin().await?;
        if holds_address {
            sqlx::query(
                "update cluster_nodes set left_at = now()
                 where address = $1 and id <> $2 and left_at is null",
            )
            .bind(address)
            .bind(node)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "insert into cluster_nodes (id, address) values ($1, $2)
             on conflict (id) do update set left_at = null, heartbeat_at = now()",
        )
        .bind(node)
        .bind(address)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Renews the node's heartbeat. False when its row is gone or marked as left (then
    /// the node must not claim anything more).
    pub async fn heartbeat(&self, node: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "update cluster_nodes set heartbeat_at = now() where id = $1 and left_at is null",
        )
        .bind(node)
        .execute(&self.own)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The documents the table says this node owns.
    pub async fn owned_by(&self, node: &str) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(
            sqlx::query_as("select document, epoch from document_owners where owner_node = $1")
                .bind(node)
                .fetch_all(&self.own)
                .await?,
        )
    }

    /// Marks the node as gone after a graceful shutdown, releasing whatever it still
    /// owns, so other nodes claim its documents at once.
    pub async fn leave(&self, node: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("update document_owners set owner_node = null where owner_node = $1")
            .bind(node)
            .execute(&mut *tx)
            .await?;
        sqlx::query("update cluster_nodes set left_at = now() where id = $1")
            .bind(node)
            .execute(&mut *tx)
            .await?;
        // Rows of nodes gone for a day tell nobody anything any more.
        sqlx::query(
            "delete from cluster_nodes n where heartbeat_at < now() - interval '1 day'
             and not exists (select 1 from document_owners o where o.owner_node = n.id)",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claims `document` for `node` when nobody live owns it (never owned, released,
    /// owned by a node that left or whose heartbeat is older than `stale_after`, or
    /// already this node's). One statement: of several nodes racing, exactly one wins,
    /// and a claim waits for a commit that holds the row, so the winner then loads
    /// everything the old owner committed. Otherwise says who owns it.
    pub async fn claim(
        &self,
        document: &str,
        node: &str,
        stale_after: Duration,
    ) -> Result<Claim, StoreError> {
        // Released between a failed claim and the look-up of the owner: try again.
        for _ in 0..3 {
            if let Some(claim) = self.try_claim(document, node, stale_after).await? {
                return Ok(claim);
            }
        }
        Err(StoreError::TimedOut)
    }

    /// Who serves `document` while it is served by a live node other than `node`: a
    /// plain read, which takes no lock (a claim's upsert locks the row even when it
    /// changes nothing, and would queue behind the owner's commits).
    async fn live_owner(
        &self,
        document: &str,
        node: &str,
        stale_after: Duration,
    ) -> Result<Option<Claim>, StoreError> {
        let owner: Option<(String, String)> = sqlx::query_as(
            "select n.id, n.address from document_owners o
             join cluster_nodes n on n.id = o.owner_node
             where o.document = $1 and n.id <> $2 and n.left_at is null
               and n.heartbeat_at > now() - make_interval(secs => $3)",
        )
        .bind(document)
        .bind(node)
        .bind(stale_after.as_secs_f64())
        .fetch_optional(&self.pool)
        .await?;
        Ok(owner.map(|(node, address)| Claim::Elsewhere { node, address }))
    }

    async fn try_claim(
        &self,
        document: &str,
        node: &str,
        stale_after: Duration,
    ) -> Result<Option<Claim>, StoreError> {
        if let Some(elsewhere) = self.live_owner(document, node, stale_after).await? {
            return Ok(Some(elsewhere));
        }
        let mut tx = self.pool.begin().await?;
        // A commit holding the row (its owner's last, perhaps from a node cut off
        // mid-transaction) is waited for only so long; the caller tries again later.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "set local lock_timeout = {}",
            stale_after.as_millis().max(1)
        )))
        .execute(&mut *tx)
        .await?;
        let won: Option<(i64, Option<String>)> = sqlx::query_as(
            "with previous as (select owner_node from document_owners where document = $1)
             insert into document_owners as o (document, owner_node, epoch)
             values ($1, $2, 1)
             on conflict (document) do update
             set owner_node = excluded.owner_node, epoch = o.epoch + 1, claimed_at = now()
             where o.owner_node is null or o.owner_node = excluded.owner_node
                or not exists (
                    select 1 from cluster_nodes n
                    where n.id = o.owner_node and n.left_at is null
                      and n.heartbeat_at > now() - make_interval(secs => $3))
             returning o.epoch, (select owner_node from previous)",
        )
        .bind(document)
        .bind(node)
        .bind(stale_after.as_secs_f64())
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        if let Some((epoch, previous)) = won {
            let took_over = previous.is_some_and(|p| p != node);
            return Ok(Some(Claim::Owned { epoch, took_over }));
        }
        // Someone else won meanwhile; who, if they are still there.
        self.live_owner(document, node, stale_after).await
    }

    /// Gives up `document` if this node still owns it with `epoch`.
    pub async fn release(&self, document: &str, node: &str, epoch: i64) -> Result<(), StoreError> {
        sqlx::query(
            "update document_owners set owner_node = null
             where document = $1 and owner_node = $2 and epoch = $3",
        )
        .bind(document)
        .bind(node)
        .bind(epoch)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Tells every node listening on `channel` (sent when the statement commits).
    pub async fn notify(&self, channel: &str, payload: &str) -> Result<(), StoreError> {
        sqlx::query("select pg_notify($1, $2)")
            .bind(channel)
            .bind(payload)
            .execute(&self.own)
            .await?;
        Ok(())
    }

    /// A connection of its own that hears what is sent on `channel`.
    pub async fn listen(&self, channel: &str) -> Result<sqlx::postgres::PgListener, StoreError> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.own).await?;
        listener.listen(channel).await?;
        Ok(listener)
    }

    /// The secret the nodes sign their internal connections with: made by the first
    /// node that asks, the same for every node after.
    pub async fn secret(&self, candidate: &str) -> Result<String, StoreError> {
        sqlx::query(
            "insert into cluster_secret (id, secret) values (1, $1) on conflict do nothing",
        )
        .bind(candidate)
        .execute(&self.pool)
        .await?;
        let (secret,): (String,) = sqlx::query_as("select secret from cluster_secret where id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(secret)
    }
}
