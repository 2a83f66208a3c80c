// Discrepancies: entries whose agencies' accounts disagree (a meeting on two dates, an
// event one agency records and another does not), listed for the review team to
// explore in the conversations, and settled with what was found.

import { useState } from 'react'

import { api, errorText, type ChronologyEntry, type Discrepancy } from '../../api/client'
import { entryWhen } from '../../board/chronology'
import { when } from '../../review/words'
import { ErrorSummary } from '../Form'
import { sessionEnded, useSession } from '../session'

export function Discrepancies({
  reviewId,
  discrepancies,
  entries,
  onChanged,
}: {
  reviewId: string
  discrepancies: Discrepancy[]
  entries: ChronologyEntry[]
  onChanged: () => Promise<unknown>
}) {
  const session = useSession()
  const [settling, setSettling] = useState<string | null>(null)
  const [resolution, setResolution] = useState('')
  const [problem, setProblem] = useState('')
  const byId = new Map(entries.map((e) => [e.id, e]))
  const open = discrepancies.filter((d) => !d.resolvedAt)
  const settled = discrepancies.filter((d) => d.resolvedAt)

  const settle = async (d: Discrepancy, settle: boolean) => {
    setProblem('')
    try {
      await api.settleDiscrepancy(reviewId, d.id, settle, settle ? resolution : '')
      setSettling(null)
      setResolution('')
      await onChanged()
    } catch (e) {
      if (!sessionEnded(e, session)) setProblem(errorText(e))
    }
  }
  const item = (d: Discrepancy) => (
    <li key={d.id} data-testid="discrepancy">
      <p>
        <strong>{d.note}</strong>{' '}
        <span className="muted">
          (marked by {d.createdBy}, {when(d.createdAt)})
        </span>
      </p>
      <ul>
        {d.entries.map((id) => {
          const e = byId.get(id)
          return <li key={id}>{e ? `${entryWhen(e)}, ${e.agency}: ${e.event.slice(0, 200)}` : 'An entry no longer shown'}</li>
        })}
      </ul>
      {d.resolvedAt ? (
        <p>
          Settled {when(d.resolvedAt)}
          {d.resolution ? `: ${d.resolution}` : ''}.{' '}
          <button className="link-button" type="button" onClick={() => void settle(d, false)}>
            Reopen
          </button>
        </p>
      ) : settling === d.id ? (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void settle(d, true)
          }}
        >
          <label>
            What the conversations found
            <textarea value={resolution} onChange={(e) => setResolution(e.target.value)} maxLength={2000} autoFocus />
          </label>
          <div className="form-actions">
            <button className="button" type="submit">
              Settle it
            </button>
            <button className="button secondary" type="button" onClick={() => setSettling(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button className="button secondary small" type="button" onClick={() => setSettling(d.id)}>
          Settle…
        </button>
      )}
    </li>
  )
  return (
    <section aria-labelledby="discrepancies-heading" data-testid="discrepancies">
      <h3 id="discrepancies-heading">Discrepancies to explore ({open.length})</h3>
      <ErrorSummary problems={problem ? [{ message: problem }] : []} />
      {discrepancies.length === 0 ? (
        <p className="muted">
          None marked. Where agencies’ accounts disagree, or one records an event another does not, choose the entries and
          mark them, so the conversations with the case group explore it.
        </p>
      ) : (
        <>
          <ul className="discrepancies">{open.map(item)}</ul>
          {settled.length > 0 && (
            <details>
              <summary>{settled.length} settled</summary>
              <ul className="discrepancies">{settled.map(item)}</ul>
            </details>
          )}
        </>
      )}
    </section>
  )
}
