// What else goes when an entity is deleted: its links, named by what they join it to,
// so that the delete confirmation says it before anyone agrees.

import type * as Y from 'yjs'

import { board, linksOf } from './schema'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** "Its 3 links go with it: to 2 contributory factors and 1 finding it is evidence for." */
export function deletionConsequences(doc: Y.Doc, entityId: string): string {
  const roots = board(doc)
  const counts = new Map<string, number>()
  const links = linksOf(doc, entityId)
  for (const [, link] of links) {
    const outgoing = link.get('from') === entityId
    const end = outgoing ? link.get('to') : link.get('from')
    const other = typeof end === 'string' ? end : ''
    const evidence = link.get('kind') === 'evidence_for'
    const what = roots.findings.has(other)
      ? evidence && outgoing
        ? 'evidenced'
        : 'finding'
      : roots.episodes.has(other)
        ? evidence && !outgoing
          ? 'evidence'
          : 'episode'
        : roots.factors.has(other)
          ? 'factor'
          : 'other'
    counts.set(what, (counts.get(what) ?? 0) + 1)
  }
  if (links.length === 0) return 'It has no links.'
  const phrases: string[] = []
  const n = (what: string) => counts.get(what) ?? 0
  if (n('factor')) phrases.push(plural(n('factor'), 'contributory factor', 'contributory factors'))
  if (n('episode')) phrases.push(plural(n('episode'), 'episode', 'episodes'))
  if (n('evidence')) phrases.push(plural(n('evidence'), 'episode that is evidence for it', 'episodes that are evidence for it'))
  if (n('finding')) phrases.push(plural(n('finding'), 'finding', 'findings'))
  if (n('evidenced')) phrases.push(plural(n('evidenced'), 'finding it is evidence for', 'findings it is evidence for'))
  if (n('other')) phrases.push(plural(n('other'), 'item no longer on the board', 'items no longer on the board'))
  const list = phrases.length > 1 ? `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}` : phrases[0]
  const head = links.length === 1 ? 'Its link goes with it' : `Its ${links.length} links go with it`
  return `${head}: to ${list}.`
}

/** The words after "Delete … for everyone?": what goes with it, and how it comes back. */
export function deletionWarning(doc: Y.Doc, entityId: string): string {
  return `${deletionConsequences(doc, entityId)} The review team can put it back from “Deleted items” on the review page.`
}
