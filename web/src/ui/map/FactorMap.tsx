// The factor map: contributory factors in their bands, episodes and findings, and the
// links between them. Nodes refer to entities by id (their labels are the entities'
// own titles); a drag is written once, when it ends; links can be made by dragging
// from one node to another or, from the keyboard, in the side panel (NodePanel.tsx,
// LinkPanel.tsx).

import { useEffect, useMemo, useRef, useState } from 'react'
import { Background, Controls, MarkerType, ReactFlow, type Connection, type Edge, type FitViewOptions, type Node, type NodeChange, type ReactFlowInstance } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'

import { BANDS, BAND_LABEL_WIDTH, LEGIBLE_ZOOM, NODE_WIDTH, bandTop, clampToBand, mapNodes, type Band } from '../../board/layout'
import { addFactor, addLink, agreeingPolarity, board, place, placeAll, textOf, vocabulary, type Entity } from '../../board/schema'
import { tidy } from '../../board/tidy'
import { LOCAL } from '../../sync/connection'
import { type Person } from '../../sync/presence'
import { UndoButtons } from '../Actions'
import { editorsOf } from '../Presence'
import { useBoardAccess } from '../boardAccess'
import { useOpenRequest } from '../openRequest'
import { FACTOR_POLARITY_LABELS, LINK_KIND_LABELS, POLARITY_LABELS } from '../format'
import { useUndo } from '../useUndo'
import { useY } from '../useY'
import { LinkPanel } from './LinkPanel'
import { NodePanel } from './NodePanel'
import { BandNode, EntityNode, KIND_LABELS, defaultLinkKind, titleField } from './nodes'

const nodeTypes = { entity: EntityNode, band: BandNode }

/** Fitting the map to the view keeps every label legible; a larger map pans. */
const FIT: FitViewOptions = { minZoom: LEGIBLE_ZOOM, padding: 0.05 }

/**
 * Fits the map to the view; when it is too big to fit legibly, shows it from its top
 * left corner (band names and national factors first) rather than from its middle.
 */
async function fitLegibly(flow: ReactFlowInstance | null) {
  if (!flow) return
  await flow.fitView(FIT)
  const zoom = flow.getZoom()
  if (zoom > LEGIBLE_ZOOM + 1e-3) return
  // The top left of everything drawn: the band names, or a node placed further left.
  const nodes = flow.getNodes()
  const left = Math.min(-BAND_LABEL_WIDTH, ...nodes.map((n) => n.position.x))
  const top = Math.min(0, ...nodes.map((n) => n.position.y))
  await flow.setViewport({ x: (8 - left) * zoom, y: (8 - top) * zoom, zoom })
}

interface Props {
  doc: Y.Doc
  awareness: Awareness
  people: Person[]
}

export function FactorMap({ doc, awareness, people }: Props) {
  const roots = useMemo(() => board(doc), [doc])
  const levels = useMemo(() => vocabulary(doc, 'factorLevels'), [doc])
  useY(roots.factors, roots.episodes, roots.findings, roots.links, roots.layout)
  const history = useUndo([roots.factors, roots.episodes, roots.findings, roots.links, roots.layout])
  // Where nodes are while being dragged; written to the board only on drop.
  const [dragging, setDragging] = useState<Map<string, { x: number; y: number }>>(new Map())
  const [selected, setSelected] = useState<{ node?: string; edge?: string }>({})
  // The link the pointer is on: its label shows (labels of every link at once pile up).
  const [hovered, setHovered] = useState<string | null>(null)
  const flow = useRef<ReactFlowInstance | null>(null)
  useOpenRequest('factor', (id) => setSelected({ node: id }))
  // Once the panel has gone, the focus goes back to the node it belonged to.
  const focusBack = useRef<string | null>(null)
  useEffect(() => {
    const id = focusBack.current
    if (!id || selected.node) return
    focusBack.current = null
    const node = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)
    // After React Flow has handled the same key press.
    setTimeout(() => node?.focus(), 0)
  }, [selected])
  const { canEdit, snapshot } = useBoardAccess()

  const entities = mapNodes(doc)
  const kindOf = new Map(entities.map((n) => [n.id, n.kind]))
  const bandOf = new Map<string, Band>(entities.map((n) => [n.id, n.band]))
  const entityOf = (id: string): Entity | undefined => roots.factors.get(id) ?? roots.episodes.get(id) ?? roots.findings.get(id)
  const label = (id: string) => {
    const entity = entityOf(id)
    const kind = kindOf.get(id)
    return (entity && kind && textOf(entity, titleField(kind))?.toString()) || `Untitled ${kind ?? 'item'}`
  }
  const width = Math.max(1200, ...entities.map((n) => n.x + NODE_WIDTH + 80))
  const nodes: Node[] = [
    ...BANDS.map(({ band, label: text }) => ({
      id: `band-${band}`,
      type: 'band',
      position: { x: -BAND_LABEL_WIDTH, y: bandTop(band) },
      data: { label: text },
      draggable: false,
      selectable: false,
      focusable: false,
      zIndex: -1,
      style: { width: width + BAND_LABEL_WIDTH },
    })),
    ...entities.map((n) => {
      const entity = entityOf(n.id)
      const reference = typeof entity?.get('ref') === 'string' ? String(entity.get('ref')) : ''
      const detail =
        n.kind === 'factor' && entity
          ? `${levels.get(String(entity.get('level')))?.label ?? ''} · ${FACTOR_POLARITY_LABELS[String(entity.get('polarity'))] ?? ''}`
          : ''
      return {
        id: n.id,
        type: 'entity',
        position: dragging.get(n.id) ?? { x: n.x, y: n.y },
        data: { title: label(n.id), kind: n.kind, reference, detail, editors: editorsOf(people, { id: n.id }) },
        selected: selected.node === n.id,
        ariaLabel: `${KIND_LABELS[n.kind]}${reference && ` ${reference}`}: ${label(n.id)}`,
      }
    }),
  ]
  const edges: Edge[] = [...roots.links.entries()]
    .filter(([, l]) => kindOf.has(String(l.get('from'))) && kindOf.has(String(l.get('to'))))
    .map(([id, l]) => {
      const polarity = String(l.get('polarity'))
      const [from, to] = [String(l.get('from')), String(l.get('to'))]
      const shown = id === hovered || id === selected.edge || from === selected.node || to === selected.node
      return {
        id,
        source: from,
        target: to,
        label: shown ? `${LINK_KIND_LABELS[String(l.get('kind'))] ?? ''} (${POLARITY_LABELS[polarity] ?? polarity})` : undefined,
        labelBgPadding: [4, 2] as [number, number],
        markerEnd: { type: MarkerType.ArrowClosed },
        className: `map-edge map-edge-${polarity}`,
        selected: selected.edge === id,
        ariaLabel: `${label(String(l.get('from')))} ${LINK_KIND_LABELS[String(l.get('kind'))]} ${label(String(l.get('to')))}`,
      }
    })

  const onNodesChange = (changes: NodeChange[]) => {
    for (const change of changes) {
      if (change.type === 'position' && change.position) {
        // A node moves along its band, never into another.
        const band = bandOf.get(change.id)
        const position = band ? { x: change.position.x, y: clampToBand(band, change.position.y) } : change.position
        setDragging((d) => new Map(d).set(change.id, position))
      }
      if (change.type === 'position' && change.dragging === false) {
        setDragging((d) => {
          const at = d.get(change.id)
          if (at) place(doc, change.id, at.x, at.y, LOCAL)
          const next = new Map(d)
          next.delete(change.id)
          return next
        })
      }
      if (change.type === 'select' && change.selected) setSelected({ node: change.id })
    }
  }
  const onConnect = (c: Connection) => {
    if (!c.source || !c.target || c.source === c.target) return
    const polarity = agreeingPolarity(doc, c.source, c.target)
    const id = addLink(doc, c.source, c.target, defaultLinkKind(kindOf.get(c.source), kindOf.get(c.target)), polarity, { origin: LOCAL })
    setSelected({ edge: id })
  }
  const addNewFactor = () => {
    const id = addFactor(doc, { title: '' }, { origin: LOCAL })
    setSelected({ node: id })
  }
  const tidyUp = () => {
    const positions = tidy(doc)
    placeAll(doc, positions, LOCAL)
    // Then the whole tidied map in view, as far as it fits legibly.
    requestAnimationFrame(() => void fitLegibly(flow.current))
  }

  return (
    <section
      className={`workspace${selected.node || selected.edge ? ' with-panel' : ''}`}
      aria-labelledby="map-heading"
      onKeyDown={history.onKeyDown}
    >
      <div className="workspace-main">
        <div className="section-heading">
          <h1 id="map-heading">Factor map</h1>
          <div className="toolbar">
            <UndoButtons history={history} what="the map" />
            {canEdit && (
              <>
                <button className="button secondary" type="button" onClick={tidyUp}>
                  Tidy layout
                </button>
                <button className="button" type="button" onClick={addNewFactor}>
                  Add factor
                </button>
              </>
            )}
          </div>
        </div>
        <p className="field-hint">
          {canEdit
            ? 'Drag a node to move it. Drag from the bottom of one node to the top of another to link them, or select a node and use “Add a link”. Point at a link, or select a node, to see what its links say. From the keyboard, Tab moves between nodes and Enter opens one. Use the controls to zoom and fit the map.'
            : 'Select a node or a link to read its details (point at a link to see what it says); from the keyboard, Tab moves between nodes and Enter opens one. Use the controls to zoom and fit the map.'}
        </p>
        {entities.length === 0 && (
          <div className="empty-state">
            <h2>Nothing on the map yet</h2>
            <p>
              {canEdit
                ? 'Episodes and findings appear here as they are added. Add the contributory factors that shaped practice.'
                : snapshot
                  ? 'This snapshot holds no episodes, factors or findings.'
                  : 'Episodes, findings and contributory factors appear here as the review team adds them.'}
            </p>
          </div>
        )}
        <div className="map" data-testid="factor-map">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onConnect={canEdit ? onConnect : undefined}
            nodesDraggable={canEdit}
            nodesConnectable={canEdit}
            onEdgeClick={(_, edge) => setSelected({ edge: edge.id })}
            onEdgeMouseEnter={(_, edge) => setHovered(edge.id)}
            onEdgeMouseLeave={() => setHovered(null)}
            onInit={(instance) => {
              flow.current = instance
              void fitLegibly(instance)
            }}
            // From the keyboard the map is its nodes (Tab), each opening with Enter; a
            // link is reached from its nodes' panels.
            edgesFocusable={false}
            onPaneClick={() => setSelected({})}
            fitView
            fitViewOptions={FIT}
            minZoom={0.2}
            proOptions={{ hideAttribution: true }}
            deleteKeyCode={null}
          >
            <Background gap={24} />
            <Controls showInteractive={false} fitViewOptions={FIT} onFitView={() => void fitLegibly(flow.current)} />
          </ReactFlow>
        </div>
      </div>
      {selected.node && entityOf(selected.node) && (
        <NodePanel
          key={selected.node}
          doc={doc}
          id={selected.node}
          kind={kindOf.get(selected.node)!}
          entity={entityOf(selected.node)!}
          others={entities.filter((n) => n.id !== selected.node).map((n) => ({ id: n.id, label: `${KIND_LABELS[n.kind]}: ${label(n.id)}`, kind: n.kind }))}
          label={label}
          awareness={awareness}
          people={people}
          onOpenLink={(linkId) => setSelected({ edge: linkId })}
          onClose={() => {
            // Escape returns focus to the node the panel came from, never to the page.
            focusBack.current = selected.node ?? null
            setSelected({})
          }}
        />
      )}
      {selected.edge && roots.links.get(selected.edge) && (
        <LinkPanel key={selected.edge} doc={doc} id={selected.edge} link={roots.links.get(selected.edge)!} label={label} onClose={() => setSelected({})} />
      )}
    </section>
  )
}
