// A snapshot's review report: the pre-publication check (leads), reviewing what it
// found, and the downloads.

import { useId, useState } from 'react'

import { api, errorText, type SnapshotInfo } from '../../api/client'
import { keys, useApi } from '../../api/queries'
import { EXPORT_FORMATS, checkWords } from '../../review/snapshots'
import { sessionEnded, useSession } from '../session'

/** The review report of a snapshot: the pre-publication check (leads) and the downloads. */
export function ReportPanel({
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
  // Agreed work only and nobody named, unless the lead chooses otherwise.
  const [drafts, setDrafts] = useState(false)
  const [names, setNames] = useState(false)
  // Run again whenever the register or the safe terms change (see ReviewPage).
  const query = useApi(keys.check(reviewId, snapshot.id, drafts, names), () => api.publicationCheck(reviewId, snapshot.id, { drafts, names }), {
    enabled: lead,
  })
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
      {lead && (
        <fieldset className="field report-choices">
          <legend className="field-label">What the report holds besides the agreed work</legend>
          <label>
            <input type="checkbox" checked={drafts} onChange={(e) => setDrafts(e.target.checked)} data-testid="include-drafts" />{' '}
            Work not yet agreed: candidate episodes and draft findings, each marked as such
          </label>
          <br />
          <label>
            <input type="checkbox" checked={names} onChange={(e) => setNames(e.target.checked)} data-testid="include-names" />{' '}
            The names of the lead reviewers, the review team and the case group (otherwise by role and agency)
          </label>
        </fieldset>
      )}
      <p className="field-hint">
        The report follows the Learning Together model: introduction, methodology, the key practice episodes and the
        findings with their recommendations, as the review team agreed them. Every export replaces the names in the review’s pseudonymisation register and
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
                href={api.exportHref(reviewId, snapshot.id, f.format, lead && confirmed, lead ? { drafts, names } : {})}
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
