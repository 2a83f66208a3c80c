// A board as plain data: what every reader of the document agrees it says.
// The server's typed reader (server/src/board) produces exactly this shape, and a
// shared fixture checks that both sides agree.

import * as Y from 'yjs'

import { VOCABULARIES, type VocabularyEntry, type VocabularyName } from './vocabulary'
import { board, ordered, seenBeforeOf, vocabulary, type Entity } from './schema'

export interface PlainEpisode {
  id: string
  order: string
  /** The stable reference ("E7"), given by the server; absent until it has. */
  ref?: string
  title: string
  dateKind: string
  dateStart: string
  dateEnd: string
  agencies: string[]
  whatHappened: string
  seenAtTheTime: string
  appraisal: string
  quality: string
  evidence: string
  openQuestions: string
  status: string
}

export interface PlainFactor {
  id: string
  order: string
  title: string
  description: string
  level: string
  type: string
  polarity: string
}

export interface PlainRecommendation {
  id: string
  order: string
  text: string
  type: string
  /** Where the board is with it (codebook `recommendationStatuses`); absent when not set. */
  status?: string
}

export interface PlainFinding {
  id: string
  order: string
  /** The stable reference ("F3"), given by the server; absent until it has. */
  ref?: string
  statement: string
  category: string
  /** A second typology code (the categories overlap), or empty. */
  secondaryCategory: string
  /** `supports` or `hinders` (codebook `effects`), or empty while not coded. */
  effect: string
  agencies: string[]
  inCase: string
  underlying: string
  widespread: string
  matters: string
  questions: string
  status: string
  priority: string
  recommendations: PlainRecommendation[]
  /** Published findings of earlier reviews it was linked to; absent when none. */
  seenBefore?: PlainSeenBefore[]
}

export interface PlainSeenBefore {
  id: string
  relation: string
  caseName: string
  year: number
  reference: string
  statement: string
}

export interface PlainLink {
  id: string
  from: string
  to: string
  kind: string
  polarity: string
}

export interface PlainBoard {
  schemaVersion: number
  vocabularyVersion: string
  vocabularies: Record<VocabularyName, Record<string, VocabularyEntry>>
  episodes: PlainEpisode[]
  factors: PlainFactor[]
  findings: PlainFinding[]
  links: PlainLink[]
  layout: Record<string, { x: number; y: number }>
}

const str = (entity: Entity, key: string): string => {
  const value = entity.get(key)
  if (value instanceof Y.Text) return value.toString()
  return typeof value === 'string' ? value : ''
}

const sortedKeys = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

export function toPlain(doc: Y.Doc): PlainBoard {
  const roots = board(doc)
  const schemaVersion = roots.meta.get('schemaVersion')
  const vocabularyVersion = roots.meta.get('vocabularyVersion')
  const vocabularies = Object.fromEntries(
    (Object.keys(VOCABULARIES) as VocabularyName[]).map((name) => [
      name,
      sortedKeys(Object.fromEntries(vocabulary(doc, name).entries())),
    ]),
  ) as PlainBoard['vocabularies']
  return {
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 0,
    vocabularyVersion: typeof vocabularyVersion === 'string' ? vocabularyVersion : '',
    vocabularies,
    episodes: ordered(roots.episodes).map(([id, e]) => {
      const agencies = e.get('agencies')
      return {
        id,
        order: str(e, 'order'),
        ...(str(e, 'ref') ? { ref: str(e, 'ref') } : {}),
        title: str(e, 'title'),
        dateKind: str(e, 'dateKind'),
        dateStart: str(e, 'dateStart'),
        dateEnd: str(e, 'dateEnd'),
        agencies: agencies instanceof Y.Map ? [...agencies.keys()].sort() : [],
        whatHappened: str(e, 'whatHappened'),
        seenAtTheTime: str(e, 'seenAtTheTime'),
        appraisal: str(e, 'appraisal'),
        quality: str(e, 'quality'),
        evidence: str(e, 'evidence'),
        openQuestions: str(e, 'openQuestions'),
        status: str(e, 'status'),
      }
    }),
    factors: ordered(roots.factors).map(([id, f]) => ({
      id,
      order: str(f, 'order'),
      title: str(f, 'title'),
      description: str(f, 'description'),
      level: str(f, 'level'),
      type: str(f, 'type'),
      polarity: str(f, 'polarity'),
    })),
    findings: ordered(roots.findings).map(([id, f]) => {
      const recommendations = f.get('recommendations')
      const agencies = f.get('agencies')
      return {
        id,
        order: str(f, 'order'),
        ...(str(f, 'ref') ? { ref: str(f, 'ref') } : {}),
        statement: str(f, 'statement'),
        category: str(f, 'category'),
        secondaryCategory: str(f, 'secondaryCategory'),
        effect: str(f, 'effect'),
        agencies: agencies instanceof Y.Map ? [...agencies.keys()].sort() : [],
        inCase: str(f, 'inCase'),
        underlying: str(f, 'underlying'),
        widespread: str(f, 'widespread'),
        matters: str(f, 'matters'),
        questions: str(f, 'questions'),
        status: str(f, 'status'),
        priority: str(f, 'priority'),
        recommendations:
          recommendations instanceof Y.Map
            ? ordered(recommendations as Y.Map<Entity>).map(([rid, r]) => ({
                id: rid,
                order: str(r, 'order'),
                text: str(r, 'text'),
                type: str(r, 'type'),
                ...(str(r, 'status') ? { status: str(r, 'status') } : {}),
              }))
            : [],
        ...seenBeforePlain(f),
      }
    }),
    links: [...roots.links.entries()]
      .map(([id, l]) => ({
        id,
        from: str(l, 'from'),
        to: str(l, 'to'),
        kind: str(l, 'kind'),
        polarity: str(l, 'polarity'),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    layout: sortedKeys(Object.fromEntries(roots.layout.entries())),
  }
}

function seenBeforePlain(finding: Entity): { seenBefore?: PlainSeenBefore[] } {
  const entries = seenBeforeOf(finding).map(([id, e]) => ({ id, ...e }))
  return entries.length > 0 ? { seenBefore: entries } : {}
}
