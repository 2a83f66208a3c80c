// The merged chronology: every agency's entries in time order, filtered by agency,
// period and words, beside a timeline of them. The review team chooses entries and
// makes them a key practice episode (or adds them to one as evidence), corrects an
// entry (a new version; the imported one kept) and marks discrepancies to explore in
// the conversations. A lead imports the files. The case group sees its own agency's.

import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import * as Y from 'yjs'

import { api, errorText, type ChronologyEntry, type ImportCheck } from '../../api/client'
import { keys, useApi } from '../../api/queries'
import { reviewAgencies } from '../../board/agencies'
import { addToEpisode, entryWhen, episodesUsing, filterEntries, makeEpisode, type EntryFilter } from '../../board/chronology'
import { parseWhen } from '../../board/dates'
import { board, isAgreed, ordered, referenceOf, textOf } from '../../board/schema'
import { when } from '../../review/words'
import { useBoardAccess } from '../boardAccess'
import { ErrorSummary } from '../Form'
import { sessionEnded, useSession } from '../session'
import { useY } from '../useY'
import { CorrectEntry } from './CorrectEntry'
import { Discrepancies } from './Discrepancies'
import { BadRows, ImportDialog } from './ImportDialog'
import { Timeline } from './Timeline'

const PAGE = 200
const NO_ENTRIES: ChronologyEntry[] = []

/** A typed period bound as ISO: the start of "from", the end of "to"; '' when empty or unreadable. */
function bound(text: string, end: boolean): string {
  const parsed = parseWhen(text)
  if (!parsed.ok) return ''
  return end ? parsed.when.end || parsed.when.start : parsed.when.start
}

export function ChronologyScreen({ doc, onOpenEpisode }: { doc: Y.Doc; onOpenEpisode: (id: string) => void }) {
  const access = useBoardAccess()
  const reviewId = access.reviewId
  const session = useSession()
  const queryClient = useQueryClient()
  const query = useApi(keys.chronology(reviewId), () => api.chronology(reviewId))
  const data = query.data
  const entries = data?.entries ?? NO_ENTRIES
  const roots = board(doc)
  useY(roots.episodes, roots.agencies)
  const uses = episodesUsing(doc)

  const [agencies, setAgencies] = useState<string[]>([])
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [text, setText] = useState('')
  const [limit, setLimit] = useState(PAGE)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [importing, setImporting] = useState(false)
  const [correcting, setCorrecting] = useState<string | null>(null)
  const [target, setTarget] = useState('')
  const [marking, setMarking] = useState(false)
  const [note, setNote] = useState('')
  const [message, setMessage] = useState('')
  const [problem, setProblem] = useState('')

  const filter: EntryFilter = { agencies, from: bound(from, false), to: bound(to, true), text }
  const shown = useMemo(() => filterEntries(entries, filter), [entries, filter.agencies, filter.from, filter.to, filter.text]) // eslint-disable-line react-hooks/exhaustive-deps
  const allAgencies = useMemo(() => [...new Set(entries.map((e) => e.agency))].sort((a, b) => a.localeCompare(b)), [entries])
  const chosen = entries.filter((e) => selected.has(e.id))
  const discrepant = new Set((data?.discrepancies ?? []).filter((d) => !d.resolvedAt).flatMap((d) => d.entries))
  const reload = () => queryClient.invalidateQueries({ queryKey: keys.chronology(reviewId) })
  const fail = (e: unknown) => {
    if (!sessionEnded(e, session)) setProblem(errorText(e))
  }
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const episodes = ordered(roots.episodes).filter(([, e]) => access.canChangeAgreed || !isAgreed('episode', e))

  const makeOne = () => {
    const id = makeEpisode(doc, chosen)
    setMessage(`Made a candidate key practice episode of ${chosen.length} ${chosen.length === 1 ? 'entry' : 'entries'}.`)
    setSelected(new Set())
    onOpenEpisode(id)
  }
  const addTo = () => {
    const episode = roots.episodes.get(target)
    if (!episode) return
    addToEpisode(doc, target, chosen)
    const ref = referenceOf(episode)
    setMessage(`Added ${chosen.length} ${chosen.length === 1 ? 'entry' : 'entries'} to ${ref || 'the episode'} as evidence.`)
    setSelected(new Set())
  }
  const mark = async () => {
    setProblem('')
    try {
      await api.markDiscrepancy(reviewId, [...selected], note)
      setMessage('Marked as a discrepancy to explore in the conversations.')
      setMarking(false)
      setNote('')
      setSelected(new Set())
      await reload()
    } catch (e) {
      fail(e)
    }
  }
  const imported = async (check: ImportCheck) => {
    setImporting(false)
    const i = check.import
    setMessage(
      i
        ? `Imported ${i.entryCount.toLocaleString('en-GB')} entries from ${i.agency}${check.badCount ? `, leaving out ${check.badCount} rows (listed under Imported files)` : ''}.`
        : 'Imported.',
    )
    await reload()
  }

  if (query.failure) {
    return (
      <section className="chronology" aria-labelledby="chronology-heading">
        <h2 id="chronology-heading">Chronology</h2>
        <p role="alert">{query.failure}</p>
      </section>
    )
  }
  if (!data) return <p role="status">Loading the chronology…</p>
  const canLink = access.canEdit
  return (
    <section className="chronology" aria-labelledby="chronology-heading" data-testid="chronology">
      <div className="section-head">
        <h2 id="chronology-heading">Chronology</h2>
        {data.canImport && (
          <button className="button" type="button" onClick={() => setImporting(true)} data-testid="import-open">
            Import an agency’s chronology
          </button>
        )}
      </div>
      <p className="muted">
        {data.agencyOnly
          ? `The entries of ${data.agencyOnly}’s chronology, as imported. The review team sees every agency’s.`
          : 'Each agency’s factual chronology, merged in time order. Choose entries to make a key practice episode of them, or mark where agencies’ accounts disagree. The chronologies stay out of the report.'}
      </p>
      <ErrorSummary problems={problem ? [{ message: problem }] : []} />
      {message && (
        <p className="saved" role="status" data-testid="chronology-message">
          {message}
        </p>
      )}
      {entries.length === 0 ? (
        <div className="empty-state" data-testid="chronology-empty">
          <p>
            <strong>No chronology yet.</strong>{' '}
            {data.canImport
              ? 'Import each agency’s chronology as the agency sent it (CSV or Excel); you choose which column holds the date, the event and the rest, and see every row that cannot be read before anything is kept.'
              : 'A lead reviewer imports each agency’s chronology; the entries appear here.'}
          </p>
        </div>
      ) : (
        <>
          <form className="chronology-filters" role="search" aria-label="Filter the chronology" onSubmit={(e) => e.preventDefault()}>
            <fieldset>
              <legend>Agencies</legend>
              {allAgencies.map((a) => (
                <label key={a} className="checkbox">
                  <input
                    type="checkbox"
                    checked={agencies.includes(a)}
                    onChange={(e) => setAgencies((list) => (e.target.checked ? [...list, a] : list.filter((x) => x !== a)))}
                  />
                  {a}
                </label>
              ))}
            </fieldset>
            <label>
              From
              <input value={from} onChange={(e) => setFrom(e.target.value)} placeholder="e.g. 01/06/2025" data-testid="filter-from" />
            </label>
            <label>
              To
              <input value={to} onChange={(e) => setTo(e.target.value)} placeholder="e.g. Sep 2025" data-testid="filter-to" />
            </label>
            <label>
              Words
              <input type="search" value={text} onChange={(e) => setText(e.target.value)} data-testid="filter-text" />
            </label>
          </form>
          <p className="muted" role="status" data-testid="chronology-count">
            {shown.length === entries.length
              ? `${entries.length.toLocaleString('en-GB')} entries from ${allAgencies.length} ${allAgencies.length === 1 ? 'agency' : 'agencies'}`
              : `${shown.length.toLocaleString('en-GB')} of ${entries.length.toLocaleString('en-GB')} entries`}
          </p>
          <Timeline entries={shown} selected={selected} onToggle={(e) => toggle(e.id)} />
          {selected.size > 0 && (
            <div className="selection-bar" role="region" aria-label="Chosen entries" data-testid="selection-bar">
              <span>
                {selected.size} {selected.size === 1 ? 'entry' : 'entries'} chosen
              </span>
              {canLink && (
                <button className="button" type="button" onClick={makeOne} data-testid="make-episode">
                  Make a key practice episode
                </button>
              )}
              {canLink && episodes.length > 0 && (
                <span className="inline-form">
                  <label>
                    <span className="visually-hidden">Episode</span>
                    <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="add-to-target">
                      <option value="">Add to an episode…</option>
                      {episodes.map(([id, e]) => (
                        <option key={id} value={id}>
                          {`${referenceOf(e)} ${textOf(e, 'title')?.toString() ?? ''}`.trim() || 'Untitled episode'}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button className="button secondary" type="button" disabled={!target} onClick={addTo} data-testid="add-to-episode">
                    Add as evidence
                  </button>
                </span>
              )}
              {data.canInterpret && (
                <button className="button secondary" type="button" onClick={() => setMarking(true)} data-testid="mark-discrepancy">
                  Mark as a discrepancy
                </button>
              )}
              <button className="link-button" type="button" onClick={() => setSelected(new Set())}>
                Clear
              </button>
            </div>
          )}
          {marking && (
            <form
              className="inset"
              onSubmit={(e) => {
                e.preventDefault()
                void mark()
              }}
              data-testid="discrepancy-form"
            >
              <label>
                What disagrees, or is missing, to explore with the case group
                <textarea value={note} onChange={(e) => setNote(e.target.value)} required maxLength={2000} autoFocus />
              </label>
              <div className="form-actions">
                <button className="button" type="submit">
                  Mark {selected.size} {selected.size === 1 ? 'entry' : 'entries'}
                </button>
                <button className="button secondary" type="button" onClick={() => setMarking(false)}>
                  Cancel
                </button>
              </div>
            </form>
          )}
          <div className="table-scroll">
            <table className="chronology-list" data-testid="chronology-list">
              <caption className="visually-hidden">Chronology entries in time order</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Chosen</span>
                  </th>
                  <th scope="col">When</th>
                  <th scope="col">Agency</th>
                  <th scope="col">Role</th>
                  <th scope="col">Event</th>
                  <th scope="col">Source</th>
                  <th scope="col">Used in</th>
                </tr>
              </thead>
              <tbody>
                {shown.slice(0, limit).map((e) =>
                  correcting === e.id ? (
                    <tr key={e.id}>
                      <td colSpan={7}>
                        <CorrectEntry
                          reviewId={reviewId}
                          entry={e}
                          onDone={async (saved) => {
                            setCorrecting(null)
                            if (saved) {
                              setMessage('Corrected: the entry’s new version is kept beside the one imported.')
                              await reload()
                            }
                          }}
                        />
                      </td>
                    </tr>
                  ) : (
                    <tr key={e.id} className={selected.has(e.id) ? 'chosen' : undefined} data-testid="chronology-entry">
                      <td>
                        <input
                          type="checkbox"
                          checked={selected.has(e.id)}
                          onChange={() => toggle(e.id)}
                          aria-label={`Choose the entry of ${entryWhen(e)}, ${e.agency}`}
                        />
                      </td>
                      <td className="nowrap">{entryWhen(e)}</td>
                      <td>{e.agency}</td>
                      <td>{e.role}</td>
                      <td>
                        {e.event}
                        {discrepant.has(e.id) && (
                          <span className="tag warning-tag" title="Marked as a discrepancy">
                            {' '}
                            Discrepancy
                          </span>
                        )}
                        {e.version > 1 && (
                          <span className="muted small" title={e.note}>
                            {' '}
                            (corrected by {e.changedBy}, {when(e.changedAt)})
                          </span>
                        )}
                        {data.canInterpret && (
                          <button className="link-button small-link" type="button" onClick={() => setCorrecting(e.id)}>
                            Correct<span className="visually-hidden"> the entry of {entryWhen(e)}</span>
                          </button>
                        )}
                      </td>
                      <td>{e.source}</td>
                      <td>
                        {(uses.get(e.id) ?? []).map((u) => (
                          <button
                            key={u.id}
                            className="link-button"
                            type="button"
                            onClick={() => onOpenEpisode(u.id)}
                            title={u.title}
                            data-testid="entry-episode"
                          >
                            {u.reference || u.title || 'an episode'}
                          </button>
                        ))}
                      </td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
          {shown.length > limit && (
            <button className="button secondary" type="button" onClick={() => setLimit((l) => l + PAGE * 5)}>
              Show more ({(shown.length - limit).toLocaleString('en-GB')} not shown)
            </button>
          )}
        </>
      )}
      {data.canInterpret && (
        <Discrepancies reviewId={reviewId} discrepancies={data.discrepancies} entries={entries} onChanged={reload} />
      )}
      {data.imports.length > 0 && (
        <section aria-labelledby="imports-heading" data-testid="chronology-imports">
          <h3 id="imports-heading">Imported files</h3>
          <ul className="imports">
            {data.imports.map((i) => (
              <li key={i.id}>
                <strong>{i.agency}</strong>: {i.fileName}, {i.entryCount.toLocaleString('en-GB')} entries, imported by{' '}
                {i.importedBy} {when(i.importedAt)}
                {i.badRows.length > 0 && (
                  <details>
                    <summary>{i.badRows.length} rows left out</summary>
                    <BadRows rows={i.badRows} total={i.badRows.length} />
                  </details>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {importing && (
        <ImportDialog
          reviewId={reviewId}
          agencies={reviewAgencies(doc)}
          onClose={() => setImporting(false)}
          onImported={(check) => void imported(check)}
        />
      )}
    </section>
  )
}
