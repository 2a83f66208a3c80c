//! The time format of every directory table and audit row.

/// Milliseconds since the Unix epoch, the time format of every directory table.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
