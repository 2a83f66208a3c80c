// A review's board: checks access through the API first (the websocket would only keep
// retrying), then connects to <review id>/board with the signed-in account's name and
// agency for presence. Read-only roles get the same screens with nothing to change.

import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react'

import { api, type ReviewDetail, type User } from '../api/client'
import { endsSession, keys, refusedWith, unreachable, useApi } from '../api/queries'
import { toPlain } from '../board/plain'
import * as schema from '../board/schema'
import { canEdit, mayRestore, roleLabel, withArticle } from '../review/words'
import { BoardConnection, boardDocument, forgetLocalCopy } from '../sync/connection'
import { forgetReview, rememberReview, rememberedReview } from '../sync/remembered'
import { AppHeader } from './App'
import { BoardSearch } from './BoardSearch'
import { ChoiceConflicts } from './ChoiceConflicts'
import { CommentsButton } from './comments/CommentsInbox'
import { CommentsProvider } from './comments/CommentsContext'
import { OpenRequestContext, type OpenRequest } from './openRequest'
import { BoardAccessContext, type BoardAccess } from './boardAccess'
import { CHRONOLOGY_VIEW, ScreenTabs, useView, viewLabel, VIEWS } from './BoardTabs'
import { ChronologyScreen } from './chronology/ChronologyScreen'
import { EpisodeTable } from './table/EpisodeTable'
import { Findings } from './Findings'
import { ConnectionBadge, useAccessFollow, useLiveConnection } from './Live'
import { PeopleHere } from './Presence'
import { linkTo, printHref, reviewHref } from './route'
import { usePageTitle, useUser } from './session'

export function BoardScreen({ reviewId }: { reviewId: string }) {
  const user = useUser()
  // The review and the caller's role in it, asked again on opening whatever is cached:
  // the connection is made for the access the server gives now. `refetch` asks again.
  const query = useApi(keys.review(reviewId), () => api.review(reviewId), { refetchOnMount: 'always' })
  const { refetch } = query
  const fetched = query.isFetchedAfterMount ? query.data : undefined
  // Without a connection, the board opens from this device's copy with the details
  // remembered when it was last opened here (until the server answers again).
  const [remembered] = useState(() => rememberedReview(user.id, reviewId))
  const offline = !fetched && query.isFetchedAfterMount && unreachable(query.error) && remembered !== null
  const answer = fetched ?? (offline ? remembered : undefined)
  const refused = refusedWith(query.error)
  // Once the board has opened here, a refusal means the person's access has ended; any
  // other failure leaves it open (the connection says how it is).
  const [opened, setOpened] = useState(false)
  const open = !!answer && (opened ? !refused : !query.error || offline)
  if (open && !opened) setOpened(true)
  const [gone, setGone] = useState(false)
  if (opened && refused && !gone) setGone(true)
  /** The server ended this person's access (4403): unless the session itself ended, the board closes for good. */
  const ended = useCallback(async () => {
    const { error } = await refetch()
    if (!endsSession(error)) setGone(true)
  }, [refetch])
  useEffect(() => {
    // A board the person may no longer open is not kept on their device.
    if (!gone) return
    forgetReview(user.id, reviewId)
    void forgetLocalCopy(boardDocument(reviewId), user.id)
  }, [gone, reviewId, user.id])
  useEffect(() => {
    if (fetched) rememberReview(user.id, fetched)
  }, [fetched, user.id])

  if (gone || (opened && refused)) return <NoBoard reviewId={reviewId} failure="not-found" gone />
  if (open) return <LiveBoard detail={answer} user={user} recheck={refetch} ended={ended} fromDevice={!fetched} />
  // A session that ended has no failure to show: the sign-in page replaces this one.
  if (query.isFetchedAfterMount && query.failure) {
    return <NoBoard reviewId={reviewId} failure={refused ? 'not-found' : query.failure} />
  }
  return <Opening />
}

/** Whether the caller may change the board, by their role and the board's access. */
function editableIn(detail: ReviewDetail): boolean {
  const board = detail.documents.find((d) => d.name === 'board')
  return canEdit(detail.role) && board?.access !== 'read'
}

function Opening() {
  usePageTitle('Opening the board')
  return (
    <>
      <AppHeader />
      <main className="page narrow" id="main" tabIndex={-1}>
        <p role="status">Opening the board…</p>
      </main>
    </>
  )
}

function NoBoard({ reviewId, failure, gone = false }: { reviewId: string; failure: string; gone?: boolean }) {
  usePageTitle('Board not available')
  return (
    <>
      <AppHeader />
      <main className="page narrow" id="main" tabIndex={-1} data-testid="no-board">
        {failure === 'not-found' ? (
          <>
            <h1>{gone ? 'You no longer have access to this board' : 'This board is not available to you'}</h1>
            <p>
              {gone
                ? 'Your access to this review has ended, so the board has closed and the copy kept on this device has been deleted.'
                : 'Either the review does not exist, or you are not one of its members.'}{' '}
              If you should have access, ask the review’s lead reviewer to invite you.
            </p>
            <p>
              <a {...linkTo('/')}>Go to your reviews</a>
            </p>
          </>
        ) : (
          <>
            <h1>The board cannot be opened</h1>
            <p>{failure}</p>
            <p>
              <a {...linkTo(reviewHref(reviewId))}>Back to the review</a>
            </p>
          </>
        )}
      </main>
    </>
  )
}

function LiveBoard({
  detail,
  user,
  recheck,
  ended,
  fromDevice,
}: {
  detail: ReviewDetail
  user: User
  recheck: () => Promise<unknown>
  ended: () => void
  /** The server could not be reached: the details are those this device remembers. */
  fromDevice: boolean
}) {
  const reviewId = detail.review.id
  const editable = editableIn(detail)
  const [firstRole] = useState(detail.role)
  // A change of role that changes what the person may do makes a new connection.
  const { connection, status, people: everyone } = useLiveConnection(
    () => new BoardConnection(boardDocument(reviewId), { readOnly: !editable, owner: user.id }),
    `${reviewId}:${editable}:${user.id}`,
    user,
  )
  useEffect(() => {
    // A handle for the browser tests and the performance script.
    ;(window as unknown as { __board?: unknown }).__board = Object.assign(connection, { schema, toPlain: () => toPlain(connection.doc) })
  }, [connection])
  const awareness = connection.provider.awareness
  useAccessFollow(connection, status, recheck, ended)
  const [view, show] = useView()
  const [openRequest, setOpenRequest] = useState<OpenRequest | null>(null)
  usePageTitle(`${viewLabel(view)}: ${detail.review.title}`)

  const changesAgreed = editable && detail.documents.find((d) => d.name === 'board')?.access === 'edit'
  const access: BoardAccess = useMemo(
    () => ({
      reviewId,
      canEdit: editable,
      canChangeAgreed: changesAgreed,
      person: { name: user.name, agency: user.agency },
      looksUpLibrary: mayRestore(detail.role),
    }),
    [reviewId, editable, changesAgreed, user.name, user.agency, detail.role],
  )
  const role = roleLabel(detail.role)
  // The server decides what each reads (the case group: its own agency's entries).
  const readsChronology =
    detail.role === 'lead_reviewer' || detail.role === 'review_team_member' || (detail.role === 'case_group_member' && user.agency.trim() !== '')
  /** Shows the screen an item lives on and opens it there (a link: the map). */
  const openItem = (kind: OpenRequest['kind'] | 'link', id: string, field?: string) => {
    show(kind === 'episode' ? 'table' : kind === 'finding' ? 'findings' : 'map')
    if (kind !== 'link') setOpenRequest((r) => ({ kind, id, field, n: (r?.n ?? 0) + 1 }))
  }
  return (
    <BoardAccessContext.Provider value={access}>
      <CommentsProvider reviewId={reviewId} awareness={awareness}>
      <div className={`app${editable ? '' : ' read-only'}`}>
        <AppHeader>
          <nav className="breadcrumbs header-crumbs" aria-label="Breadcrumbs">
            <a {...linkTo(reviewHref(reviewId))} data-testid="review-title">
              {detail.review.title}
            </a>
            <span aria-hidden="true"> › </span>
            <span>Board</span>
          </nav>
        </AppHeader>
        <div className="board-bar">
          <div className="board-bar-start">
            <span className={`role-badge${editable ? '' : ' read-only'}`} data-testid="role-badge">
              <span className="visually-hidden">Your role: </span>
              {role}
              {!editable && <span className="role-badge-note"> · read only</span>}
            </span>
            <PeopleHere list={everyone} />
          </div>
          <div className="board-bar-end">
            <BoardSearch doc={connection.doc} onOpen={(hit) => openItem(hit.kind, hit.id, hit.field)} />
            <CommentsButton onOpenItem={openItem} />
            <a {...linkTo(printHref(reviewId))} data-testid="board-print-link">
              Print or project
            </a>
            <a {...linkTo(`${reviewHref(reviewId)}#snapshots`)} data-testid="board-snapshots-link">
              Snapshots
            </a>
            <ConnectionBadge status={status} readOnly={!editable} />
          </div>
        </div>
        {detail.role !== firstRole && (
          <p className="notice role-changed" role="status">
            Your role in this review has changed: you are now {withArticle(role)}.
          </p>
        )}
        {!editable && (
          <p className="read-only-notice" data-testid="read-only-notice">
            You are {withArticle(role)}: you can read this board and see changes as they are made, but not change it. Ask
            the lead reviewer if you need to edit.
          </p>
        )}
        {fromDevice && (
          <p className="notice" role="status" data-testid="offline-notice">
            The board cannot be reached, so this is the copy kept on this device. Your changes are kept here and sent when
            the connection returns.
          </p>
        )}
        <ChoiceConflicts doc={connection.doc} />
        <ScreenTabs view={view} onChange={show} views={readsChronology ? [...VIEWS, CHRONOLOGY_VIEW] : VIEWS} />
        <OpenRequestContext.Provider value={openRequest}>
        <main className="page" id="main" tabIndex={-1}>
          {view === 'chronology' && readsChronology ? (
            <ChronologyScreen doc={connection.doc} onOpenEpisode={(id) => openItem('episode', id)} />
          ) : view === 'findings' ? (
            <Findings doc={connection.doc} awareness={awareness} people={everyone} />
          ) : view === 'map' ? (
            <Suspense fallback={<p role="status">Loading the factor map…</p>}>
              <FactorMap doc={connection.doc} awareness={awareness} people={everyone} />
            </Suspense>
          ) : (
            <EpisodeTable doc={connection.doc} awareness={awareness} people={everyone} />
          )}
        </main>
        </OpenRequestContext.Provider>
      </div>
      </CommentsProvider>
    </BoardAccessContext.Provider>
  )
}

// The map's libraries (React Flow, dagre) load only when someone opens the map.
const FactorMap = lazy(() => import('./map/FactorMap').then((m) => ({ default: m.FactorMap })))
