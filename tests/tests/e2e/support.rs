//! Shared test helpers.

#[allow(unused_imports)]
pub use board_tests::{Backend, RawClient, TestDb, TestServer, YClient, eventually, poll_until};

/// Generates a `_sqlite` and a `_postgres` test from one async test body
/// `async fn name(backend: Backend) -> anyhow::Result<()>`.
macro_rules! both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() -> anyhow::Result<()> {
                    super::$name($crate::support::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() -> anyhow::Result<()> {
                    super::$name($crate::support::Backend::Postgres).await
                }
            }
        )*
    };
}
pub(crate) use both_databases;

/// A server with its own fresh database.
pub async fn server(backend: Backend, args: &[&str]) -> anyhow::Result<(TestDb, TestServer)> {
    let db = TestDb::new(backend).await?;
    let server = TestServer::start_with(&db, args).await?;
    Ok((db, server))
}
