// How dates and vocabulary codes read on screen.

import { formatDate, formatWhen as whenText } from '../board/dates'

export { formatDate }

/** An episode's "when" as the table shows it ("Date not set" when unknown). */
export function formatWhen(kind: string, start: string, end: string): string {
  return whenText(kind, start, end) || 'Date not set'
}

export const QUALITY_LABELS: Record<string, string> = {
  good: 'Good practice',
  mixed: 'Mixed',
  problematic: 'Problematic',
  unclear: 'Unclear',
}

export const STATUS_LABELS: Record<string, string> = {
  candidate: 'Candidate',
  agreed: 'Agreed by review team',
  checked: 'Checked with case group',
  recheck: 'Needs re-checking with case group',
}

export const DATE_KIND_LABELS: Record<string, string> = {
  exact: 'Exact date',
  approximate: 'Approximate date',
  period: 'Period',
}

export const FINDING_STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  agreed: 'Agreed by review team',
  tested: 'Tested with case group',
  final: 'Final',
}

export const PRIORITY_LABELS: Record<string, string> = { high: 'High priority', medium: 'Medium priority', low: 'Low priority' }

export const LINK_KIND_LABELS: Record<string, string> = {
  contributed_to: 'contributed to',
  supported: 'supported',
  constrained: 'constrained',
  evidence_for: 'is evidence for',
}

/** A link's effect on practice, in a sentence ("… (hinders practice)"). */
export const POLARITY_LABELS: Record<string, string> = { positive: 'supports practice', negative: 'hinders practice', neutral: 'neutral' }
/** The same as choices, naming the stored value the report and exports use. */
export const POLARITY_CHOICES: Record<string, string> = {
  positive: 'Supports practice (positive)',
  negative: 'Hinders practice (negative)',
  neutral: 'Neutral',
}

export const FACTOR_POLARITY_LABELS: Record<string, string> = { supportive: 'Supportive', hindering: 'Hindering', mixed: 'Mixed' }
