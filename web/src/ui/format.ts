// How dates and vocabulary codes read on screen.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "2023-03-14" → "14 Mar 2023"; "2023-03" → "Mar 2023"; anything else unchanged. */
export function formatDate(value: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value.trim())
  if (!m) return value
  const month = MONTHS[Number(m[2]) - 1]
  if (!month) return value
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`
}

export function formatWhen(kind: string, start: string, end: string): string {
  if (!start) return 'Date not set'
  if (kind === 'period') return `${formatDate(start)} – ${end ? formatDate(end) : 'ongoing'}`
  if (kind === 'approximate') return `About ${formatDate(start)}`
  return formatDate(start)
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

export const POLARITY_LABELS: Record<string, string> = { positive: 'positive', negative: 'negative', neutral: 'neutral' }

export const FACTOR_POLARITY_LABELS: Record<string, string> = { supportive: 'Supportive', hindering: 'Hindering', mixed: 'Mixed' }
