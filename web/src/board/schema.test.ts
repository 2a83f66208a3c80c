import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'

import { buildFixtureBoard } from './fixture'
import { toPlain } from './plain'
import {
  EPISODE_TEXT_FIELDS,
  addEpisode,
  addFactor,
  addFactorToEpisode,
  addFinding,
  addLink,
  addRecommendation,
  board,
  boardFromState,
  deleteEntity,
  deleteLink,
  deleteRecommendation,
  initBoard,
  moveAfter,
  moveBy,
  ordered,
  place,
  placeAll,
  setAgencies,
  setField,
  textOf,
  vocabulary,
} from './schema'
import { TYPOLOGY } from './vocabulary'

/** Exchanges every update between the documents until they hold the same state. */
function sync(...docs: Y.Doc[]) {
  for (const a of docs) {
    for (const b of docs) {
      if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    }
  }
}

function twoPeople() {
  const a = new Y.Doc()
  const b = new Y.Doc()
  initBoard(a)
  sync(a, b)
  return { a, b }
}

describe('a new board', () => {
  it('carries its schema version and vocabularies, even when two people create it at once', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    initBoard(a)
    initBoard(b)
    sync(a, b)
    initBoard(a)
    const plain = toPlain(a)
    expect(plain.schemaVersion).toBe(1)
    expect(Object.keys(plain.vocabularies.typology)).toHaveLength(6)
    expect(plain.vocabularies.typology.human_tool_operation).toEqual(TYPOLOGY.human_tool_operation)
    expect(toPlain(b)).toEqual(plain)
  })
})

describe('episodes', () => {
  it('are created with every free-text field as a Y.Text', () => {
    const doc = new Y.Doc()
    const id = addEpisode(doc, { title: 'Home visit' })
    const episode = board(doc).episodes.get(id)!
    for (const field of EPISODE_TEXT_FIELDS) expect(textOf(episode, field)).toBeInstanceOf(Y.Text)
    expect(textOf(episode, 'title')!.toString()).toBe('Home visit')
  })

  it('keep both people’s words when they type in the same field at once', () => {
    const { a, b } = twoPeople()
    const id = addEpisode(a, { appraisal: 'Base.' })
    sync(a, b)
    textOf(board(a).episodes.get(id)!, 'appraisal')!.insert(5, ' Alice view.')
    textOf(board(b).episodes.get(id)!, 'appraisal')!.insert(5, ' Bob view.')
    sync(a, b)
    const merged = toPlain(a).episodes[0].appraisal
    expect(merged).toContain('Alice view.')
    expect(merged).toContain('Bob view.')
    expect(toPlain(b)).toEqual(toPlain(a))
  })

  it('keep their order, insertions and moves, without re-inserting anything', () => {
    const doc = new Y.Doc()
    const first = addEpisode(doc, { title: 'first' })
    const third = addEpisode(doc, { title: 'third' })
    const second = addEpisode(doc, { title: 'second' }, { afterId: first })
    const zeroth = addEpisode(doc, { title: 'zeroth' }, { afterId: null })
    expect(ordered(board(doc).episodes).map(([id]) => id)).toEqual([zeroth, first, second, third])
    const before = board(doc).episodes.get(third)
    moveAfter(board(doc).episodes, third, zeroth)
    expect(ordered(board(doc).episodes).map(([id]) => id)).toEqual([zeroth, third, first, second])
    expect(board(doc).episodes.get(third)).toBe(before)
  })

  it('move up and down one place, and not past either end', () => {
    const doc = new Y.Doc()
    const [a, b, c] = ['a', 'b', 'c'].map((title) => addEpisode(doc, { title }))
    const order = () => ordered(board(doc).episodes).map(([id]) => id)
    moveBy(board(doc).episodes, c, -1)
    expect(order()).toEqual([a, c, b])
    moveBy(board(doc).episodes, c, -1)
    moveBy(board(doc).episodes, c, -1)
    expect(order()).toEqual([c, a, b])
    moveBy(board(doc).episodes, a, 1)
    expect(order()).toEqual([c, b, a])
    moveBy(board(doc).episodes, a, 1)
    expect(order()).toEqual([c, b, a])
  })

  it('added at the same place by two people both stay, in the same order for everyone', () => {
    const { a, b } = twoPeople()
    const anchor = addEpisode(a, { title: 'anchor' })
    sync(a, b)
    addEpisode(a, { title: 'from a' }, { afterId: anchor })
    addEpisode(b, { title: 'from b' }, { afterId: anchor })
    sync(a, b)
    const titles = toPlain(a).episodes.map((e) => e.title)
    expect(titles).toHaveLength(3)
    expect(toPlain(b).episodes.map((e) => e.title)).toEqual(titles)
    // Their keys differ (each carries its client's tail), so an insert after either
    // lands right after it.
    const keys = ordered(board(a).episodes).map(([, e]) => e.get('order'))
    expect(new Set(keys).size).toBe(3)
    const [, first, second] = ordered(board(a).episodes).map(([id]) => id)
    addEpisode(a, { title: 'after the first' }, { afterId: first })
    const after = ordered(board(a).episodes).map(([id]) => id)
    expect(after.indexOf(first) + 1).toBe(after.indexOf(after.find((id) => board(a).episodes.get(id)?.get('title')?.toString() === 'after the first')!))
    expect(after.at(-1)).toBe(second)
  })

  it('keep their keys short through a long run of new rows', () => {
    const doc = new Y.Doc()
    initBoard(doc)
    for (let i = 0; i < 150; i++) addEpisode(doc, { title: `${i}` })
    const rows = ordered(board(doc).episodes)
    expect(rows.map(([, e]) => e.get('title')?.toString())).toEqual(Array.from({ length: 150 }, (_, i) => `${i}`))
    const longest = Math.max(...rows.map(([, e]) => String(e.get('order')).length))
    expect(longest).toBeLessThan(40)
  })

  it('three people adding rows at once keep each person’s rows together', () => {
    const a = new Y.Doc()
    initBoard(a)
    addEpisode(a, { title: 'anchor' })
    const b = new Y.Doc()
    const c = new Y.Doc()
    sync(a, b, c)
    // Each adds three rows at the end, and three after the anchor, offline.
    for (const [doc, who] of [[a, 'A'], [b, 'B'], [c, 'C']] as const) {
      for (let i = 1; i <= 3; i++) addEpisode(doc, { title: `${who}${i}` })
      let after = ordered(board(doc).episodes)[0][0]
      for (let i = 1; i <= 3; i++) after = addEpisode(doc, { title: `${who}m${i}` }, { afterId: after })
    }
    sync(a, b, c)
    const titles = toPlain(a).episodes.map((e) => e.title)
    expect(toPlain(b).episodes.map((e) => e.title)).toEqual(titles)
    expect(toPlain(c).episodes.map((e) => e.title)).toEqual(titles)
    // Whoever comes first, each person's rows are together and in the order added.
    const runs = (suffix: RegExp) =>
      titles
        .filter((t) => suffix.test(t))
        .join(' ')
    for (const who of ['A', 'B', 'C']) {
      expect(runs(new RegExp(`^${who}\\d$`))).toBe(`${who}1 ${who}2 ${who}3`)
      const at = titles.indexOf(`${who}1`)
      expect(titles.slice(at, at + 3)).toEqual([`${who}1`, `${who}2`, `${who}3`])
      const middle = titles.indexOf(`${who}m1`)
      expect(titles.slice(middle, middle + 3)).toEqual([`${who}m1`, `${who}m2`, `${who}m3`])
    }
    expect(titles[0]).toBe('anchor')
  })

  it('a move and a concurrent edit of the moved row both survive', () => {
    const { a, b } = twoPeople()
    const one = addEpisode(a, { title: 'one' })
    const two = addEpisode(a, { title: 'two', whatHappened: 'Visit.' })
    sync(a, b)
    moveAfter(board(a).episodes, two, null)
    textOf(board(b).episodes.get(two)!, 'whatHappened')!.insert(6, ' Nobody home.')
    sync(a, b)
    const plain = toPlain(b)
    expect(plain.episodes.map((e) => e.id)).toEqual([two, one])
    expect(plain.episodes[0].whatHappened).toBe('Visit. Nobody home.')
  })
})

describe('links and the map', () => {
  it('deleting an entity removes its links and its place on the map', () => {
    const doc = new Y.Doc()
    const episode = addEpisode(doc)
    const factor = addFactor(doc, { title: 'Workload' })
    const other = addFactor(doc, { title: 'Supervision' })
    addLink(doc, factor, episode, 'contributed_to', 'negative')
    addLink(doc, other, episode, 'supported', 'positive')
    place(doc, factor, 10, 20)
    deleteEntity(doc, factor)
    const plain = toPlain(doc)
    expect(plain.factors.map((f) => f.title)).toEqual(['Supervision'])
    expect(plain.links.map((l) => l.from)).toEqual([other])
    expect(plain.layout).toEqual({})
  })
})

describe('the shared fixture', () => {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
  const update = Y.encodeStateAsUpdate(buildFixtureBoard())
  const plain = JSON.stringify(toPlain(buildFixtureBoard()), null, 2) + '\n'

  it('is reproducible', () => {
    expect(Y.encodeStateAsUpdate(buildFixtureBoard())).toEqual(update)
  })

  it('matches what this code writes (UPDATE_FIXTURES=1 rewrites it)', () => {
    if (process.env.UPDATE_FIXTURES) {
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'board-v1.bin'), update)
      writeFileSync(join(dir, 'board-v1.json'), plain)
    }
    expect(new Uint8Array(readFileSync(join(dir, 'board-v1.bin')))).toEqual(update)
    expect(readFileSync(join(dir, 'board-v1.json'), 'utf8')).toBe(plain)
  })

  it('reads back the same from its bytes', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, update)
    expect(JSON.stringify(toPlain(doc), null, 2) + '\n').toBe(plain)
  })
})

describe('plain fields', () => {
  it('are set in one change with the given origin, and the last writer wins', () => {
    const { a, b } = twoPeople()
    const id = addEpisode(a, { title: 'Home visit' })
    sync(a, b)
    const origins: unknown[] = []
    a.on('afterTransaction', (t: Y.Transaction) => origins.push(t.origin))
    setField(board(a).episodes.get(id)!, 'status', 'agreed', 'me')
    expect(origins).toEqual(['me'])
    expect(toPlain(a).episodes[0].status).toBe('agreed')
    setField(board(b).episodes.get(id)!, 'status', 'checked')
    sync(a, b)
    expect(toPlain(a)).toEqual(toPlain(b))
  })

  it('never replace a free-text field', () => {
    const doc = new Y.Doc()
    const id = addEpisode(doc, { title: 'Home visit' })
    const episode = board(doc).episodes.get(id)!
    expect(() => setField(episode, 'title', 'Overwritten')).toThrow(/free-text/)
    expect(textOf(episode, 'title')!.toString()).toBe('Home visit')
  })
})

describe('agencies of an episode', () => {
  it('change by the difference only, so two people adding different agencies both keep theirs', () => {
    const { a, b } = twoPeople()
    const id = addEpisode(a, { title: 'Strategy meeting', agencies: ['Police'] })
    sync(a, b)
    setAgencies(board(a).episodes.get(id)!, ['Police', 'Health'])
    setAgencies(board(b).episodes.get(id)!, ['Police', 'Education'])
    sync(a, b)
    expect(toPlain(a).episodes[0].agencies).toEqual(['Education', 'Health', 'Police'])
    setAgencies(board(a).episodes.get(id)!, ['Health'])
    sync(a, b)
    expect(toPlain(b).episodes[0].agencies).toEqual(['Health'])
  })
})

describe('links and recommendations', () => {
  it('a link is deleted alone, leaving the entities it joined', () => {
    const doc = new Y.Doc()
    const episode = addEpisode(doc, { title: 'e' })
    const factor = addFactor(doc, { title: 'f' })
    const link = addLink(doc, factor, episode, 'contributed_to')
    deleteLink(doc, link)
    const plain = toPlain(doc)
    expect(plain.links).toEqual([])
    expect(plain.episodes).toHaveLength(1)
    expect(plain.factors).toHaveLength(1)
  })

  it('a factor added to an episode comes with its link, as one change', () => {
    const doc = new Y.Doc()
    const episode = addEpisode(doc, { title: 'e' })
    let changes = 0
    doc.on('afterTransaction', () => (changes += 1))
    const factor = addFactorToEpisode(doc, episode, { title: 'Workload' }, { origin: 'me' })
    expect(changes).toBe(1)
    const [link] = toPlain(doc).links
    expect(link).toMatchObject({ from: factor, to: episode, kind: 'contributed_to', polarity: 'negative' })
    expect(toPlain(doc).factors.map((f) => f.title)).toEqual(['Workload'])
  })

  it('a recommendation is deleted from its finding only', () => {
    const doc = new Y.Doc()
    const finding = addFinding(doc, { statement: 'Information was not shared' })
    const keep = addRecommendation(doc, finding, { text: 'keep' })!
    const drop = addRecommendation(doc, finding, { text: 'drop' })!
    deleteRecommendation(doc, finding, drop)
    expect(toPlain(doc).findings[0].recommendations.map((r) => r.id)).toEqual([keep])
  })
})

describe('the factor map', () => {
  it('places many nodes as one change', () => {
    const doc = new Y.Doc()
    const [x, y] = [addFactor(doc, { title: 'x' }), addFactor(doc, { title: 'y' })]
    let changes = 0
    doc.on('afterTransaction', () => (changes += 1))
    placeAll(doc, new Map([[x, { x: 10, y: 20 }], [y, { x: 30, y: 40 }]]))
    expect(changes).toBe(1)
    expect(toPlain(doc).layout).toEqual({ [x]: { x: 10, y: 20 }, [y]: { x: 30, y: 40 } })
  })
})

describe('a snapshot', () => {
  it('read from its state is the same board, with every root named', () => {
    const doc = new Y.Doc()
    initBoard(doc)
    addEpisode(doc, { title: 'Home visit' })
    const copy = boardFromState(Y.encodeStateAsUpdate(doc))
    expect(toPlain(copy)).toEqual(toPlain(doc))
    expect([...copy.share.keys()].sort()).toEqual([...doc.share.keys()].sort())
  })
})

describe('vocabulary corrections', () => {
  it('replace an earlier version’s wording of typology category 6, and nothing a board chose', () => {
    const doc = new Y.Doc()
    const typology = vocabulary(doc, 'typology')
    typology.set('human_judgement_reasoning', { label: 'Patterns in human judgement and reasoning', shortLabel: 'Innate human biases (cognitive and emotional)', order: 6 })
    typology.set('human_tool_operation', { label: 'Our own wording', shortLabel: 'Ours', order: 1 })
    initBoard(doc)
    expect(typology.get('human_judgement_reasoning')).toEqual(TYPOLOGY.human_judgement_reasoning)
    expect(typology.get('human_tool_operation')?.shortLabel).toBe('Ours')
  })
})
