//! Finds what looks like a personal name or identifying detail that nobody registered:
//! capitalised words and runs of them that are not an English word (the Wordnik word
//! list) or that are a known first name or surname (the English and Welsh name lists of
//! the `fake` crate), unless they are in the review's safe vocabulary; street names;
//! dates of birth; UK postcodes, phone numbers and NHS numbers (with their check digit).
//! It is a net for the lead's review, not a judgement: it reports, the lead registers
//! or marks safe.

use std::{collections::HashSet, sync::LazyLock};

use fake::locales::{CY_GB, Data, EN};
use regex::Regex;

use super::fold::{fold, key};

/// What a detected text looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Name,
    Address,
    DateOfBirth,
    Postcode,
    Phone,
    NhsNumber,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::Address => "address",
            Kind::DateOfBirth => "date_of_birth",
            Kind::Postcode => "postcode",
            Kind::Phone => "phone",
            Kind::NhsNumber => "nhs_number",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub kind: Kind,
    pub text: String,
}

/// Months, days and holidays: capitalised, some of them names too, but not people.
const CALENDAR: [&str; 21] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "christmas",
    "easter",
];

/// The last word of a street's name.
const STREET: [&str; 24] = [
    "road", "rd", "street", "st", "avenue", "ave", "lane", "close", "drive", "way", "crescent",
    "court", "place", "gardens", "grove", "terrace", "hill", "square", "mews", "row", "walk",
    "rise", "parade", "estate",
];

/// First names and surnames, folded: "Jane" and "Smith" are English words too, but
/// capitalised in the middle of a sentence they are most likely a person.
static NAMES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    EN::NAME_FIRST_NAME
        .iter()
        .chain(EN::NAME_LAST_NAME)
        .chain(CY_GB::NAME_FIRST_NAME)
        .chain(CY_GB::NAME_LAST_NAME)
        .map(|name| key(name))
        .collect()
});

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{L}+(?:['-]\p{L}+)*").expect("a valid pattern"));

const MONTH: &str = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?";

static BIRTH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:born|d\.?o\.?b\.?|date of birth|birthday)\b[\s:,-]*(?:(?:was|is|on)\s+)*(\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
    ))
    .expect("a valid pattern")
});

static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b").expect("a valid pattern")
});

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+44 ?(?:\(0\) ?)?|\b0)\d(?:[ -]?\d){8,9}\b").expect("a valid pattern")
});

static NHS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b").expect("a valid pattern"));

/// An NHS number's last digit is its modulus 11 check digit.
pub fn valid_nhs_number(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| d * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        n => n,
    };
    check == digits[9]
}

/// The words and phrases not to report: the review's safe terms and vocabulary.
pub struct Detector {
    safe_words: HashSet<String>,
    safe_phrases: HashSet<String>,
}

impl Detector {
    /// `safe` are the terms the lead marked safe, the board's vocabulary and the
    /// pseudonyms; `registered` are the register's terms (reported by the check on
    /// their own when they remain).
    pub fn new<'a>(
        safe: impl IntoIterator<Item = &'a str>,
        registered: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut safe_words: HashSet<String> = CALENDAR.iter().map(|w| w.to_string()).collect();
        let mut safe_phrases = HashSet::new();
        for term in safe {
            let term = key(term);
            safe_words.extend(WORD.find_iter(&term).map(|w| w.as_str().to_string()));
            safe_phrases.insert(term);
        }
        safe_phrases.extend(registered.into_iter().map(key));
        Self {
            safe_words,
            safe_phrases,
        }
    }

    /// Whether `word` is an ordinary word here: in the safe vocabulary or the word
    /// list, an initial ("Child A") or a short acronym (GP, NHS, CAMHS).
    fn known(&self, word: &str) -> bool {
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters <= 1 || (letters <= 5 && !word.chars().any(char::is_lowercase)) {
            return true;
        }
        let stem = stem(word);
        self.safe_words.contains(&stem)
            || stem
                .split('-')
                .all(|part| self.safe_words.contains(part) || wordnik_list::word_exists(part))
    }

    /// Whether `word` is a first name or surname the review has not marked safe.
    fn person(&self, word: &str) -> bool {
        let stem = stem(word);
        !self.safe_words.contains(&stem)
            && stem
                .split('-')
                .any(|part| NAMES.contains(part) && !self.safe_words.contains(part))
    }

    /// Everything in `text` that looks identifying.
    pub fn find(&self, text: &str) -> Vec<Detected> {
        let text = fold(text, false).text;
        let mut found = self.names(&text);
        for caps in BIRTH_DATE.captures_iter(&text) {
            if let Some(date) = caps.get(1) {
                found.push(Detected {
                    kind: Kind::DateOfBirth,
                    text: date.as_str().to_string(),
                });
            }
        }
        for m in POSTCODE.find_iter(&text) {
            // A postcode has a digit and letters in its first half (not "12 3AB").
            if m.as_str().chars().next().is_some_and(char::is_alphabetic) {
                found.push(Detected {
                    kind: Kind::Postcode,
                    text: m.as_str().to_uppercase(),
                });
            }
        }
        let mut numbers = Vec::new();
        for m in NHS.find_iter(&text) {
            if valid_nhs_number(m.as_str()) {
                numbers.push(m.range());
                found.push(Detected {
                    kind: Kind::NhsNumber,
                    text: m.as_str().to_string(),
                });
            }
        }
        for m in PHONE.find_iter(&text) {
            let overlaps = numbers
                .iter()
                .any(|r| r.start < m.end() && m.start() < r.end);
            if !overlaps {
                found.push(Detected {
                    kind: Kind::Phone,
                    text: m.as_str().to_string(),
                });
            }
        }
        found.retain(|d| !self.safe_phrases.contains(&key(&d.text)));
        found
    }

    /// Runs of capitalised words, each judged as a whole.
    fn names(&self, text: &str) -> Vec<Detected> {
        let mut found = Vec::new();
        let mut run: Vec<(usize, usize)> = Vec::new();
        let mut flush = |run: &mut Vec<(usize, usize)>| {
            if let Some(d) = self.judge(text, run) {
                found.push(d);
            }
            run.clear();
        };
        for word in WORD.find_iter(text) {
            let capitalised = word.as_str().chars().next().is_some_and(char::is_uppercase);
            let joined = run
                .last()
                .is_some_and(|&(_, end)| &text[end..word.start()] == " ");
            if !capitalised || !joined {
                flush(&mut run);
            }
            if capitalised {
                run.push((word.start(), word.end()));
            }
        }
        flush(&mut run);
        found
    }

    fn judge(&self, text: &str, run: &[(usize, usize)]) -> Option<Detected> {
        let mut words: Vec<&str> = run.iter().map(|&(s, e)| &text[s..e]).collect();
        let first = run.first()?;
        // A sentence's first word is capitalised anyway: it counts when no list knows
        // it, or when it is a name followed by more ("Jane Smith said").
        if sentence_start(&text[..first.0])
            && self.known(words[0])
            && !(words.len() >= 2 && self.person(words[0]))
        {
            words.remove(0);
        }
        if words.is_empty() {
            return None;
        }
        let joined = words.join(" ");
        // "Darren Pryce's" is reported (and best registered) as "Darren Pryce".
        let phrase = joined.strip_suffix("'s").unwrap_or(&joined).to_string();
        if self.safe_phrases.contains(&key(&phrase)) {
            return None;
        }
        let last = words[words.len() - 1].to_lowercase();
        let kind = if words.len() >= 2 && STREET.contains(&last.as_str()) {
            Kind::Address
        } else if words.iter().all(|w| self.known(w) && !self.person(w)) {
            return None;
        } else {
            Kind::Name
        };
        Some(Detected { kind, text: phrase })
    }
}

/// A word folded for look-up, without a possessive ending.
fn stem(word: &str) -> String {
    let lower = key(word);
    lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix('\''))
        .unwrap_or(&lower)
        .to_string()
}

/// Whether a word after `before` starts a sentence, a heading or a list item.
fn sentence_start(before: &str) -> bool {
    let before = before.trim_end_matches(|c: char| c.is_whitespace() || "\"'([".contains(c));
    before
        .chars()
        .last()
        .is_none_or(|c| ".!?:;\u{2022}-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(detector: &Detector, text: &str) -> Vec<(Kind, String)> {
        detector
            .find(text)
            .into_iter()
            .map(|d| (d.kind, d.text))
            .collect()
    }

    fn plain() -> Detector {
        Detector::new(["Mother", "Child A"], ["Jane Smith"])
    }

    #[test]
    fn an_unregistered_full_name_is_found_mid_sentence_and_at_a_start() {
        let d = plain();
        assert_eq!(
            kinds(&d, "The health visitor met Darren Pryce at home."),
            vec![(Kind::Name, "Darren Pryce".into())]
        );
        assert_eq!(
            kinds(&d, "Darren Pryce was not asked."),
            vec![(Kind::Name, "Darren Pryce".into())]
        );
        // A possessive, a name written with a typographic apostrophe.
        assert_eq!(
            kinds(&d, "They spoke to Mr O\u{2019}Sullivan\u{2019}s sister."),
            vec![(Kind::Name, "Mr O'Sullivan".into())]
        );
    }

    #[test]
    fn a_name_that_is_also_an_english_word_is_found() {
        let d = plain();
        assert_eq!(
            kinds(&d, "The school told Mark Jones and Sean Hart."),
            vec![
                (Kind::Name, "Mark Jones".into()),
                (Kind::Name, "Sean Hart".into())
            ]
        );
        assert_eq!(
            kinds(&d, "Karen Smith said so."),
            vec![(Kind::Name, "Karen Smith".into())]
        );
        // Not a name: a sentence starting with one, a month.
        assert_eq!(kinds(&d, "Will the board act in May?"), vec![]);
    }

    #[test]
    fn ordinary_words_pseudonyms_and_safe_terms_are_not_reported() {
        let d = Detector::new(["Mother", "Child A", "Ridgeway Academy"], ["Jane Smith"]);
        for text in [
            "Police were not invited to the Strategy Discussion.",
            "Mother took Child A to the GP in March.",
            "Children's Social Care and CAMHS met on Monday 3 June.",
            "The school (Ridgeway Academy) raised it.",
            "Health visit, March",
        ] {
            assert_eq!(kinds(&d, text), vec![], "{text}");
        }
        // A registered term that remains is the check's own finding, not a new one.
        assert_eq!(kinds(&d, "She saw Jane Smith."), vec![]);
    }

    #[test]
    fn streets_dates_of_birth_postcodes_and_phone_numbers_are_found() {
        let d = plain();
        assert_eq!(
            kinds(&d, "The family moved to 14 Oak Road in the spring."),
            vec![(Kind::Address, "Oak Road".into())]
        );
        assert_eq!(
            kinds(&d, "Child A (DOB 12/03/2015) was seen."),
            vec![(Kind::DateOfBirth, "12/03/2015".into())]
        );
        assert_eq!(
            kinds(&d, "she was born on 4th May 2016 in hospital"),
            vec![(Kind::DateOfBirth, "4th May 2016".into())]
        );
        assert_eq!(
            kinds(&d, "a visit on 2024-03-12 went ahead"),
            vec![],
            "a date that is not a date of birth"
        );
        assert_eq!(
            kinds(&d, "at the house, postcode sw1a 1aa, and at LS6 2QT"),
            vec![
                (Kind::Postcode, "SW1A 1AA".into()),
                (Kind::Postcode, "LS6 2QT".into())
            ]
        );
        assert_eq!(
            kinds(&d, "call 07700 900123 or +44 20 7946 0018 or 0113 496 0000"),
            vec![
                (Kind::Phone, "07700 900123".into()),
                (Kind::Phone, "+44 20 7946 0018".into()),
                (Kind::Phone, "0113 496 0000".into())
            ]
        );
    }

    #[test]
    fn nhs_numbers_need_a_valid_check_digit() {
        assert!(valid_nhs_number("943 476 5919"));
        assert!(valid_nhs_number("4010232137"));
        assert!(!valid_nhs_number("943 476 5918"));
        assert!(!valid_nhs_number("123"));
        let d = plain();
        assert_eq!(
            kinds(&d, "NHS number 943-476-5919, not 943 476 5918."),
            vec![(Kind::NhsNumber, "943-476-5919".into())]
        );
    }
}
