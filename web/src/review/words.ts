// A review's vocabulary in words: roles, kinds, Learning Together variants, phases,
// meetings, and what each role may do. The codes are the server's
// (server/src/review, server/src/access and server/src/audit.rs); only the words live here.

import type { AuditAction, Role } from '../api/client'

export const ROLES: readonly Role[] = ['lead_reviewer', 'review_team_member', 'case_group_member', 'board_member', 'observer']

export const ROLE_LABELS: Record<Role, string> = {
  lead_reviewer: 'Lead reviewer',
  review_team_member: 'Review team member',
  case_group_member: 'Case group member',
  board_member: 'Board member',
  observer: 'Observer',
}

/** What each role is for, in a sentence (shown where roles are chosen). */
export const ROLE_HINTS: Record<Role, string> = {
  lead_reviewer: 'Runs the review: details, people, timeline and access, and edits the board',
  review_team_member: 'A senior manager from an agency: edits the board',
  case_group_member: 'Worked on the case: edits the board in the meetings',
  board_member: 'From the commissioning board: reads the board, cannot change it',
  observer: 'Reads the board, cannot change it (for example quality assurance or a minute-taker)',
}

/** "Lead reviewer"; an unknown code is shown as it is. */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role
}

/** May change the review's board. */
export function canEdit(role: string | null | undefined): boolean {
  return role === 'lead_reviewer' || role === 'review_team_member' || role === 'case_group_member'
}

/** May see what was deleted from the board and put it back: the review team and leads. */
export function mayRestore(role: string | null | undefined): boolean {
  return role === 'lead_reviewer' || role === 'review_team_member'
}

/** May manage the review: details, people, invitations, tokens, timeline, notes. */
export function isLead(role: string | null | undefined): boolean {
  return role === 'lead_reviewer'
}

/** "an Observer", "a Lead reviewer". */
export function withArticle(label: string): string {
  return `${/^[AEIOU]/i.test(label) ? 'an' : 'a'} ${label}`
}

/** The sentence that tells people what their role lets them do. */
export function roleSentence(role: string): string {
  const label = roleLabel(role)
  if (isLead(role)) {
    return `You are ${withArticle(label)}: you can change this review’s details, people, timeline and access, and edit the board.`
  }
  if (canEdit(role)) return `You are ${withArticle(label)}: you can edit the board with the rest of the review.`
  return `You are ${withArticle(label)}: you can read this review but not change it.`
}

export const KINDS: readonly [string, string][] = [
  ['scr', 'Serious case review'],
  ['lcspr', 'Local child safeguarding practice review'],
  ['rapid_review', 'Rapid review'],
  ['safeguarding_adult_review', 'Safeguarding adult review'],
  ['case_review_non_statutory', 'Non-statutory case review'],
  ['themed_review', 'Themed review'],
]

export const VARIANTS: readonly [string, string][] = [
  ['full', 'Full'],
  ['intensive', 'Intensive'],
  ['speed_plus', 'Speed+'],
  ['mid_range', 'Mid-range'],
  ['focused', 'Focused'],
  ['themed', 'Themed'],
]

export const PHASES: readonly [string, string][] = [
  ['commissioning', 'Commissioning'],
  ['preparation', 'Preparation'],
  ['data_collection', 'Data collection'],
  ['analysis', 'Analysis'],
  ['findings', 'Findings'],
  ['board_response', 'Board response'],
  ['publication', 'Publication'],
  ['implementation', 'Implementation'],
  ['closed', 'Closed'],
]

export const MEETING_KINDS: readonly [string, string][] = [
  ['initial_planning', 'Initial planning'],
  ['documentation_review', 'Documentation review'],
  ['introductory', 'Introductory meeting'],
  ['conversations', 'Individual conversations'],
  ['analysis', 'Analysis meeting'],
  ['follow_on', 'Follow-on meeting'],
  ['report_signoff', 'Report sign-off'],
  ['board_presentation', 'Board presentation'],
  ['other', 'Other meeting'],
]

export const MEETING_MODES: readonly [string, string][] = [
  ['in_person', 'In person'],
  ['remote', 'Remote'],
  ['hybrid', 'Hybrid (in the room and remote)'],
]

/** The label of `code` in a vocabulary; an unknown code is shown as it is. */
export function labelOf(list: readonly [string, string][], code: string): string {
  return list.find(([c]) => c === code)?.[1] ?? code
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** 12 March 2025 (local time). */
export function longDate(ms: number): string {
  const d = new Date(ms)
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`
}

/** 14:02 (local time). */
export function clock(ms: number): string {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/** "14:02" today, otherwise "12 March 2025, 14:02". */
export function when(ms: number, now: number = Date.now()): string {
  const a = new Date(ms)
  const b = new Date(now)
  const today = a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
  return today ? clock(ms) : `${longDate(ms)}, ${clock(ms)}`
}

/** A meeting's date: "2025-03-14" or "2025-03-14T10:00" → "14 March 2025" / "14 March 2025, 10:00". */
export function meetingDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value.trim())
  if (!m) return value.trim() || 'Date not set'
  const month = MONTHS[Number(m[2]) - 1]
  if (!month) return value
  const date = `${Number(m[3])} ${month} ${m[1]}`
  return m[4] ? `${date}, ${m[4]}:${m[5]}` : date
}

/** Audit actions in words ("edit" is described by its field; see history.ts). */
/** Every audit action but an edit (worded from what it changed), in words. Typed by the
 * server's list, so a new action does not compile until it has words here. */
export const AUDIT_ACTIONS: Record<Exclude<AuditAction, 'edit'>, string> = {
  review_created: 'created the review',
  review_updated: 'changed the review’s details',
  invitation_created: 'invited someone',
  invitation_withdrawn: 'withdrew an invitation',
  invitation_accepted: 'accepted an invitation',
  role_changed: 'changed someone’s role',
  member_removed: 'removed someone from the review',
  token_created: 'created an access token',
  token_revoked: 'revoked an access token',
  meeting_added: 'added a meeting',
  meeting_updated: 'changed a meeting',
  meeting_removed: 'removed a meeting',
  document_created: 'created restricted notes',
  document_participants_changed: 'changed who can open restricted notes',
  snapshot_taken: 'took a snapshot of the board',
  snapshot_restored: 'restored a snapshot',
  item_restored_from_bin: 'put back from the bin',
  item_restored_from_snapshot: 'restored one item from a snapshot',
  bin_emptied: 'emptied the bin',
  comment_added: 'commented',
  comment_resolved: 'resolved a comment thread',
  comment_reopened: 'reopened a comment thread',
  comment_deleted: 'deleted a comment',
  report_exported: 'exported the review report',
  chronology_imported: 'imported an agency’s chronology',
  chronology_entry_corrected: 'corrected a chronology entry',
  discrepancy_marked: 'marked a discrepancy in the chronology',
  discrepancy_settled: 'settled a discrepancy in the chronology',
  discrepancy_reopened: 'reopened a discrepancy in the chronology',
  register_entry_added: 'added an entry to the pseudonymisation register',
  register_entry_removed: 'removed an entry from the pseudonymisation register',
  unreviewed_export_confirmed: 'confirmed exporting the report although the pre-publication check was not clean',
  safe_term_added: 'marked a term safe to publish',
  safe_term_removed: 'withdrew a term marked safe to publish',
  login: 'signed in',
  logout: 'signed out',
  login_failed: 'failed to sign in',
  login_refused_locked: 'was refused sign-in (account locked)',
  password_changed: 'changed their password',
  password_change_failed: 'gave a wrong current password when changing it',
  password_change_refused_locked: 'was refused a password change (account locked)',
  administrator_created: 'became an administrator',
  account_created: 'had an account created',
  library_published: 'published the review\u2019s agreed findings to the library',
  library_withdrawn: 'withdrew the review\u2019s findings from the library',
  library_role_changed: 'changed someone\u2019s library role',
  library_exported: 'exported findings from the library',
  library_theme_created: 'made a theme in the library',
}

/** Role codes inside an audit detail ("observer to board_member") in words. */
export function roleWordsIn(text: string): string {
  return text.replace(/\b(lead_reviewer|review_team_member|case_group_member|board_member|observer)\b/g, (code) =>
    roleLabel(code),
  )
}
