// The review page's snapshots: the list (label, meeting, when, by whom, a content
// fingerprint), taking one (leads), and for each (SnapshotItem.tsx): open it, compare
// it, restore it (leads), and turn it into the review report (leads and the review
// team, ReportPanel.tsx), with the pre-publication check for leads. The
// pseudonymisation register (leads) is PseudonymRegister.tsx.

import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'

import { api, errorText, type Meeting, type Role, type SnapshotInfo } from '../../api/client'
import { byPosition, keys, useApi } from '../../api/queries'
import { restoredText } from '../../review/compare'
import { defaultSnapshotLabel, mayExport, meetingSnapshotLabel } from '../../review/snapshots'
import { isLead } from '../../review/words'
import { ErrorSummary, TextInput, type Problem } from '../Form'
import { RestoreDialog } from '../RestoreDialog'
import { Section } from '../review-page/Section'
import { sessionEnded, useSession } from '../session'
import { SnapshotItem } from './SnapshotItem'

const NO_MEETINGS: Meeting[] = []

export function ReviewSnapshots({
  reviewId,
  role,
  onChanged,
  onRegisterChanged,
}: {
  reviewId: string
  role: Role
  onChanged: () => void
  /** A term was registered or marked safe from a check. */
  onRegisterChanged: () => void
}) {
  const lead = isLead(role)
  const queryClient = useQueryClient()
  // Refetched whenever a snapshot is taken elsewhere on the page (closing a meeting).
  const snapshotsQuery = useApi(keys.snapshots(reviewId), () => api.snapshots(reviewId))
  const meetingsQuery = useApi(keys.meetings(reviewId), () => api.meetings(reviewId), { select: byPosition })
  const snapshots = snapshotsQuery.data ?? null
  const meetings = meetingsQuery.data ?? NO_MEETINGS
  const failure = snapshotsQuery.failure || meetingsQuery.failure
  const problems: Problem[] = failure ? [{ message: failure }] : []
  const [message, setMessage] = useState('')
  const [restoring, setRestoring] = useState<SnapshotInfo | null>(null)

  const meetingTitle = (id?: string | null) => (id ? meetings.find((m) => m.id === id)?.title ?? 'A meeting no longer on the timeline' : '')
  const taken = (s: SnapshotInfo, words = `Took the snapshot “${s.label}”.`) => {
    setMessage(words)
    queryClient.setQueryData<SnapshotInfo[]>(keys.snapshots(reviewId), (list) => [s, ...(list ?? []).filter((x) => x.id !== s.id)])
    onChanged()
  }

  return (
    <Section
      id="snapshots"
      title="Snapshots"
      intro={
        <>
          A snapshot records the board as it is at one moment — usually what the team agreed at the end of a meeting.
          Snapshots never change. Open one to read it, compare it with the live board or another snapshot
          {mayExport(role) ? ', or turn it into the review report' : ''}
          {lead ? '; a lead reviewer can also bring the live board back to it' : ''}.
        </>
      }
    >
      <ErrorSummary problems={problems} />
      <p className="saved" role="status" data-testid="snapshots-message">
        {message}
      </p>
      {lead && <TakeSnapshot reviewId={reviewId} meetings={meetings} onTaken={(s) => taken(s)} />}
      {snapshots === null ? (
        <p className="muted">Loading the snapshots…</p>
      ) : snapshots.length === 0 ? (
        <div className="empty-state" data-testid="no-snapshots">
          <h3>No snapshots yet</h3>
          <p>
            {lead
              ? 'Take a snapshot at the end of each analysis meeting to record what the team agreed. You can then compare the board with it, restore it, and turn it into the review report.'
              : 'The lead reviewer has not taken any snapshots of the board yet. They appear here once they do, usually at the end of each meeting.'}
          </p>
        </div>
      ) : (
        <ol className="snapshots" data-testid="snapshots">
          {snapshots.map((s) => (
            <SnapshotItem
              key={s.id}
              reviewId={reviewId}
              snapshot={s}
              others={snapshots.filter((o) => o.id !== s.id)}
              meeting={meetingTitle(s.meeting_id)}
              role={role}
              onRestore={() => setRestoring(s)}
              onExported={onChanged}
              onRegisterChanged={onRegisterChanged}
            />
          ))}
        </ol>
      )}
      {restoring && (
        <RestoreDialog
          reviewId={reviewId}
          snapshot={restoring}
          onClose={() => setRestoring(null)}
          onTaken={(s) => taken(s, `Took the snapshot “${s.label}”.`)}
          onRestored={(result, keptAs) => {
            setRestoring(null)
            setMessage(restoredText(restoring.label, result.changes, keptAs))
            onChanged()
          }}
        />
      )}
    </Section>
  )
}

function TakeSnapshot({ reviewId, meetings, onTaken }: { reviewId: string; meetings: Meeting[]; onTaken: (s: SnapshotInfo) => void }) {
  const session = useSession()
  const [open, setOpen] = useState(false)
  // Focus goes to the label when the form opens, and back to the button when it closes.
  const opener = useRef<HTMLButtonElement>(null)
  const wasOpen = useRef(false)
  useEffect(() => {
    if (open) document.getElementById('snapshot-label')?.focus()
    else if (wasOpen.current) opener.current?.focus()
    wasOpen.current = open
  }, [open])
  const [label, setLabel] = useState('')
  const [edited, setEdited] = useState(false)
  const [meeting, setMeeting] = useState('')
  const [problems, setProblems] = useState<Problem[]>([])
  const [busy, setBusy] = useState(false)
  const start = () => {
    // The latest closed meeting is the likeliest one to record.
    const closed = [...meetings].reverse().find((m) => m.closed)
    setMeeting(closed?.id ?? '')
    setLabel(closed ? meetingSnapshotLabel(closed.title) : defaultSnapshotLabel())
    setEdited(false)
    setProblems([])
    setOpen(true)
  }
  const chooseMeeting = (id: string) => {
    setMeeting(id)
    if (edited) return
    const m = meetings.find((x) => x.id === id)
    setLabel(m ? meetingSnapshotLabel(m.title) : defaultSnapshotLabel())
  }
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!label.trim()) {
      setProblems([{ field: 'snapshot-label', message: 'Enter a label for the snapshot' }])
      return
    }
    setProblems([])
    setBusy(true)
    try {
      const s = await api.takeSnapshot(reviewId, { label: label.trim(), meeting_id: meeting || null })
      setOpen(false)
      onTaken(s)
    } catch (error) {
      if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
    } finally {
      setBusy(false)
    }
  }
  if (!open) {
    return (
      <div className="subsection">
        <button className="button" type="button" onClick={start} data-testid="take-snapshot" ref={opener}>
          Take a snapshot
        </button>
      </div>
    )
  }
  return (
    <form className="inline-form" onSubmit={submit} noValidate data-testid="snapshot-form">
      <h3>Take a snapshot of the board</h3>
      <p className="field-hint">
        It holds everything on the board at this moment, including edits people are making now. It cannot be changed
        afterwards.
      </p>
      <ErrorSummary problems={problems} />
      <TextInput
        id="snapshot-label"
        label="Label"
        hint="What it records, for example Analysis meeting 2: agreed"
        value={label}
        onChange={(v) => {
          setLabel(v)
          setEdited(true)
        }}
        problems={problems}
      />
      <div className="field">
        <label className="field-label" htmlFor="snapshot-meeting">
          Meeting it records (optional)
        </label>
        <select id="snapshot-meeting" value={meeting} onChange={(e) => chooseMeeting(e.target.value)}>
          <option value="">Not tied to a meeting</option>
          {meetings.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title}
              {m.closed ? ' (closed)' : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="form-actions">
        <button className="button" type="submit" disabled={busy}>
          {busy ? 'Taking the snapshot…' : 'Take snapshot'}
        </button>
        <button className="button secondary" type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  )
}
