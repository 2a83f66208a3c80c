// Searching one board: every episode, factor and finding text (recommendations too),
// ignoring case and accents, with each match shown in its context.

import type * as Y from 'yjs'

import { EPISODE_TEXT_FIELDS, FACTOR_TEXT_FIELDS, FINDING_TEXT_FIELDS, board, ordered, referenceOf, textOf, type Entity } from './schema'

export type SearchKind = 'episode' | 'factor' | 'finding'

export interface SearchHit {
  kind: SearchKind
  id: string
  /** "E7", "F3", or "" (factors have no reference). */
  ref: string
  /** The item's title or statement. */
  title: string
  field: string
  /** The words before the match, the match as written, and the words after. */
  before: string
  match: string
  after: string
}

/** Lower case without accents, keeping one character per character (so offsets agree). */
function fold(text: string): string {
  return [...text].map((c) => c.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().charAt(0) || c).join('')
}

const CONTEXT = 40

function around(text: string, at: number, length: number) {
  const chars = [...text]
  const start = Math.max(0, at - CONTEXT)
  const end = Math.min(chars.length, at + length + CONTEXT)
  return {
    before: (start > 0 ? '…' : '') + chars.slice(start, at).join(''),
    match: chars.slice(at, at + length).join(''),
    after: chars.slice(at + length, end).join('') + (end < chars.length ? '…' : ''),
  }
}

/** Every match of `query` on the board, in board order, at most `limit`. */
export function searchBoard(doc: Y.Doc, query: string, limit = 100): SearchHit[] {
  const wanted = fold(query.trim())
  if (wanted.length < 2) return []
  const roots = board(doc)
  const hits: SearchHit[] = []
  const look = (kind: SearchKind, id: string, entity: Entity, fields: readonly string[], titleField: string) => {
    const title = textOf(entity, titleField)?.toString() ?? ''
    const texts: [string, string][] = fields.map((f) => [f, textOf(entity, f)?.toString() ?? ''])
    const recommendations = entity.get('recommendations')
    if (kind === 'finding' && recommendations && typeof recommendations === 'object' && 'values' in recommendations) {
      for (const [, rec] of ordered(recommendations as Y.Map<Entity>)) texts.push(['recommendations', textOf(rec, 'text')?.toString() ?? ''])
    }
    for (const [field, text] of texts) {
      const folded = fold(text)
      let from = 0
      for (;;) {
        const at = folded.indexOf(wanted, from)
        if (at < 0 || hits.length >= limit) break
        // indexOf counts UTF-16 units; the context wants characters.
        const charAt = [...folded.slice(0, at)].length
        hits.push({ kind, id, ref: referenceOf(entity), title, field, ...around(text, charAt, [...wanted].length) })
        from = at + wanted.length
      }
    }
  }
  for (const [id, e] of ordered(roots.episodes)) look('episode', id, e, EPISODE_TEXT_FIELDS, 'title')
  for (const [id, f] of ordered(roots.factors)) look('factor', id, f, FACTOR_TEXT_FIELDS, 'title')
  for (const [id, f] of ordered(roots.findings)) look('finding', id, f, FINDING_TEXT_FIELDS, 'statement')
  return hits
}
