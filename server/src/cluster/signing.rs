//! What a forwarding node tells an owner about a connection, signed with the cluster's
//! secret (HMAC-SHA256): who the caller is and what they may do with the document. The
//! forwarding node checked the caller's credentials; the owner trusts only a signature
//! made with the secret, for itself (its node id), over this document, made recently.

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::{
    access::{Author, DocumentAccess},
    clock::now_ms,
};

/// How far a signature's time may be from the owner's clock.
const FRESH_MS: i64 = 30_000;

/// Who a forwarded connection is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardedCaller {
    pub kind: String,
    pub id: String,
    pub name: String,
    pub agency: String,
    pub access: DocumentAccess,
}

impl ForwardedCaller {
    pub fn new(author: &Author, access: DocumentAccess) -> Self {
        Self {
            kind: author.kind.to_string(),
            id: author.id.clone(),
            name: author.name.clone(),
            agency: author.agency.clone(),
            access,
        }
    }

    /// The audit trail's name for the caller (an unknown kind reads as a token's).
    pub fn author(&self) -> Author {
        let kind = match self.kind.as_str() {
            "user" => "user",
            "system" => "system",
            _ => "token",
        };
        Author {
            kind,
            id: self.id.clone(),
            name: self.name.clone(),
            agency: self.agency.clone(),
        }
    }
}

/// The signed statement, as it travels in the internal handshake's headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The forwarding node's id (for logs).
    pub node: String,
    pub time_ms: i64,
    /// Random, so that every signature is new (see [`Used`]).
    pub nonce: String,
    /// The caller as hex-encoded JSON (headers carry ASCII only).
    pub caller: String,
    pub signature: String,
}

impl Signed {
    pub const NODE_HEADER: &'static str = "x-board-node";
    pub const TIME_HEADER: &'static str = "x-board-time";
    pub const NONCE_HEADER: &'static str = "x-board-nonce";
    pub const CALLER_HEADER: &'static str = "x-board-caller";
    pub const SIGNATURE_HEADER: &'static str = "x-board-signature";
}

/// Why a forwarded connection was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature does not match")]
    Mismatch,
    #[error("the signature is too old or from the future")]
    Stale,
    #[error("the caller could not be read")]
    Malformed,
    #[error("the signature was used before")]
    Replayed,
}

/// Signatures already accepted, kept while they are fresh: each opens one connection
/// only, so a handshake seen on the wire cannot be replayed.
#[derive(Default)]
pub(super) struct Used {
    /// By signature, when it stops being fresh (ms).
    seen: std::collections::HashMap<String, i64>,
}

impl Used {
    /// False if `signed` was used before; otherwise remembers it.
    pub(super) fn first_use(&mut self, signed: &Signed) -> bool {
        let now = now_ms();
        self.seen.retain(|_, until| *until >= now);
        self.seen
            .insert(signed.signature.clone(), signed.time_ms + FRESH_MS)
            .is_none()
    }
}

/// Signs, with the cluster's `secret`, what node `from` tells node `to` about a
/// connection to `document` (what [`Cluster::sign`](super::Cluster::sign) does, for
/// tools and tests that hold the secret).
pub fn sign_with_secret(
    secret: &str,
    from: &str,
    to: &str,
    document: &str,
    caller: &ForwardedCaller,
) -> Signed {
    Key::new(secret.as_bytes()).sign(from, to, document, caller)
}

pub(super) struct Key(Vec<u8>);

impl Key {
    pub(super) fn new(secret: &[u8]) -> Self {
        Self(secret.to_vec())
    }

    fn mac(
        &self,
        target: &str,
        document: &str,
        time_ms: i64,
        nonce: &str,
        caller: &str,
    ) -> Hmac<Sha256> {
        // A key of any length is accepted by HMAC.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        let time = time_ms.to_string();
        for part in ["board-forward-v1", target, document, &time, nonce, caller] {
            mac.update(part.as_bytes());
            mac.update(b"\n");
        }
        mac
    }

    pub(super) fn sign(
        &self,
        node: &str,
        target: &str,
        document: &str,
        caller: &ForwardedCaller,
    ) -> Signed {
        let json = serde_json::to_vec(caller).unwrap_or_default();
        let caller = hex(&json);
        let time_ms = now_ms();
        let nonce = hex(&rand::random::<[u8; 16]>());
        let signature = hex(&self
            .mac(target, document, time_ms, &nonce, &caller)
            .finalize()
            .into_bytes());
        Signed {
            node: node.to_string(),
            time_ms,
            nonce,
            caller,
            signature,
        }
    }

    pub(super) fn verify(
        &self,
        me: &str,
        document: &str,
        signed: &Signed,
    ) -> Result<ForwardedCaller, SignatureError> {
        let signature = unhex(&signed.signature).ok_or(SignatureError::Mismatch)?;
        self.mac(me, document, signed.time_ms, &signed.nonce, &signed.caller)
            .verify_slice(&signature)
            .map_err(|_| SignatureError::Mismatch)?;
        if (now_ms() - signed.time_ms).abs() > FRESH_MS {
            return Err(SignatureError::Stale);
        }
        let json = unhex(&signed.caller).ok_or(SignatureError::Malformed)?;
        serde_json::from_slice(&json).map_err(|_| SignatureError::Malformed)
    }
}

pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller() -> ForwardedCaller {
        ForwardedCaller {
            kind: "user".into(),
            id: "u1".into(),
            name: "Zoë Ng".into(),
            agency: "Health".into(),
            access: DocumentAccess::Read,
        }
    }

    #[test]
    fn a_signature_holds_only_for_its_document_caller_and_secret() {
        let key = Key::new(b"secret");
        let signed = key.sign("n1", "owner", "review/r1/board", &caller());
        assert_eq!(
            key.verify("owner", "review/r1/board", &signed),
            Ok(caller())
        );
        assert_eq!(
            key.verify("owner", "review/r2/board", &signed),
            Err(SignatureError::Mismatch)
        );
        // Made for one node, it is refused by any other (no replay elsewhere).
        assert_eq!(
            key.verify("another", "review/r1/board", &signed),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            Key::new(b"other").verify("owner", "review/r1/board", &signed),
            Err(SignatureError::Mismatch)
        );
        // Raising one's own access breaks the signature.
        let mut forged = caller();
        forged.access = DocumentAccess::Edit;
        let mut tampered = signed.clone();
        tampered.caller = hex(&serde_json::to_vec(&forged).unwrap_or_default());
        assert_eq!(
            key.verify("owner", "review/r1/board", &tampered),
            Err(SignatureError::Mismatch)
        );
        let mut garbage = signed.clone();
        garbage.signature = "zz".into();
        assert_eq!(
            key.verify("owner", "review/r1/board", &garbage),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_signature_opens_one_connection_only() {
        let key = Key::new(b"secret");
        let signed = key.sign("n1", "owner", "d", &caller());
        let mut used = Used::default();
        assert!(used.first_use(&signed));
        assert!(!used.first_use(&signed));
        // Another connection of the same caller at the same moment is another signature.
        let next = key.sign("n1", "owner", "d", &caller());
        assert!(used.first_use(&next));
    }

    #[test]
    fn an_old_signature_is_refused() {
        let key = Key::new(b"secret");
        let caller = hex(&serde_json::to_vec(&caller()).unwrap_or_default());
        let time_ms = now_ms() - 10 * FRESH_MS;
        let signature = hex(&key
            .mac("owner", "d", time_ms, "n", &caller)
            .finalize()
            .into_bytes());
        let old = Signed {
            node: "n1".into(),
            time_ms,
            nonce: "n".into(),
            caller,
            signature,
        };
        assert_eq!(key.verify("owner", "d", &old), Err(SignatureError::Stale));
    }
}
