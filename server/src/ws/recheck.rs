//! A connection's access, checked again while it is open: as soon as the server
//! changes access that concerns it, and periodically as a backstop.

use std::{sync::Arc, time::Duration};

use tokio::sync::broadcast;
use tracing::{info, warn};

use super::upgrade::{Grant, document_access_for};
use crate::{
    access::{DocumentPlace, changes::AccessChange},
    auth,
    document::DocumentName,
    room::{CloseReason, PeerControl},
    state::AppState,
};

/// Checks the connection's credentials again as soon as the server changes access
/// that concerns it (a role, a membership, notes participants, a token, a session), and
/// every `access_recheck` as a backstop; closes it with 4403 once its access ends, or
/// 4503 once it changes. A database hiccup keeps what was granted.
pub(super) async fn recheck_access(
    app: AppState,
    document: DocumentName,
    grant: Arc<Grant>,
    control: Arc<PeerControl>,
) {
    let review_id = DocumentPlace::of(document.as_str())
        .map(|place| place.review_id.to_string())
        .unwrap_or_default();
    let mut changes = app.access_changes.subscribe();
    let concerns =
        |change: &AccessChange| change.concerns(&review_id, grant.author.kind, &grant.author.id);
    loop {
        let due = tokio::time::Instant::now() + jittered(app.ws.access_recheck);
        loop {
            tokio::select! {
                _ = control.closed() => return,
                _ = tokio::time::sleep_until(due) => break,
                change = changes.recv() => match change {
                    Ok(change) if !concerns(&change) => {}
                    // Concerned, or too far behind to know: check now.
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => break,
                    // The sender lives in `app`, which this task holds.
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
        // Boxed: the database futures are large, and a connection spends its life
        // asleep between checks, holding only what the sleep needs.
        let now = Box::pin(async {
            let caller =
                auth::resolve_caller(&app.directory, &grant.headers, grant.token.as_deref())
                    .await?;
            match caller {
                Some((caller, _)) => document_access_for(&app, &caller, &document).await,
                None => Ok(None),
            }
        })
        .await;
        match now {
            Ok(access) if access == Some(grant.access) => {}
            Ok(None) => {
                info!("closing a connection whose access ended");
                control.close(CloseReason::AccessEnded);
                return;
            }
            Ok(Some(_)) => {
                info!("closing a connection whose access changed");
                control.close(CloseReason::AccessChanged);
                return;
            }
            Err(err) => warn!(error = %err, "could not recheck a connection's access"),
        }
    }
}

/// `period` give or take half: connections that opened together (a room after a
/// restart) spread their rechecks instead of querying the database all at once.
fn jittered(period: Duration) -> Duration {
    period.mul_f64(0.5 + rand::random::<f64>())
}
