// Snapshots, the review report and the pseudonymisation register in words: labels,
// who took a snapshot and when, which export formats there are and who may use them,
// and what the pre-publication check found. The rules are the server's
// (docs/snapshots.md); only the words live here.

import type { PublicationCheck, Role, SnapshotInfo, ExportFormat } from '../api/client'
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
  { format: 'html', label: 'Printable page', hint: 'opens in a new tab; print it or save it as PDF' },
  { format: 'md', label: 'Markdown', hint: '.md, plain text' },
  { format: 'json', label: 'JSON', hint: '.json, the report’s parts for other tools' },
]

/** Lead reviewers and review team members may export the report (docs/snapshots.md). */
export function mayExport(role: Role | string): boolean {
  return isLead(role) || role === 'review_team_member'
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`)

/** What the pre-publication check found, in sentences. */
export function checkWords(check: PublicationCheck): {
  ok: boolean
  headline: string
  replaced: string[]
  remaining: string[]
} {
  const replaced = check.replaced.map((r) =>
    r.count === 0
      ? `“${r.term}” does not appear in this report (it would become “${r.pseudonym}”).`
      : `“${r.term}” becomes “${r.pseudonym}” (${times(r.count)}).`,
  )
  const remaining = check.remaining.map((r) => {
    const where = r.places.length ? ` in ${listOf(r.places)}` : ''
    return r.kind === 'flagged'
      ? `Flagged term “${r.term}” appears ${times(r.count)}${where}.`
      : `“${r.term}” is still there ${times(r.count)}${where}, although the register replaces it.`
  })
  const n = check.remaining.length
  const headline = check.ok
    ? check.replaced.length === 0
      ? 'Nothing to replace: the register is empty, so the report uses the board’s words as they are.'
      : 'Ready to publish: no registered name or flagged term is left in the report.'
    : `Check before publishing: ${n === 1 ? 'one term' : `${n} terms`} from the register ${n === 1 ? 'is' : 'are'} still in the report.`
  return { ok: check.ok, headline, replaced, remaining }
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
