import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'

import { searchBoard } from './search'
import { addEpisode, addFactor, addFinding, addRecommendation, initBoard } from './schema'

describe('searching a board', () => {
  it('finds words in every kind of item, ignoring case and accents, in context', () => {
    const doc = new Y.Doc()
    initBoard(doc)
    addEpisode(doc, { title: 'Home visit', whatHappened: 'Nobody answered the door; the Health Visitor left a card.' })
    addFactor(doc, { title: 'Health visiting caseloads', description: 'Over 500 families each.' })
    const g = addFinding(doc, { statement: 'Agencies rely on memory.' })
    addRecommendation(doc, g, { text: 'Share health visiting records with the GP.' })
    addEpisode(doc, { title: 'Café meeting with Zoë' })
    const hits = searchBoard(doc, 'health visit')
    expect(hits.map((h) => [h.kind, h.field])).toEqual([
      ['episode', 'whatHappened'],
      ['factor', 'title'],
      ['finding', 'recommendations'],
    ])
    expect(hits[0]).toMatchObject({ title: 'Home visit', match: 'Health Visit', before: 'Nobody answered the door; the ', after: 'or left a card.' })
    expect(searchBoard(doc, 'zoe').map((h) => h.match)).toEqual(['Zoë'])
    expect(searchBoard(doc, 'CAFE')[0].match).toBe('Café')
    expect(searchBoard(doc, 'x')).toEqual([])
  })
})
