// The review's meeting timeline: when each meeting is, how it is held, who attends and
// whether it has closed. A lead changes, adds and removes meetings; closing one offers
// to take a snapshot of the board that records what the meeting agreed.

import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'

import { api, errorText, type Meeting, type Member } from '../../api/client'
import { byPosition, keys, useApi } from '../../api/queries'
import { meetingSnapshotLabel } from '../../review/snapshots'
import { MEETING_KINDS, MEETING_MODES, labelOf, meetingDate } from '../../review/words'
import { Choice, ErrorSummary, TextInput, useFields, type Problem } from '../Form'
import { Section } from './Section'
import { sessionEnded, useSession } from '../session'

export function ReviewTimeline({
  reviewId,
  lead,
  members,
  onChanged,
  onSnapshot,
}: {
  reviewId: string
  lead: boolean
  members: Member[]
  onChanged: () => void
  /** A snapshot was taken from the timeline. */
  onSnapshot?: () => void
}) {
  const session = useSession()
  // The meeting just closed, whose snapshot is offered.
  const [offer, setOffer] = useState<string | null>(null)
  const queryClient = useQueryClient()
  const query = useApi(keys.meetings(reviewId), () => api.meetings(reviewId), { select: byPosition })
  const meetings = query.data ?? null
  const [editing, setEditing] = useState<string | null>(null)
  const [adding, setAdding] = useState(false)
  const [problems, setProblems] = useState<Problem[]>([])
  const [message, setMessage] = useState('')
  const fail = (error: unknown) => {
    if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
  }
  /** After a change: the timeline as stored, and the audit trail told. */
  const load = () => {
    onChanged()
    return queryClient.invalidateQueries({ queryKey: keys.meetings(reviewId) })
  }

  const nameOf = (id: string) => members.find((m) => m.user_id === id)?.name ?? 'Someone no longer in the review'
  const update = async (meeting: Meeting, patch: Partial<Meeting>, done: string) => {
    setProblems([])
    try {
      await api.updateMeeting(reviewId, meeting.id, patch)
      setMessage(done)
      setEditing(null)
      if (patch.closed === true) setOffer(meeting.id)
      else if (patch.closed === false && offer === meeting.id) setOffer(null)
    } catch (error) {
      fail(error)
    }
    void load()
  }
  const remove = async (meeting: Meeting) => {
    setProblems([])
    try {
      await api.deleteMeeting(reviewId, meeting.id)
      setMessage(`Removed “${meeting.title}”.`)
    } catch (error) {
      fail(error)
    }
    void load()
  }

  return (
    <Section id="timeline" title="Meeting timeline">
      <ErrorSummary problems={query.failure ? [...problems, { message: query.failure }] : problems} />
      <p className="saved" role="status">
        {message}
      </p>
      {meetings === null ? (
        <p className="muted">Loading the timeline…</p>
      ) : meetings.length === 0 ? (
        <p className="muted">No meetings on the timeline.</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {meetings.map((m) => (
            <li key={m.id} className={`meeting${m.closed ? ' closed' : ''}`} data-testid="meeting">
              {editing === m.id ? (
                <MeetingForm
                  members={members}
                  meeting={m}
                  submitLabel="Save meeting"
                  onCancel={() => setEditing(null)}
                  onSubmit={(fields) => update(m, fields, `Saved “${fields.title}”.`)}
                />
              ) : (
                <>
                  <div className="meeting-head">
                    <h3 className="meeting-title">{m.title}</h3>
                    {m.closed && <span className="tag done">Closed</span>}
                  </div>
                  <dl className="meeting-facts">
                    <div>
                      <dt>Meeting</dt>
                      <dd>{labelOf(MEETING_KINDS, m.kind)}</dd>
                    </div>
                    <div>
                      <dt>When</dt>
                      <dd>{meetingDate(m.scheduled_at)}</dd>
                    </div>
                    <div>
                      <dt>How</dt>
                      <dd>{labelOf(MEETING_MODES, m.mode)}</dd>
                    </div>
                    <div>
                      <dt>Attending</dt>
                      <dd>{m.attendees.length ? m.attendees.map(nameOf).join(', ') : <span className="muted">Nobody listed</span>}</dd>
                    </div>
                  </dl>
                  {lead && (
                    <div className="meeting-actions">
                      <button className="link-button" type="button" onClick={() => setEditing(m.id)}>
                        Change<span className="visually-hidden"> {m.title}</span>
                      </button>
                      <button
                        className="link-button"
                        type="button"
                        id={`close-meeting-${m.id}`}
                        onClick={() =>
                          void update(
                            m,
                            { closed: !m.closed },
                            m.closed ? `Reopened “${m.title}”.` : `Closed “${m.title}”. You can now take a snapshot of the board to record what it agreed.`,
                          )
                        }
                      >
                        {m.closed ? 'Reopen' : 'Mark as closed'}
                        <span className="visually-hidden"> {m.title}</span>
                      </button>
                      <RemoveMeeting meeting={m} onRemove={() => void remove(m)} />
                    </div>
                  )}
                  {lead && offer === m.id && m.closed && (
                    <SnapshotOffer
                      reviewId={reviewId}
                      meeting={m}
                      onDone={(words) => {
                        setOffer(null)
                        // Focus returns to the meeting the offer was for.
                        requestAnimationFrame(() => document.getElementById(`close-meeting-${m.id}`)?.focus())
                        if (words) {
                          setMessage(words)
                          onSnapshot?.()
                          onChanged()
                        }
                      }}
                    />
                  )}
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {lead &&
        (adding ? (
          <MeetingForm
            members={members}
            submitLabel="Add meeting"
            onCancel={() => setAdding(false)}
            onSubmit={async (fields) => {
              setProblems([])
              try {
                await api.addMeeting(reviewId, fields)
                setMessage(`Added “${fields.title}”.`)
                setAdding(false)
              } catch (error) {
                fail(error)
              }
              void load()
            }}
          />
        ) : (
          <button className="button secondary" type="button" onClick={() => setAdding(true)}>
            Add a meeting
          </button>
        ))}
    </Section>
  )
}

/** After a lead closes a meeting: take a snapshot labelled after it, tied to it. */
function SnapshotOffer({ reviewId, meeting, onDone }: { reviewId: string; meeting: Meeting; onDone: (message: string) => void }) {
  const session = useSession()
  const [label, setLabel] = useState(meetingSnapshotLabel(meeting.title))
  const [problems, setProblems] = useState<Problem[]>([])
  const [busy, setBusy] = useState(false)
  const fieldId = `offer-label-${meeting.id}`
  const take = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!label.trim()) {
      setProblems([{ field: fieldId, message: 'Enter a label for the snapshot' }])
      return
    }
    setBusy(true)
    try {
      const s = await api.takeSnapshot(reviewId, { label: label.trim(), meeting_id: meeting.id })
      onDone(`Took the snapshot “${s.label}”: it is listed under Snapshots.`)
    } catch (error) {
      if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
      setBusy(false)
    }
  }
  return (
    <form className="inline-form snapshot-offer" onSubmit={take} noValidate data-testid="snapshot-offer" aria-labelledby={`${fieldId}-heading`}>
      <h4 id={`${fieldId}-heading`}>Record what “{meeting.title}” agreed?</h4>
      <p className="field-hint">
        Take a snapshot of the board as it is now, tied to this meeting. You can compare the board with it later, restore
        it, or turn it into the review report.
      </p>
      <ErrorSummary problems={problems} />
      <TextInput id={fieldId} label="Snapshot label" value={label} onChange={setLabel} problems={problems} />
      <div className="form-actions">
        <button className="button" type="submit" disabled={busy}>
          Take snapshot
        </button>
        <button className="button secondary" type="button" onClick={() => onDone('')}>
          Not now
        </button>
      </div>
    </form>
  )
}

function RemoveMeeting({ meeting, onRemove }: { meeting: Meeting; onRemove: () => void }) {
  const [confirming, setConfirming] = useState(false)
  if (!confirming) {
    return (
      <button className="link-button warning-link" type="button" onClick={() => setConfirming(true)}>
        Remove<span className="visually-hidden"> {meeting.title}</span>
      </button>
    )
  }
  return (
    <span className="confirm" role="alert">
      Remove “{meeting.title}” from the timeline?{' '}
      <button className="button warning small" type="button" onClick={onRemove}>
        Yes, remove it
      </button>{' '}
      <button className="button secondary small" type="button" onClick={() => setConfirming(false)}>
        Keep it
      </button>
    </span>
  )
}

interface MeetingFields {
  title: string
  kind: string
  scheduled_at: string
  mode: string
  attendees: string[]
}

function MeetingForm({
  members,
  meeting,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  members: Member[]
  meeting?: Meeting
  submitLabel: string
  onSubmit: (fields: MeetingFields) => Promise<void> | void
  onCancel: () => void
}) {
  const key = meeting?.id ?? 'new'
  const { values, set } = useFields({
    title: meeting?.title ?? '',
    kind: meeting?.kind ?? 'analysis',
    scheduled_at: meeting?.scheduled_at ?? '',
    mode: meeting?.mode ?? 'in_person',
  })
  const [attendees, setAttendees] = useState<Set<string>>(new Set(meeting?.attendees ?? []))
  const [problems, setProblems] = useState<Problem[]>([])
  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    if (!values.title.trim()) {
      setProblems([{ field: `meeting-title-${key}`, message: 'Enter a title for the meeting' }])
      return
    }
    setProblems([])
    void onSubmit({ ...values, title: values.title.trim(), attendees: [...attendees] })
  }
  return (
    <form onSubmit={submit} noValidate className="inline-form meeting-form" data-testid="meeting-form">
      {!meeting && <h3>Add a meeting</h3>}
      <ErrorSummary problems={problems} />
      <div className="field-row">
        <TextInput id={`meeting-title-${key}`} label="Title" value={values.title} onChange={set('title')} problems={problems} />
        <Choice id={`meeting-kind-${key}`} label="Kind of meeting" value={values.kind} onChange={set('kind')} options={MEETING_KINDS} />
      </div>
      <div className="field-row">
        <TextInput
          id={`meeting-when-${key}`}
          label="Date and time"
          type="datetime-local"
          value={values.scheduled_at}
          onChange={set('scheduled_at')}
        />
        <Choice id={`meeting-mode-${key}`} label="How it is held" value={values.mode} onChange={set('mode')} options={MEETING_MODES} />
      </div>
      <fieldset className="field">
        <legend className="field-label">Attending</legend>
        {members.length === 0 ? (
          <p className="field-hint">Nobody is in the review yet.</p>
        ) : (
          <div className="checkboxes columns">
            {members.map((m) => (
              <label key={m.user_id} className="checkbox">
                <input
                  type="checkbox"
                  checked={attendees.has(m.user_id)}
                  onChange={(e) => {
                    const next = new Set(attendees)
                    if (e.target.checked) next.add(m.user_id)
                    else next.delete(m.user_id)
                    setAttendees(next)
                  }}
                />{' '}
                {m.name}
                {m.agency ? `, ${m.agency}` : ''}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <div className="form-actions">
        <button className="button" type="submit">
          {submitLabel}
        </button>
        <button className="button secondary" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
