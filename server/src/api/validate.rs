//! Checks of request input that several routes share: text lengths and role names.

use super::{ApiError, ApiResult};
use crate::access::Role;

/// The most a long text field (review questions, terms of reference) may hold, in bytes.
pub(super) const LONG_TEXT: usize = 20_000;
/// The most a short text field (a title, a name, a label) may hold, in bytes.
pub(super) const SHORT_TEXT: usize = 300;

/// Refuses `value` when it is longer than `max` bytes, naming `field`.
pub(super) fn check_len(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.len() > max {
        return Err(ApiError::bad_request(format!(
            "{field} takes up to {max} characters"
        )));
    }
    Ok(())
}

/// The role named `text`, or a refusal listing the roles there are.
pub(super) fn parse_role(text: &str) -> ApiResult<Role> {
    Role::parse(text).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown role {text:?}; use one of: {}",
            Role::ALL.map(Role::as_str).join(", ")
        ))
    })
}
