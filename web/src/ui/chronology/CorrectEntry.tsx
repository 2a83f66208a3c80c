// Correcting an entry: its fields as they should read and why. The correction is kept
// as the entry's next version; the version imported stays, with who changed it.

import { useState } from 'react'

import { api, errorText, type ChronologyEntry } from '../../api/client'
import { formatDate } from '../../board/dates'
import { ErrorSummary } from '../Form'
import { sessionEnded, useSession } from '../session'

export function CorrectEntry({
  reviewId,
  entry,
  onDone,
}: {
  reviewId: string
  entry: ChronologyEntry
  onDone: (saved: boolean) => void | Promise<void>
}) {
  const session = useSession()
  const [fields, setFields] = useState({
    date: `${entry.approximate ? 'about ' : ''}${formatDate(entry.date)}`,
    time: entry.time,
    agency: entry.agency,
    role: entry.role,
    event: entry.event,
    source: entry.source,
    note: '',
  })
  const [problem, setProblem] = useState('')
  const [busy, setBusy] = useState(false)
  const set = (name: keyof typeof fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [name]: e.target.value }))
  const save = async () => {
    setBusy(true)
    setProblem('')
    try {
      await api.correctEntry(reviewId, entry.id, { version: entry.version, ...fields })
      await onDone(true)
    } catch (e) {
      if (!sessionEnded(e, session)) setProblem(errorText(e))
      setBusy(false)
    }
  }
  return (
    <form
      className="correct-entry"
      aria-label="Correct the entry"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
      data-testid="correct-entry"
    >
      <ErrorSummary problems={problem ? [{ message: problem }] : []} />
      <div className="form-grid">
        <label>
          Date
          <input value={fields.date} onChange={set('date')} required />
        </label>
        <label>
          Time
          <input value={fields.time} onChange={set('time')} placeholder="14:30" />
        </label>
        <label>
          Agency
          <input value={fields.agency} onChange={set('agency')} required />
        </label>
        <label>
          Role
          <input value={fields.role} onChange={set('role')} />
        </label>
        <label className="wide">
          Event
          <textarea value={fields.event} onChange={set('event')} required />
        </label>
        <label>
          Source
          <input value={fields.source} onChange={set('source')} />
        </label>
        <label className="wide">
          Why it is corrected
          <input value={fields.note} onChange={set('note')} placeholder="e.g. the agency confirmed the visit was on the 3rd" />
        </label>
      </div>
      <div className="form-actions">
        <button className="button" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save the correction'}
        </button>
        <button className="button secondary" type="button" onClick={() => void onDone(false)} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  )
}
