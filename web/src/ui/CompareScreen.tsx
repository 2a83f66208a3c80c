// What changed between two boards: a snapshot and the live board, or two snapshots.
// Counts at the top; then the practice-analysis table and the findings side by side
// (before | after), every added, removed or changed entity marked in words and colour,
// texts with their removed and added words marked, re-classified findings called out;
// and the factor map of the later board with its nodes marked (CompareMap).
//
// The comparison is the server's (`GET /compare`); both boards are read as plain data
// (a snapshot from the API, the live board through a read-only connection) to show
// what stayed and where things are on the map.

import { Suspense, lazy, useEffect, useMemo, useState, type ReactNode } from 'react'

import { useQueryClient } from '@tanstack/react-query'

import { api, type Comparison, type FieldChange, type SnapshotInfo } from '../api/client'
import { keys, refusedWith, useApi } from '../api/queries'
import { toPlain, type PlainBoard, type PlainEpisode, type PlainFactor, type PlainFinding, type PlainRecommendation } from '../board/plain'
import {
  compareRows,
  fieldName,
  kindSummaries,
  linkText,
  noDifferences,
  rowMark,
  sides,
  summarise,
  titleOf,
  valueText,
  type CompareKind,
  type CompareRow,
  type Segment,
} from '../review/compare'
import { sideName, takenText } from '../review/snapshots'
import { longDate } from '../review/words'
import { BoardConnection, boardDocument } from '../sync/connection'
import { AppHeader } from './App'
import { ScreenTabs, useView, viewLabel } from './BoardTabs'
import { formatWhen } from './format'
import { compareHref, linkTo, reviewHref, snapshotHref } from './route'
import { usePageTitle } from './session'

const CompareMap = lazy(() => import('./CompareMap').then((m) => ({ default: m.CompareMap })))

interface Sides {
  from: string
  to: string
}

function sidesOf(search: string): Sides {
  const q = new URLSearchParams(search)
  return { from: q.get('from') ?? '', to: q.get('to') ?? 'live' }
}

/** The sides the address asks for, kept in step with back and forward. */
function useSides(): [Sides, (next: Sides, view: string) => void] {
  const [value, setValue] = useState(() => sidesOf(location.search))
  useEffect(() => {
    const onPop = () => setValue(sidesOf(location.search))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  const go = (next: Sides, href: string) => {
    history.pushState(null, '', href)
    setValue(next)
  }
  return [value, go]
}

interface Side {
  board: PlainBoard | null
  error: string
  /** The live board changed after it was read. */
  changedSince: boolean
}

const NO_SIDE: Side = { board: null, error: '', changedSince: false }

/** One side of the comparison as plain data: a snapshot from the API, or the live board. */
function useSide(reviewId: string, side: string, generation: number): Side {
  const isSnapshot = side !== '' && side !== 'live'
  const snapshot = useApi(keys.snapshotBoard(reviewId, side), () => api.snapshot(reviewId, side), {
    enabled: isSnapshot,
    staleTime: Infinity,
  })
  const live = useLiveSide(reviewId, side === 'live', generation)
  if (side === 'live') return live
  if (!isSnapshot) return NO_SIDE
  return {
    board: snapshot.data?.board ?? null,
    error: refusedWith(snapshot.error) ? 'That snapshot is not in this review.' : snapshot.failure,
    changedSince: false,
  }
}

/** The live board as plain data, read again whenever `generation` changes. */
function useLiveSide(reviewId: string, enabled: boolean, generation: number): Side {
  const [state, setState] = useState<Side>(NO_SIDE)
  useEffect(() => {
    if (!enabled) return
    let alive = true
    setState(NO_SIDE)
    // The live board: read through a connection that never writes nor keeps a copy.
    const connection = new BoardConnection(boardDocument(reviewId), { readOnly: true })
    connection.provider.awareness.setLocalState(null)
    let synced = false
    const onSync = (isSynced: boolean) => {
      if (!isSynced || synced || !alive) return
      synced = true
      setState({ board: toPlain(connection.doc), error: '', changedSince: false })
      connection.doc.on('update', () => alive && setState((s) => (s.changedSince ? s : { ...s, changedSince: true })))
    }
    connection.provider.on('sync', onSync)
    const timer = setTimeout(() => {
      if (!synced && alive) {
        setState({ board: null, error: 'The live board could not be reached. Check your connection and try again.', changedSince: false })
      }
    }, 20_000)
    return () => {
      alive = false
      clearTimeout(timer)
      connection.provider.off('sync', onSync)
      connection.destroy()
    }
  }, [reviewId, enabled, generation])
  return state
}

export function CompareScreen({ reviewId }: { reviewId: string }) {
  const queryClient = useQueryClient()
  const detailQuery = useApi(keys.review(reviewId), () => api.review(reviewId))
  const snapshotsQuery = useApi(keys.snapshots(reviewId), () => api.snapshots(reviewId))
  const detail = detailQuery.data ?? null
  const snapshots = snapshotsQuery.data ?? null
  const error = detailQuery.error ?? snapshotsQuery.error
  const failure = refusedWith(error) ? 'not-found' : detailQuery.failure || snapshotsQuery.failure
  const [asked, go] = useSides()
  const [view, show] = useView()
  const [generation, setGeneration] = useState(0)
  /** Reads the live board again, and any snapshot that failed to load. */
  const again = () => {
    setGeneration((g) => g + 1)
    void queryClient.refetchQueries({ queryKey: keys.snapshotBoards(reviewId), predicate: (q) => q.state.status === 'error' })
  }
  // Without a "from", the newest snapshot.
  const from = asked.from || snapshots?.[0]?.id || ''
  const to = asked.to || 'live'
  const before = useSide(reviewId, snapshots ? from : '', generation)
  const after = useSide(reviewId, snapshots ? to : '', generation)
  // Once both sides are read; a comparison belongs to this screen's read of the live board.
  const compareQuery = useApi(keys.compare(reviewId, from, to, generation), () => api.compare(reviewId, from, to), {
    enabled: !!from && !!before.board && !!after.board,
    gcTime: 0,
  })
  const compareError = compareQuery.failure

  const list = snapshots ?? []
  const fromName = sideName(from, list)
  const toName = sideName(to, list)
  usePageTitle(detail ? `${viewLabel(view)}, ${fromName} compared with ${toName}: ${detail.review.title}` : 'Compare boards')

  if (failure === 'not-found') {
    return (
      <Shell reviewId={reviewId} title="">
        <h1>This review is not available to you</h1>
        <p>Either it does not exist, or you are not one of its members.</p>
      </Shell>
    )
  }
  if (failure) {
    return (
      <Shell reviewId={reviewId} title="">
        <h1>The comparison cannot be shown</h1>
        <p className="error-message">{failure}</p>
      </Shell>
    )
  }
  if (!detail || !snapshots) {
    return (
      <Shell reviewId={reviewId} title="">
        <p role="status">Opening the comparison…</p>
      </Shell>
    )
  }
  if (snapshots.length === 0) {
    return (
      <Shell reviewId={reviewId} title={detail.review.title}>
        <h1>Compare boards</h1>
        <div className="empty-state">
          <h2>No snapshots to compare yet</h2>
          <p>
            A comparison shows what changed between a snapshot and the live board, or between two snapshots. The lead
            reviewer takes snapshots from the review page, usually at the end of each meeting.
          </p>
          <p>
            <a {...linkTo(`${reviewHref(reviewId)}#snapshots`)}>Go to the snapshots</a>
          </p>
        </div>
      </Shell>
    )
  }
  const c = compareQuery.data ?? null
  const sideError = before.error || after.error || compareError
  const fromSnapshot = list.find((s) => s.id === from)
  const toSnapshot = list.find((s) => s.id === to)
  return (
    <Shell reviewId={reviewId} title={detail.review.title} wide>
      <h1 className="compare-title">
        Changes from {fromName} to {toName}
      </h1>
      <p className="muted compare-sides">
        {fromSnapshot ? `${fromName}: ${takenText(fromSnapshot).replace(/^T/, 't')}.` : ''}{' '}
        {toSnapshot ? `${toName}: ${takenText(toSnapshot).replace(/^T/, 't')}.` : to === 'live' ? 'The live board as it is now.' : ''}
      </p>
      <ChooseSides
        from={from}
        to={to}
        snapshots={list}
        onChoose={(next) => go(next, compareHref(reviewId, next.from, next.to, view))}
      />
      {sideError ? (
        <div className="error-summary" role="alert">
          <h2 className="error-summary-title">The comparison cannot be shown</h2>
          <p>{sideError}</p>
          <button className="button secondary" type="button" onClick={again}>
            Try again
          </button>
        </div>
      ) : !c || !before.board || !after.board ? (
        <p role="status">Working out what changed…</p>
      ) : (
        <Result
          reviewId={reviewId}
          c={c}
          before={before.board}
          after={after.board}
          from={from}
          to={to}
          fromName={fromName}
          toName={toName}
          view={view}
          show={show}
          stale={after.changedSince || before.changedSince}
          again={again}
        />
      )}
    </Shell>
  )
}

function Shell({ reviewId, title, wide = false, children }: { reviewId: string; title: string; wide?: boolean; children: React.ReactNode }) {
  return (
    <>
      <AppHeader>
        <nav className="breadcrumbs header-crumbs" aria-label="Breadcrumbs">
          <a {...linkTo(reviewHref(reviewId))}>{title || 'Review'}</a>
          <span aria-hidden="true"> › </span>
          <a {...linkTo(`${reviewHref(reviewId)}#snapshots`)}>Snapshots</a>
          <span aria-hidden="true"> › </span>
          <span>Compare</span>
        </nav>
      </AppHeader>
      <main className={`page compare-page${wide ? '' : ' narrow'}`} id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}

function ChooseSides({
  from,
  to,
  snapshots,
  onChoose,
}: {
  from: string
  to: string
  snapshots: SnapshotInfo[]
  onChoose: (next: Sides) => void
}) {
  const [a, setA] = useState(from)
  const [b, setB] = useState(to)
  useEffect(() => {
    setA(from)
    setB(to)
  }, [from, to])
  const option = (s: SnapshotInfo) => (
    <option key={s.id} value={s.id}>
      {s.label} ({longDate(s.taken_at)})
    </option>
  )
  return (
    <form
      className="choose-sides"
      onSubmit={(e) => {
        e.preventDefault()
        onChoose({ from: a, to: b })
      }}
    >
      <div className="field">
        <label className="field-label" htmlFor="compare-from">
          From (before)
        </label>
        <select id="compare-from" value={a} onChange={(e) => setA(e.target.value)}>
          {snapshots.map(option)}
          <option value="live">The live board, now</option>
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="compare-to">
          To (after)
        </label>
        <select id="compare-to" value={b} onChange={(e) => setB(e.target.value)}>
          <option value="live">The live board, now</option>
          {snapshots.map(option)}
        </select>
      </div>
      <button className="button secondary" type="submit">
        Compare
      </button>
      <button className="link-button" type="button" onClick={() => onChoose({ from: b, to: a })}>
        Swap before and after
      </button>
    </form>
  )
}

function Result({
  reviewId,
  c,
  before,
  after,
  from,
  to,
  fromName,
  toName,
  view,
  show,
  stale,
  again,
}: {
  reviewId: string
  c: Comparison
  before: PlainBoard
  after: PlainBoard
  from: string
  to: string
  fromName: string
  toName: string
  view: ReturnType<typeof useView>[0]
  show: ReturnType<typeof useView>[1]
  stale: boolean
  again: () => void
}) {
  const counts = summarise(c)
  const n = (k: { added: unknown[]; removed: unknown[]; changed: unknown[] }) => k.added.length + k.removed.length + k.changed.length
  const tabCounts = {
    table: `(${n(c.episodes)})`,
    map: `(${n(c.factors) + n(c.links) + c.moved_on_map.length})`,
    findings: `(${n(c.findings) + n(c.recommendations)})`,
  }
  const same = from === to
  return (
    <>
      {stale && (
        <p className="notice" role="status" data-testid="compare-stale">
          The live board has changed since this comparison was made.{' '}
          <button className="link-button" type="button" onClick={again}>
            Compare again
          </button>
        </p>
      )}
      <section className="compare-summary" aria-labelledby="compare-summary-heading" data-testid="compare-summary">
        <h2 id="compare-summary-heading" className="visually-hidden">
          Summary
        </h2>
        <ul className="tiles">
          <Tile n={counts.added} word="added" mark="added" />
          <Tile n={counts.removed} word="removed" mark="removed" />
          <Tile n={counts.changed} word="changed" mark="changed" />
          <Tile n={counts.reclassified} word={counts.reclassified === 1 ? 'finding re-classified' : 'findings re-classified'} mark="changed" />
          <Tile n={counts.moved} word="moved on the map" mark="moved" />
        </ul>
        {kindSummaries(c).length > 0 && <p className="kind-summary">{kindSummaries(c).join(' · ')}</p>}
      </section>
      {noDifferences(c) ? (
        <div className="empty-state" data-testid="compare-empty">
          <h2>No differences</h2>
          <p>
            {same
              ? 'You chose the same board on both sides. Choose another snapshot, or the live board, to compare with.'
              : `${capital(fromName)} and ${toName} hold the same episodes, factors, findings, recommendations and links, in the same places on the map.`}
          </p>
        </div>
      ) : (
        <>
          <ScreenTabs view={view} onChange={show} label="What to compare" counts={tabCounts} />
          <div className="compare-body">
            {view === 'findings' ? (
              <CompareFindings c={c} before={before} after={after} fromName={fromName} toName={toName} />
            ) : view === 'map' ? (
              <CompareMapTab c={c} before={before} after={after} fromName={fromName} toName={toName} />
            ) : (
              <CompareEpisodes c={c} before={before} after={after} fromName={fromName} toName={toName} />
            )}
          </div>
        </>
      )}
      <p className="compare-links">
        {from !== 'live' && <a {...linkTo(snapshotHref(reviewId, from, view))}>Open {fromName}</a>}
        {to !== 'live' && <a {...linkTo(snapshotHref(reviewId, to, view))}>Open {toName}</a>}
      </p>
    </>
  )
}

const capital = (s: string) => s.replace(/^(“?)(\w)/, (_, q: string, c: string) => q + c.toUpperCase())

function Tile({ n, word, mark }: { n: number; word: string; mark: 'added' | 'removed' | 'changed' | 'moved' }) {
  return (
    <li className={`tile${n ? ` tile-${mark}` : ' tile-none'}`} data-testid={`count-${word.replace(/\s+/g, '-')}`}>
      <span className="tile-count">{n}</span> <span className="tile-word">{word}</span>
    </li>
  )
}

/** What the colours mean, in words. */
function Legend({ words = true }: { words?: boolean }) {
  return (
    <ul className="legend" aria-label="Key">
      <li>
        <span className="tag change-tag change-added">Added</span> only after
      </li>
      <li>
        <span className="tag change-tag change-removed">Removed</span> only before
      </li>
      <li>
        <span className="tag change-tag change-changed">Changed: …</span> the fields named changed
      </li>
      {words && (
        <>
          <li>
            <del>removed words</del> and <ins>added words</ins> in texts
          </li>
        </>
      )}
    </ul>
  )
}

// ---------------------------------------------------------------------------
// Texts and values

export function Words({ segments }: { segments: Segment[] }) {
  return (
    <span className="diff-text">
      {segments.map((s, i) => {
        if (s.op === 'same') return <span key={i}>{s.text}</span>
        // The marks hug the words: spaces around them stay plain.
        const [, before, words, after] = /^(\s*)([\s\S]*?)(\s*)$/.exec(s.text) ?? ['', '', s.text, '']
        const Mark = s.op === 'removed' ? 'del' : 'ins'
        return (
          <span key={i}>
            {before}
            <span className="visually-hidden">[{s.op}: </span>
            <Mark>{words}</Mark>
            <span className="visually-hidden">]</span>
            {after}
          </span>
        )
      })}
    </span>
  )
}

const Absent = ({ text = 'Not on this board' }: { text?: string }) => <span className="absent">{text}</span>

/** The before and after cells of one changed field. */
function FieldCells({
  kind,
  change,
  before,
  after,
  numbers,
}: {
  kind: CompareKind
  change: FieldChange
  before: PlainBoard
  after: PlainBoard
  numbers: { before?: number; after?: number }
}) {
  if (change.field === 'order') {
    return (
      <>
        <td>No. {numbers.before}</td>
        <td>No. {numbers.after}</td>
      </>
    )
  }
  if (change.words) {
    const { before: b, after: a } = sides(change.words)
    return (
      <>
        <td>{b.length ? <Words segments={b} /> : <Absent text="Empty" />}</td>
        <td>{a.length ? <Words segments={a} /> : <Absent text="Empty" />}</td>
      </>
    )
  }
  return (
    <>
      <td>
        <span className="visually-hidden">[was: </span>
        <del>{valueText(kind, change.field, change.before, before)}</del>
        <span className="visually-hidden">]</span>
      </td>
      <td>
        <span className="visually-hidden">[now: </span>
        <ins>{valueText(kind, change.field, change.after, after)}</ins>
        <span className="visually-hidden">]</span>
      </td>
    </>
  )
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** One term of an entity's summary; left out when it has nothing to show. */
function Term({ name, prose = false, children }: { name: string; prose?: boolean; children: ReactNode }) {
  if (children === '' || children === null || children === undefined || children === false) return null
  return (
    <div>
      <dt>{name}</dt>
      <dd className={prose ? 'prose' : undefined}>{children}</dd>
    </div>
  )
}

/** The main fields of an episode, for one that is only on one side. */
function EpisodeSummary({ e, board }: { e: PlainEpisode; board: PlainBoard }) {
  return (
    <dl className="entity-summary">
      <Term name="When">{formatWhen(e.dateKind, e.dateStart, e.dateEnd)}</Term>
      <Term name="Agencies">{e.agencies.join(', ')}</Term>
      <Term name="What happened" prose>
        {e.whatHappened}
      </Term>
      <Term name="Appraisal" prose>
        {e.appraisal}
      </Term>
      <Term name="Practice">{valueText('episode', 'quality', e.quality, board)}</Term>
      <Term name="Status">{valueText('episode', 'status', e.status, board)}</Term>
    </dl>
  )
}

function FindingSummary({ f, board }: { f: PlainFinding; board: PlainBoard }) {
  return (
    <dl className="entity-summary">
      <Term name="Category">{valueText('finding', 'category', f.category, board)}</Term>
      <Term name="How it showed in this case" prose>
        {f.inCase}
      </Term>
      <Term name="Status">
        {valueText('finding', 'status', f.status, board)}, {valueText('finding', 'priority', f.priority, board).toLowerCase()}
      </Term>
      <Term name="Recommendations">{f.recommendations.length || 'None'}</Term>
    </dl>
  )
}

function FactorSummary({ f, board }: { f: PlainFactor; board: PlainBoard }) {
  return (
    <dl className="entity-summary">
      <Term name="Level">{valueText('factor', 'level', f.level, board)}</Term>
      <Term name="Influence">{valueText('factor', 'polarity', f.polarity, board)}</Term>
      <Term name="Description" prose>
        {f.description}
      </Term>
    </dl>
  )
}

// ---------------------------------------------------------------------------
// Rows side by side

function CompareTable<T extends { id: string }>({
  kind,
  rows,
  before,
  after,
  fromName,
  toName,
  caption,
  title,
  summary,
  extra,
  testId,
}: {
  kind: CompareKind
  rows: CompareRow<T>[]
  before: PlainBoard
  after: PlainBoard
  fromName: string
  toName: string
  caption: string
  title: (e: T) => string
  summary: (e: T, board: PlainBoard) => React.ReactNode
  /** More rows under an entity's own (a finding's re-classification and recommendations). */
  extra?: (row: CompareRow<T>) => React.ReactNode
  testId: string
}) {
  const noun = NOUN[kind]
  return (
    <table className="table compare-table" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <colgroup>
        <col className="compare-field" />
        <col className="compare-side" />
        <col className="compare-side" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Field</span>
          </th>
          <th scope="col">Before: {fromName}</th>
          <th scope="col">After: {toName}</th>
        </tr>
      </thead>
      {rows.map((row) => {
        const entity = (row.after ?? row.before)!
        const number = row.numberAfter ?? row.numberBefore
        return (
          <tbody key={row.id} className={`compare-entity change-${row.change}`} data-testid="compare-entity" data-change={row.change}>
            <tr className="entity-heading">
              <th scope="colgroup" colSpan={3}>
                <span className={`tag change-tag change-${row.change}`}>{rowMark(kind, row)}</span>{' '}
                <span className="entity-name">
                  {sentence(noun)} {number}: {title(entity)}
                </span>
              </th>
            </tr>
            {row.change === 'added' && (
              <tr>
                <th scope="row">{sentence(noun)}</th>
                <td>
                  <Absent />
                </td>
                <td>{summary(row.after!, after)}</td>
              </tr>
            )}
            {row.change === 'removed' && (
              <tr>
                <th scope="row">{sentence(noun)}</th>
                <td>{summary(row.before!, before)}</td>
                <td>
                  <Absent />
                </td>
              </tr>
            )}
            {row.change === 'changed' &&
              row.fields.map((f) => (
                <tr key={f.field} data-field={f.field}>
                  <th scope="row">{sentence(fieldName(kind, f.field))}</th>
                  <FieldCells kind={kind} change={f} before={before} after={after} numbers={{ before: row.numberBefore, after: row.numberAfter }} />
                </tr>
              ))}
            {extra?.(row)}
          </tbody>
        )
      })}
    </table>
  )
}

const NOUN: Record<CompareKind, string> = {
  episode: 'episode',
  factor: 'factor',
  finding: 'finding',
  recommendation: 'recommendation',
  link: 'link',
}

function UnchangedToggle({ n, noun, on, onChange }: { n: number; noun: string; on: boolean; onChange: (on: boolean) => void }) {
  if (n === 0) return null
  return (
    <label className="checkbox unchanged-toggle">
      <input type="checkbox" checked={on} onChange={(e) => onChange(e.target.checked)} /> Show the {n} unchanged {noun}
    </label>
  )
}

interface TabProps {
  c: Comparison
  before: PlainBoard
  after: PlainBoard
  fromName: string
  toName: string
}

function CompareEpisodes({ c, before, after, fromName, toName }: TabProps) {
  const [showSame, setShowSame] = useState(false)
  const rows = useMemo(() => compareRows(before.episodes, after.episodes, c.episodes), [before, after, c])
  const same = rows.filter((r) => r.change === 'same').length
  const shown = showSame ? rows : rows.filter((r) => r.change !== 'same')
  return (
    <section aria-labelledby="compare-table-heading">
      <div className="section-heading">
        <h2 id="compare-table-heading">Practice-analysis table</h2>
      </div>
      <Legend />
      <UnchangedToggle n={same} noun={same === 1 ? 'episode' : 'episodes'} on={showSame} onChange={setShowSame} />
      {shown.length === 0 ? (
        <p className="empty-note">No episode was added, removed or changed.</p>
      ) : (
        <CompareTable
          kind="episode"
          rows={shown}
          before={before}
          after={after}
          fromName={fromName}
          toName={toName}
          caption="Key practice episodes: before and after"
          title={(e: PlainEpisode) => e.title || 'Untitled episode'}
          summary={(e: PlainEpisode, board) => <EpisodeSummary e={e} board={board} />}
          testId="compare-episodes"
        />
      )}
    </section>
  )
}

function CompareFindings({ c, before, after, fromName, toName }: TabProps) {
  const [showSame, setShowSame] = useState(false)
  const touched = useMemo(
    () =>
      new Set(
        [...c.recommendations.added, ...c.recommendations.removed, ...c.recommendations.changed]
          .map((r) => r.parent)
          .filter((p): p is string => !!p),
      ),
    [c],
  )
  const rows = useMemo(() => compareRows(before.findings, after.findings, c.findings, touched), [before, after, c, touched])
  const same = rows.filter((r) => r.change === 'same').length
  const shown = showSame ? rows : rows.filter((r) => r.change !== 'same')
  const reclassified = new Map(c.reclassified.map((r) => [r.id, r]))
  const recommendationRows = (row: CompareRow<PlainFinding>) => {
    const inFinding = (r: { parent?: string | null }) => r.parent === row.id
    const added = c.recommendations.added.filter(inFinding)
    const removed = c.recommendations.removed.filter(inFinding)
    const changed = c.recommendations.changed.filter(inFinding)
    const recs = (board: PlainBoard) => board.findings.find((f) => f.id === row.id)?.recommendations ?? []
    const number = (board: PlainBoard, id: string) => recs(board).findIndex((r) => r.id === id) + 1
    const find = (board: PlainBoard, id: string) => recs(board).find((r) => r.id === id)
    const recText = (r: PlainRecommendation | undefined, board: PlainBoard) =>
      r ? (
        <>
          <span className="prose">{r.text || 'No text yet'}</span>{' '}
          <span className="muted">({valueText('recommendation', 'type', r.type, board)})</span>
        </>
      ) : null
    const moved = reclassified.get(row.id)
    return (
      <>
        {moved && (
          <tr className="reclassified-row">
            <td colSpan={3}>
              <p className="reclassified" data-testid="reclassified">
                <strong>
                  Re-classified from “{moved.before_label}” to “{moved.after_label}”
                </strong>
              </p>
            </td>
          </tr>
        )}
        {added.map((r) => (
          <tr key={r.id} className="rec-row">
            <th scope="row">
              <span className="tag change-tag change-added">Added</span> Recommendation {number(after, r.id)}
            </th>
            <td>
              <Absent />
            </td>
            <td>{recText(find(after, r.id), after)}</td>
          </tr>
        ))}
        {removed.map((r) => (
          <tr key={r.id} className="rec-row">
            <th scope="row">
              <span className="tag change-tag change-removed">Removed</span> Recommendation {number(before, r.id)}
            </th>
            <td>{recText(find(before, r.id), before)}</td>
            <td>
              <Absent />
            </td>
          </tr>
        ))}
        {changed.flatMap((r) =>
          r.fields.map((f) => (
            <tr key={`${r.id}-${f.field}`} className="rec-row">
              <th scope="row">
                <span className="tag change-tag change-changed">Changed</span> Recommendation {number(after, r.id)}:{' '}
                {fieldName('recommendation', f.field)}
              </th>
              <FieldCells
                kind="recommendation"
                change={f}
                before={before}
                after={after}
                numbers={{ before: number(before, r.id), after: number(after, r.id) }}
              />
            </tr>
          )),
        )}
      </>
    )
  }
  return (
    <section aria-labelledby="compare-findings-heading">
      <div className="section-heading">
        <h2 id="compare-findings-heading">Findings</h2>
      </div>
      <Legend />
      <UnchangedToggle n={same} noun={same === 1 ? 'finding' : 'findings'} on={showSame} onChange={setShowSame} />
      {shown.length === 0 ? (
        <p className="empty-note">No finding or recommendation was added, removed or changed.</p>
      ) : (
        <CompareTable
          kind="finding"
          rows={shown}
          before={before}
          after={after}
          fromName={fromName}
          toName={toName}
          caption="Findings and their recommendations: before and after"
          title={(f: PlainFinding) => f.statement || 'No statement yet'}
          summary={(f: PlainFinding, board) => <FindingSummary f={f} board={board} />}
          extra={recommendationRows}
          testId="compare-findings"
        />
      )}
    </section>
  )
}

function CompareMapTab({ c, before, after, fromName, toName }: TabProps) {
  const boards = [after, before]
  const factorRows = useMemo(() => compareRows(before.factors, after.factors, c.factors).filter((r) => r.change !== 'same'), [before, after, c])
  const linkOf = (id: string) => after.links.find((l) => l.id === id) ?? before.links.find((l) => l.id === id)
  const linkChanges = [
    ...c.links.added.map((l) => ({ id: l.id, mark: 'added' as const, words: 'Added', fields: [] as FieldChange[] })),
    ...c.links.removed.map((l) => ({ id: l.id, mark: 'removed' as const, words: 'Removed', fields: [] as FieldChange[] })),
    ...c.links.changed.map((l) => ({ id: l.id, mark: 'changed' as const, words: rowMark('link', { change: 'changed', fields: l.fields }), fields: l.fields })),
  ]
  return (
    <section aria-labelledby="compare-map-heading">
      <div className="section-heading">
        <h2 id="compare-map-heading">Factor map</h2>
      </div>
      <p className="field-hint">
        The map of {toName}, with what changed since {fromName} marked on it. Removed nodes and links are drawn where they
        were, with a dashed outline.
      </p>
      <Suspense fallback={<p role="status">Loading the factor map…</p>}>
        <CompareMap before={before} after={after} c={c} />
      </Suspense>
      <h3>Contributory factors</h3>
      {factorRows.length === 0 ? (
        <p className="empty-note">No factor was added, removed or changed.</p>
      ) : (
        <CompareTable
          kind="factor"
          rows={factorRows}
          before={before}
          after={after}
          fromName={fromName}
          toName={toName}
          caption="Contributory factors: before and after"
          title={(f: PlainFactor) => f.title || 'Untitled factor'}
          summary={(f: PlainFactor, board) => <FactorSummary f={f} board={board} />}
          testId="compare-factors"
        />
      )}
      <h3>Links</h3>
      {linkChanges.length === 0 ? (
        <p className="empty-note">No link was added, removed or changed.</p>
      ) : (
        <ul className="change-list" data-testid="compare-links">
          {linkChanges.map((l) => {
            const link = linkOf(l.id)
            return (
              <li key={l.id}>
                <span className={`tag change-tag change-${l.mark}`}>{l.words}</span>{' '}
                {link ? linkText(link, l.mark === 'removed' ? [before, after] : boards) : 'A link'}
                {l.fields.length > 0 && (
                  <span className="muted">
                    {' '}
                    (
                    {l.fields
                      .map((f) => `${fieldName('link', f.field)}: ${linkValue(f.field, f.before, boards)} → ${linkValue(f.field, f.after, boards)}`)
                      .join('; ')}
                    )
                  </span>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {c.moved_on_map.length > 0 && (
        <>
          <h3>Moved on the map</h3>
          <ul className="change-list" data-testid="compare-moved">
            {c.moved_on_map.map((id) => (
              <li key={id}>
                <span className="tag change-tag change-moved">Moved</span> {titleOf(id, boards)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function linkValue(field: string, value: string, boards: PlainBoard[]): string {
  if (field === 'from' || field === 'to') return `“${titleOf(value, boards)}”`
  return valueText('link', field, value)
}
