// Reference vocabularies of the Learning Together model, as versioned data.
//
// A board copies the vocabulary it was created with into its own document
// (see docs/board-schema.md), so a board keeps its labels when a later version
// renames a category, and a board can add its own themes.

export const VOCABULARY_VERSION = 'scie-learning-together/2008.1'

export interface VocabularyEntry {
  label: string
  description?: string
  /** Short label used in published reports, where one exists. */
  shortLabel?: string
  order: number
}

export type Vocabulary = Record<string, VocabularyEntry>

/** SCIE's six-part typology of underlying patterns of systemic influence on practice. */
export const TYPOLOGY: Vocabulary = {
  human_tool_operation: {
    label: 'Patterns in human–tool operation',
    shortLabel: 'Tools',
    description: 'How assessment forms, frameworks and the case-management cycle shape the work.',
    order: 1,
  },
  human_management_system_operation: {
    label: 'Patterns in human–management system operation',
    shortLabel: 'Management systems',
    description:
      'Resources against demand, access to expert assessments, competing priorities, supervision.',
    order: 2,
  },
  multi_agency_incidents_crises: {
    label:
      'Patterns in communication and collaboration in multi-agency working in response to incidents and crises',
    shortLabel: 'Multi-agency working in response to incidents and crises',
    description: 'Priorities, understanding of the task, reserve capacity, referral and feedback.',
    order: 3,
  },
  multi_agency_assessment_longer_term: {
    label:
      'Patterns in communication and collaboration in multi-agency working in assessment and longer-term work',
    shortLabel: 'Multi-agency working in longer-term work',
    description: 'Assessment as a process, roles and responsibilities, shared responsibility.',
    order: 4,
  },
  family_professional_interaction: {
    label: 'Patterns in family–professional interactions',
    shortLabel: 'Family–professional interaction',
    order: 5,
  },
  human_judgement_reasoning: {
    label: 'Patterns in human judgement and reasoning',
    shortLabel: 'Human judgement and reasoning',
    description: 'Innate cognitive and emotional biases: what people notice, how they weigh it, and what they conclude.',
    order: 6,
  },
}

/** Where in the system a contributory factor originates. */
export const FACTOR_LEVELS: Vocabulary = {
  frontline: { label: 'Frontline', order: 1 },
  local_strategic: { label: 'Local strategic', order: 2 },
  national: { label: 'National', order: 3 },
}

/** Factor types of the contributory-factors framework (Appendix 5). */
export const FACTOR_TYPES: Vocabulary = {
  family: { label: 'Aspects of the family', order: 1 },
  personal_staff: { label: 'Personal (staff) aspects', order: 2 },
  role: { label: 'Aspects of the role', order: 3 },
  conditions_of_work: { label: 'Conditions of work', order: 4 },
  own_team: { label: 'Own team factors', order: 5 },
  inter_agency_team: { label: 'Inter-agency and inter-professional team factors', order: 6 },
  organisational_culture_management: { label: 'Organisational culture and management', order: 7 },
  wider_political_context: { label: 'Wider political context', order: 8 },
  tools_and_procedures: { label: 'Tools and procedures', order: 9 },
  other: { label: 'Other', order: 10 },
}

/** The three types of recommendation for action. */
export const RECOMMENDATION_TYPES: Vocabulary = {
  local_clear_cut: {
    label: 'Clear-cut and locally solvable',
    description: 'An obvious fix that all relevant agencies can adopt locally.',
    order: 1,
  },
  management_tradeoff: {
    label: 'Trade-off for management',
    description: 'No neat answer: competing priorities and limited resources need a judgement.',
    order: 2,
  },
  research_development: {
    label: 'Needs research and development',
    description: 'New knowledge is needed before a solution exists, possibly nationally.',
    order: 3,
  },
}

/** Every vocabulary a board carries, by its key in the board's `vocabulary` map. */
export const VOCABULARIES = {
  typology: TYPOLOGY,
  factorLevels: FACTOR_LEVELS,
  factorTypes: FACTOR_TYPES,
  recommendationTypes: RECOMMENDATION_TYPES,
} as const

export type VocabularyName = keyof typeof VOCABULARIES
