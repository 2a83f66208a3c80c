// Where nodes sit on the factor map. Factors sit in three bands by level (national at
// the top, then local strategic, then frontline), episodes below them and findings at
// the bottom, so the map reads from systemic causes down to the case and its findings.

import * as Y from 'yjs'

import type { PlainBoard } from './plain'
import { board, ordered } from './schema'

export type Band = 'national' | 'local_strategic' | 'frontline' | 'episodes' | 'findings'

export const BANDS: { band: Band; label: string }[] = [
  { band: 'national', label: 'National factors' },
  { band: 'local_strategic', label: 'Local strategic factors' },
  { band: 'frontline', label: 'Frontline factors' },
  { band: 'episodes', label: 'Key practice episodes' },
  { band: 'findings', label: 'Findings' },
]

export const BAND_HEIGHT = 170
export const NODE_WIDTH = 210
/** A node's height: its kind and reference, two lines of title, one of detail. */
export const NODE_HEIGHT = 112
export const GAP = 40
/** Room at the left of every band for its name. */
export const BAND_LABEL_WIDTH = 240
/** Room kept between a node and the edges of its band. */
export const BAND_PADDING = 8
/** The smallest text on a node at zoom 1, in px (`.map-node` in styles.css). */
export const SMALLEST_TEXT_PX = 14
/** Fitting the map to the view never zooms out further than this, so labels stay at least 12 px. */
export const LEGIBLE_ZOOM = 12 / SMALLEST_TEXT_PX

export interface MapNode {
  id: string
  kind: 'episode' | 'factor' | 'finding'
  band: Band
  x: number
  y: number
  /** True if nobody has placed it yet (it sits at its default place). */
  unplaced: boolean
}

export const bandTop = (band: Band) => BANDS.findIndex((b) => b.band === band) * BAND_HEIGHT

/** A node's top kept inside its band: a node never sits across two bands. */
export function clampToBand(band: Band, y: number): number {
  const top = bandTop(band) + BAND_PADDING
  const bottom = bandTop(band) + BAND_HEIGHT - NODE_HEIGHT - BAND_PADDING
  return Math.min(Math.max(y, top), bottom)
}

/** Where an unplaced node sits in its band (vertically centred). */
export const bandRow = (band: Band) => bandTop(band) + (BAND_HEIGHT - NODE_HEIGHT) / 2

export function bandOfLevel(level: unknown): Band {
  return level === 'national' || level === 'local_strategic' ? level : 'frontline'
}

/** Every entity as a map node, at its stored place or at a default one in its band. */
export function mapNodes(doc: Y.Doc): MapNode[] {
  const roots = board(doc)
  return placeNodes(
    ordered(roots.factors).map(([id, f]) => ({ id, level: f.get('level') })),
    ordered(roots.episodes).map(([id]) => id),
    ordered(roots.findings).map(([id]) => id),
    (id) => roots.layout.get(id),
  )
}

/** The same nodes from a board read as plain data (a snapshot, or either side of a comparison). */
export function plainMapNodes(plain: Pick<PlainBoard, 'factors' | 'episodes' | 'findings' | 'layout'>): MapNode[] {
  return placeNodes(
    plain.factors.map((f) => ({ id: f.id, level: f.level })),
    plain.episodes.map((e) => e.id),
    plain.findings.map((f) => f.id),
    (id) => plain.layout[id],
  )
}

function placeNodes(
  factors: { id: string; level: unknown }[],
  episodes: string[],
  findings: string[],
  storedAt: (id: string) => { x: number; y: number } | undefined,
): MapNode[] {
  const nodes: MapNode[] = []
  const next = new Map<Band, number>()
  const add = (id: string, kind: MapNode['kind'], band: Band) => {
    const stored = storedAt(id)
    const slot = next.get(band) ?? 0
    next.set(band, slot + 1)
    nodes.push({
      id,
      kind,
      band,
      x: stored ? stored.x : slot * (NODE_WIDTH + GAP),
      // A place stored by an older layout, or by hand, still shows inside the band.
      y: stored ? clampToBand(band, stored.y) : bandRow(band),
      unplaced: !stored,
    })
  }
  for (const f of factors) add(f.id, 'factor', bandOfLevel(f.level))
  for (const id of episodes) add(id, 'episode', 'episodes')
  for (const id of findings) add(id, 'finding', 'findings')
  return nodes
}
