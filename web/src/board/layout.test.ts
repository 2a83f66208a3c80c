import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'

import { BAND_HEIGHT, NODE_HEIGHT, bandTop, clampToBand, mapNodes } from './layout'
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

  it('tidies episodes into the order they happened, undated ones last in board order', () => {
    const doc = new Y.Doc()
    const late = addEpisode(doc, { title: 'late', dateStart: '2025-03-01' })
    const undated1 = addEpisode(doc, { title: 'undated 1' })
    const early = addEpisode(doc, { title: 'early', dateStart: '2024-11' })
    const undated2 = addEpisode(doc, { title: 'undated 2' })
    const positions = tidy(doc)
    const xs = [early, late, undated1, undated2].map((id) => positions.get(id)!.x)
    expect([...xs].sort((p, q) => p - q)).toEqual(xs)
  })

  it('keeps every node inside its band, wherever it was stored', () => {
    const doc = new Y.Doc()
    const national = addFactor(doc, { level: 'national' })
    const finding = addFinding(doc)
    // Dragged far into other bands (or stored by an older layout).
    place(doc, national, 0, 900)
    place(doc, finding, 0, -50)
    const nodes = new Map(mapNodes(doc).map((n) => [n.id, n]))
    for (const [id, band] of [[national, 'national'], [finding, 'findings']] as const) {
      const y = nodes.get(id)!.y
      expect(y).toBeGreaterThanOrEqual(bandTop(band))
      expect(y + NODE_HEIGHT).toBeLessThanOrEqual(bandTop(band) + BAND_HEIGHT)
    }
    expect(clampToBand('episodes', bandTop('episodes') + 20)).toBe(bandTop('episodes') + 20)
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
