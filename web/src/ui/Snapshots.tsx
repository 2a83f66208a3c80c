// The review page's snapshots: the list (label, meeting, when, by whom, a content
// fingerprint), taking one (leads), and for each: open it, compare it, restore it
// (leads), and turn it into the review report (leads and the review team), with the
// pre-publication check for leads. Also the pseudonymisation register (leads).

import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState } from 'react'

import { api, errorText, type Meeting, type RegisterEntry, type Role, type SnapshotInfo } from '../api/client'
import { byPosition, keys, useApi } from '../api/queries'
import { restoredText } from '../review/compare'
import {
  EXPORT_FORMATS,
  checkWords,
  defaultSnapshotLabel,
  mayExport,
  meetingSnapshotLabel,
  shortHash,
  takenBy,
} from '../review/snapshots'
import { isLead, longDate, when } from '../review/words'
import { ErrorSummary, TextInput, type Problem } from './Form'
import { RestoreDialog } from './RestoreDialog'
import { Section } from './ReviewPage'
import { compareHref, linkTo, navigate, snapshotHref } from './route'
import { sessionEnded, useSession } from './session'

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

function SnapshotItem({
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

/** The review report of a snapshot: the pre-publication check (leads) and the downloads. */
function ReportPanel({
  reviewId,
  snapshot,
  lead,
  onExported,
  onRegisterChanged,
}: {
  reviewId: string
  snapshot: SnapshotInfo
  lead: boolean
  onExported: () => void
  onRegisterChanged: () => void
}) {
  // Run again whenever the register or the safe terms change (see ReviewPage).
  const query = useApi(keys.check(reviewId, snapshot.id), () => api.publicationCheck(reviewId, snapshot.id), { enabled: lead })
  const check = query.data ?? null
  const problem = query.failure
  const checking = query.isFetching
  // A confirmation is for the check the lead read: a new check asks again.
  const [confirmedCheck, setConfirmedCheck] = useState<number | null>(null)
  const confirmed = confirmedCheck !== null && confirmedCheck === query.dataUpdatedAt
  const setConfirmed = (yes: boolean) => setConfirmedCheck(yes ? query.dataUpdatedAt : null)
  const [message, setMessage] = useState('')
  const words = check ? checkWords(check) : null
  const reviewed = (text: string) => {
    setMessage(text)
    setConfirmed(false)
    onRegisterChanged()
  }
  // A lead exports once the check is clean, or after confirming what is unreviewed.
  const blocked = lead && (!check || (!check.ok && !confirmed))
  return (
    <div className="report-panel" data-testid="report-panel">
      {lead && (
        <section className={`check${words ? (words.ok ? ' check-ok' : ' check-warn') : ''}`} aria-labelledby={`check-${snapshot.id}`} data-testid="publication-check">
          <h4 id={`check-${snapshot.id}`}>Pre-publication check</h4>
          {problem ? (
            <p className="error-message">The check could not be run. {problem}</p>
          ) : !words ? (
            <p className="muted">Checking every text of the report for names…</p>
          ) : (
            <>
              <p className="check-headline">
                <span className={`tag ${words.ok ? 'ok' : 'failure'}`}>{words.ok ? 'Nothing to review' : 'Needs review'}</span>{' '}
                {words.headline}
              </p>
              <p className="saved" role="status" data-testid="check-message">
                {message}
              </p>
              {words.remaining.length > 0 && (
                <>
                  <p>Still in the report:</p>
                  <ul data-testid="check-remaining">
                    {words.remaining.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                  <p className="field-hint">
                    Change these words on the board, or give the term a pseudonym in the register, then take a new snapshot
                    and check again.
                  </p>
                </>
              )}
              {words.possible.length > 0 && (
                <>
                  <p>Not in the register, and may identify someone:</p>
                  <ul data-testid="check-possible">
                    {words.possible.map((p) => (
                      <li key={p.line}>
                        {p.line}{' '}
                        <ReviewTerm reviewId={reviewId} term={p.term} onReviewed={reviewed} />
                      </li>
                    ))}
                  </ul>
                  <p className="field-hint">
                    Give each a pseudonym, or mark it safe if it identifies nobody (an agency, a role, a place). The check
                    finds most names and identifying details, not every one: read the report before publishing it.
                  </p>
                </>
              )}
              {words.replaced.length > 0 && (
                <>
                  <p>Replaced by the register:</p>
                  <ul data-testid="check-replaced">
                    {words.replaced.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </>
              )}
              {check && check.replaced.length === 0 && check.remaining.length === 0 && (
                <p>
                  <a href="#register">Add real names to the pseudonymisation register</a> so every export replaces them.
                </p>
              )}
              {check && !check.ok && (
                <p className="field">
                  <label>
                    <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="confirm-unreviewed" />{' '}
                    I have read the report and confirm exporting it with these {check.remaining.length + check.possible.length}{' '}
                    unreviewed items. The audit trail records this.
                  </label>
                </p>
              )}
              <button className="button secondary small" type="button" onClick={() => void query.refetch()} disabled={checking}>
                Check again
              </button>
            </>
          )}
        </section>
      )}
      <h4>Download the review report</h4>
      <p className="field-hint">
        The report follows the Learning Together model: introduction, methodology, the key practice episodes and the
        findings with their recommendations. Every export replaces the names in the review’s pseudonymisation register and
        is recorded in the audit trail.{' '}
        {lead
          ? 'While the pre-publication check lists anything to review, exporting needs your confirmation.'
          : 'While the lead reviewer’s pre-publication check lists anything to review, the export is refused.'}
      </p>
      <ul className="exports" data-testid="exports">
        {EXPORT_FORMATS.map((f) => (
          <li key={f.format}>
            {blocked ? (
              <span className="muted" data-format={f.format}>
                {f.label}
              </span>
            ) : (
              <a
                href={api.exportHref(reviewId, snapshot.id, f.format, lead && confirmed)}
                {...(f.format === 'html' ? { target: '_blank', rel: 'noopener' } : { download: '' })}
                onClick={() => setTimeout(onExported, 1000)}
                data-format={f.format}
              >
                {f.label}
                <span className="visually-hidden"> of “{snapshot.label}”</span>
              </a>
            )}{' '}
            <span className="muted">({f.hint})</span>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** For one thing the check found: give it a pseudonym, or mark it safe. */
function ReviewTerm({ reviewId, term, onReviewed }: { reviewId: string; term: string; onReviewed: (message: string) => void }) {
  const session = useSession()
  const [pseudonym, setPseudonym] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState('')
  const id = useId()
  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true)
    setProblem('')
    try {
      await what()
      onReviewed(done)
    } catch (e) {
      if (!sessionEnded(e, session)) setProblem(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <span className="review-term">
      <label htmlFor={`${id}-pseudonym`} className="visually-hidden">
        Pseudonym for “{term}”
      </label>
      <input
        id={`${id}-pseudonym`}
        type="text"
        size={14}
        placeholder="Pseudonym"
        value={pseudonym}
        onChange={(e) => setPseudonym(e.target.value)}
      />{' '}
      <button
        className="button secondary small"
        type="button"
        disabled={busy || !pseudonym.trim()}
        onClick={() =>
          void act(
            () => api.addRegisterEntry(reviewId, { term, pseudonym: pseudonym.trim(), note: '' }),
            `Registered: exports now say “${pseudonym.trim()}” instead of “${term}”.`,
          )
        }
      >
        Register<span className="visually-hidden"> “{term}”</span>
      </button>{' '}
      <button
        className="button secondary small"
        type="button"
        disabled={busy}
        onClick={() => void act(() => api.addSafeTerm(reviewId, term), `Marked “${term}” safe: the check no longer lists it.`)}
      >
        Mark safe<span className="visually-hidden"> “{term}”</span>
      </button>
      {problem && <span className="error-message"> {problem}</span>}
    </span>
  )
}

/** For leads: real names and identifying details, and what every export says instead. */
/** `onChanged` refetches the register (and the checks, which read it). */
export function PseudonymRegister({ reviewId, onChanged }: { reviewId: string; onChanged: () => Promise<unknown> }) {
  const session = useSession()
  const query = useApi(keys.register(reviewId), () => api.register(reviewId))
  const entries = query.data ?? null
  const [term, setTerm] = useState('')
  const [pseudonym, setPseudonym] = useState('')
  const [note, setNote] = useState('')
  const [problems, setProblems] = useState<Problem[]>([])
  const [message, setMessage] = useState('')
  const [busy, setBusy] = useState(false)
  const fail = (e: unknown) => {
    if (!sessionEnded(e, session)) setProblems([{ message: errorText(e) }])
  }
  const add = async (e: React.FormEvent) => {
    e.preventDefault()
    setMessage('')
    if (term.trim().length < 2) {
      setProblems([{ field: 'register-term', message: 'Enter the real name or detail, at least 2 characters long' }])
      return
    }
    setProblems([])
    setBusy(true)
    try {
      const entry = await api.addRegisterEntry(reviewId, { term: term.trim(), pseudonym: pseudonym.trim(), note: note.trim() })
      setMessage(
        entry.pseudonym
          ? `Added: exports now say “${entry.pseudonym}” instead of “${entry.term}”.`
          : `Added “${entry.term}” as a flagged term: the pre-publication check lists wherever it appears.`,
      )
      setTerm('')
      setPseudonym('')
      setNote('')
      await onChanged()
    } catch (error) {
      fail(error)
    } finally {
      setBusy(false)
    }
  }
  const remove = async (entry: RegisterEntry) => {
    setMessage('')
    try {
      await api.removeRegisterEntry(reviewId, entry.id)
      setMessage(`Removed “${entry.term}” from the register.`)
      await onChanged()
    } catch (error) {
      fail(error)
    }
  }
  return (
    <Section
      id="register"
      title="Pseudonymisation register"
      intro={
        <>
          Real names and identifying details, and what the review report says instead (“Jane Smith” becomes “Mother”).
          Every text of every export of a snapshot — the snapshot’s label and who took it included — goes through it: names
          are replaced as whole words, the longest first, however they were typed (capitals, accents, typographic
          apostrophes and dashes, extra spaces or line breaks, invisible characters). Leave the
          pseudonym empty to <strong>flag</strong> a term such as a school, a street or a rare condition: it is not
          replaced, but the pre-publication check lists wherever it still appears. The board itself keeps its words. Only
          lead reviewers see this register.
        </>
      }
    >
      <ErrorSummary problems={query.failure ? [...problems, { message: query.failure }] : problems} />
      <p className="saved" role="status" data-testid="register-message">
        {message}
      </p>
      {entries === null ? (
        <p className="muted">Loading the register…</p>
      ) : entries.length === 0 ? (
        <p className="muted" data-testid="register-empty">
          The register is empty: until you add names, exports use the board’s words as they are.
        </p>
      ) : (
        <table className="table register" data-testid="register">
          <caption className="visually-hidden">Pseudonymisation register</caption>
          <thead>
            <tr>
              <th scope="col">Real name or detail</th>
              <th scope="col">In the report</th>
              <th scope="col">Note</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="register-entry">
                <th scope="row">{entry.term}</th>
                <td>{entry.pseudonym ? `“${entry.pseudonym}”` : <span className="tag withdrawn">Flagged: checked, not replaced</span>}</td>
                <td>{entry.note || <span className="muted">—</span>}</td>
                <td className="nowrap">{longDate(entry.created_at)}</td>
                <td className="actions-cell">
                  <RemoveEntry entry={entry} onRemove={() => void remove(entry)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline-form" onSubmit={add} noValidate data-testid="register-form">
        <h3>Add to the register</h3>
        <div className="field-row">
          <TextInput id="register-term" label="Real name or identifying detail" value={term} onChange={setTerm} problems={problems} />
          <TextInput
            id="register-pseudonym"
            label="Pseudonym (optional)"
            hint="For example Mother, Child A, the school. Leave empty to flag the term."
            value={pseudonym}
            onChange={setPseudonym}
          />
        </div>
        <TextInput id="register-note" label="Note (optional)" hint="Only lead reviewers see it" value={note} onChange={setNote} />
        <div className="form-actions">
          <button className="button" type="submit" disabled={busy}>
            Add to the register
          </button>
        </div>
      </form>
    </Section>
  )
}

function RemoveEntry({ entry, onRemove }: { entry: RegisterEntry; onRemove: () => void }) {
  const [confirming, setConfirming] = useState(false)
  if (!confirming) {
    return (
      <button className="link-button warning-link" type="button" onClick={() => setConfirming(true)}>
        Remove<span className="visually-hidden"> “{entry.term}”</span>
      </button>
    )
  }
  return (
    <span className="confirm" role="alert">
      Remove “{entry.term}”?{' '}
      <button className="button warning small" type="button" onClick={onRemove}>
        Yes, remove it
      </button>{' '}
      <button className="button secondary small" type="button" onClick={() => setConfirming(false)}>
        Keep it
      </button>
    </span>
  )
}
