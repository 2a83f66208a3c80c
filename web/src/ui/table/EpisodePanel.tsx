// The side panel where one episode is edited: every field, its history, undo.

import { useEffect, useRef } from 'react'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'

import { deletionWarning } from '../../board/consequences'
import type { When } from '../../board/dates'
import { EPISODE_STATUSES, PRACTICE_QUALITIES, board, deleteEntity, isAgreed, moveBy, referenceOf, setField, textOf, type Entity } from '../../board/schema'
import { LOCAL } from '../../sync/connection'
import { setFocus, type Person } from '../../sync/presence'
import { PanelActions, SelectField } from '../Actions'
import { AgreedLock, AgreedNotice, Suggestions } from '../AgreedWork'
import { EntityHistory } from '../History'
import { ItemComments } from '../comments/ItemComments'
import { EditingNote, editorsOf } from '../Presence'
import { TextField } from '../TextField'
import { useBoardAccess } from '../boardAccess'
import { QUALITY_LABELS, STATUS_LABELS } from '../format'
import { useY } from '../useY'
import { EpisodeFactors } from './EpisodeFactors'
import { AgencyPicker } from './AgencyPicker'
import { WhenField } from './WhenField'
import { text, value } from './cells'

/** The episode's texts, as suggestions name them. */
const EPISODE_FIELD_LABELS = [
  ['title', 'Title'],
  ['whatHappened', 'What happened'],
  ['seenAtTheTime', 'How it was seen at the time'],
  ['appraisal', 'Reviewers’ appraisal of practice'],
  ['evidence', 'Evidence'],
  ['openQuestions', 'Open questions'],
] as const

interface PanelProps {
  doc: Y.Doc
  id: string
  episode: Entity
  number: number
  awareness: Awareness
  people: Person[]
  /** The field to put the caret in when the panel opens. */
  initialField?: string
  onClose: () => void
}

export function EpisodePanel({ doc, id, episode, number, awareness, people, initialField, onClose }: PanelProps) {
  useY(episode)
  const access = useBoardAccess()
  // Agreed work the person may not change shows read only (AgreedLock below).
  const canEdit = access.canEdit && (access.canChangeAgreed || !isAgreed('episode', episode))
  const panelRef = useRef<HTMLElement>(null)
  // Only when the panel opens: the field asked for then.
  const firstField = useRef(initialField)
  useEffect(() => {
    const field = `[data-field="${firstField.current ?? 'title'}"]`
    // In a group of choices, the one chosen (as the arrow keys would leave it).
    const target =
      panelRef.current?.querySelector<HTMLElement>(`${field} input:checked`) ??
      panelRef.current?.querySelector<HTMLElement>(`${field} :is(input, textarea, select)`)
    target?.focus()
  }, [])
  // Props for a free-text field: its Y.Text, who else edits it, and our focus on it.
  const live = (field: string) => ({
    field,
    text: textOf(episode, field)!,
    note: <EditingNote editors={editorsOf(people, { kind: 'episode', id, field })} />,
    onFocusChange: (focused: boolean) => setFocus(awareness, focused ? { kind: 'episode', id, field } : null),
  })
  const set = (field: string, v: string) => setField(episode, field, v, LOCAL)
  const episodes = board(doc).episodes
  const move = (by: -1 | 1) => moveBy(episodes, id, by, LOCAL)
  const title = text(episode, 'title')
  return (
    <aside
      ref={panelRef}
      className="panel"
      aria-labelledby="panel-heading"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault()
          onClose()
        }
      }}
    >
      <div className="panel-header">
        <h2 id="panel-heading">
          Episode {referenceOf(episode) || number}
          {title ? `: ${title}` : ''}
        </h2>
        <button className="button secondary" type="button" onClick={onClose}>
          Close<span className="visually-hidden"> episode {referenceOf(episode) || number}</span>
        </button>
      </div>
      <AgreedNotice kind="episode" entity={episode} />
      <Suggestions doc={doc} kind="episode" id={id} entity={episode} fields={EPISODE_FIELD_LABELS} />
      <AgreedLock kind="episode" entity={episode}>
      <TextField {...live('title')} label="Title" multiline={false} testId="episode-title" />
      <WhenField
        when={{
          kind: (value(episode, 'dateKind') || 'exact') as When['kind'],
          start: value(episode, 'dateStart'),
          end: value(episode, 'dateEnd'),
        }}
        onChange={(when) =>
          doc.transact(() => {
            set('dateKind', when.kind)
            set('dateStart', when.start)
            set('dateEnd', when.end)
          }, LOCAL)
        }
      />
      <AgencyPicker doc={doc} episode={episode} />
      <TextField {...live('whatHappened')} label="What happened" testId="episode-what-happened" />
      <TextField
        {...live('seenAtTheTime')}
        label="How it was seen at the time"
        hint="What the people involved thought was happening, what they were trying to achieve, and what options they saw"
        help="local-rationality"
      />
      <TextField
        {...live('appraisal')}
        label="Reviewers’ appraisal of practice"
        hint="Judged against what was known at the time, not with hindsight"
        help="appraisal"
        testId="episode-appraisal"
      />
      <fieldset className="field" data-field="quality">
        <legend className="field-label">Practice quality</legend>
        <div className="radios">
          {PRACTICE_QUALITIES.map((q) => (
            <label key={q} className="radio">
              <input
                type="radio"
                name={`quality-${id}`}
                value={q}
                checked={value(episode, 'quality') === q}
                disabled={!canEdit}
                onChange={() => set('quality', q)}
              />{' '}
              {QUALITY_LABELS[q]}
            </label>
          ))}
        </div>
      </fieldset>
      <EpisodeFactors doc={doc} episodeId={id} />
      <TextField {...live('evidence')} label="Evidence" hint="Records, conversation notes, meeting notes" rows={3} />
      <TextField {...live('openQuestions')} label="Open questions" rows={3} />
      <SelectField
        id="episode-status"
        label="Status"
        value={value(episode, 'status')}
        options={EPISODE_STATUSES}
        labels={STATUS_LABELS}
        onChange={(v) => set('status', v)}
        field="status"
      />
      <PanelActions
        noun="episode"
        number={referenceOf(episode) || number}
        onMove={move}
        warning={() => deletionWarning(doc, id)}
        onDelete={() => {
          deleteEntity(doc, id, LOCAL)
          onClose()
        }}
      />
      </AgreedLock>
      <ItemComments kind="episode" id={id} />
      <EntityHistory kind="episode" id={id} entity={episode} links={board(doc).links as Y.Map<unknown>} />
    </aside>
  )
}
