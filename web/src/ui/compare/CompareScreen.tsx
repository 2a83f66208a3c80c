// What changed between two boards: a snapshot and the live board, or two snapshots.
// Counts at the top; then the practice-analysis table and the findings side by side
// (before | after), every added, removed or changed entity marked in words and colour,
// texts with their removed and added words marked, re-classified findings called out;
// and the factor map of the later board with its nodes marked (CompareMap).
//
// The comparison is the server's (`GET /compare`); both boards are read as plain data
// (a snapshot from the API, the live board through a read-only connection, sides.ts) to
// show what stayed and where things are on the map. This file: the screen, choosing
// the sides; Result.tsx the counts and tabs; tabs.tsx each tab.

import { useEffect, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'

import { api, errorText, type SnapshotInfo } from '../../api/client'
import { keys, refusedWith, useApi } from '../../api/queries'
import { sideName, takenText } from '../../review/snapshots'
import type { CompareKind } from '../../review/compare'
import { isLead, longDate } from '../../review/words'
import { AppHeader } from '../App'
import { useView, viewLabel } from '../BoardTabs'
import { compareHref, linkTo, reviewHref } from '../route'
import { usePageTitle } from '../session'
import { Result } from './Result'
import { RestoreItemContext, type ItemRestorer } from './restoreItem'
import { type Sides, useSide, useSides } from './sides'

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
  const [restoring, setRestoring] = useState(false)
  const [restored, setRestored] = useState<{ ok: boolean; text: string } | null>(null)
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
  const fromSnapshot = list.find((s) => s.id === from)
  const sideError = before.error || after.error || compareError
  // A lead comparing a snapshot with the live board may bring one item or field back.
  const restorer: ItemRestorer | null =
    isLead(detail.role) && fromSnapshot && to === 'live'
      ? {
          busy: restoring,
          restore: (kind: CompareKind, id: string, field?: string) => {
            setRestoring(true)
            setRestored(null)
            api
              .restoreItem(reviewId, from, { kind, id, field })
              .then(
                () => {
                  setRestored({ ok: true, text: `Restored ${field ? 'the field' : `the ${kind}`} as in ${fromName}. Everyone on the board has it.` })
                  again()
                },
                (e: unknown) => setRestored({ ok: false, text: errorText(e) }),
              )
              .finally(() => setRestoring(false))
          },
        }
      : null
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
        <RestoreItemContext.Provider value={restorer}>
          {restored && (
            <p className={restored.ok ? 'saved' : 'error-message'} role={restored.ok ? 'status' : 'alert'} data-testid="restore-item-message">
              {restored.text}
            </p>
          )}
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
        </RestoreItemContext.Provider>
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
