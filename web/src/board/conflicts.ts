// Two people setting the same choice (a status, a practice quality, a category) at the
// same time, one of them offline: Yjs keeps one value and drops the other without a
// word. This watches for it: when a change from elsewhere lands on a choice field that
// was set here concurrently (both writes saw the same earlier value), it reports the
// value kept and the value dropped, so both people can see it and choose. Read from
// the transaction before Yjs discards the dropped value's content. Whoever's value was
// dropped always learns it; whoever's was kept may receive the other only as deleted,
// and learns that there was a conflict.

import * as Y from 'yjs'

import { ROOT } from './schema'

/** The plain fields that hold a choice among fixed values. */
export const CHOICE_FIELDS: readonly string[] = ['status', 'quality', 'category', 'priority', 'dateKind', 'level', 'type', 'polarity', 'kind']

const ENTITY_ROOTS: Record<string, 'episode' | 'factor' | 'finding' | 'link'> = {
  [ROOT.episodes]: 'episode',
  [ROOT.factors]: 'factor',
  [ROOT.findings]: 'finding',
  [ROOT.links]: 'link',
}

export interface ChoiceConflict {
  kind: 'episode' | 'factor' | 'finding' | 'link'
  id: string
  field: string
  /** The value the board kept. */
  kept: string
  /**
   * The value set at the same time that the board did not keep; null when it is no
   * longer known (whoever kept theirs may receive the other only as "deleted").
   */
  dropped: string | null
}

const sameId = (a: Y.ID | null, b: Y.ID | null) =>
  a === null || b === null ? a === b : a.client === b.client && a.clock === b.clock

/** Whether `item` was already in the document before `transaction` began. */
const before = (transaction: Y.Transaction, item: Y.Item) => item.id.clock < (transaction.beforeState.get(item.id.client) ?? 0)

function stringValue(item: Y.Item): string | null {
  if (!(item.content instanceof Y.ContentAny)) return null
  const [value] = item.content.getContent() as unknown[]
  return typeof value === 'string' ? value : null
}

/** The conflicts `transaction` brought to the choice fields of board entities. */
export function choiceConflicts(transaction: Y.Transaction): ChoiceConflict[] {
  const found: ChoiceConflict[] = []
  for (const [type, keys] of transaction.changed) {
    const entityItem = type._item
    const root = entityItem?.parent
    if (!(type instanceof Y.Map) || !entityItem || !(root instanceof Y.Map) || root._item !== null) continue
    const rootName = [...Object.keys(ENTITY_ROOTS)].find((name) => type.doc?.getMap(name) === root)
    if (!rootName || typeof entityItem.parentSub !== 'string') continue
    for (const field of keys) {
      if (field === null || !CHOICE_FIELDS.includes(field)) continue
      const current = type._map.get(field)
      if (!current || current.deleted) continue
      const kept = stringValue(current)
      if (kept === null) continue
      // The key's earlier values, linked to the left of the current one.
      for (let other = current.left; other !== null; other = other.left) {
        if (!(other instanceof Y.Item) || !sameId(other.origin, current.origin) || other.id.client === current.id.client) continue
        // A conflict between what was here and what arrived, not two old writes.
        if (before(transaction, other) === before(transaction, current)) continue
        const dropped = other.content instanceof Y.ContentDeleted ? null : stringValue(other)
        if (dropped !== kept && (dropped !== null || other.content instanceof Y.ContentDeleted)) {
          found.push({ kind: ENTITY_ROOTS[rootName], id: entityItem.parentSub, field, kept, dropped })
        }
      }
    }
  }
  return found
}

/** Calls `onConflict` for every choice conflict a change from elsewhere brings. */
export function watchChoiceConflicts(doc: Y.Doc, onConflict: (c: ChoiceConflict[]) => void) {
  const handler = (transaction: Y.Transaction) => {
    if (transaction.local) return
    const found = choiceConflicts(transaction)
    if (found.length > 0) onConflict(found)
  }
  doc.on('afterTransaction', handler)
  return () => doc.off('afterTransaction', handler)
}
