// A comparison of two boards (the server's `compare`, server/src/board/compare.rs) in
// words and in rows: summary counts, "Changed: appraisal", each side of a text's
// word-level change, plain values by their labels, the entities side by side in their
// order, and the factor map with each node marked added, removed, changed or moved.

import type { Comparison, EntityChanges, FieldChange, SnapshotInfo, WordChange } from '../api/client'
import { GAP, NODE_HEIGHT, NODE_WIDTH, plainMapNodes, type MapNode } from '../board/layout'
import type { PlainBoard, PlainLink } from '../board/plain'
import {
  DATE_KIND_LABELS,
  FACTOR_POLARITY_LABELS,
  FINDING_STATUS_LABELS,
  LINK_KIND_LABELS,
  POLARITY_LABELS,
  PRIORITY_LABELS,
  QUALITY_LABELS,
  STATUS_LABELS,
  formatDate,
} from '../ui/format'
import { FIELD_WORDS } from './history'
import { listOf } from './snapshots'

export type CompareKind = 'episode' | 'factor' | 'finding' | 'recommendation' | 'link'
export type Mark = 'added' | 'removed' | 'changed' | 'moved'

// ---------------------------------------------------------------------------
// Summary

export interface Summary {
  added: number
  removed: number
  changed: number
  reclassified: number
  moved: number
}

export function summarise(c: Comparison): Summary {
  return {
    added: c.added,
    removed: c.removed,
    changed: c.changed,
    reclassified: c.reclassified.length,
    moved: c.moved_on_map.length,
  }
}

/** True when the two boards hold the same content (places on the map included). */
export function noDifferences(c: Comparison): boolean {
  return c.added + c.removed + c.changed === 0 && c.moved_on_map.length === 0
}

const NOUNS: Record<CompareKind, [string, string]> = {
  episode: ['episode', 'episodes'],
  factor: ['factor', 'factors'],
  finding: ['finding', 'findings'],
  recommendation: ['recommendation', 'recommendations'],
  link: ['link', 'links'],
}

export const count = (n: number, kind: CompareKind) => `${n} ${NOUNS[kind][n === 1 ? 0 : 1]}`

/** One line per kind that changed: "Episodes: 1 changed", "Factors: 1 removed", … */
export function kindSummaries(c: Comparison): string[] {
  return (
    [
      [c.episodes, 'episode'],
      [c.factors, 'factor'],
      [c.findings, 'finding'],
      [c.recommendations, 'recommendation'],
      [c.links, 'link'],
    ] as const
  )
    .map(([changes, kind]) => {
      const parts = [
        changes.added.length ? `${changes.added.length} added` : '',
        changes.removed.length ? `${changes.removed.length} removed` : '',
        changes.changed.length ? `${changes.changed.length} changed` : '',
      ].filter(Boolean)
      return parts.length ? `${NOUNS[kind][1][0].toUpperCase()}${NOUNS[kind][1].slice(1)}: ${listOf(parts)}` : ''
    })
    .filter(Boolean)
}

/**
 * What restoring a snapshot would do to the live board, from the comparison of the live
 * board (before) with the snapshot (after): "1 episode changed back, 1 factor brought
 * back and 1 finding removed". Links and recommendations follow their entities; the
 * map's places are counted on their own.
 */
export function restoreEffect(c: Comparison): string {
  const parts: string[] = []
  for (const [changes, kind] of [
    [c.episodes, 'episode'],
    [c.factors, 'factor'],
    [c.findings, 'finding'],
    [c.recommendations, 'recommendation'],
    [c.links, 'link'],
  ] as const) {
    if (changes.changed.length) parts.push(`${count(changes.changed.length, kind)} changed back`)
    if (changes.added.length) parts.push(`${count(changes.added.length, kind)} brought back`)
    if (changes.removed.length) parts.push(`${count(changes.removed.length, kind)} removed`)
  }
  if (c.moved_on_map.length) parts.push(`${c.moved_on_map.length} moved back on the factor map`)
  return listOf(parts)
}

/** What a restore did, in a sentence. */
export function restoredText(label: string, changes: Comparison, keptAs: Pick<SnapshotInfo, 'label'> | null): string {
  const n = changes.added + changes.removed + changes.changed
  const what = noDifferences(changes)
    ? 'nothing needed changing'
    : `${n} ${n === 1 ? 'item' : 'items'} changed${changes.moved_on_map.length ? `, ${changes.moved_on_map.length} moved on the map` : ''}`
  return `Restored “${label}”: the live board now holds its content (${what}).${
    keptAs ? ` To undo, restore “${keptAs.label}”.` : ' To undo, restore another snapshot.'
  }`
}

// ---------------------------------------------------------------------------
// Fields and values in words

const EXTRA_FIELD_WORDS: Record<CompareKind, Record<string, string>> = {
  episode: {},
  factor: { polarity: 'influence' },
  finding: {},
  recommendation: { text: 'text', type: 'type of recommendation' },
  link: { from: 'from', to: 'to', kind: 'kind of link', polarity: 'polarity' },
}

/** A field as the comparison names it: "appraisal", "what happened", "typology category". */
export function fieldName(kind: CompareKind, field: string): string {
  if (field === 'order') return 'place in the list'
  const words =
    EXTRA_FIELD_WORDS[kind][field] ??
    (kind === 'episode' || kind === 'factor' || kind === 'finding' ? FIELD_WORDS[kind][field] : undefined) ??
    field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase()
  return words.replace(/^the /, '')
}

/** The words that mark a changed entity: "Changed: appraisal and status", "Moved in the list". */
export function changedText(kind: CompareKind, fields: readonly Pick<FieldChange, 'field'>[]): string {
  const moved = fields.some((f) => f.field === 'order')
  const names = fields.filter((f) => f.field !== 'order').map((f) => fieldName(kind, f.field))
  if (names.length === 0) return moved ? 'Moved in the list' : 'Changed'
  return `Changed: ${listOf(names)}${moved ? '; moved in the list' : ''}`
}

const PLAIN_LABELS: Record<string, Record<string, string>> = {
  'episode.quality': QUALITY_LABELS,
  'episode.status': STATUS_LABELS,
  'episode.dateKind': DATE_KIND_LABELS,
  'factor.polarity': FACTOR_POLARITY_LABELS,
  'finding.status': FINDING_STATUS_LABELS,
  'finding.priority': PRIORITY_LABELS,
  'link.kind': LINK_KIND_LABELS,
  'link.polarity': POLARITY_LABELS,
}

const VOCABULARY_OF: Record<string, keyof PlainBoard['vocabularies']> = {
  'finding.category': 'typology',
  'factor.level': 'factorLevels',
  'factor.type': 'factorTypes',
  'recommendation.type': 'recommendationTypes',
}

/**
 * A plain value in words: a code by its label (from the board's own vocabularies where
 * it has them), a date as a date, an empty value as "Not set".
 */
export function valueText(kind: CompareKind, field: string, value: string, board?: Pick<PlainBoard, 'vocabularies'>): string {
  if (value === '') return kind === 'finding' && field === 'category' ? 'Not yet classified' : 'Not set'
  const vocabulary = VOCABULARY_OF[`${kind}.${field}`]
  if (vocabulary) {
    const entry = board?.vocabularies?.[vocabulary]?.[value]
    return entry ? (vocabulary === 'typology' ? (entry.shortLabel ?? entry.label) : entry.label) : value
  }
  const labels = PLAIN_LABELS[`${kind}.${field}`]
  if (labels) return labels[value] ?? value
  if (field === 'dateStart' || field === 'dateEnd') return formatDate(value)
  return value
}

// ---------------------------------------------------------------------------
// Word-level changes

export interface Segment {
  op: WordChange['op']
  text: string
}

/**
 * The two sides of a text's word-level change: before (kept and removed words) and
 * after (kept and added words), each in order. Changed words separated only by spaces
 * read as one change ("talked on the phone" → "met in person"), not word by word.
 */
export function sides(words: readonly WordChange[]): { before: Segment[]; after: Segment[] } {
  const before: Segment[] = []
  const after: Segment[] = []
  for (const w of words) {
    if (!w.text) continue
    if (w.op !== 'added') before.push({ op: w.op, text: w.text })
    if (w.op !== 'removed') after.push({ op: w.op, text: w.text })
  }
  return { before: coalesce(before), after: coalesce(after) }
}

function coalesce(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = []
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]
    const last = out[out.length - 1]
    const next = segments[i + 1]
    if (last && s.op === 'same' && /^\s+$/.test(s.text) && next && last.op !== 'same' && next.op === last.op) {
      last.text += s.text + next.text
      i++
    } else if (last && last.op === s.op) {
      last.text += s.text
    } else {
      out.push({ ...s })
    }
  }
  return out
}

/** The added (or removed) words of a change, joined: what a reader sees marked. */
export function marked(words: readonly WordChange[], op: 'added' | 'removed'): string[] {
  return words.filter((w) => w.op === op && w.text.trim()).map((w) => w.text.trim())
}

// ---------------------------------------------------------------------------
// Entities side by side

export interface CompareRow<T> {
  id: string
  change: 'added' | 'removed' | 'changed' | 'same'
  before?: T
  after?: T
  /** Its number in each board's list (1-based), where it is there. */
  numberBefore?: number
  numberAfter?: number
  /** The fields that changed (changed rows). */
  fields: FieldChange[]
}

/**
 * Every entity of both boards in one list: the after board's order, with each removed
 * entity placed after the entity it followed before. `touched` names entities to show as
 * changed although none of their own fields did (a finding whose recommendations did).
 */
export function compareRows<T extends { id: string }>(
  before: readonly T[],
  after: readonly T[],
  changes: EntityChanges,
  touched: ReadonlySet<string> = new Set(),
): CompareRow<T>[] {
  const beforeAt = new Map(before.map((e, i) => [e.id, i]))
  const afterIds = new Set(after.map((e) => e.id))
  const changed = new Map(changes.changed.map((c) => [c.id, c.fields]))
  const added = new Set(changes.added.map((a) => a.id))
  const rows: CompareRow<T>[] = after.map((e, i) => {
    const at = beforeAt.get(e.id)
    const fields = changed.get(e.id)
    const change = added.has(e.id) || at === undefined ? 'added' : fields || touched.has(e.id) ? 'changed' : 'same'
    return {
      id: e.id,
      change,
      before: at === undefined ? undefined : before[at],
      after: e,
      numberBefore: at === undefined ? undefined : at + 1,
      numberAfter: i + 1,
      fields: fields ?? [],
    }
  })
  // Removed entities, each after the nearest entity that preceded it before and is still there.
  before.forEach((e, i) => {
    if (afterIds.has(e.id)) return
    const removed: CompareRow<T> = { id: e.id, change: 'removed', before: e, numberBefore: i + 1, fields: [] }
    let insertAt = 0
    for (let j = i - 1; j >= 0; j--) {
      const index = rows.findIndex((r) => r.id === before[j].id)
      if (index !== -1) {
        insertAt = index + 1
        break
      }
    }
    rows.splice(insertAt, 0, removed)
  })
  return rows
}

/** What a row is marked with, in words. */
export function rowMark(kind: CompareKind, row: Pick<CompareRow<unknown>, 'change' | 'fields'>): string {
  if (row.change === 'added') return 'Added'
  if (row.change === 'removed') return 'Removed'
  if (row.change === 'same') return 'Unchanged'
  return changedText(kind, row.fields)
}

// ---------------------------------------------------------------------------
// Titles and links

/** An entity's title from either board (the after board first). */
export function titleOf(id: string, boards: readonly PlainBoard[]): string {
  for (const b of boards) {
    const e = b.episodes.find((x) => x.id === id)
    if (e) return e.title || 'Untitled episode'
    const f = b.factors.find((x) => x.id === id)
    if (f) return f.title || 'Untitled factor'
    const g = b.findings.find((x) => x.id === id)
    if (g) return g.statement || 'Finding with no statement yet'
  }
  return 'something no longer on either board'
}

/** A link in words: "“Front-door workload” contributed to “School referral”". */
export function linkText(link: Pick<PlainLink, 'from' | 'to' | 'kind'>, boards: readonly PlainBoard[]): string {
  return `“${titleOf(link.from, boards)}” ${LINK_KIND_LABELS[link.kind] ?? link.kind} “${titleOf(link.to, boards)}”`
}

// ---------------------------------------------------------------------------
// The factor map, overlaid

export interface OverlayNode extends MapNode {
  title: string
  marks: Mark[]
  /** For changed nodes: what changed, in words. */
  changed: string
}

export interface OverlayEdge {
  id: string
  from: string
  to: string
  kind: string
  polarity: string
  mark: 'added' | 'removed' | 'changed' | 'same'
}

const overlaps = (a: { x: number; y: number }, b: { x: number; y: number }) =>
  Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT

/**
 * The after board's map with every node marked, and each removed node drawn where it
 * was (moved along its row if something now stands there). Removed links are drawn
 * between nodes on the overlay.
 */
export function overlay(before: PlainBoard, after: PlainBoard, c: Comparison): { nodes: OverlayNode[]; edges: OverlayEdge[] } {
  const boards = [after, before]
  const added = new Set([...c.episodes.added, ...c.factors.added, ...c.findings.added].map((e) => e.id))
  const changed = new Map(
    [
      ...c.episodes.changed.map((e) => [e.id, changedText('episode', e.fields)] as const),
      ...c.factors.changed.map((e) => [e.id, changedText('factor', e.fields)] as const),
      ...c.findings.changed.map((e) => [e.id, changedText('finding', e.fields)] as const),
    ],
  )
  const moved = new Set(c.moved_on_map)
  const nodes: OverlayNode[] = plainMapNodes(after).map((n) => {
    const marks: Mark[] = []
    if (added.has(n.id)) marks.push('added')
    else {
      if (changed.has(n.id)) marks.push('changed')
      if (moved.has(n.id)) marks.push('moved')
    }
    return { ...n, title: titleOf(n.id, boards), marks, changed: changed.get(n.id) ?? '' }
  })
  const afterIds = new Set(nodes.map((n) => n.id))
  for (const n of plainMapNodes(before)) {
    if (afterIds.has(n.id)) continue
    const place = { x: n.x, y: n.y }
    while (nodes.some((m) => overlaps(m, place))) place.x += NODE_WIDTH + GAP
    nodes.push({ ...n, ...place, title: titleOf(n.id, boards), marks: ['removed'], changed: '' })
  }
  const onMap = new Set(nodes.map((n) => n.id))
  const linkAdded = new Set(c.links.added.map((l) => l.id))
  const linkChanged = new Set(c.links.changed.map((l) => l.id))
  const edges: OverlayEdge[] = after.links
    .filter((l) => onMap.has(l.from) && onMap.has(l.to))
    .map((l) => ({
      id: l.id,
      from: l.from,
      to: l.to,
      kind: l.kind,
      polarity: l.polarity,
      mark: linkAdded.has(l.id) ? 'added' : linkChanged.has(l.id) ? 'changed' : 'same',
    }))
  const afterLinks = new Set(after.links.map((l) => l.id))
  for (const l of before.links) {
    if (afterLinks.has(l.id) || !onMap.has(l.from) || !onMap.has(l.to)) continue
    edges.push({ id: l.id, from: l.from, to: l.to, kind: l.kind, polarity: l.polarity, mark: 'removed' })
  }
  return { nodes, edges }
}

/** A node's marks in words: "Added", "Changed: title; moved on the map", "Moved on the map". */
export function marksText(node: Pick<OverlayNode, 'marks' | 'changed'>): string {
  const parts: string[] = []
  for (const mark of node.marks) {
    if (mark === 'added') parts.push('Added')
    else if (mark === 'removed') parts.push('Removed')
    else if (mark === 'changed') parts.push(node.changed || 'Changed')
    else parts.push(parts.length ? 'moved on the map' : 'Moved on the map')
  }
  return parts.join('; ')
}
