//! Agencies' chronologies: each agency's factual record of its involvement, imported
//! from the files agencies send, merged in time order for the review team to select
//! and interpret (SCIE: agencies provide the facts; the review team interprets them
//! together). Entries are kept as imported; a correction is a new version.
//!
//! Pure logic: reading files ([`read`]), their dates ([`dates`]), mapping columns to
//! entries ([`rows`]), and who may see what. The directory stores them.

pub mod dates;
pub mod read;
mod records;
pub mod rows;

pub use records::*;

use crate::access::Role;

/// What two agency names are compared by: letters and digits only, in lower case
/// ("Children's social care" and "childrens  Social-Care" are one agency), as the
/// board compares them (web/src/board/agencies.ts).
pub fn agency_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower: String = name
        .nfkc()
        .collect::<String>()
        .to_lowercase()
        .replace(['’', '\''], "");
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which entries a role reads: the review team and leads all of them, the case group
/// only its own agency's, nobody else any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    All,
    Agency(String),
    None,
}

impl Reach {
    pub fn of(role: Role, agency: &str) -> Reach {
        match role {
            Role::LeadReviewer | Role::ReviewTeamMember => Reach::All,
            Role::CaseGroupMember if !agency_key(agency).is_empty() => {
                Reach::Agency(agency_key(agency))
            }
            _ => Reach::None,
        }
    }

    pub fn sees(&self, agency: &str) -> bool {
        match self {
            Reach::All => true,
            Reach::Agency(key) => agency_key(agency) == *key,
            Reach::None => false,
        }
    }
}

/// Who may import files, correct entries and mark discrepancies: leads import; the
/// review team and leads correct and mark.
pub fn may_import(role: Role) -> bool {
    role.leads()
}

pub fn may_interpret(role: Role) -> bool {
    matches!(role, Role::LeadReviewer | Role::ReviewTeamMember)
}

/// The order entries are merged in: date (a month before its days), time, agency,
/// then the row they came from.
pub fn sort_key(date: &str, time: &str) -> String {
    format!("{date:<10}|{time:<5}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agencies_match_ignoring_case_spaces_and_punctuation() {
        assert_eq!(
            agency_key("Children’s  Social-Care"),
            "childrens social care"
        );
        assert_eq!(
            agency_key("children's social care"),
            "childrens social care"
        );
        assert!(Reach::of(Role::CaseGroupMember, "Health visiting").sees("health Visiting "));
        assert!(!Reach::of(Role::CaseGroupMember, "Health visiting").sees("Police"));
        assert!(!Reach::of(Role::CaseGroupMember, "").sees(""));
        assert!(!Reach::of(Role::BoardMember, "Police").sees("Police"));
        assert!(Reach::of(Role::ReviewTeamMember, "Police").sees("Health visiting"));
    }

    #[test]
    fn a_month_sorts_before_its_days_and_a_day_before_its_times() {
        let mut keys = vec![
            sort_key("2025-07-02", "14:30"),
            sort_key("2025-07-02", ""),
            sort_key("2025-07", ""),
            sort_key("2025-06-30", "09:00"),
            sort_key("2025", ""),
        ];
        keys.sort();
        assert_eq!(
            keys,
            vec![
                sort_key("2025", ""),
                sort_key("2025-06-30", "09:00"),
                sort_key("2025-07", ""),
                sort_key("2025-07-02", ""),
                sort_key("2025-07-02", "14:30"),
            ]
        );
    }
}
