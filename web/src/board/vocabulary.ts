// Reference vocabularies of the Learning Together model, as versioned data: the
// codebook (codebook.json), which the server reads too, so findings coded on a board
// and findings in the library use one set of codes.
//
// A board copies the vocabulary it was created with into its own document
// (see docs/board-schema.md), so a board keeps its labels when a later version
// renames a category, and a board can add its own themes.

import codebook from './codebook.json'

export const VOCABULARY_VERSION: string = codebook.version

export interface VocabularyEntry {
  label: string
  description?: string
  /** Short label used in published reports, where one exists. */
  shortLabel?: string
  order: number
}

export type Vocabulary = Record<string, VocabularyEntry>

/** SCIE's six-part typology of underlying patterns of systemic influence on practice. */
export const TYPOLOGY: Vocabulary = codebook.typology

/** Where in the system a contributory factor originates. */
export const FACTOR_LEVELS: Vocabulary = codebook.factorLevels

/** Factor types of the contributory-factors framework (Appendix 5). */
export const FACTOR_TYPES: Vocabulary = codebook.factorTypes

/** The three types of recommendation for action. */
export const RECOMMENDATION_TYPES: Vocabulary = codebook.recommendationTypes

/**
 * Whether a finding's pattern supports good practice or makes problematic practice
 * more likely (the pilots found both). Not copied into boards: a finding stores the code.
 */
export const EFFECTS: Vocabulary = codebook.effects
/** Where the board is with a recommendation (the library's facet). */
export const RECOMMENDATION_STATUSES: Vocabulary = codebook.recommendationStatuses

/** Every vocabulary a board carries, by its key in the board's `vocabulary` map. */
export const VOCABULARIES = {
  typology: TYPOLOGY,
  factorLevels: FACTOR_LEVELS,
  factorTypes: FACTOR_TYPES,
  recommendationTypes: RECOMMENDATION_TYPES,
} as const

export type VocabularyName = keyof typeof VOCABULARIES
