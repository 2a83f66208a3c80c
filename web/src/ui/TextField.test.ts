import * as prng from 'lib0/prng'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'

import { anchorCaret, applyDiff, placeCaret } from './TextField'

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

/** No half of a surrogate pair on its own, and no U+FFFD standing in for one. */
function intact(s: string) {
  return !/\p{Surrogate}/u.test(s) && !s.includes('\uFFFD')
}

/** Two copies of one field holding `initial`. */
function twoCopies(initial: string) {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.getText('t').insert(0, initial)
  sync(a, b)
  return [a, b] as const
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

  // Each edit shares a surrogate (or a base letter) with its neighbour, which is where a
  // diff by UTF-16 code units cuts a character in two.
  const edits: [string, string, string][] = [
    ['an emoji replaced by its neighbour', 'a😀b', 'a😁b'],
    ['an emoji typed before another', 'Seen 🙂', 'Seen 😃🙂'],
    ['an emoji typed after another', 'Seen 🙂', 'Seen 🙂😃'],
    ['an emoji taken out of a run', '😀😁😂', '😀😂'],
    ['a person added inside a ZWJ family', 'Home 👩‍👧', 'Home 👩‍👩‍👧'],
    ['the first person of a ZWJ family changed', '👨‍👩‍👧 moved', '👩‍👩‍👧 moved'],
    ['a skin tone added', 'Waved 👋', 'Waved 👋🏽'],
    ['a flag changed', 'Born 🇬🇧', 'Born 🇫🇷'],
    ['a flag typed before another', '🇬🇧', '🇮🇪🇬🇧'],
    ['a CJK extension B character changed', '姓𠀋', '姓𠀌'],
    ['a CJK extension B character typed between two', '𠀋𠀍', '𠀋𠀌𠀍'],
    ['a combining accent changed', 'Rene\u0301e', 'Rene\u0300e'],
    ['a combining accent removed', 'Jose\u0301', 'Jose'],
    ['a mathematical letter changed', 'Score 𝐀', 'Score 𝐁'],
  ]

  it.each(edits)('keeps %s whole, in both copies', (_, before, after) => {
    const [a, b] = twoCopies(before)
    const sent: string[] = []
    a.getText('t').observe((e) => {
      for (const d of e.delta) if (typeof d.insert === 'string') sent.push(d.insert)
    })
    applyDiff(a.getText('t'), before, after)
    sync(a, b)
    expect(a.getText('t').toString()).toBe(after)
    expect(b.getText('t').toString()).toBe(after)
    for (const piece of sent) expect(intact(piece), JSON.stringify(piece)).toBe(true)
  })

  it('merges two people typing emoji in one field into the same intact text', () => {
    const [a, b] = twoCopies('a😀b 🙂')
    applyDiff(a.getText('t'), 'a😀b 🙂', 'a😁b 🙂')
    applyDiff(b.getText('t'), 'a😀b 🙂', 'a😀b 😃🇬🇧𠀋🙂')
    sync(a, b)
    expect(a.getText('t').toString()).toBe('a😁b 😃🇬🇧𠀋🙂')
    expect(b.getText('t').toString()).toBe(a.getText('t').toString())
  })

  it('keeps both copies equal and intact through many random edits of astral text', () => {
    // Whole code points only, as a text box produces them; a fixed seed for a repeatable run.
    const alphabet = ['a', 'é', 'e', '\u0301', '😀', '😁', '🙂', '👩', '\u200d', '👧', '🇬', '🇧', '𠀋', '𠀌', '𝐀', '姓']
    const gen = prng.create(17)
    const edit = (s: string) => {
      const points = [...s]
      const at = prng.int32(gen, 0, points.length)
      const removed = prng.int32(gen, 0, Math.min(3, points.length - at))
      const added = Array.from({ length: prng.int32(gen, 0, 3) }, () => prng.oneOf(gen, alphabet))
      points.splice(at, removed, ...added)
      return points.join('')
    }
    const [a, b] = twoCopies('😀a🙂')
    for (let round = 0; round < 200; round++) {
      for (const doc of [a, b]) {
        const text = doc.getText('t')
        const before = text.toString()
        const after = edit(before)
        applyDiff(text, before, after)
        expect(text.toString()).toBe(after)
      }
      if (round % 3 === 2) sync(a, b)
    }
    sync(a, b)
    const merged = a.getText('t').toString()
    expect(b.getText('t').toString()).toBe(merged)
    expect(intact(merged), JSON.stringify(merged)).toBe(true)
  })
})

describe('the caret through remote edits', () => {
  /** One edit after another, as someone typing makes them. */
  const typeInOrder = (text: Y.Text, states: string[]) => {
    for (let i = 1; i < states.length; i++) applyDiff(text, states[i - 1], states[i])
  }

  it('stays after the same character when someone else adds or replaces emoji before it', () => {
    const [mine, theirs] = twoCopies('a😀b 🙂 c')
    const text = mine.getText('t')
    // My caret sits between "🙂" and " c"; "🙂" is two UTF-16 units, as the box counts.
    const caret = anchorCaret(text, 7, 7)

    typeInOrder(theirs.getText('t'), ['a😀b 🙂 c', 'a😁b 🙂 c', 'a😁🇬🇧b 🙂 c', '👩‍👧 a😁🇬🇧b 🙂 c'])
    sync(mine, theirs)
    expect(text.toString()).toBe('👩‍👧 a😁🇬🇧b 🙂 c')
    const [from, to] = placeCaret(text, caret)!
    expect(text.toString().slice(0, from)).toBe('👩‍👧 a😁🇬🇧b 🙂')
    expect(to).toBe(from)
  })

  it('keeps a selection over an emoji on whole characters while others type around it', () => {
    const [mine, theirs] = twoCopies('x🙂y')
    const text = mine.getText('t')
    const caret = anchorCaret(text, 1, 3)

    typeInOrder(theirs.getText('t'), ['x🙂y', '𠀋x🙂y', '𠀋x🙂y🇬🇧', '𠀋x🙂😀y🇬🇧'])
    sync(mine, theirs)
    const [from, to] = placeCaret(text, caret)!
    expect(text.toString()).toBe('𠀋x🙂😀y🇬🇧')
    expect(text.toString().slice(from, to)).toBe('🙂')
  })

  it('lands on a character boundary when the emoji it followed is replaced', () => {
    const [mine, theirs] = twoCopies('Seen 😀 today')
    const text = mine.getText('t')
    const caret = anchorCaret(text, 7, 7)

    applyDiff(theirs.getText('t'), 'Seen 😀 today', 'Seen 😁 today')
    sync(mine, theirs)
    const [from] = placeCaret(text, caret)!
    expect(text.toString()).toBe('Seen 😁 today')
    expect(intact(text.toString().slice(0, from))).toBe(true)
    expect(intact(text.toString().slice(from))).toBe(true)
  })
})
