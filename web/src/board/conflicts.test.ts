import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'

import { choiceConflicts, type ChoiceConflict } from './conflicts'
import { addEpisode, board, initBoard, setField } from './schema'

/** Two synced copies of a board with one episode; returns them and the episode's id. */
function twoCopies() {
  const a = new Y.Doc()
  initBoard(a)
  const id = addEpisode(a, { title: 'GP appointment', status: 'candidate' })
  const b = new Y.Doc()
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  return { a, b, id }
}

/** Applies `from`'s changes to `to` and returns the conflicts `to` saw. */
function sync(from: Y.Doc, to: Y.Doc): ChoiceConflict[] {
  const seen: ChoiceConflict[] = []
  const handler = (t: Y.Transaction) => seen.push(...choiceConflicts(t))
  to.on('afterTransaction', handler)
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
  to.off('afterTransaction', handler)
  return seen
}

describe('choices set at the same time', () => {
  it('are reported to both people, with the value kept and the one dropped', () => {
    const { a, b, id } = twoCopies()
    setField(board(a).episodes.get(id)!, 'status', 'agreed')
    setField(board(b).episodes.get(id)!, 'status', 'checked')
    const seenByA = sync(b, a)
    const seenByB = sync(a, b)
    const kept = board(a).episodes.get(id)!.get('status')
    expect(board(b).episodes.get(id)!.get('status')).toBe(kept)
    const dropped = kept === 'agreed' ? 'checked' : 'agreed'
    const expected = { kind: 'episode', id, field: 'status', kept, dropped }
    expect(seenByA).toEqual([expected])
    // Whoever's value was kept may only learn that another was set.
    const keptB = kept === 'checked'
    expect(seenByB).toEqual([keptB ? { ...expected, dropped: expect.toBeOneOf([dropped, null]) as unknown } : expected])
  })

  it('are not reported for changes made one after the other, or for texts', () => {
    const { a, b, id } = twoCopies()
    setField(board(a).episodes.get(id)!, 'status', 'agreed')
    expect(sync(a, b)).toEqual([])
    setField(board(b).episodes.get(id)!, 'status', 'checked')
    expect(sync(b, a)).toEqual([])
    setField(board(a).episodes.get(id)!, 'quality', 'good')
    setField(board(b).episodes.get(id)!, 'quality', 'good')
    // The same value twice is no conflict.
    expect(sync(a, b)).toEqual([])
  })

  it('are not reported again to someone who loads the board afterwards', () => {
    const { a, b, id } = twoCopies()
    setField(board(a).episodes.get(id)!, 'status', 'agreed')
    setField(board(b).episodes.get(id)!, 'status', 'checked')
    sync(b, a)
    const fresh = new Y.Doc()
    expect(sync(a, fresh)).toEqual([])
  })
})
