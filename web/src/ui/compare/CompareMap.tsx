// The factor map of the later board, overlaid with what changed: every node says in
// words whether it was added, removed (drawn where it was, dashed), changed or moved,
// with colour and outline as a second cue; removed links are dashed, added ones bold.
// Read only; loaded with React Flow only when someone opens the map.

import { useMemo } from 'react'
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react'
import '@xyflow/react/dist/style.css'

import type { Comparison } from '../../api/client'
import { BANDS, BAND_HEIGHT, BAND_LABEL_WIDTH, NODE_HEIGHT, NODE_WIDTH, bandTop } from '../../board/layout'
import type { PlainBoard } from '../../board/plain'
import { marksText, overlay, type OverlayNode } from '../../review/compare'
import { LINK_KIND_LABELS } from '../format'

const KIND_LABELS = { factor: 'Contributory factor', episode: 'Key practice episode', finding: 'Finding' }

type DiffNodeData = { node: OverlayNode }

function DiffNode({ data }: NodeProps<Node<DiffNodeData>>) {
  const { node } = data
  const words = marksText(node)
  const main = node.marks[0] ?? 'same'
  return (
    <div
      className={`map-node map-node-${node.kind} diff-node diff-${main}${node.marks.includes('moved') ? ' diff-moved-too' : ''}`}
      style={{ width: NODE_WIDTH, minHeight: NODE_HEIGHT }}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="map-node-kind">{KIND_LABELS[node.kind]}</span>
      <span className="map-node-title">{node.title}</span>
      {words && <span className={`diff-words diff-words-${main}`}>{words}</span>}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  )
}

function BandNode({ data }: NodeProps<Node<{ label: string }>>) {
  return (
    <div className="map-band" style={{ height: BAND_HEIGHT }}>
      <span>{data.label}</span>
    </div>
  )
}

const nodeTypes = { diff: DiffNode, band: BandNode }

export function CompareMap({ before, after, c }: { before: PlainBoard; after: PlainBoard; c: Comparison }) {
  const { nodes: overlaid, edges: links } = useMemo(() => overlay(before, after, c), [before, after, c])
  const width = Math.max(1200, ...overlaid.map((n) => n.x + NODE_WIDTH + 80))
  const title = new Map(overlaid.map((n) => [n.id, n.title]))
  const nodes: Node[] = [
    ...BANDS.map(({ band, label }) => ({
      id: `band-${band}`,
      type: 'band',
      position: { x: -BAND_LABEL_WIDTH, y: bandTop(band) },
      data: { label },
      draggable: false,
      selectable: false,
      focusable: false,
      zIndex: -1,
      style: { width: width + BAND_LABEL_WIDTH },
    })),
    ...overlaid.map((n) => ({
      id: n.id,
      type: 'diff',
      position: { x: n.x, y: n.y },
      data: { node: n },
      draggable: false,
      selectable: false,
      connectable: false,
      ariaLabel: `${KIND_LABELS[n.kind]}: ${n.title}${n.marks.length ? `. ${marksText(n)}` : ''}`,
    })),
  ]
  const edges: Edge[] = links.map((l) => {
    const kind = LINK_KIND_LABELS[l.kind] ?? l.kind
    const prefix = l.mark === 'same' ? '' : `${l.mark === 'added' ? 'Added' : l.mark === 'removed' ? 'Removed' : 'Changed'}: `
    return {
      id: l.id,
      source: l.from,
      target: l.to,
      label: `${prefix}${kind}`,
      markerEnd: { type: MarkerType.ArrowClosed },
      className: `map-edge map-edge-${l.polarity} diff-edge diff-edge-${l.mark}`,
      selectable: false,
      focusable: false,
      ariaLabel: `${prefix}${title.get(l.from)} ${kind} ${title.get(l.to)}`,
    }
  })
  const marked = overlaid.filter((n) => n.marks.length > 0)
  return (
    <>
      <ul className="legend map-legend" aria-label="Key to the map">
        <li>
          <span className="swatch swatch-added" aria-hidden="true" /> <strong>Added</strong>: thick green outline
        </li>
        <li>
          <span className="swatch swatch-removed" aria-hidden="true" /> <strong>Removed</strong>: dashed red outline, crossed
          out, where it was
        </li>
        <li>
          <span className="swatch swatch-changed" aria-hidden="true" /> <strong>Changed</strong>: double amber outline, with
          what changed
        </li>
        <li>
          <span className="swatch swatch-moved" aria-hidden="true" /> <strong>Moved on the map</strong>: dotted blue outline
        </li>
        <li>
          <span className="swatch swatch-same" aria-hidden="true" /> Unchanged
        </li>
      </ul>
      <div className="map compare-map" data-testid="compare-map">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          fitView
          fitViewOptions={{ nodes: overlaid.map((n) => ({ id: n.id })), padding: 0.15, maxZoom: 1.1 }}
          minZoom={0.2}
          proOptions={{ hideAttribution: true }}
          deleteKeyCode={null}
        >
          <Background gap={24} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      <details className="map-changes">
        <summary>The map’s changes as a list ({marked.length})</summary>
        {marked.length === 0 ? (
          <p>No node was added, removed, changed or moved.</p>
        ) : (
          <ul className="change-list" data-testid="map-changes">
            {marked.map((n) => (
              <li key={n.id}>
                {KIND_LABELS[n.kind]}: {n.title} — <strong>{marksText(n)}</strong>
              </li>
            ))}
          </ul>
        )}
      </details>
    </>
  )
}
