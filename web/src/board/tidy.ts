// "Tidy layout" on the factor map: dagre orders the factors and findings of each band
// to keep links short and uncrossed; episodes go in the order they happened. Kept
// apart from layout.ts so that only the map loads dagre.

import dagre from '@dagrejs/dagre'
import * as Y from 'yjs'

import { whenSortKey } from './dates'
import { BANDS, GAP, NODE_HEIGHT, NODE_WIDTH, bandRow, mapNodes } from './layout'
import { board, ordered } from './schema'

/**
 * A tidy arrangement: dagre orders nodes to keep links short and uncrossed; each node
 * stays in its band. Returns new positions; the caller writes them in one change.
 */
export function tidy(doc: Y.Doc): Map<string, { x: number; y: number }> {
  const nodes = mapNodes(doc)
  const graph = new dagre.graphlib.Graph()
  graph.setGraph({ rankdir: 'TB', nodesep: GAP, ranksep: 60 })
  graph.setDefaultEdgeLabel(() => ({}))
  for (const n of nodes) graph.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT })
  for (const link of board(doc).links.values()) {
    const from = String(link.get('from'))
    const to = String(link.get('to'))
    if (graph.hasNode(from) && graph.hasNode(to)) graph.setEdge(from, to)
  }
  dagre.layout(graph)
  // Episodes in time order (undated ones after, in board order), as the table has them.
  const episodes = ordered(board(doc).episodes)
    .map(([id, e], i) => ({ id, key: whenSortKey(typeof e.get('dateStart') === 'string' ? (e.get('dateStart') as string) : ''), i }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
  const episodeRank = new Map(episodes.map((e, rank) => [e.id, rank]))
  const positions = new Map<string, { x: number; y: number }>()
  for (const { band } of BANDS) {
    const inBand = nodes
      .filter((n) => n.band === band)
      .map((n) => ({
        id: n.id,
        x: band === 'episodes' ? (episodeRank.get(n.id) ?? 0) : ((graph.node(n.id) as { x?: number } | undefined)?.x ?? 0),
      }))
      .sort((a, b) => a.x - b.x)
    // Spaced evenly in the band's row, in that order.
    inBand.forEach(({ id }, i) => positions.set(id, { x: i * (NODE_WIDTH + GAP), y: bandRow(band) }))
  }
  return positions
}
