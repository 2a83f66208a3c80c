//! Document names: what may follow `/sync/` in a websocket URL.

use std::{fmt, sync::Arc};

/// Longest accepted document name, in bytes.
pub const MAX_NAME_LEN: usize = 200;

/// A validated document name: one or more `/`-separated segments of ASCII letters,
/// digits, `.`, `_` and `-`. Segments `.` and `..` are refused so a name can never be
/// mistaken for a path.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentName(Arc<str>);

/// Why a document name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidDocumentName {
    #[error("the document name is empty")]
    Empty,
    #[error("the document name is longer than {MAX_NAME_LEN} bytes")]
    TooLong,
    #[error("the document name has an empty segment")]
    EmptySegment,
    #[error("the document name has a '.' or '..' segment")]
    DotSegment,
    #[error("the document name may only hold letters, digits, '.', '_', '-' and '/'")]
    BadCharacter,
}

impl DocumentName {
    pub fn parse(name: &str) -> Result<Self, InvalidDocumentName> {
        if name.is_empty() {
            return Err(InvalidDocumentName::Empty);
        }
        if name.len() > MAX_NAME_LEN {
            return Err(InvalidDocumentName::TooLong);
        }
        for segment in name.split('/') {
            if segment.is_empty() {
                return Err(InvalidDocumentName::EmptySegment);
            }
            if segment == "." || segment == ".." {
                return Err(InvalidDocumentName::DotSegment);
            }
            if !segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            {
                return Err(InvalidDocumentName::BadCharacter);
            }
        }
        Ok(Self(name.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as a shared string, for keys that outlive a borrow.
    pub fn as_arc(&self) -> Arc<str> {
        self.0.clone()
    }
}

impl fmt::Display for DocumentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DocumentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &*self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_alphabet() {
        for ok in ["board", "review-12/board", "a.b_c-d/E/9", "x"] {
            assert!(DocumentName::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_everything_else() {
        use InvalidDocumentName::*;
        let long = "a".repeat(MAX_NAME_LEN + 1);
        for (bad, why) in [
            ("", Empty),
            ("/board", EmptySegment),
            ("board/", EmptySegment),
            ("a//b", EmptySegment),
            ("a/../b", DotSegment),
            (".", DotSegment),
            ("a b", BadCharacter),
            ("a%2Fb", BadCharacter),
            ("ré", BadCharacter),
            ("a\0", BadCharacter),
            (long.as_str(), TooLong),
        ] {
            assert_eq!(DocumentName::parse(bad), Err(why), "{bad:?}");
        }
    }
}
