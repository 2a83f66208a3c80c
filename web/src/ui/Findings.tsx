// Findings: the underlying patterns the review identified, each classified by the
// typology, evidenced by episodes, with questions and recommendations for the board.

import { useMemo, useState } from 'react'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'

import {
  FINDING_STATUSES,
  PRIORITIES,
  addFinding,
  addLink,
  addRecommendation,
  board,
  deleteEntity,
  deleteLink,
  deleteRecommendation,
  isAgreed,
  referenceOf,
  moveBy,
  ordered,
  setField,
  textOf,
  vocabulary,
  type Entity,
} from '../board/schema'
import { deletionWarning } from '../board/consequences'
import { EFFECTS, RECOMMENDATION_STATUSES, type VocabularyEntry } from '../board/vocabulary'
import { LOCAL } from '../sync/connection'
import { setFocus, type Person } from '../sync/presence'
import { EditingNote, editorsOf } from './Presence'
import { PanelActions, SelectField, UndoButtons } from './Actions'
import { AgreedLock, AgreedNotice, Suggestions } from './AgreedWork'
import { HelpLink } from './Help'
import { useBoardAccess } from './boardAccess'
import { useOpenRequest } from './openRequest'
import { EntityHistory } from './History'
import { ItemComments } from './comments/ItemComments'
import { FINDING_STATUS_LABELS, PRIORITY_LABELS } from './format'
import { ReportTexts } from './ReportTexts'
import { SeenBefore } from './SeenBefore'
import { AgencyPicker } from './table/AgencyPicker'
import { TextField } from './TextField'
import { useUndo } from './useUndo'
import { useY } from './useY'


/**
 * The typology's category colours: Okabe–Ito hues (distinguishable with the common
 * colour-vision deficiencies) as a strong edge on a pale fill, always next to the
 * category's name, so colour is never the only cue.
 */
const CATEGORY_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9']
const CATEGORY_FILLS = ['#dceaf5', '#f8e1d2', '#d3efe6', '#f5e6ef', '#fbefd6', '#e0f1fb']

export function categoryStyle(order: number | undefined): React.CSSProperties | undefined {
  if (!order) return undefined
  const i = (order - 1) % CATEGORY_COLOURS.length
  return { borderColor: CATEGORY_COLOURS[i], borderLeftWidth: 6, background: CATEGORY_FILLS[i], color: '#0b0c0c' }
}

const text = (entity: Entity, field: string) => textOf(entity, field)?.toString() ?? ''
const value = (entity: Entity, field: string) => {
  const v = entity.get(field)
  return typeof v === 'string' ? v : ''
}

/** A board's vocabulary, in its order. */
function entries(map: Y.Map<VocabularyEntry>): [string, VocabularyEntry][] {
  return [...map.entries()].sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0))
}

interface Props {
  doc: Y.Doc
  awareness: Awareness
  people: Person[]
}

export function Findings({ doc, awareness, people }: Props) {
  const roots = useMemo(() => board(doc), [doc])
  const typology = useMemo(() => vocabulary(doc, 'typology'), [doc])
  useY(roots.findings, roots.episodes, roots.links, typology)
  const history = useUndo([roots.findings, roots.links])
  const { canEdit, snapshot } = useBoardAccess()
  const [openId, setOpenId] = useState<string | null>(null)
  const findings = ordered(roots.findings)
  const categoryLabel = (code: string) => typology.get(code)?.shortLabel ?? typology.get(code)?.label ?? ''
  const linkedEpisodes = (findingId: string) =>
    [...roots.links.values()].filter((l) => l.get('to') === findingId && roots.episodes.has(String(l.get('from')))).length
  const add = () => setOpenId(addFinding(doc, {}, { origin: LOCAL }))
  const open = openId ? roots.findings.get(openId) : undefined
  useOpenRequest('finding', (id) => setOpenId(id))

  return (
    <section
      className={`workspace${open ? ' with-panel' : ''}`}
      aria-labelledby="findings-heading"
      onKeyDown={history.onKeyDown}
      onFocus={history.stopCapturing}
    >
      <div className="workspace-main">
        <div className="section-heading">
          <h1 id="findings-heading">Findings</h1>
          <div className="toolbar">
            <UndoButtons history={history} what="the findings" />
            {canEdit && (
              <button className="button" type="button" onClick={add}>
                Add finding
              </button>
            )}
          </div>
        </div>
        {findings.length === 0 ? (
          <div className="empty-state">
            <h2>No findings yet</h2>
            <p>
              A finding names an underlying pattern that made good or problematic practice more likely — one that is
              likely to recur beyond this case. Classify it by the typology, link the episodes that show it, and add
              questions or recommendations for the board.
            </p>
            {canEdit ? (
              <button className="button" type="button" onClick={add}>
                Add the first finding
              </button>
            ) : (
              <p>{snapshot ? 'This snapshot holds no findings.' : 'The review team has not added any findings yet.'}</p>
            )}
          </div>
        ) : (
          <ol className="cards" data-testid="findings">
            {findings.map(([id, f], index) => {
              const category = value(f, 'category')
              const recommendations = f.get('recommendations')
              const count = recommendations instanceof Y.Map ? recommendations.size : 0
              const episodes = linkedEpisodes(id)
              return (
                <li key={id} className={`card${id === openId ? ' selected' : ''}`} data-testid="finding-card">
                  <button
                    type="button"
                    className="card-open"
                    onClick={() => setOpenId(id)}
                    aria-expanded={id === openId}
                    data-finding-open={id}
                  >
                    <span className="card-title">
                      Finding {referenceOf(f) || index + 1}: {text(f, 'statement') || <span className="muted">No statement yet</span>}
                    </span>
                  </button>
                  <p className="card-meta">
                    <span
                      className={`tag category${category ? '' : ' unclassified'}`}
                      style={category ? categoryStyle(typology.get(category)?.order) : undefined}
                    >
                      {category ? categoryLabel(category) : 'Not yet classified'}
                    </span>{' '}
                    <span>{FINDING_STATUS_LABELS[value(f, 'status')]}</span> ·{' '}
                    <span>{PRIORITY_LABELS[value(f, 'priority')]}</span> ·{' '}
                    <span>
                      {episodes} {episodes === 1 ? 'episode' : 'episodes'}
                    </span>{' '}
                    ·{' '}
                    <span>
                      {count} {count === 1 ? 'recommendation' : 'recommendations'}
                    </span>
                  </p>
                  <EditingNote editors={editorsOf(people, { kind: 'finding', id })} />
                </li>
              )
            })}
          </ol>
        )}
        <ReportTexts doc={doc} />
      </div>
      {open && openId && (
        <FindingPanel
          key={openId}
          doc={doc}
          id={openId}
          finding={open}
          number={findings.findIndex(([i]) => i === openId) + 1}
          awareness={awareness}
          people={people}
          onClose={() => {
            // Focus goes back to the finding it came from, never to the page.
            const from = openId
            setOpenId(null)
            requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-finding-open="${CSS.escape(from)}"]`)?.focus())
          }}
        />
      )}
    </section>
  )
}

interface PanelProps {
  doc: Y.Doc
  id: string
  finding: Entity
  number: number
  awareness: Awareness
  people: Person[]
  onClose: () => void
}

/** The finding's texts, as suggestions name them. */
const FINDING_FIELD_LABELS = [
  ['statement', 'Finding'],
  ['inCase', 'How it showed in this case'],
  ['underlying', 'Why it is underlying, not a one-off'],
  ['widespread', 'How widespread it is'],
  ['matters', 'Why it matters'],
  ['questions', 'Questions for the board'],
] as const

function FindingPanel({ doc, id, finding, number, awareness, people, onClose }: PanelProps) {
  const roots = board(doc)
  const typology = vocabulary(doc, 'typology')
  const recommendationTypes = vocabulary(doc, 'recommendationTypes')
  useY(finding, roots.links, roots.episodes)
  const access = useBoardAccess()
  // Agreed work the person may not change shows read only (AgreedLock below).
  const canEdit = access.canEdit && (access.canChangeAgreed || !isAgreed('finding', finding))
  const set = (field: string, v: string) => setField(finding, field, v, LOCAL)
  const live = (field: string) => ({
    text: textOf(finding, field)!,
    note: <EditingNote editors={editorsOf(people, { kind: 'finding', id, field })} />,
    onFocusChange: (focused: boolean) => setFocus(awareness, focused ? { kind: 'finding', id, field } : null),
  })
  const category = value(finding, 'category')
  const secondary = value(finding, 'secondaryCategory')
  const effect = value(finding, 'effect')
  const evidence = [...roots.links.entries()].filter(([, l]) => l.get('to') === id && l.get('kind') === 'evidence_for')
  const linked = new Map(evidence.map(([linkId, l]) => [String(l.get('from')), linkId]))
  const toggleEpisode = (episodeId: string, on: boolean) => {
    if (on) addLink(doc, episodeId, id, 'evidence_for', 'neutral', { origin: LOCAL })
    else {
      const linkId = linked.get(episodeId)
      if (linkId) deleteLink(doc, linkId, LOCAL)
    }
  }
  const recommendations = finding.get('recommendations')
  const move = (by: -1 | 1) => moveBy(roots.findings, id, by, LOCAL)
  return (
    <aside
      className="panel"
      aria-labelledby="finding-panel-heading"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault()
          onClose()
        }
      }}
    >
      <div className="panel-header">
        <h2 id="finding-panel-heading">Finding {referenceOf(finding) || number}</h2>
        <button className="button secondary" type="button" onClick={onClose}>
          Close<span className="visually-hidden"> finding {number}</span>
        </button>
      </div>
      <AgreedNotice kind="finding" entity={finding} />
      <Suggestions doc={doc} kind="finding" id={id} entity={finding} fields={FINDING_FIELD_LABELS} />
      <AgreedLock kind="finding" entity={finding}>
      <TextField {...live('statement')} label="Finding" hint="One or two sentences naming the underlying pattern" rows={3} testId="finding-statement" />
      <div className="field">
        <label className="field-label" htmlFor="finding-category">
          Typology category
        </label>
        <p className="field-hint" id="finding-category-hint">
          {category ? typology.get(category)?.label : 'Which pattern of systemic influence this finding shows'}
          {category && typology.get(category)?.description ? `: ${typology.get(category)?.description}` : ''}{' '}
          <HelpLink entry="typology">The six categories</HelpLink>
        </p>
        <select
          id="finding-category"
          aria-describedby="finding-category-hint"
          value={category}
          disabled={!canEdit}
          onChange={(e) => set('category', e.target.value)}
        >
          <option value="">Not yet classified</option>
          {entries(typology).map(([code, entry]) => (
            <option key={code} value={code}>
              {entry.shortLabel ?? entry.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="finding-secondary-category">
          Second category (optional)
        </label>
        <p className="field-hint" id="finding-secondary-category-hint">
          The categories overlap: a finding may also show a second pattern
          {secondary && typology.get(secondary)?.description ? ` (${typology.get(secondary)?.description})` : ''}
        </p>
        <select
          id="finding-secondary-category"
          aria-describedby="finding-secondary-category-hint"
          value={secondary}
          disabled={!canEdit}
          onChange={(e) => set('secondaryCategory', e.target.value)}
        >
          <option value="">None</option>
          {entries(typology)
            .filter(([code]) => code !== category)
            .map(([code, entry]) => (
              <option key={code} value={code}>
                {entry.shortLabel ?? entry.label}
              </option>
            ))}
        </select>
      </div>
      <fieldset className="field" data-field="effect">
        <legend className="field-label">Effect on practice</legend>
        <p className="field-hint">Reviews find patterns that help as well as ones that hinder: the library counts both.</p>
        <div className="checkboxes">
          {Object.entries(EFFECTS)
            .sort(([, a], [, b]) => a.order - b.order)
            .map(([code, entry]) => (
              <label key={code} className="checkbox">
                <input
                  type="radio"
                  name={`finding-effect-${id}`}
                  value={code}
                  checked={effect === code}
                  disabled={!canEdit}
                  onChange={() => set('effect', code)}
                />{' '}
                {entry.label}
                {entry.description && <span className="field-hint"> – {entry.description}</span>}
              </label>
            ))}
          <label className="checkbox">
            <input
              type="radio"
              name={`finding-effect-${id}`}
              value=""
              checked={!effect}
              disabled={!canEdit}
              onChange={() => set('effect', '')}
            />{' '}
            Not yet decided
          </label>
        </div>
      </fieldset>
      <AgencyPicker doc={doc} episode={finding} legend="Agencies involved in the pattern" />
      <fieldset className="field">
        <legend className="field-label">How it showed in this case: episodes</legend>
        {roots.episodes.size === 0 ? (
          <p className="field-hint">Add episodes in the practice-analysis table to link them here.</p>
        ) : (
          <div className="checkboxes">
            {ordered(roots.episodes).map(([episodeId, episode], i) => (
              <label key={episodeId} className="checkbox">
                <input
                  type="checkbox"
                  checked={linked.has(episodeId)}
                  disabled={!canEdit}
                  onChange={(e) => toggleEpisode(episodeId, e.target.checked)}
                />{' '}
                Episode {referenceOf(episode) || i + 1}: {text(episode, 'title') || 'Untitled episode'}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <TextField {...live('inCase')} label="How it showed in this case" rows={3} />
      <TextField {...live('underlying')} label="Why it is underlying, not a one-off" hint="Evidence from the case group, audits, data and other reviews" help="findings" rows={3} />
      <TextField {...live('widespread')} label="How widespread it is" rows={3} />
      <SeenBefore
        finding={finding}
        findingId={id}
        canEdit={canEdit}
        categoryLabel={(code) => typology.get(code)?.shortLabel ?? typology.get(code)?.label ?? code}
      />
      <TextField {...live('matters')} label="Why it matters" hint="For the reliability of the multi-agency system and the safety of children" rows={3} />
      <TextField {...live('questions')} label="Questions for the board" rows={3} />
      <fieldset className="field">
        <legend className="field-label">Recommendations</legend>
        {recommendations instanceof Y.Map &&
          ordered(recommendations as Y.Map<Entity>).map(([recId, rec], i) => (
            <div key={recId} className="recommendation">
              <TextField text={textOf(rec, 'text')!} label={`Recommendation ${i + 1}`} rows={2} testId="recommendation-text" />
              <div className="field-row">
                <div className="field">
                  <label className="field-label" htmlFor={`rec-type-${recId}`}>
                    Type of recommendation {i + 1}
                  </label>
                  <select
                    id={`rec-type-${recId}`}
                    value={value(rec, 'type')}
                    disabled={!canEdit}
                    onChange={(e) => setField(rec, 'type', e.target.value, LOCAL)}
                  >
                    {entries(recommendationTypes).map(([code, entry]) => (
                      <option key={code} value={code}>
                        {entry.label}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label className="field-label" htmlFor={`rec-status-${recId}`}>
                    Where the board is with recommendation {i + 1}
                  </label>
                  <select
                    id={`rec-status-${recId}`}
                    value={value(rec, 'status')}
                    disabled={!canEdit}
                    onChange={(e) => setField(rec, 'status', e.target.value, LOCAL)}
                  >
                    <option value="">Not recorded</option>
                    {Object.entries(RECOMMENDATION_STATUSES)
                      .sort(([, a], [, b]) => a.order - b.order)
                      .map(([code, entry]) => (
                        <option key={code} value={code}>
                          {entry.label}
                        </option>
                      ))}
                  </select>
                </div>
                {canEdit && (
                  <button
                    className="button secondary remove"
                    type="button"
                    onClick={() => deleteRecommendation(doc, id, recId, LOCAL)}
                  >
                    Remove<span className="visually-hidden"> recommendation {i + 1}</span>
                  </button>
                )}
              </div>
            </div>
          ))}
        {canEdit ? (
          <button className="button secondary" type="button" onClick={() => addRecommendation(doc, id, {}, { origin: LOCAL })}>
            Add recommendation
          </button>
        ) : (
          recommendations instanceof Y.Map && recommendations.size === 0 && <p className="field-hint">No recommendations yet.</p>
        )}
      </fieldset>
      <div className="field-row">
        <SelectField
          id="finding-status"
          label="Status"
          value={value(finding, 'status')}
          options={FINDING_STATUSES}
          labels={FINDING_STATUS_LABELS}
          onChange={(v) => set('status', v)}
        />
        <SelectField
          id="finding-priority"
          label="Priority"
          value={value(finding, 'priority')}
          options={PRIORITIES}
          labels={PRIORITY_LABELS}
          onChange={(v) => set('priority', v)}
        />
      </div>
      <PanelActions
        noun="finding"
        number={referenceOf(finding) || number}
        onMove={move}
        warning={() => deletionWarning(doc, id)}
        onDelete={() => {
          deleteEntity(doc, id, LOCAL)
          onClose()
        }}
      />
      </AgreedLock>
      <ItemComments kind="finding" id={id} />
      <EntityHistory kind="finding" id={id} entity={finding} links={roots.links as Y.Map<unknown>} />
    </aside>
  )
}
