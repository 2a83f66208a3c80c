//! Secrets: passwords (argon2id) and the random bearer secrets behind sessions,
//! invitations and access tokens (stored only as their SHA-256).

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Shortest password accepted (NCSC and NIST advise length over composition rules).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted, so hashing stays bounded.
pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters long")]
    TooShort,
    #[error("the password must be at most {MAX_PASSWORD_BYTES} bytes long")]
    TooLong,
    #[error("could not hash the password: {0}")]
    Hash(String),
}

/// Checks a new password against the rules people are told about.
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordError::TooLong);
    }
    Ok(())
}

/// Hashes a password with argon2id (default parameters, random salt) into a PHC string.
/// CPU-heavy: call it off the async threads.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    check_new_password(password)?;
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| PasswordError::Hash(err.to_string()))
}

/// True when `password` matches the stored PHC string. A malformed stored hash never
/// matches. CPU-heavy: call it off the async threads.
pub fn verify_password(password: &str, stored: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        // Never matches, but costs what any other check costs: a quick answer would
        // tell which path was taken.
        argon2_matches(TOO_LONG, decoy_hash());
        return false;
    }
    argon2_matches(password, stored)
}

/// What is checked, against the decoy, in place of a password too long to hash.
const TOO_LONG: &str = "a password too long to check";

fn argon2_matches(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when there is no account, so a wrong email and a wrong
/// password take the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no account has this password")
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

/// A new bearer secret: 32 random bytes, hex (64 characters), with a prefix that says
/// what it is when it turns up in a log or a paste.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}_{}", hex(&bytes))
}

/// What is stored for a bearer secret.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A new random id (UUID v4).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").expect("hashes");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(matches!(
            hash_password("short"),
            Err(PasswordError::TooShort)
        ));
    }

    #[test]
    fn secrets_are_random_and_stored_as_hashes() {
        let a = new_secret("bt");
        let b = new_secret("bt");
        assert_ne!(a, b);
        assert!(a.starts_with("bt_") && a.len() == 3 + 64);
        assert_eq!(secret_hash(&a), secret_hash(&a));
        assert_ne!(secret_hash(&a), secret_hash(&b));
        assert_eq!(secret_hash(&a).len(), 64);
    }
}
