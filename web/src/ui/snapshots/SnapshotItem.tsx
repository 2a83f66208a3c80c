// One snapshot in the review page's list: what it is, and what can be done with it.

import { useId, useState } from 'react'

import { type Role, type SnapshotInfo } from '../../api/client'
import { mayExport, shortHash, takenBy } from '../../review/snapshots'
import { isLead, longDate, when } from '../../review/words'
import { compareHref, linkTo, navigate, snapshotHref } from '../route'
import { ReportPanel } from './ReportPanel'

export function SnapshotItem({
  reviewId,
  snapshot: s,
  others,
  meeting,
  role,
  onRestore,
  onExported,
  onRegisterChanged,
}: {
  reviewId: string
  snapshot: SnapshotInfo
  others: SnapshotInfo[]
  meeting: string
  role: Role
  onRestore: () => void
  onExported: () => void
  onRegisterChanged: () => void
}) {
  const lead = isLead(role)
  const [other, setOther] = useState('live')
  const [reportOpen, setReportOpen] = useState(false)
  const id = useId()
  const headingId = `${id}-heading`
  return (
    <li className="snapshot" data-testid="snapshot" aria-labelledby={headingId}>
      <div className="snapshot-head">
        <h3 id={headingId} className="snapshot-title">
          <a {...linkTo(snapshotHref(reviewId, s.id))}>{s.label}</a>
        </h3>
        {meeting && <span className="tag meeting-tag">Meeting: {meeting}</span>}
      </div>
      <dl className="meeting-facts">
        <div>
          <dt>When</dt>
          <dd>{when(s.taken_at)}</dd>
        </div>
        <div>
          <dt>By</dt>
          <dd>{takenBy(s)}</dd>
        </div>
        <div>
          <dt>Content fingerprint</dt>
          <dd>
            <code title={`SHA-256 ${s.content_hash}`}>{shortHash(s.content_hash)}</code>
          </dd>
        </div>
      </dl>
      <div className="snapshot-actions">
        <a className="button secondary small" {...linkTo(snapshotHref(reviewId, s.id))}>
          Open<span className="visually-hidden"> “{s.label}”</span>
        </a>
        <form
          className="compare-with"
          onSubmit={(e) => {
            e.preventDefault()
            navigate(compareHref(reviewId, s.id, other))
          }}
        >
          <label htmlFor={`${id}-with`}>
            Compare with<span className="visually-hidden"> “{s.label}”</span>
          </label>{' '}
          <select id={`${id}-with`} value={other} onChange={(e) => setOther(e.target.value)}>
            <option value="live">the live board</option>
            {others.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label} ({longDate(o.taken_at)})
              </option>
            ))}
          </select>{' '}
          <button className="button secondary small" type="submit">
            Compare<span className="visually-hidden"> “{s.label}”</span>
          </button>
        </form>
        {mayExport(role) && (
          <button
            className="link-button"
            type="button"
            aria-expanded={reportOpen}
            aria-controls={`${id}-report`}
            onClick={() => setReportOpen(!reportOpen)}
          >
            {reportOpen ? 'Hide the report' : lead ? 'Check and export the report' : 'Export the report'}
            <span className="visually-hidden"> of “{s.label}”</span>
          </button>
        )}
        {lead && (
          <button className="link-button warning-link" type="button" onClick={onRestore}>
            Restore<span className="visually-hidden"> “{s.label}”</span>…
          </button>
        )}
      </div>
      {reportOpen && (
        <div id={`${id}-report`}>
          <ReportPanel
            reviewId={reviewId}
            snapshot={s}
            lead={lead}
            onExported={onExported}
            onRegisterChanged={onRegisterChanged}
          />
        </div>
      )}
    </li>
  )
}
