//! The codebook findings are coded with: the typology, factor levels and types,
//! recommendation types and effects, with their definitions, as versioned reference
//! data. One file (`web/src/board/codebook.json`) is read by the web app, which copies
//! it into each board, and by the server, which codes the library with it.

use std::{collections::BTreeMap, sync::LazyLock};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const SOURCE: &str = include_str!("../../../web/src/board/codebook.json");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Code {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub order: i64,
}

/// The codebook of one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Codebook {
    pub version: String,
    pub typology: BTreeMap<String, Code>,
    pub factor_levels: BTreeMap<String, Code>,
    pub factor_types: BTreeMap<String, Code>,
    pub recommendation_types: BTreeMap<String, Code>,
    /// Where the board is with a recommendation: proposed, accepted, not accepted, in
    /// progress, done.
    pub recommendation_statuses: BTreeMap<String, Code>,
    pub effects: BTreeMap<String, Code>,
}

static CODEBOOK: LazyLock<Codebook> = LazyLock::new(|| {
    // The file is part of the build; a test reads it, so it always parses.
    serde_json::from_str(SOURCE).unwrap_or_else(|e| panic!("codebook.json: {e}"))
});

pub fn codebook() -> &'static Codebook {
    &CODEBOOK
}

impl Codebook {
    /// The codes of one facet of the library, if it is coded from the codebook.
    pub fn facet(&self, facet: &str) -> Option<&BTreeMap<String, Code>> {
        match facet {
            "category" => Some(&self.typology),
            "effect" => Some(&self.effects),
            "level" => Some(&self.factor_levels),
            "factor_type" => Some(&self.factor_types),
            "recommendation_type" => Some(&self.recommendation_types),
            "recommendation_status" => Some(&self.recommendation_statuses),
            _ => None,
        }
    }

    /// `code` if the codebook has it in `facet`, else empty: a code nobody can look up
    /// (or a hostile client's text) never reaches the library.
    pub fn known(&self, facet: &str, code: &str) -> String {
        self.facet(facet)
            .filter(|codes| codes.contains_key(code))
            .map(|_| code.to_string())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codebook_reads_and_holds_the_model() {
        let book = codebook();
        assert_eq!(book.typology.len(), 6);
        assert_eq!(book.factor_levels.len(), 3);
        assert_eq!(book.recommendation_types.len(), 3);
        assert_eq!(book.recommendation_statuses.len(), 5);
        assert_eq!(book.effects.len(), 2);
        assert!(book.version.starts_with("scie-learning-together/"));
        assert_eq!(
            book.known("category", "human_tool_operation"),
            "human_tool_operation"
        );
        assert_eq!(book.known("category", "Jane Smith"), "");
        assert_eq!(book.known("agency", "police"), "");
    }
}
