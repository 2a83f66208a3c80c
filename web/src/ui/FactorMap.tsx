// The factor map: contributory factors in their bands, episodes and findings, and the
// links between them. Nodes refer to entities by id (their labels are the entities'
// own titles); a drag is written once, when it ends; links can be made by dragging
// from one node to another or, from the keyboard, in the side panel.

import { useMemo, useState } from 'react'
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
  type NodeProps,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'

import { BANDS, BAND_HEIGHT, NODE_HEIGHT, NODE_WIDTH, bandTop, mapNodes, type MapNode } from '../board/layout'
import { tidy } from '../board/tidy'
import {
  FACTOR_POLARITIES,
  LINK_KINDS,
  LINK_POLARITIES,
  addFactor,
  addLink,
  board,
  deleteEntity,
  linksOf,
  place,
  textOf,
  vocabulary,
  type Entity,
  type LinkKind,
} from '../board/schema'
import { LOCAL } from '../sync/connection'
import { setFocus, type Person } from '../sync/presence'
import { EditingNote, editorsOf } from './Presence'
import { ConfirmDelete, SelectField, UndoButtons } from './Actions'
import { useBoardAccess } from './boardAccess'
import { EntityHistory } from './History'
import { FACTOR_POLARITY_LABELS, LINK_KIND_LABELS, POLARITY_LABELS } from './format'
import { TextField } from './TextField'
import { useUndo } from './useUndo'
import { useY } from './useY'

const KIND_LABELS = { factor: 'Contributory factor', episode: 'Key practice episode', finding: 'Finding' }

const titleField = (kind: MapNode['kind']) => (kind === 'finding' ? 'statement' : 'title')

/** The usual kind of link from one kind of node to another. */
function defaultLinkKind(from: MapNode['kind'] | undefined, to: MapNode['kind'] | undefined): LinkKind {
  if (from === 'episode' && to === 'finding') return 'evidence_for'
  return 'contributed_to'
}

type EntityNodeData = { title: string; kind: MapNode['kind']; detail: string; editors: Person[] }
type BandNodeData = { label: string }

function EntityNode({ data, selected }: NodeProps<Node<EntityNodeData>>) {
  return (
    <div className={`map-node map-node-${data.kind}${selected ? ' selected' : ''}`} style={{ width: NODE_WIDTH, minHeight: NODE_HEIGHT }}>
      <Handle type="target" position={Position.Top} />
      <span className="map-node-kind">{KIND_LABELS[data.kind]}</span>
      <span className="map-node-title">{data.title}</span>
      {data.detail && <span className="map-node-detail">{data.detail}</span>}
      {data.editors.length > 0 && <span className="map-node-detail">Editing: {data.editors.map((p) => p.name).join(', ')}</span>}
      <Handle type="source" position={Position.Bottom} />
    </div>
  )
}

function BandNode({ data }: NodeProps<Node<BandNodeData>>) {
  return (
    <div className="map-band" style={{ height: BAND_HEIGHT }}>
      <span>{data.label}</span>
    </div>
  )
}

const nodeTypes = { entity: EntityNode, band: BandNode }

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
  const { canEdit, snapshot } = useBoardAccess()

  const entities = mapNodes(doc)
  const kindOf = new Map(entities.map((n) => [n.id, n.kind]))
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
      position: { x: -240, y: bandTop(band) },
      data: { label: text },
      draggable: false,
      selectable: false,
      focusable: false,
      zIndex: -1,
      style: { width: width + 240 },
    })),
    ...entities.map((n) => {
      const entity = entityOf(n.id)
      const detail =
        n.kind === 'factor' && entity
          ? `${levels.get(String(entity.get('level')))?.label ?? ''} · ${FACTOR_POLARITY_LABELS[String(entity.get('polarity'))] ?? ''}`
          : ''
      return {
        id: n.id,
        type: 'entity',
        position: dragging.get(n.id) ?? { x: n.x, y: n.y },
        data: { title: label(n.id), kind: n.kind, detail, editors: editorsOf(people, { id: n.id }) },
        selected: selected.node === n.id,
        ariaLabel: `${KIND_LABELS[n.kind]}: ${label(n.id)}`,
      }
    }),
  ]
  const edges: Edge[] = [...roots.links.entries()]
    .filter(([, l]) => kindOf.has(String(l.get('from'))) && kindOf.has(String(l.get('to'))))
    .map(([id, l]) => {
      const polarity = String(l.get('polarity'))
      return {
        id,
        source: String(l.get('from')),
        target: String(l.get('to')),
        label: `${LINK_KIND_LABELS[String(l.get('kind'))] ?? ''} (${POLARITY_LABELS[polarity] ?? polarity})`,
        markerEnd: { type: MarkerType.ArrowClosed },
        className: `map-edge map-edge-${polarity}`,
        selected: selected.edge === id,
        ariaLabel: `${label(String(l.get('from')))} ${LINK_KIND_LABELS[String(l.get('kind'))]} ${label(String(l.get('to')))}`,
      }
    })

  const onNodesChange = (changes: NodeChange[]) => {
    for (const change of changes) {
      if (change.type === 'position' && change.position) {
        const position = change.position
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
    const id = addLink(doc, c.source, c.target, defaultLinkKind(kindOf.get(c.source), kindOf.get(c.target)), 'neutral', { origin: LOCAL })
    setSelected({ edge: id })
  }
  const addNewFactor = () => {
    const id = addFactor(doc, { title: '' }, { origin: LOCAL })
    setSelected({ node: id })
  }
  const tidyUp = () => {
    const positions = tidy(doc)
    doc.transact(() => {
      for (const [id, p] of positions) roots.layout.set(id, p)
    }, LOCAL)
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
            ? 'Drag a node to move it. Drag from the bottom of one node to the top of another to link them, or select a node and use “Add a link”. Use the controls to zoom and fit the map.'
            : 'Select a node or a link to read its details. Use the controls to zoom and fit the map.'}
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
            onPaneClick={() => setSelected({})}
            fitView
            minZoom={0.2}
            proOptions={{ hideAttribution: true }}
            deleteKeyCode={null}
          >
            <Background gap={24} />
            <Controls showInteractive={false} />
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
          onClose={() => setSelected({})}
        />
      )}
      {selected.edge && roots.links.get(selected.edge) && (
        <LinkPanel key={selected.edge} doc={doc} id={selected.edge} link={roots.links.get(selected.edge)!} label={label} onClose={() => setSelected({})} />
      )}
    </section>
  )
}

interface NodePanelProps {
  doc: Y.Doc
  id: string
  kind: MapNode['kind']
  entity: Entity
  others: { id: string; label: string; kind: MapNode['kind'] }[]
  label: (id: string) => string
  awareness: Awareness
  people: Person[]
  onClose: () => void
}

function NodePanel({ doc, id, kind, entity, others, label, awareness, people, onClose }: NodePanelProps) {
  useY(entity)
  const { canEdit } = useBoardAccess()
  const levels = vocabulary(doc, 'factorLevels')
  const types = vocabulary(doc, 'factorTypes')
  const [target, setTarget] = useState(others[0]?.id ?? '')
  const targetKind = others.find((o) => o.id === target)?.kind
  const [linkKind, setLinkKind] = useState<LinkKind | ''>('')
  const [polarity, setPolarity] = useState('neutral')
  const set = (field: string, v: string) => doc.transact(() => entity.set(field, v), LOCAL)
  const field = titleField(kind)
  const links = linksOf(doc, id)
  return (
    <aside className="panel" aria-labelledby="node-panel-heading" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="panel-header">
        <h2 id="node-panel-heading">{KIND_LABELS[kind]}</h2>
        <button className="button secondary" type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <TextField
        text={textOf(entity, field)!}
        label={kind === 'finding' ? 'Finding' : 'Title'}
        multiline={kind === 'finding'}
        testId="map-node-title"
        note={<EditingNote editors={editorsOf(people, { id, field })} />}
        onFocusChange={(focused) => setFocus(awareness, focused ? { kind, id, field } : null)}
      />
      {kind === 'factor' && (
        <>
          <TextField text={textOf(entity, 'description')!} label="Description" rows={3} />
          <div className="field-row">
            <div className="field">
              <label className="field-label" htmlFor="factor-level">
                Level
              </label>
              <select
                id="factor-level"
                value={String(entity.get('level'))}
                disabled={!canEdit}
                onChange={(e) => set('level', e.target.value)}
              >
                {[...levels.entries()].sort(([, a], [, b]) => a.order - b.order).map(([code, v]) => (
                  <option key={code} value={code}>
                    {v.label}
                  </option>
                ))}
              </select>
            </div>
            <SelectField
              id="factor-polarity"
              label="Influence"
              value={String(entity.get('polarity'))}
              options={FACTOR_POLARITIES}
              labels={FACTOR_POLARITY_LABELS}
              onChange={(v) => set('polarity', v)}
            />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="factor-type">
              Type of factor
            </label>
            <select
              id="factor-type"
              value={String(entity.get('type'))}
              disabled={!canEdit}
              onChange={(e) => set('type', e.target.value)}
            >
              {[...types.entries()].sort(([, a], [, b]) => a.order - b.order).map(([code, v]) => (
                <option key={code} value={code}>
                  {v.label}
                </option>
              ))}
            </select>
          </div>
        </>
      )}
      <h3>Links</h3>
      {links.length === 0 ? (
        <p className="muted">No links yet.</p>
      ) : (
        <ul className="link-list">
          {links.map(([linkId, l]) => (
            <li key={linkId}>
              {label(String(l.get('from')))} <strong>{LINK_KIND_LABELS[String(l.get('kind'))]}</strong> {label(String(l.get('to')))} (
              {POLARITY_LABELS[String(l.get('polarity'))]}){' '}
              {canEdit && (
                <button className="link-button" type="button" onClick={() => doc.transact(() => board(doc).links.delete(linkId), LOCAL)}>
                  Remove<span className="visually-hidden"> this link</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && others.length > 0 && (
        <fieldset className="field">
          <legend className="field-label">Add a link</legend>
          <div className="field">
            <label className="field-label" htmlFor="link-target">
              To
            </label>
            <select id="link-target" value={target} onChange={(e) => setTarget(e.target.value)}>
              {others.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field-row">
            <SelectField
              id="link-kind"
              label="Kind of link"
              value={linkKind || defaultLinkKind(kind, targetKind)}
              options={LINK_KINDS}
              labels={LINK_KIND_LABELS}
              onChange={(v) => setLinkKind(v as LinkKind)}
            />
            <SelectField
              id="link-polarity"
              label="Polarity"
              value={polarity}
              options={LINK_POLARITIES}
              labels={POLARITY_LABELS}
              onChange={(v) => setPolarity(v)}
            />
          </div>
          <button
            className="button secondary"
            type="button"
            disabled={!target}
            onClick={() =>
              addLink(doc, id, target, linkKind || defaultLinkKind(kind, targetKind), polarity as never, { origin: LOCAL })
            }
          >
            Add link
          </button>
        </fieldset>
      )}
      {kind === 'factor' && (
        <div className="panel-actions">
          <ConfirmDelete
            label="Delete factor"
            question="Delete this factor and its links for everyone?"
            onDelete={() => {
              deleteEntity(doc, id, LOCAL)
              onClose()
            }}
          />
        </div>
      )}
      <EntityHistory kind={kind} id={id} entity={entity} links={board(doc).links as Y.Map<unknown>} />
    </aside>
  )
}

function LinkPanel({
  doc,
  id,
  link,
  label,
  onClose,
}: {
  doc: Y.Doc
  id: string
  link: Entity
  label: (id: string) => string
  onClose: () => void
}) {
  useY(link)
  const { canEdit } = useBoardAccess()
  const set = (field: string, v: string) => doc.transact(() => link.set(field, v), LOCAL)
  return (
    <aside className="panel" aria-labelledby="link-panel-heading" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="panel-header">
        <h2 id="link-panel-heading">Link</h2>
        <button className="button secondary" type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p>
        From <strong>{label(String(link.get('from')))}</strong> to <strong>{label(String(link.get('to')))}</strong>
      </p>
      <SelectField
        id="edge-kind"
        label="Kind of link"
        value={String(link.get('kind'))}
        options={LINK_KINDS}
        labels={LINK_KIND_LABELS}
        onChange={(v) => set('kind', v)}
      />
      <SelectField
        id="edge-polarity"
        label="Polarity"
        value={String(link.get('polarity'))}
        options={LINK_POLARITIES}
        labels={POLARITY_LABELS}
        onChange={(v) => set('polarity', v)}
      />
      {canEdit && (
        <button
          className="button warning"
          type="button"
          onClick={() => {
            doc.transact(() => board(doc).links.delete(id), LOCAL)
            onClose()
          }}
        >
          Remove link
        </button>
      )}
    </aside>
  )
}


