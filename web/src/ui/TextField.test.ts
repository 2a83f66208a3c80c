import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'

import { applyDiff } from './TextField'

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

describe('applyDiff', () => {
  it('turns a typed edit into the smallest delete and insert', () => {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    text.insert(0, 'The referral was sent.')
    const deltas: unknown[] = []
    text.observe((e) => deltas.push(e.delta))
    applyDiff(text, 'The referral was sent.', 'The first referral was sent.')
    expect(text.toString()).toBe('The first referral was sent.')
    expect(deltas).toEqual([[{ retain: 4 }, { insert: 'first ' }]])
  })

  it('handles replacing a selection, deleting and non-Latin text', () => {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    applyDiff(text, '', 'Café 👶 visit')
    applyDiff(text, 'Café 👶 visit', 'Café 👶 home visit')
    applyDiff(text, 'Café 👶 home visit', 'Café visit')
    expect(text.toString()).toBe('Café visit')
  })

  it('lets two people type in one field and keeps both', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    applyDiff(a.getText('t'), '', 'Strategy meeting.')
    sync(a, b)
    applyDiff(a.getText('t'), 'Strategy meeting.', 'Strategy meeting (police).')
    applyDiff(b.getText('t'), 'Strategy meeting.', 'Strategy meeting. Not convened.')
    sync(a, b)
    expect(a.getText('t').toString()).toBe('Strategy meeting (police). Not convened.')
    expect(b.getText('t').toString()).toBe(a.getText('t').toString())
  })
})
