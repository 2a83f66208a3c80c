// The review board's Yjs document: its layout and the only functions that change it.
// docs/board-schema.md describes the same layout for other readers (the server's
// typed reader in server/src/board follows it).
//
// Rules every change keeps:
// - Rows (episodes), factors, findings and recommendations live in Y.Maps keyed by a
//   stable id, each with an `order` key (fractional index). Yjs 13 has no move, so
//   reordering changes `order`; nothing is ever deleted and re-inserted to move it.
// - Every free-text field is a Y.Text created together with its entity, never later:
//   two people lazily creating the same field would each make their own Y.Text and
//   one person's words would be lost.
// - Relations (a factor contributed to an episode, an episode is evidence for a
//   finding, ...) are stored once, as links; the map draws them as edges and the
//   table and findings list them. Map positions are kept by entity id in `layout`,
//   so a map node never copies an entity's text.

import * as Y from 'yjs'
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing'

import { VOCABULARIES, VOCABULARY_VERSION, type VocabularyEntry, type VocabularyName } from './vocabulary'

export const SCHEMA_VERSION = 1

export const DATE_KINDS = ['exact', 'approximate', 'period'] as const
export const PRACTICE_QUALITIES = ['good', 'mixed', 'problematic', 'unclear'] as const
export const EPISODE_STATUSES = ['candidate', 'agreed', 'checked', 'recheck'] as const
export const FACTOR_POLARITIES = ['supportive', 'hindering', 'mixed'] as const
export const FINDING_STATUSES = ['draft', 'agreed', 'tested', 'final'] as const
export const PRIORITIES = ['high', 'medium', 'low'] as const
export const LINK_KINDS = ['contributed_to', 'supported', 'constrained', 'evidence_for'] as const
export const LINK_POLARITIES = ['positive', 'negative', 'neutral'] as const

export type DateKind = (typeof DATE_KINDS)[number]
export type PracticeQuality = (typeof PRACTICE_QUALITIES)[number]
export type EpisodeStatus = (typeof EPISODE_STATUSES)[number]
export type FactorPolarity = (typeof FACTOR_POLARITIES)[number]
export type FindingStatus = (typeof FINDING_STATUSES)[number]
export type Priority = (typeof PRIORITIES)[number]
export type LinkKind = (typeof LINK_KINDS)[number]
export type LinkPolarity = (typeof LINK_POLARITIES)[number]

export const EPISODE_TEXT_FIELDS = [
  'title',
  'whatHappened',
  'seenAtTheTime',
  'appraisal',
  'evidence',
  'openQuestions',
] as const
export const FACTOR_TEXT_FIELDS = ['title', 'description'] as const
export const FINDING_TEXT_FIELDS = [
  'statement',
  'inCase',
  'underlying',
  'widespread',
  'matters',
  'questions',
] as const
export const RECOMMENDATION_TEXT_FIELDS = ['text'] as const

export type EpisodeTextField = (typeof EPISODE_TEXT_FIELDS)[number]
export type FactorTextField = (typeof FACTOR_TEXT_FIELDS)[number]
export type FindingTextField = (typeof FINDING_TEXT_FIELDS)[number]

/** Names of the document's root types. */
export const ROOT = {
  meta: 'meta',
  episodes: 'episodes',
  factors: 'factors',
  findings: 'findings',
  links: 'links',
  layout: 'layout',
  suggestions: 'suggestions',
  agencies: 'agencies',
  executiveSummary: 'report.executiveSummary',
  familyContribution: 'report.familyContribution',
} as const

/** Root map holding one vocabulary: `vocab.typology`, `vocab.factorLevels`, ... */
export const vocabularyRoot = (name: VocabularyName) => `vocab.${name}`

export type Entity = Y.Map<unknown>

/** The document's root types. */
export function board(doc: Y.Doc) {
  return {
    meta: doc.getMap<unknown>(ROOT.meta),
    episodes: doc.getMap<Entity>(ROOT.episodes),
    factors: doc.getMap<Entity>(ROOT.factors),
    findings: doc.getMap<Entity>(ROOT.findings),
    links: doc.getMap<Entity>(ROOT.links),
    layout: doc.getMap<{ x: number; y: number }>(ROOT.layout),
    suggestions: doc.getMap<Entity>(ROOT.suggestions),
    /** The review's agencies: a set of names (see agencies.ts). */
    agencies: doc.getMap<true>(ROOT.agencies),
    /** The report's own words: root texts, so two people starting one write in one. */
    executiveSummary: doc.getText(ROOT.executiveSummary),
    familyContribution: doc.getText(ROOT.familyContribution),
  }
}

export function vocabulary(doc: Y.Doc, name: VocabularyName): Y.Map<VocabularyEntry> {
  return doc.getMap<VocabularyEntry>(vocabularyRoot(name))
}

/** A new random id for an entity. */
export function newId(): string {
  return crypto.randomUUID()
}

/**
 * Makes `doc` a board: writes the schema version and any missing vocabulary entry.
 * Safe to run on every client, at the same time: it only adds what is missing, with
 * the same values everywhere.
 */
export function initBoard(doc: Y.Doc, origin?: unknown): void {
  doc.transact(() => {
    const { meta } = board(doc)
    if (!meta.has('schemaVersion')) meta.set('schemaVersion', SCHEMA_VERSION)
    if (!meta.has('vocabularyVersion')) meta.set('vocabularyVersion', VOCABULARY_VERSION)
    for (const [name, entries] of Object.entries(VOCABULARIES) as [VocabularyName, Record<string, VocabularyEntry>][]) {
      const map = vocabulary(doc, name)
      for (const [code, entry] of Object.entries(entries)) {
        if (!map.has(code)) map.set(code, entry)
        // A correction of an earlier version's wording replaces exactly that wording
        // (every client writes the same value, so running it at once is harmless);
        // labels a board chose itself stay.
        else if (CORRECTED[`${name}.${code}`] === map.get(code)?.shortLabel) map.set(code, entry)
      }
    }
  }, origin)
}

// ---------------------------------------------------------------------------
// Order keys

/**
 * Earlier wordings this version corrects, by `vocabulary.code`: typology category 6 was
 * shown by a different name from the report's.
 */
const CORRECTED: Record<string, string> = {
  'typology.human_judgement_reasoning': 'Innate human biases (cognitive and emotional)',
}

/** Sort key of an entity: its order key, then its id (two people may pick one key). */
export function orderOf(entity: Entity): string {
  const order = entity.get('order')
  return typeof order === 'string' ? order : ''
}

/** The entities of `map` in their agreed order, with their ids. */
export function ordered(map: Y.Map<Entity>): [string, Entity][] {
  return [...map.entries()].sort(([ida, a], [idb, b]) => {
    const oa = orderOf(a)
    const ob = orderOf(b)
    return oa < ob ? -1 : oa > ob ? 1 : ida < idb ? -1 : ida > idb ? 1 : 0
  })
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Three base62 digits naming this client (never ending in 0, as a key's fraction may not). */
function clientTail(doc: Y.Doc | null): string {
  let n = doc?.clientID ?? 0
  let tail = ''
  for (let i = 0; i < 3; i++) {
    tail += BASE62[n % 62]
    n = Math.floor(n / 62)
  }
  return tail.endsWith('0') ? `${tail.slice(0, -1)}1` : tail
}

/**
 * The order keys this page gave new entities, per document, each with the key its run
 * began with: the next one nests after them, within that first key's room.
 */
const givenHere = new WeakMap<Y.Doc, Map<string, string>>()

/**
 * The key for a new entity between `before` and `after`. People adding at the same
 * place at the same moment must not interleave: a new key carries this client's tail,
 * so two clients' keys for one gap differ, and a key right after one this page just
 * gave nests under it (before any other client's key for that gap), so one person's
 * run of new rows stays together.
 */
function freshKey(doc: Y.Doc | null, before: string | null, after: string | null): string {
  const given = doc ? (givenHere.get(doc) ?? new Map<string, string>()) : new Map<string, string>()
  if (doc) givenHere.set(doc, given)
  let key: string
  let root: string
  const family = before === null ? undefined : given.get(before)
  if (before !== null && family !== undefined) {
    // Between the last key and the end of the run's room: keys grow by about one
    // character for every six rows, not one per row.
    const ceiling = `${family}z`
    key = generateKeyBetween(before, after !== null && after < ceiling ? after : ceiling)
    root = family
  } else {
    // A key between the neighbours with this client's tail; when the tail would reach
    // past `after` (the key between them is a prefix of it), a lower key takes the tail.
    const tail = clientTail(doc)
    let plain = generateKeyBetween(before, after)
    while (after !== null && plain + tail >= after) plain = generateKeyBetween(before, plain)
    key = plain + tail
    root = key
  }
  given.set(key, root)
  return key
}

/**
 * An order key placing an entity right after `afterId` (at the start if `afterId` is
 * null; at the end if undefined), never equal to a neighbour's key. `fresh`: the key
 * is for a new entity (see `freshKey`).
 */
export function orderKeyAfter(map: Y.Map<Entity>, afterId?: string | null, excludeId?: string, fresh = false): string {
  const items = ordered(map).filter(([id]) => id !== excludeId)
  let index: number
  if (afterId === undefined) index = items.length
  else if (afterId === null) index = 0
  else {
    const at = items.findIndex(([id]) => id === afterId)
    index = at === -1 ? items.length : at + 1
  }
  const before = index > 0 ? orderOf(items[index - 1][1]) || null : null
  // Two entities may share a key after concurrent inserts: the new key goes before
  // the first following key that is strictly greater.
  let after: string | null = null
  for (const [, entity] of items.slice(index)) {
    const key = orderOf(entity) || null
    if (key !== null && (before === null || key > before)) {
      after = key
      break
    }
  }
  return fresh ? freshKey(map.doc, before, after) : generateKeyBetween(before, after)
}

/** Moves an entity right after `afterId` (null: to the start) by changing its order key. */
export function moveAfter(map: Y.Map<Entity>, id: string, afterId: string | null, origin?: unknown): void {
  const entity = map.get(id)
  if (!entity || entity.doc === null) return
  entity.doc.transact(() => entity.set('order', orderKeyAfter(map, afterId, id)), origin)
}

/**
 * Puts the entities in the order `ids` gives (the rest after them, in their order) as
 * one change, which one undo takes back.
 */
export function arrange(map: Y.Map<Entity>, ids: string[], origin?: unknown): void {
  const current = ordered(map).map(([id]) => id)
  const wanted = [...ids.filter((id) => map.has(id)), ...current.filter((id) => !ids.includes(id))]
  if (wanted.every((id, i) => current[i] === id)) return
  const keys = generateNKeysBetween(null, null, wanted.length)
  map.doc?.transact(() => {
    wanted.forEach((id, i) => map.get(id)?.set('order', keys[i]))
  }, origin)
}

/** Moves an entity one place up (-1) or down (1) in its agreed order. */
export function moveBy(map: Y.Map<Entity>, id: string, by: -1 | 1, origin?: unknown): void {
  const ids = ordered(map).map(([i]) => i)
  const target = ids.indexOf(id) + by
  if (ids.indexOf(id) === -1 || target < 0 || target >= ids.length) return
  const afterId = by === -1 ? (target === 0 ? null : ids[target - 1]) : ids[target]
  moveAfter(map, id, afterId, origin)
}

// ---------------------------------------------------------------------------
// Entities

export interface EpisodeInit {
  title?: string
  dateKind?: DateKind
  dateStart?: string
  dateEnd?: string
  agencies?: string[]
  whatHappened?: string
  seenAtTheTime?: string
  appraisal?: string
  quality?: PracticeQuality
  evidence?: string
  openQuestions?: string
  status?: EpisodeStatus
  /** Ids of the chronology entries it is made from. */
  chronology?: string[]
}

function text(initial?: string): Y.Text {
  return new Y.Text(initial ?? '')
}

/** Adds a key practice episode after `afterId` (default: at the end); returns its id. */
export function addEpisode(
  doc: Y.Doc,
  init: EpisodeInit = {},
  options: { afterId?: string | null; id?: string; origin?: unknown } = {},
): string {
  const id = options.id ?? newId()
  doc.transact(() => {
    const { episodes } = board(doc)
    const episode = new Y.Map<unknown>()
    episode.set('order', orderKeyAfter(episodes, options.afterId, undefined, true))
    for (const field of EPISODE_TEXT_FIELDS) episode.set(field, text(init[field]))
    episode.set('dateKind', init.dateKind ?? 'exact')
    episode.set('dateStart', init.dateStart ?? '')
    episode.set('dateEnd', init.dateEnd ?? '')
    const agencies = new Y.Map<boolean>()
    for (const agency of init.agencies ?? []) agencies.set(agency, true)
    episode.set('agencies', agencies)
    const entries = new Y.Map<boolean>()
    for (const entry of init.chronology ?? []) entries.set(entry, true)
    episode.set('chronology', entries)
    episode.set('quality', init.quality ?? 'unclear')
    episode.set('status', init.status ?? 'candidate')
    episodes.set(id, episode)
  }, options.origin)
  return id
}

export interface FactorInit {
  title?: string
  description?: string
  level?: string
  type?: string
  polarity?: FactorPolarity
}

/** Adds a contributory factor; returns its id. */
export function addFactor(
  doc: Y.Doc,
  init: FactorInit = {},
  options: { afterId?: string | null; id?: string; origin?: unknown } = {},
): string {
  const id = options.id ?? newId()
  doc.transact(() => {
    const { factors } = board(doc)
    const factor = new Y.Map<unknown>()
    factor.set('order', orderKeyAfter(factors, options.afterId, undefined, true))
    for (const field of FACTOR_TEXT_FIELDS) factor.set(field, text(init[field]))
    factor.set('level', init.level ?? 'frontline')
    factor.set('type', init.type ?? 'other')
    factor.set('polarity', init.polarity ?? 'hindering')
    factors.set(id, factor)
  }, options.origin)
  return id
}

export interface FindingInit {
  statement?: string
  category?: string
  inCase?: string
  underlying?: string
  widespread?: string
  matters?: string
  questions?: string
  status?: FindingStatus
  priority?: Priority
}

/** Adds a finding; returns its id. */
export function addFinding(
  doc: Y.Doc,
  init: FindingInit = {},
  options: { afterId?: string | null; id?: string; origin?: unknown } = {},
): string {
  const id = options.id ?? newId()
  doc.transact(() => {
    const { findings } = board(doc)
    const finding = new Y.Map<unknown>()
    finding.set('order', orderKeyAfter(findings, options.afterId, undefined, true))
    for (const field of FINDING_TEXT_FIELDS) finding.set(field, text(init[field]))
    finding.set('category', init.category ?? '')
    finding.set('secondaryCategory', '')
    finding.set('effect', '')
    finding.set('agencies', new Y.Map<boolean>())
    finding.set('seenBefore', new Y.Map<SeenBefore>())
    finding.set('status', init.status ?? 'draft')
    finding.set('priority', init.priority ?? 'medium')
    finding.set('recommendations', new Y.Map<Entity>())
    findings.set(id, finding)
  }, options.origin)
  return id
}

/** A published finding of an earlier review that a finding was linked to, as the board keeps it. */
export interface SeenBefore {
  relation: SeenBeforeRelation
  caseName: string
  year: number
  reference: string
  statement: string
}

export const SEEN_BEFORE_RELATIONS = ['recurrence', 'related', 'contrasting'] as const
export type SeenBeforeRelation = (typeof SEEN_BEFORE_RELATIONS)[number]

/**
 * Records (or, with `entry` null, forgets) a finding's link to a published finding
 * of an earlier review, by the library finding's id. The entry is one plain value,
 * so a change replaces it whole; the map is made on first use for findings from
 * before the library.
 */
export function setSeenBefore(finding: Entity, libraryId: string, entry: SeenBefore | null, origin?: unknown) {
  const doc = finding.doc
  if (!doc) return
  doc.transact(() => {
    let links = finding.get('seenBefore')
    if (!(links instanceof Y.Map)) {
      if (!entry) return
      links = new Y.Map<SeenBefore>()
      finding.set('seenBefore', links)
    }
    const map = links as Y.Map<SeenBefore>
    if (entry) map.set(libraryId, { ...entry })
    else map.delete(libraryId)
  }, origin)
}

/**
 * A finding's links to findings seen before, the newest review first. Whatever another
 * client wrote is read as words and a whole year (as the server reads it), so a
 * malformed entry shows as empty fields, never breaks the page.
 */
export function seenBeforeOf(finding: Entity): [string, SeenBefore][] {
  const links = finding.get('seenBefore')
  if (!(links instanceof Y.Map)) return []
  const words = (v: unknown) => (typeof v === 'string' ? v : '')
  const entries: [string, SeenBefore][] = []
  for (const [id, raw] of links.entries() as IterableIterator<[string, unknown]>) {
    if (!raw || typeof raw !== 'object') continue
    const e = raw as Record<string, unknown>
    const relation = SEEN_BEFORE_RELATIONS.find((r) => r === e.relation)
    if (!relation) continue
    entries.push([
      id,
      {
        relation,
        caseName: words(e.caseName),
        year: typeof e.year === 'number' && Number.isFinite(e.year) ? Math.round(e.year) : 0,
        reference: words(e.reference),
        statement: words(e.statement),
      },
    ])
  }
  return entries.sort(([a, x], [b, y]) => y.year - x.year || (a < b ? -1 : 1))
}

/** Adds a recommendation to a finding; returns its id (undefined if the finding is gone). */
export function addRecommendation(
  doc: Y.Doc,
  findingId: string,
  init: { text?: string; type?: string } = {},
  options: { id?: string; origin?: unknown } = {},
): string | undefined {
  const finding = board(doc).findings.get(findingId)
  const recommendations = finding?.get('recommendations')
  if (!(recommendations instanceof Y.Map)) return undefined
  const id = options.id ?? newId()
  doc.transact(() => {
    const recommendation = new Y.Map<unknown>()
    recommendation.set('order', orderKeyAfter(recommendations as Y.Map<Entity>, undefined, undefined, true))
    recommendation.set('text', text(init.text))
    recommendation.set('type', init.type ?? 'local_clear_cut')
    recommendation.set('status', 'proposed')
    recommendations.set(id, recommendation)
  }, options.origin)
  return id
}

/** Deletes one of a finding's recommendations. */
export function deleteRecommendation(doc: Y.Doc, findingId: string, recommendationId: string, origin?: unknown): void {
  const recommendations = board(doc).findings.get(findingId)?.get('recommendations')
  if (!(recommendations instanceof Y.Map)) return
  doc.transact(() => recommendations.delete(recommendationId), origin)
}

// ---------------------------------------------------------------------------
// Links and layout

/** Links `from` to `to` (for example a factor that contributed to an episode). */
export function addLink(
  doc: Y.Doc,
  from: string,
  to: string,
  kind: LinkKind,
  polarity: LinkPolarity = 'neutral',
  options: { id?: string; origin?: unknown } = {},
): string {
  const id = options.id ?? newId()
  doc.transact(() => {
    const link = new Y.Map<unknown>()
    link.set('from', from)
    link.set('to', to)
    link.set('kind', kind)
    link.set('polarity', polarity)
    board(doc).links.set(id, link)
  }, options.origin)
  return id
}

/** How a link's polarity follows a factor's influence on practice. */
const POLARITY_OF_INFLUENCE: Record<FactorPolarity, LinkPolarity> = { supportive: 'positive', hindering: 'negative', mixed: 'neutral' }

/**
 * The polarity a new link starts with, agreeing with the factor at either end: a
 * supportive factor's links are positive, a hindering one's negative, a mixed one's
 * neutral; a link with no factor (an episode as evidence for a finding) is neutral.
 */
export function agreeingPolarity(doc: Y.Doc, fromId: string, toId: string): LinkPolarity {
  const factors = board(doc).factors
  const factor = factors.get(fromId) ?? factors.get(toId)
  const influence = factor?.get('polarity') as FactorPolarity | undefined
  return (influence && POLARITY_OF_INFLUENCE[influence]) || 'neutral'
}

/** Removes one link (the entities it joined stay). */
export function deleteLink(doc: Y.Doc, linkId: string, origin?: unknown): void {
  doc.transact(() => board(doc).links.delete(linkId), origin)
}

/** Adds a factor that contributed to an episode, and the link between them, as one change. */
export function addFactorToEpisode(doc: Y.Doc, episodeId: string, init: FactorInit, options: { origin?: unknown } = {}): string {
  let factorId = ''
  doc.transact(() => {
    factorId = addFactor(doc, init, options)
    addLink(doc, factorId, episodeId, 'contributed_to', agreeingPolarity(doc, factorId, episodeId), options)
  }, options.origin)
  return factorId
}

/** Every link touching `entityId`, with its id. */
export function linksOf(doc: Y.Doc, entityId: string): [string, Entity][] {
  return [...board(doc).links.entries()].filter(
    ([, link]) => link.get('from') === entityId || link.get('to') === entityId,
  )
}

/** Places an entity's node on the factor map (written once, when a drag ends). */
export function place(doc: Y.Doc, entityId: string, x: number, y: number, origin?: unknown): void {
  doc.transact(() => board(doc).layout.set(entityId, { x: Math.round(x), y: Math.round(y) }), origin)
}

/** Places many nodes on the factor map as one change (tidying the map). */
export function placeAll(doc: Y.Doc, positions: Iterable<[string, { x: number; y: number }]>, origin?: unknown): void {
  doc.transact(() => {
    const { layout } = board(doc)
    for (const [id, p] of positions) layout.set(id, p)
  }, origin)
}

/** Deletes an episode, factor or finding together with its links and map position. */
export function deleteEntity(doc: Y.Doc, entityId: string, origin?: unknown): void {
  doc.transact(() => {
    const roots = board(doc)
    for (const [linkId] of linksOf(doc, entityId)) roots.links.delete(linkId)
    roots.layout.delete(entityId)
    roots.episodes.delete(entityId)
    roots.factors.delete(entityId)
    roots.findings.delete(entityId)
  }, origin)
}

/** The Y.Text of an entity's free-text field (undefined if the entity has none). */
export function textOf(entity: Entity, field: string): Y.Text | undefined {
  const value = entity.get(field)
  return value instanceof Y.Text ? value : undefined
}

// ---------------------------------------------------------------------------
// Plain fields

/**
 * Sets a plain (last-writer-wins) field of an entity or link: a status, a date, a kind,
 * a category. A free-text field is never replaced by a string: it is edited in place.
 */
export function setField(entity: Entity, field: string, value: string, origin?: unknown): void {
  if (entity.get(field) instanceof Y.Text) throw new Error(`${field} is a free-text field: edit its Y.Text`)
  const apply = () => entity.set(field, value)
  if (entity.doc) entity.doc.transact(apply, origin)
  else apply()
}

/**
 * Sets the agencies an episode involves. They are kept as a Y.Map used as a set, so two
 * people adding different agencies at once both keep theirs; only the difference is written.
 */
export function setAgencies(episode: Entity, agencies: Iterable<string>, origin?: unknown): void {
  const map = episode.get('agencies')
  if (!(map instanceof Y.Map)) return
  const wanted = new Set(agencies)
  const apply = () => {
    for (const a of [...map.keys()]) if (!wanted.has(a)) map.delete(a)
    for (const a of wanted) if (!map.has(a)) map.set(a, true)
  }
  if (map.doc) map.doc.transact(apply, origin)
  else apply()
}

// ---------------------------------------------------------------------------
// Snapshots

/**
 * A snapshot's state (one Yjs update) as a board document of its own, with every root
 * named as the live board names them, so every screen and reading sees them all.
 */
export function boardFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  board(doc)
  for (const name of Object.keys(VOCABULARIES) as VocabularyName[]) vocabulary(doc, name)
  return doc
}

// ---------------------------------------------------------------------------
// Agreed work and suggestions

/** Statuses the review team sets: the case group then only suggests changes (the server enforces it). */
export const LOCKED_EPISODE_STATUSES: readonly string[] = ['agreed', 'checked', 'recheck']
export const LOCKED_FINDING_STATUSES: readonly string[] = ['agreed', 'tested', 'final']

/** True when only the review team and leads may change `entity` (an episode or finding). */
export function isAgreed(kind: 'episode' | 'finding', entity: Entity): boolean {
  const status = entity.get('status')
  const locked = kind === 'episode' ? LOCKED_EPISODE_STATUSES : LOCKED_FINDING_STATUSES
  return typeof status === 'string' && locked.includes(status)
}

export interface SuggestionInit {
  /** The episode's or finding's id. */
  entity: string
  kind: 'episode' | 'finding'
  /** A free-text field of it. */
  field: string
  /** The whole field as the suggester would have it. */
  text: string
  by: string
  byAgency?: string
}

/** Suggests a new wording for one field of agreed work; returns the suggestion's id. */
export function addSuggestion(doc: Y.Doc, init: SuggestionInit, origin?: unknown): string {
  const id = newId()
  doc.transact(() => {
    const suggestion = new Y.Map<unknown>()
    for (const [key, value] of Object.entries({ ...init, byAgency: init.byAgency ?? '', at: Date.now() })) {
      suggestion.set(key, value)
    }
    board(doc).suggestions.set(id, suggestion)
  }, origin)
  return id
}

/** The suggestions for `entityId`, oldest first. */
export function suggestionsFor(doc: Y.Doc, entityId: string): [string, Entity][] {
  return [...board(doc).suggestions.entries()]
    .filter(([, s]) => s.get('entity') === entityId)
    .sort(([, a], [, b]) => Number(a.get('at') ?? 0) - Number(b.get('at') ?? 0))
}

/** A plain string field of an entity ('' when missing or not a string). */
export function stringOf(entity: Entity, key: string): string {
  const value = entity.get(key)
  return typeof value === 'string' ? value : ''
}

/** Accepts a suggestion: its wording replaces the field's, and the suggestion goes. */
export function acceptSuggestion(doc: Y.Doc, suggestionId: string, origin?: unknown): void {
  const roots = board(doc)
  const suggestion = roots.suggestions.get(suggestionId)
  if (!suggestion) return
  const kind = suggestion.get('kind') === 'finding' ? roots.findings : roots.episodes
  const entity = kind.get(stringOf(suggestion, 'entity'))
  const field = entity ? textOf(entity, stringOf(suggestion, 'field')) : undefined
  doc.transact(() => {
    if (field) {
      field.delete(0, field.length)
      field.insert(0, stringOf(suggestion, 'text'))
    }
    roots.suggestions.delete(suggestionId)
  }, origin)
}

/** Declines (or withdraws) a suggestion. */
export function declineSuggestion(doc: Y.Doc, suggestionId: string, origin?: unknown): void {
  doc.transact(() => board(doc).suggestions.delete(suggestionId), origin)
}

/** An episode's or finding's stable reference ("E7"), given by the server; "" until then. */
export function referenceOf(entity: Entity | undefined): string {
  const value = entity?.get('ref')
  return typeof value === 'string' ? value : ''
}
