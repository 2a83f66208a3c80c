//! Secrets: passwords (argon2id) and the random bearer secrets behind sessions,
//! invitations and access tokens (stored only as their SHA-256).

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Shortest password accepted (NCSC and NIST advise length over composition rules),
/// counted as people see it: see [`as_counted`].
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted, so hashing stays bounded.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// zxcvbn's estimate from which a password is accepted: "safely unguessable", more
/// than about 10^8 guesses (its authors call anything less too weak).
const MIN_STRENGTH: zxcvbn::Score = zxcvbn::Score::Three;
/// zxcvbn's cost grows fast with length; what follows this many characters only adds
/// strength, so it need not be scored.
const SCORED_CHARS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error(
        "the password must be at least {MIN_PASSWORD_CHARS} characters long (white space in a row counts once, invisible characters not at all)"
    )]
    TooShort,
    #[error("the password must be at most {MAX_PASSWORD_BYTES} bytes long")]
    TooLong,
    #[error("the password is too easy to guess{0}; try a few uncommon words together")]
    TooEasy(String),
    #[error("could not hash the password: {0}")]
    Hash(String),
}

/// A password as it counts for length and strength: NFKC-normalised (so look-alike
/// forms count as what they look like), invisible format and control characters (zero-
/// width spaces and joiners, byte order marks, ...) dropped, and each run of white
/// space one space, none at the ends.
pub fn as_counted(password: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    let visible: String = password
        .nfkc()
        .filter(|c| {
            !matches!(
                c.general_category(),
                GeneralCategory::Format | GeneralCategory::Control
            )
        })
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks a new password against the rules people are told about: long enough as
/// counted, not too long to hash, and not among the passwords and patterns guessers
/// try first (zxcvbn: common passwords, words, names, keyboard runs, sequences, dates).
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordError::TooLong);
    }
    let counted = as_counted(password);
    if counted.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    let scored: String = counted.chars().take(SCORED_CHARS).collect();
    let estimate = zxcvbn::zxcvbn(&scored, &[]);
    if estimate.score() < MIN_STRENGTH {
        let why = estimate
            .feedback()
            .and_then(|feedback| feedback.warning())
            .map(|warning| {
                format!(
                    " ({})",
                    warning.to_string().trim_end_matches('.').to_lowercase()
                )
            })
            .unwrap_or_default();
        return Err(PasswordError::TooEasy(why));
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

/// What the audit trail keeps of an identifier no account has. People sometimes type
/// their password into the email field, and the trail is append-only: so only an
/// email's first character and its domain are kept (`k***@example.org`), and anything
/// that is not shaped like an email is not kept at all.
pub fn masked_identifier(given: &str) -> String {
    let given = given.trim();
    let shaped_like_email = given.len() <= 254 && !given.chars().any(char::is_whitespace);
    match given.split_once('@') {
        Some((local, domain))
            if shaped_like_email
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.') =>
        {
            match local.chars().next() {
                Some(first) => format!("{}***@{}", first.to_lowercase(), domain.to_lowercase()),
                None => "(not an email address)".to_string(),
            }
        }
        _ => "(not an email address)".to_string(),
    }
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
    fn length_counts_what_people_see() {
        for padded in [
            " ".repeat(10),
            "\u{200B}".repeat(10),
            "\u{FEFF}\u{200D}\u{2060}".repeat(4),
            format!("ab{}cd", " ".repeat(20)),
            "\t\n\r ".repeat(5),
        ] {
            assert!(
                matches!(check_new_password(&padded), Err(PasswordError::TooShort)),
                "{padded:?}"
            );
        }
        assert_eq!(as_counted("  ａｂｃ\u{200B}  d  "), "abc d");
    }

    #[test]
    fn common_passwords_are_refused() {
        for weak in [
            "password12",
            "1234567890",
            "qwertyuiop",
            "Password123",
            "iloveyou12",
            "aaaaaaaaaaaa",
            "abcdefghijkl",
            "football2024",
        ] {
            assert!(
                matches!(check_new_password(weak), Err(PasswordError::TooEasy(_))),
                "{weak} was accepted"
            );
        }
        let message = check_new_password("password12")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.starts_with("the password is too easy to guess"),
            "{message}"
        );
    }

    #[test]
    fn the_passwords_in_the_tests_and_docs_pass() {
        for good in [
            "correct horse battery staple",
            "a memorable passphrase",
            "a new and longer passphrase",
            "a long enough password",
            "another long password",
            "the very first password",
            "a brand new password",
            "a fresh new passphrase",
            "Sam Jones has a long password",
            "Alex Lead has a long password",
            "Rita Team has a long password",
            "Cary Case has a long password",
            "Bob Board has a long password",
            "Olive Observer has a long password",
            "Tess Temp has a long password",
            "Nina Outsider has a long password",
            "pat number 3 chose this passphrase",
        ] {
            assert!(
                check_new_password(good).is_ok(),
                "{good}: {:?}",
                check_new_password(good)
            );
        }
    }

    #[test]
    fn unknown_identifiers_are_masked() {
        assert_eq!(masked_identifier("Kim@Example.org"), "k***@example.org");
        assert_eq!(masked_identifier(" kim@example.org "), "k***@example.org");
        for not_an_email in [
            "hunter2 is my password",
            "correct-horse-battery",
            "p@ssw0rd",
            "@example.org",
            "a@b@example.org",
            "",
        ] {
            assert_eq!(
                masked_identifier(not_an_email),
                "(not an email address)",
                "{not_an_email}"
            );
        }
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
