// "Tidy layout" on the factor map: dagre orders the nodes of each band to keep links
// short and uncrossed. Kept apart from layout.ts so that only the map loads dagre.

import dagre from '@dagrejs/dagre'
import * as Y from 'yjs'

import { BANDS, GAP, NODE_HEIGHT, NODE_WIDTH, BAND_HEIGHT, bandTop, mapNodes } from './layout'
import { board } from './schema'

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
  const positions = new Map<string, { x: number; y: number }>()
  for (const { band } of BANDS) {
    const inBand = nodes
      .filter((n) => n.band === band)
      .map((n) => ({ id: n.id, x: (graph.node(n.id) as { x?: number } | undefined)?.x ?? 0 }))
      .sort((a, b) => a.x - b.x)
    // Keep dagre's left-to-right order, spaced evenly, in the band's row.
    inBand.forEach(({ id }, i) => {
      positions.set(id, { x: i * (NODE_WIDTH + GAP), y: bandTop(band) + (BAND_HEIGHT - NODE_HEIGHT) / 2 })
    })
  }
  return positions
}
