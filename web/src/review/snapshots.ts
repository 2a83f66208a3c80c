// Snapshots, the review report and the pseudonymisation register in words: labels,
// who took a snapshot and when, which export formats there are and who may use them,
// and what the pre-publication check found. The rules are the server's
// (docs/snapshots.md); only the words live here.

import type { PublicationCheck, PossibleKind, SnapshotInfo, ExportFormat } from '../api/client'
import { clock, isLead, longDate, when } from './words'

/** The server takes labels of up to 300 bytes of UTF-8: 300 letters of plain English. */
export const LABEL_LIMIT = 300

const utf8 = new TextEncoder()
const bytes = (s: string) => utf8.encode(s).length

/**
 * Shortens a label the server would refuse, between characters as people see them:
 * never inside an emoji, a flag or a letter with its accents (a cut surrogate pair
 * is not valid text, and the server refuses the label).
 */
function fit(label: string): string {
  if (bytes(label) <= LABEL_LIMIT) return label
  let room = LABEL_LIMIT - bytes('…')
  let kept = ''
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(label)) {
    room -= bytes(segment)
    if (room < 0) break
    kept += segment
  }
  return `${kept.trimEnd()}…`
}

/** What a snapshot taken as a meeting closes is called: "Analysis meeting 2: agreed". */
export function meetingSnapshotLabel(meetingTitle: string): string {
  const title = meetingTitle.trim() || 'Meeting'
  return fit(`${title}: agreed`)
}

/** The label offered for a snapshot taken at any other time: "Board on 12 March 2025 at 14:02". */
export function defaultSnapshotLabel(now: number = Date.now()): string {
  return `Board on ${longDate(now)} at ${clock(now)}`
}

/** The label of the snapshot offered before a restore: "Before restoring “…”, 12 March 2025 at 14:02". */
export function beforeRestoreLabel(restoring: string, now: number = Date.now()): string {
  return fit(`Before restoring “${restoring}”, ${longDate(now)} at ${clock(now)}`)
}

/** The first characters of a content hash: enough to tell snapshots apart by eye. */
export function shortHash(hash: string): string {
  return hash.slice(0, 8)
}

/** Who took a snapshot, in words ("Alex Admin", "import (access token)"). */
export function takenBy(snapshot: Pick<SnapshotInfo, 'taken_by_kind' | 'taken_by_name'>): string {
  const name = snapshot.taken_by_name.trim() || 'Someone'
  return snapshot.taken_by_kind === 'token' ? `${name} (access token)` : name
}

/** "Taken at 14:02 by Alex Admin" today, otherwise "Taken on 12 March 2025, 14:02 by Alex Admin". */
export function takenText(snapshot: Pick<SnapshotInfo, 'taken_at' | 'taken_by_kind' | 'taken_by_name'>, now: number = Date.now()): string {
  const at = when(snapshot.taken_at, now)
  const today = at === clock(snapshot.taken_at)
  return `Taken ${today ? 'at' : 'on'} ${at} by ${takenBy(snapshot)}`
}

/** A side of a comparison by name: the live board, or a snapshot by its label. */
export function sideName(side: string, snapshots: readonly Pick<SnapshotInfo, 'id' | 'label'>[]): string {
  if (side === 'live') return 'the live board'
  const found = snapshots.find((s) => s.id === side)
  return found ? `“${found.label}”` : 'a snapshot'
}

export const EXPORT_FORMATS: readonly { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'docx', label: 'Word document', hint: '.docx, to edit and publish' },
  { format: 'pdf', label: 'PDF', hint: '.pdf, as the board publishes it' },
  { format: 'html', label: 'Printable page', hint: 'opens in a new tab; print it or save it as PDF' },
  { format: 'md', label: 'Markdown', hint: '.md, plain text' },
  { format: 'json', label: 'JSON', hint: '.json, the report’s parts for other tools' },
]

/** Lead reviewers and review team members may export the report (docs/snapshots.md). */
export function mayExport(role: string): boolean {
  return isLead(role) || role === 'review_team_member'
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`)

/** What each kind of possible identifying detail is called. */
export const POSSIBLE_KINDS: Record<PossibleKind, string> = {
  name: 'Possible name',
  address: 'Possible address',
  date_of_birth: 'Possible date of birth',
  postcode: 'Postcode',
  phone: 'Phone number',
  nhs_number: 'NHS number',
}

/**
 * What the pre-publication check found, in sentences. It never calls a report ready to
 * publish: when nothing is left to review it says what was checked, since no check
 * finds every name.
 */
export function checkWords(check: PublicationCheck): {
  ok: boolean
  headline: string
  replaced: string[]
  remaining: string[]
  possible: { term: string; line: string }[]
} {
  const replaced = check.replaced.map((r) =>
    r.count === 0
      ? `“${r.term}” does not appear in this report (it would become “${r.pseudonym}”).`
      : `“${r.term}” becomes “${r.pseudonym}” (${times(r.count)}).`,
  )
  const where = (places: string[]) => (places.length ? ` in ${listOf(places)}` : '')
  const remaining = check.remaining.map((r) =>
    r.kind === 'flagged'
      ? `Flagged term “${r.term}” appears ${times(r.count)}${where(r.places)}.`
      : `“${r.term}” is still there ${times(r.count)}${where(r.places)}, although the register replaces it.`,
  )
  const possible = check.possible.map((p) => ({
    term: p.text,
    line: `${POSSIBLE_KINDS[p.kind] ?? 'Possible detail'} “${p.text}” appears ${times(p.count)}${where(p.places)}.`,
  }))
  const unreviewed = check.remaining.length + check.possible.length
  const headline = check.ok
    ? `Nothing left to review. ${check.summary}`
    : `${unreviewed === 1 ? 'One thing' : `${unreviewed} things`} to review before publishing. ${check.summary}`
  return { ok: check.ok, headline, replaced, remaining, possible }
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
