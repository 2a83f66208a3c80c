// The factor map's nodes: an episode, factor or finding, and the band each kind sits in.

import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'

import { BAND_HEIGHT, NODE_HEIGHT, NODE_WIDTH, type MapNode } from '../../board/layout'
import { type LinkKind } from '../../board/schema'
import { type Person } from '../../sync/presence'

export const KIND_LABELS = { factor: 'Contributory factor', episode: 'Key practice episode', finding: 'Finding' }

export const titleField = (kind: MapNode['kind']) => (kind === 'finding' ? 'statement' : 'title')

/** The usual kind of link from one kind of node to another. */
export function defaultLinkKind(from: MapNode['kind'] | undefined, to: MapNode['kind'] | undefined): LinkKind {
  if (from === 'episode' && to === 'finding') return 'evidence_for'
  return 'contributed_to'
}

/** How a node names its kind, before its reference ("Episode E3"). */
export const SHORT_KIND_LABELS = { factor: 'Factor', episode: 'Episode', finding: 'Finding' }

type EntityNodeData = { title: string; kind: MapNode['kind']; reference: string; detail: string; editors: Person[] }
type BandNodeData = { label: string }

export function EntityNode({ data, selected }: NodeProps<Node<EntityNodeData>>) {
  return (
    <div
      className={`map-node map-node-${data.kind}${selected ? ' selected' : ''}`}
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
      title={data.title}
    >
      <Handle type="target" position={Position.Top} />
      <span className="map-node-kind">
        {SHORT_KIND_LABELS[data.kind]}
        {data.reference && ` ${data.reference}`}
      </span>
      <span className="map-node-title">{data.title}</span>
      {/* Who is editing it says more, while they do, than its level. */}
      {data.editors.length > 0 ? (
        <span className="map-node-detail">Editing: {data.editors.map((p) => p.name).join(', ')}</span>
      ) : (
        data.detail && <span className="map-node-detail">{data.detail}</span>
      )}
      <Handle type="source" position={Position.Bottom} />
    </div>
  )
}

export function BandNode({ data }: NodeProps<Node<BandNodeData>>) {
  return (
    <div className="map-band" style={{ height: BAND_HEIGHT }}>
      <span>{data.label}</span>
    </div>
  )
}
