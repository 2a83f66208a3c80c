// The history of a row, factor or finding, and the review's audit trail, in words.
//
// The server records every stored edit with the entity and the board field it touched
// (docs/board-schema.md), one event per update. Typing makes many updates, so runs of
// the same person changing the same thing within a few minutes of each other read as
// one line: "Sam Jones, Health visiting, 14:02: changed the appraisal". A restore's
// changes read as a restore.

import type { Author, AuditEvent } from '../api/client'
import { AUDIT_ACTIONS, clock, roleWordsIn, when } from './words'

export type EntityKind = 'episode' | 'factor' | 'finding'

/** Board fields in the words the side panels use for them. */
export const FIELD_WORDS: Record<EntityKind, Record<string, string>> = {
  episode: {
    title: 'the title',
    dateKind: 'the date type',
    dateStart: 'the date',
    dateEnd: 'the end date',
    agencies: 'the agencies involved',
    whatHappened: 'what happened',
    seenAtTheTime: 'how it was seen at the time',
    appraisal: 'the appraisal',
    quality: 'the practice quality',
    evidence: 'the evidence',
    openQuestions: 'the open questions',
    status: 'the status',
  },
  factor: {
    title: 'the title',
    description: 'the description',
    level: 'the level',
    type: 'the type of factor',
    polarity: 'the influence',
  },
  finding: {
    statement: 'the finding',
    category: 'the typology category',
    inCase: 'how it showed in this case',
    underlying: 'why it is underlying',
    widespread: 'how widespread it is',
    matters: 'why it matters',
    questions: 'the questions for the board',
    status: 'the status',
    priority: 'the priority',
    recommendations: 'the recommendations',
  },
}

const NOUNS: Record<EntityKind, string> = { episode: 'episode', factor: 'factor', finding: 'finding' }
const PLACES: Record<EntityKind, string> = { episode: 'in the table', factor: 'in the list', finding: 'in the list' }

const isKind = (kind: string): kind is EntityKind => kind === 'episode' || kind === 'factor' || kind === 'finding'

/** "whatHappened" → "what happened": for a field this app does not know yet. */
function plainWords(field: string): string {
  return field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase()
}

function fieldWords(kind: string, field: string): string {
  return (isKind(kind) ? FIELD_WORDS[kind][field] : undefined) ?? `the ${plainWords(field)}`
}

/** What one change did, seen from the entity's own panel: "changed the appraisal". */
export function changeText(kind: EntityKind, field: string, detail: string): string {
  const noun = NOUNS[kind]
  if (detail === 'restored') return field === '' ? `restored the ${noun}` : `restored ${fieldWords(kind, field)}`
  if (field === '') {
    if (detail === 'added') return `added the ${noun}`
    if (detail === 'removed') return `deleted the ${noun}`
    return `changed the ${noun}`
  }
  if (field === 'order') return `moved the ${noun} ${PLACES[kind]}`
  if (field === 'position') return 'moved it on the factor map'
  if (field === 'links') {
    if (detail === 'linked') return 'linked it to another item'
    if (detail === 'unlinked') return 'unlinked it from another item'
    return 'changed its links'
  }
  const words = fieldWords(kind, field)
  if (detail === 'added') return `set ${words}`
  if (detail === 'removed') return `cleared ${words}`
  return `changed ${words}`
}

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`)

const COMMENT_ACTIONS = new Set<string>(['comment_added', 'comment_resolved', 'comment_reopened', 'comment_deleted'])

/** How the review names an entity it still has: "episode E7 “GP appointment”". */
export type NameOf = (kind: string, id: string) => string | undefined

/**
 * What a board edit did, seen from the whole review: "changed the appraisal of episode
 * E7 “GP appointment”" (or "of an episode" when the board no longer has it).
 */
export function editText(event: Pick<AuditEvent, 'entity_kind' | 'field' | 'detail'> & { entity?: string }, nameOf?: NameOf): string {
  const { entity_kind: kind, field, detail } = event
  const named = event.entity === undefined ? undefined : nameOf?.(kind, event.entity)
  if (kind === 'link') {
    if (detail === 'added') return 'added a link on the board'
    if (detail === 'removed') return 'removed a link from the board'
    return 'changed a link on the board'
  }
  if (!isKind(kind)) {
    if (field === 'position') return 'moved something on the factor map'
    if (field === 'links') return 'linked two things on the board'
    return 'changed the board'
  }
  const noun = NOUNS[kind]
  const it = named ?? article(noun)
  if (field === '') {
    if (detail === 'restored') return `restored ${it}`
    if (detail === 'added') return `added ${it}`
    if (detail === 'removed') return `deleted ${it}`
    return `changed ${it}`
  }
  if (field === 'order') return `moved ${it} ${PLACES[kind]}`
  return `${changeText(kind, field, detail)} of ${it}`
}

/** The document an event belongs to, by its name in the review: "board", "notes/gp". */
export function documentOf(event: Pick<AuditEvent, 'review_id' | 'document'>): string {
  const prefix = `${event.review_id}/`
  return event.review_id && event.document.startsWith(prefix) ? event.document.slice(prefix.length) : event.document
}

/**
 * Any audit event in words: "invited someone: Olu Obi <olu@example.org> as Observer".
 * `documents` gives restricted notes their titles.
 */
export function auditText(event: AuditEvent, documents: readonly { name: string; title: string }[] = [], nameOf?: NameOf): string {
  const document = documentOf(event)
  if (event.action === 'edit' && document.startsWith('notes/')) {
    const title = documents.find((d) => d.name === document)?.title
    return title ? `changed the restricted notes “${title}”` : 'changed restricted notes'
  }
  if (event.action === 'edit') return editText(event, nameOf)
  const words = AUDIT_ACTIONS[event.action]
  if (COMMENT_ACTIONS.has(event.action)) {
    // Comments are on board items: named as the board has them, never quoted.
    const named = nameOf?.(event.entity_kind, event.entity) ?? (isKind(event.entity_kind) ? article(NOUNS[event.entity_kind]) : 'a link')
    return event.action === 'comment_added' ? `commented on ${named}` : `${words} on ${named}`
  }
  const detail = roleWordsIn(event.detail.trim())
  return detail ? `${words}: ${detail}` : words
}

/** "Sam Jones, Health visiting"; an access token by its label. */
export function actorText(actor: Author): string {
  // The board itself (the lock on agreed work) is named as it is.
  if (actor.kind === 'system' && actor.id === 'board') return actor.name || 'The board'
  if (actor.kind === 'system') return actor.name ? `${actor.name} (not signed in)` : 'The board'
  const name = actor.name.trim() || 'Someone'
  if (actor.kind === 'token') return `${name} (access token)`
  return actor.agency.trim() ? `${name}, ${actor.agency.trim()}` : name
}

/** Changes by one person to one thing this close together read as one. */
const RUN_MS = 5 * 60_000

/** A run of events by one person on one thing, close together in time. */
export interface HistoryGroup {
  /** The newest event of the run (its fields describe the whole run). */
  latest: AuditEvent
  /** The oldest event of the run. */
  earliest: AuditEvent
  /** When the run began and ended. */
  fromMs: number
  toMs: number
  /** How many events it holds. */
  count: number
}

/** Groups newest-first events into runs with the same key, each event within `windowMs` of the next. */
export function groupEvents(
  events: readonly AuditEvent[],
  key: (e: AuditEvent) => string,
  windowMs = 60_000,
): HistoryGroup[] {
  const groups: HistoryGroup[] = []
  let current: { group: HistoryGroup; key: string } | null = null
  for (const event of events) {
    const k = key(event)
    if (current && current.key === k && current.group.fromMs - event.at_ms <= windowMs) {
      current.group.fromMs = Math.min(current.group.fromMs, event.at_ms)
      current.group.earliest = event
      current.group.count += 1
      continue
    }
    current = { key: k, group: { latest: event, earliest: event, fromMs: event.at_ms, toMs: event.at_ms, count: 1 } }
    groups.push(current.group)
  }
  return groups
}

const actorKey = (a: Author) => `${a.kind}:${a.id || a.name}`

/** An entity's history: one group per run of one person's changes to one field. */
export function groupHistory(events: readonly AuditEvent[], windowMs = RUN_MS): HistoryGroup[] {
  return groupEvents(events.filter(shownField), (e) => `${actorKey(e.actor)}|${e.field}|${e.detail}`, windowMs)
}

/** The server gives references (E7, F3) itself: recording one is not somebody's change. */
const shownField = (e: AuditEvent) => !(e.action === 'edit' && e.field === 'ref')

/** The review's audit trail: runs of one person's changes to one field of one entity. */
export function groupAudit(events: readonly AuditEvent[], windowMs = RUN_MS): HistoryGroup[] {
  // A new or removed link is recorded on the link and on both its ends; the link says it.
  const shown = events.filter((e) => shownField(e) && !(e.action === 'edit' && (e.detail === 'linked' || e.detail === 'unlinked')))
  return groupEvents(shown, (e) => `${actorKey(e.actor)}|${e.action}|${e.document}|${e.entity}|${e.field}|${e.detail}`, windowMs)
}

/** "14:02", "13:55–14:02", or with the date when not today. */
export function spanText(fromMs: number, toMs: number, now: number = Date.now()): string {
  const end = when(toMs, now)
  if (clock(fromMs) === clock(toMs) && toMs - fromMs < 60_000) return end
  const sameDay = new Date(fromMs).toDateString() === new Date(toMs).toDateString()
  if (!sameDay) return `${when(fromMs, now)} – ${end}`
  // "12 March 2025, 13:55–14:02" or "13:55–14:02".
  return end.replace(clock(toMs), `${clock(fromMs)}–${clock(toMs)}`)
}

/** The parts of one line of an entity's history: who, when, what. */
export function historyParts(group: HistoryGroup, kind: EntityKind, now: number = Date.now()) {
  const { latest } = group
  return {
    who: actorText(latest.actor),
    when: spanText(group.fromMs, group.toMs, now),
    what: changeText(kind, latest.field, latest.detail),
  }
}

/** One line of an entity's history: "Sam Jones, Health visiting, 14:02: changed the appraisal". */
export function historyLine(group: HistoryGroup, kind: EntityKind, now: number = Date.now()): string {
  const { who, when, what } = historyParts(group, kind, now)
  return `${who}, ${when}: ${what}`
}

/**
 * The runs of typing (recorded by the server when each began) that a history line
 * shows: those of its field that began within the line, so that no run shows twice.
 * Each has the run's words before and after.
 */
export function runsOf<R extends { field: string; seq: number }>(group: HistoryGroup, runs: readonly R[]): R[] {
  const { earliest, latest } = group
  if (earliest.seq == null || latest.seq == null || latest.detail !== 'changed') return []
  return runs
    .filter((r) => r.field === latest.field && r.seq >= earliest.seq! && r.seq <= latest.seq!)
    .sort((a, b) => a.seq - b.seq)
}

/** Kept words shown around a change, at most, on each side. */
const CONTEXT_WORDS = 8

/**
 * A change's words for a history line: every removed and added word, with no more than
 * a few kept words around them ("…" where kept words are left out).
 */
export function excerpt(words: readonly { op: string; text: string }[], context = CONTEXT_WORDS): { op: 'same' | 'removed' | 'added'; text: string }[] {
  const out: { op: 'same' | 'removed' | 'added'; text: string }[] = []
  words.forEach((w, i) => {
    const op = w.op === 'removed' || w.op === 'added' ? w.op : 'same'
    if (op !== 'same') return out.push({ op, text: w.text })
    const tokens = w.text.split(/(\s+)/).filter((t) => t !== '')
    const wordsIn = tokens.filter((t) => /\S/.test(t)).length
    const first = i === 0
    const last = i === words.length - 1
    if (wordsIn <= context * (first || last ? 1 : 2)) return out.push({ op, text: w.text })
    // Keep the words next to the changes on either side.
    const keepEnd = (list: string[]) => {
      let seen = 0
      let from = list.length
      while (from > 0 && seen < context) if (/\S/.test(list[--from])) seen++
      return list.slice(from).join('')
    }
    const keepStart = (list: string[]) => {
      let seen = 0
      let to = 0
      while (to < list.length && seen < context) if (/\S/.test(list[to++])) seen++
      return list.slice(0, to).join('')
    }
    const head = first ? '' : keepStart(tokens)
    const tail = last ? '' : keepEnd(tokens)
    out.push({ op, text: `${head}${head ? ' ' : ''}…${tail ? ' ' : ''}${tail}` })
  })
  return out
}
