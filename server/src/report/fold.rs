//! Folding text so that a name matches however it was typed: Unicode compatibility
//! forms (NFKD) without accents, one apostrophe, one quote and one dash for their
//! typographic variants, no soft hyphens, zero-width or control characters, and any
//! run of whitespace as one space. Each folded character remembers where it came from,
//! so a match found in the folded text is replaced in the original one.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// A text folded for matching, and for each byte of it the original byte range of the
/// piece (a character and its accents, or a run of whitespace) it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub text: String,
    origins: Vec<(usize, usize)>,
}

impl Folded {
    /// The original byte range of the folded range `start..end` (a match in `text`).
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || end > self.origins.len() {
            return (0, 0);
        }
        (self.origins[start].0, self.origins[end - 1].1)
    }
}

/// Characters that show nothing (or only a possible line-break hyphen) and so may sit
/// inside a name unseen: soft hyphen, zero-width spaces and joiners, word joiner, BOM,
/// Mongolian vowel separator, bidirectional marks and isolates.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    ) || (c.is_control() && !c.is_whitespace())
}

/// One character for each family of apostrophes, quotation marks and dashes.
fn plain(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{02BB}' | '\u{02B9}' | '\u{0060}' | '\u{00B4}' | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        c => c,
    }
}

/// Folds `text`; `lowercase` also folds case (for matching; the detector keeps case).
pub fn fold(text: &str, lowercase: bool) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        origins: Vec::with_capacity(text.len()),
    };
    let mut space: Option<(usize, usize)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        // A character with the combining marks after it (a decomposed accent).
        let mut end = start + c.len_utf8();
        while let Some(&(i, m)) = chars.peek() {
            if !is_combining_mark(m) {
                break;
            }
            end = i + m.len_utf8();
            chars.next();
        }
        for f in text[start..end].nfkd() {
            if is_combining_mark(f) || invisible(f) {
                continue;
            }
            if f.is_whitespace() {
                space = Some(space.map_or((start, end), |(s, _)| (s, end)));
                continue;
            }
            if let Some(run) = space.take() {
                out.push(' ', run);
            }
            let f = plain(f);
            if lowercase {
                for l in f.to_lowercase().filter(|l| !is_combining_mark(*l)) {
                    out.push(l, (start, end));
                }
            } else {
                out.push(f, (start, end));
            }
        }
    }
    if let Some(run) = space {
        out.push(' ', run);
    }
    out
}

impl Folded {
    fn push(&mut self, c: char, origin: (usize, usize)) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.origins.push(origin);
        }
    }
}

/// `text` folded for comparing terms: lowercase, trimmed.
pub fn key(text: &str) -> String {
    fold(text, true).text.trim().to_string()
}

/// Where `query` occurs in `text` however either was typed (case, accents, typographic
/// variants, spacing): byte ranges of `text`, in order, at most `limit`.
pub fn occurrences(text: &str, query: &str, limit: usize) -> Vec<(usize, usize)> {
    let wanted = key(query);
    if wanted.is_empty() {
        return Vec::new();
    }
    let folded = fold(text, true);
    let mut found = Vec::new();
    let mut from = 0;
    while found.len() < limit {
        let Some(at) = folded.text[from..].find(&wanted) else {
            break;
        };
        let start = from + at;
        let end = start + wanted.len();
        found.push(folded.original(start, end));
        from = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_are_found_however_typed_and_map_back() {
        let text = "Met J\u{00E9}r\u{00F4}me at 10; jerome  said no. JEROME again.";
        let found = occurrences(text, "Jerome", 10);
        let words: Vec<&str> = found.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(words, ["J\u{00E9}r\u{00F4}me", "jerome", "JEROME"]);
        assert_eq!(occurrences(text, "jerome", 1).len(), 1);
        assert!(occurrences(text, "  ", 10).is_empty());
        assert_eq!(occurrences("said no", "said  no", 10), [(0, 7)]);
    }

    #[test]
    fn every_disguise_folds_to_the_plain_name() {
        for disguised in [
            "Jane\u{00A0}Smith",
            "Jane  Smith",
            "Jane\nSmith",
            "Jane\r\n\tSmith",
            "Ja\u{00AD}ne Smith",
            "Jane Sm\u{200B}ith",
            "J\u{200D}ane\u{2060} Smith",
            "JANE SMITH",
            "\u{FF2A}ane Smith",
            "Jane\u{2003}Smith",
            "Jane\u{0007} Smith",
        ] {
            assert_eq!(key(disguised), "jane smith", "{disguised:?}");
        }
        assert_eq!(key("Zoe\u{0308}"), key("Zo\u{00EB}"));
        assert_eq!(key("Zo\u{00EB}"), "zoe");
        assert_eq!(key("O\u{2019}Brien"), "o'brien");
        assert_eq!(key("O\u{02BC}Brien"), key("O'Brien"));
        assert_eq!(key("Smith\u{2013}Jones"), "smith-jones");
        assert_eq!(key("Smith\u{2011}Jones"), "smith-jones");
    }

    #[test]
    fn folded_ranges_map_back_to_the_original() {
        let text = "Met Zoe\u{0308}  O\u{2019}Brien today";
        let folded = fold(text, true);
        let start = folded.text.find("zoe o'brien").unwrap_or_default();
        let (s, e) = folded.original(start, start + "zoe o'brien".len());
        assert_eq!(&text[s..e], "Zoe\u{0308}  O\u{2019}Brien");
    }
}
