import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'

import { BAND_HEIGHT, bandTop, mapNodes } from './layout'
import { tidy } from './tidy'
import { addEpisode, addFactor, addFinding, addLink, place } from './schema'

describe('the factor map layout', () => {
  it('puts every entity in its band, at its stored place if it has one', () => {
    const doc = new Y.Doc()
    const national = addFactor(doc, { level: 'national' })
    const frontline = addFactor(doc, { level: 'frontline' })
    const episode = addEpisode(doc)
    const finding = addFinding(doc)
    place(doc, episode, 500, 520)
    const nodes = new Map(mapNodes(doc).map((n) => [n.id, n]))
    expect(nodes.get(national)!.band).toBe('national')
    expect(nodes.get(national)!.y).toBeLessThan(BAND_HEIGHT)
    expect(nodes.get(frontline)!.band).toBe('frontline')
    expect(nodes.get(episode)).toMatchObject({ x: 500, y: 520, unplaced: false })
    expect(nodes.get(finding)!.y).toBeGreaterThanOrEqual(bandTop('findings'))
  })

  it('tidies every node into its band, following the links', () => {
    const doc = new Y.Doc()
    const a = addFactor(doc, { title: 'a' })
    const b = addFactor(doc, { title: 'b' })
    const e1 = addEpisode(doc)
    const e2 = addEpisode(doc)
    addLink(doc, b, e1, 'contributed_to')
    addLink(doc, a, e2, 'contributed_to')
    const positions = tidy(doc)
    expect(positions.size).toBe(4)
    for (const id of [a, b]) expect(positions.get(id)!.y).toBeLessThan(bandTop('episodes'))
    for (const id of [e1, e2]) {
      expect(positions.get(id)!.y).toBeGreaterThanOrEqual(bandTop('episodes'))
      expect(positions.get(id)!.y).toBeLessThan(bandTop('findings'))
    }
    // Nodes of one band never overlap.
    expect(positions.get(a)!.x).not.toBe(positions.get(b)!.x)
  })
})

describe('the map of a board read as plain data', () => {
  it('places nodes exactly as the live document does', async () => {
    const { plainMapNodes } = await import('./layout')
    const { toPlain } = await import('./plain')
    const doc = new Y.Doc()
    addFactor(doc, { level: 'national' })
    addFactor(doc, { level: 'frontline' })
    const episode = addEpisode(doc)
    addEpisode(doc)
    addFinding(doc)
    place(doc, episode, 500, 520)
    expect(plainMapNodes(toPlain(doc))).toEqual(mapNodes(doc))
  })
})
