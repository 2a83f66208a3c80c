//! Password hashing and checking, bounded. Argon2id costs tens of milliseconds and
//! 19 MiB a time by design, so unbounded parallel calls would starve sign-in and fill
//! memory: about one runs per core, a few more may wait their turn, and past that the
//! caller is told to come back (503 with `Retry-After`).

use std::sync::Arc;

use prometheus_client::metrics::counter::Counter;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::access::secrets;

/// Why a password could not be hashed or checked.
#[derive(Debug, thiserror::Error)]
pub enum PasswordWorkError {
    /// Too many callers already: come back in this many seconds.
    #[error("too many password checks at once; try again in {0} s")]
    Busy(u64),
    /// The new password is not acceptable (too short, too guessable, ...).
    #[error("{0}")]
    Rejected(String),
    #[error("password work failed: {0}")]
    Internal(String),
}

type WorkResult<T> = Result<T, PasswordWorkError>;

/// How many callers may wait for each running check before more are turned away.
const WAITING_PER_RUNNING: usize = 3;

/// The gate every password hash and check goes through.
#[derive(Debug)]
pub struct PasswordWork {
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
    /// Counts every hash or check run (`board_password_checks_total`).
    checks: Counter,
    /// Counts callers turned away (`board_password_checks_busy_total`).
    busy: Counter,
}

/// A caller let in to hash or check one password; dropping it lets the next one in.
#[derive(Debug)]
pub struct Admission {
    admitted: OwnedSemaphorePermit,
    running: Arc<Semaphore>,
    checks: Counter,
}

impl PasswordWork {
    /// `parallel` checks at once (at least one), counted in `checks` and `busy`.
    pub fn new(parallel: usize, checks: Counter, busy: Counter) -> Self {
        let parallel = parallel.max(1);
        Self {
            admitted: Arc::new(Semaphore::new(parallel * (1 + WAITING_PER_RUNNING))),
            running: Arc::new(Semaphore::new(parallel)),
            checks,
            busy,
        }
    }

    /// One check per core.
    pub fn for_this_machine(checks: Counter, busy: Counter) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores, checks, busy)
    }

    /// Lets a caller in, or refuses at once when too many are already in.
    pub fn admit(&self) -> WorkResult<Admission> {
        let admitted = self.admitted.clone().try_acquire_owned().map_err(|_| {
            self.busy.inc();
            PasswordWorkError::Busy(1)
        })?;
        Ok(Admission {
            admitted,
            running: self.running.clone(),
            checks: self.checks.clone(),
        })
    }
}

impl Admission {
    /// Runs `work` off the async threads when its turn comes. Both permits travel with
    /// the work, so a caller that goes away does not free a slot still in use.
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> WorkResult<T> {
        let running = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| PasswordWorkError::Internal(e.to_string()))?;
        let admitted = self.admitted;
        self.checks.inc();
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop((running, admitted));
            result
        })
        .await
        .map_err(|e| PasswordWorkError::Internal(e.to_string()))
    }

    /// Checks and hashes a new password.
    pub async fn hash(self, password: &str) -> WorkResult<String> {
        let password = password.to_string();
        self.run(move || secrets::hash_password(&password))
            .await?
            .map_err(|e| match e {
                secrets::PasswordError::Hash(e) => PasswordWorkError::Internal(e),
                other => PasswordWorkError::Rejected(other.to_string()),
            })
    }

    /// The same work as [`Admission::verify`], against no account: so a wrong email
    /// costs what a wrong password costs.
    pub async fn verify_decoy(self, password: &str) -> WorkResult<bool> {
        let password = password.to_string();
        self.run(move || secrets::verify_password(&password, secrets::decoy_hash()))
            .await
    }

    /// True when `password` matches the stored hash.
    pub async fn verify(self, password: &str, stored: &str) -> WorkResult<bool> {
        let (password, stored) = (password.to_string(), stored.to_string());
        self.run(move || secrets::verify_password(&password, &stored))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_past_the_waiting_room_are_turned_away() {
        let work = PasswordWork::new(1, Counter::default(), Counter::default());
        let held: Vec<Admission> = (0..1 + WAITING_PER_RUNNING)
            .map(|_| work.admit().expect("room for these"))
            .collect();
        assert!(matches!(work.admit(), Err(PasswordWorkError::Busy(_))));
        drop(held);
        assert!(work.admit().is_ok());
    }
}
