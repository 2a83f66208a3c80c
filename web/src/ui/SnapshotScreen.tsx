// A snapshot of a review's board, read only, in the live board's own screens (the
// table, the map, the findings). Its state comes from the API as one Yjs update applied
// to a fresh document: no websocket, nothing kept on the device. A banner says it is a
// snapshot — its label, when and by whom it was taken — with the way back to the live
// board and, for leads, restoring it.

import { Suspense, lazy, useEffect, useMemo, useState } from 'react'
import { Awareness } from 'y-protocols/awareness'

import { api, type Meeting, type ReviewDetail, type SnapshotInfo } from '../api/client'
import { keys, refusedWith, useApi } from '../api/queries'
import { toPlain } from '../board/plain'
import { boardFromState } from '../board/schema'
import { restoredText } from '../review/compare'
import { shortHash, takenText } from '../review/snapshots'
import { isLead } from '../review/words'
import { AppHeader } from './App'
import { BoardAccessContext, type BoardAccess } from './boardAccess'
import { ScreenTabs, useView, viewLabel } from './BoardTabs'
import { EpisodeTable } from './table/EpisodeTable'
import { Findings } from './Findings'
import { RestoreDialog } from './RestoreDialog'
import { boardHref, compareHref, linkTo, reviewHref } from './route'
import { usePageTitle } from './session'

const FactorMap = lazy(() => import('./map/FactorMap').then((m) => ({ default: m.FactorMap })))

interface Loaded {
  detail: ReviewDetail
  snapshot: SnapshotInfo
  meeting: Meeting | null
  state: Uint8Array
}

export function SnapshotScreen({ reviewId, snapshotId }: { reviewId: string; snapshotId: string }) {
  const detailQuery = useApi(keys.review(reviewId), () => api.review(reviewId))
  const listQuery = useApi(keys.snapshots(reviewId), () => api.snapshots(reviewId))
  const meetingsQuery = useApi(keys.meetings(reviewId), () => api.meetings(reviewId))
  const stateQuery = useApi(keys.snapshotState(reviewId, snapshotId), () => api.snapshotState(reviewId, snapshotId), {
    staleTime: Infinity,
  })
  const { data: detail } = detailQuery
  const { data: meetings } = meetingsQuery
  const { data: state } = stateQuery
  const snapshot = listQuery.data?.find((s) => s.id === snapshotId)
  const failed = [detailQuery, listQuery, meetingsQuery, stateQuery].find((q) => q.error)
  if (failed) {
    // A session that ended shows the sign-in page instead.
    if (!failed.failure) return <Opening />
    return <NoSnapshot reviewId={reviewId} failure={refusedWith(failed.error) ? 'not-found' : failed.failure} />
  }
  if (listQuery.data && !snapshot) return <NoSnapshot reviewId={reviewId} failure="not-found" />
  if (!detail || !snapshot || !meetings || !state) return <Opening />
  return <SnapshotBoard detail={detail} snapshot={snapshot} meeting={meetings.find((m) => m.id === snapshot.meeting_id) ?? null} state={state} />
}

function Opening() {
  usePageTitle('Opening the snapshot')
  return (
    <>
      <AppHeader />
      <main className="page narrow" id="main" tabIndex={-1}>
        <p role="status">Opening the snapshot…</p>
      </main>
    </>
  )
}

function NoSnapshot({ reviewId, failure }: { reviewId: string; failure: string }) {
  usePageTitle('Snapshot not available')
  return (
    <>
      <AppHeader />
      <main className="page narrow" id="main" tabIndex={-1} data-testid="no-snapshot">
        {failure === 'not-found' ? (
          <>
            <h1>This snapshot is not available to you</h1>
            <p>Either it does not exist, or you are not a member of its review.</p>
          </>
        ) : (
          <>
            <h1>The snapshot cannot be opened</h1>
            <p>{failure}</p>
          </>
        )}
        <p>
          <a {...linkTo(reviewHref(reviewId))}>Back to the review</a>
        </p>
      </main>
    </>
  )
}

function SnapshotBoard({ detail, snapshot, meeting, state }: Loaded) {
  const reviewId = detail.review.id
  const doc = useMemo(() => boardFromState(state), [state])
  // The screens take an awareness; nobody is "here" on a snapshot.
  const [awareness, setAwareness] = useState<Awareness | null>(null)
  useEffect(() => {
    const a = new Awareness(doc)
    a.setLocalState(null)
    setAwareness(a)
    return () => a.destroy()
  }, [doc])
  useEffect(() => {
    // A handle for the browser tests.
    ;(window as unknown as { __snapshot?: unknown }).__snapshot = { doc, toPlain: () => toPlain(doc), snapshot }
  }, [doc, snapshot])
  const [view, show] = useView()
  usePageTitle(`${viewLabel(view)}, snapshot “${snapshot.label}”: ${detail.review.title}`)
  const lead = isLead(detail.role)
  const [restoring, setRestoring] = useState(false)
  const [restored, setRestored] = useState('')
  const access: BoardAccess = useMemo(() => ({ reviewId, canEdit: false, canChangeAgreed: false, snapshot: true }), [reviewId])
  return (
    <BoardAccessContext.Provider value={access}>
      <div className="app read-only snapshot-view">
        <AppHeader>
          <nav className="breadcrumbs header-crumbs" aria-label="Breadcrumbs">
            <a {...linkTo(reviewHref(reviewId))} data-testid="review-title">
              {detail.review.title}
            </a>
            <span aria-hidden="true"> › </span>
            <a {...linkTo(`${reviewHref(reviewId)}#snapshots`)}>Snapshots</a>
            <span aria-hidden="true"> › </span>
            <span>{snapshot.label}</span>
          </nav>
        </AppHeader>
        <section className="snapshot-banner" aria-labelledby="snapshot-banner-heading" data-testid="snapshot-banner">
          <div className="snapshot-banner-text">
            <p className="snapshot-banner-kicker">
              <span className="tag snapshot-tag">Snapshot</span> <span className="tag">Read only</span>
            </p>
            <p id="snapshot-banner-heading" className="snapshot-banner-title">
              {snapshot.label}
            </p>
            <p>
              {takenText(snapshot)}
              {meeting ? `, recording “${meeting.title}”` : ''}. Content fingerprint{' '}
              <code title={`SHA-256 ${snapshot.content_hash}`}>{shortHash(snapshot.content_hash)}</code>.
            </p>
            <p>This is the board as it was when the snapshot was taken. It cannot be changed; the live board may have moved on.</p>
            {restored && (
              <p className="notice" role="status" data-testid="restored">
                {restored} <a {...linkTo(boardHref(reviewId))}>Open the live board</a>
              </p>
            )}
          </div>
          <div className="snapshot-banner-actions">
            <a className="button" {...linkTo(boardHref(reviewId))}>
              Back to the live board
            </a>
            <a className="button secondary" {...linkTo(compareHref(reviewId, snapshot.id, 'live', view))}>
              Compare with the live board
            </a>
            {lead && (
              <button className="button warning" type="button" onClick={() => setRestoring(true)}>
                Restore this snapshot…
              </button>
            )}
          </div>
        </section>
        <ScreenTabs view={view} onChange={show} label="Snapshot screens" />
        <main className="page" id="main" tabIndex={-1}>
          {!awareness ? null : view === 'findings' ? (
            <Findings doc={doc} awareness={awareness} people={[]} />
          ) : view === 'map' ? (
            <Suspense fallback={<p role="status">Loading the factor map…</p>}>
              <FactorMap doc={doc} awareness={awareness} people={[]} />
            </Suspense>
          ) : (
            <EpisodeTable doc={doc} awareness={awareness} people={[]} />
          )}
        </main>
        {restoring && (
          <RestoreDialog
            reviewId={reviewId}
            snapshot={snapshot}
            onClose={() => setRestoring(false)}
            onRestored={(result, keptAs) => {
              setRestoring(false)
              setRestored(restoredText(snapshot.label, result.changes, keptAs))
            }}
          />
        )}
      </div>
    </BoardAccessContext.Provider>
  )
}
