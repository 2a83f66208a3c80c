// The side panel for one node of the factor map: its text, links and history.

import { useEffect, useRef, useState } from 'react'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'

import { deletionWarning } from '../../board/consequences'
import { type MapNode } from '../../board/layout'
import { FACTOR_POLARITIES, LINK_KINDS, LINK_POLARITIES, addLink, agreeingPolarity, board, deleteEntity, deleteLink, linksOf, setField, textOf, vocabulary, type Entity, type LinkKind } from '../../board/schema'
import { LOCAL } from '../../sync/connection'
import { setFocus, type Person } from '../../sync/presence'
import { ConfirmDelete, SelectField } from '../Actions'
import { EntityHistory } from '../History'
import { ItemComments } from '../comments/ItemComments'
import { EditingNote, editorsOf } from '../Presence'
import { TextField } from '../TextField'
import { useBoardAccess } from '../boardAccess'
import { FACTOR_POLARITY_LABELS, LINK_KIND_LABELS, POLARITY_CHOICES, POLARITY_LABELS } from '../format'
import { useY } from '../useY'
import { KIND_LABELS, defaultLinkKind, titleField } from './nodes'

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
  /** Opens one of its links in the link panel (links are reached from their nodes). */
  onOpenLink: (linkId: string) => void
}

export function NodePanel({ doc, id, kind, entity, others, label, awareness, people, onClose, onOpenLink }: NodePanelProps) {
  useY(entity)
  // Opening a node (Enter on it, or a click) moves the focus into its panel.
  const panelRef = useRef<HTMLElement>(null)
  useEffect(() => {
    panelRef.current?.querySelector<HTMLElement>('[data-testid="map-node-title"]')?.focus()
  }, [])
  const { canEdit } = useBoardAccess()
  const levels = vocabulary(doc, 'factorLevels')
  const types = vocabulary(doc, 'factorTypes')
  const [target, setTarget] = useState(others[0]?.id ?? '')
  const targetKind = others.find((o) => o.id === target)?.kind
  const [linkKind, setLinkKind] = useState<LinkKind | ''>('')
  // Until chosen, a new link's effect agrees with the factor's influence.
  const [chosenPolarity, setPolarity] = useState('')
  const polarity = chosenPolarity || (target ? agreeingPolarity(doc, id, target) : 'neutral')
  const set = (field: string, v: string) => setField(entity, field, v, LOCAL)
  const field = titleField(kind)
  const links = linksOf(doc, id)
  return (
    <aside ref={panelRef} className="panel" aria-labelledby="node-panel-heading" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
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
              label="Influence on practice"
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
              <button className="link-button" type="button" onClick={() => onOpenLink(linkId)}>
                Details<span className="visually-hidden"> of this link</span>
              </button>{' '}
              {canEdit && (
                <button className="link-button" type="button" onClick={() => deleteLink(doc, linkId, LOCAL)}>
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
              label="Effect on practice"
              value={polarity}
              options={LINK_POLARITIES}
              labels={POLARITY_CHOICES}
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
            question="Delete this factor for everyone?"
            warning={() => deletionWarning(doc, id)}
            onDelete={() => {
              deleteEntity(doc, id, LOCAL)
              onClose()
            }}
          />
        </div>
      )}
      <ItemComments kind={kind} id={id} />
      <EntityHistory kind={kind} id={id} entity={entity} links={board(doc).links as Y.Map<unknown>} />
    </aside>
  )
}
