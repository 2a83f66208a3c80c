// A review's restricted notes (`<review id>/notes/<slug>`): one plain text that the
// participants and the lead reviewers write together, live, with the same connection,
// offline copy and presence as the board. Read-only roles read along.

import { useCallback, useEffect, useState } from 'react'

import { api, type DocumentView, type Member, type ReviewDetail, type User } from '../api/client'
import { endsSession, keys, refusedWith, useApi } from '../api/queries'
import { CONVERSATION_OUTLINE, notesName, outlineText, participantNames, restrictedSentence } from '../review/notes'
import { isLead, roleLabel, withArticle } from '../review/words'
import { LOCAL, NotesConnection, forgetLocalCopy, notesDocument } from '../sync/connection'
import { setFocus } from '../sync/presence'
import { UndoButtons } from './Actions'
import { AppHeader } from './App'
import { BoardAccessContext } from './boardAccess'
import { ConnectionBadge, useAccessFollow, useLiveConnection } from './Live'
import { EditingNote, PeopleHere, editorsOf } from './Presence'
import { linkTo, reviewHref } from './route'
import { usePageTitle, useUser } from './session'
import { TextField } from './TextField'
import { useUndo } from './useUndo'
import { useY } from './useY'

/** '', 'not-found', 'ended' or a message. */
type Failure = string

const NO_MEMBERS: Member[] = []

export function NotesScreen({ reviewId, slug }: { reviewId: string; slug: string }) {
  const user = useUser()
  const name = notesName(slug)
  // Whether the notes are open to the person, and how: asked again on opening whatever
  // is cached, since the connection is made for that access. `refetch` asks again.
  const query = useApi(keys.review(reviewId), () => api.review(reviewId), { refetchOnMount: 'always' })
  const { refetch } = query
  const answer = query.isFetchedAfterMount ? query.data : undefined
  const doc = answer?.documents.find((d) => d.name === name)
  const refused = refusedWith(query.error)
  // Once the notes have opened here, a refusal or their leaving the review's documents
  // means the person's access has ended; any other failure leaves them open.
  const [opened, setOpened] = useState(false)
  const open = !!doc && (opened ? !refused : !query.error)
  if (open && !opened) setOpened(true)
  const [ended, setEnded] = useState(false)
  if (opened && !open && !ended) setEnded(true)
  // A lead sees who the participants are, by name (without the names if they cannot be read).
  const lead = isLead(answer?.role)
  const membersQuery = useApi(keys.members(reviewId), () => api.members(reviewId), { enabled: lead })
  const members = (lead && membersQuery.data) || NO_MEMBERS
  /** The server ended the person's access (4403): unless their session ended, the notes close. */
  const end = useCallback(async () => {
    const { error } = await refetch()
    if (!endsSession(error)) setEnded(true)
  }, [refetch])
  useEffect(() => {
    // Notes the person may no longer open are not kept on their device.
    if (ended) void forgetLocalCopy(notesDocument(reviewId, slug), user.id)
  }, [ended, reviewId, slug, user.id])

  if (ended || (opened && !open)) return <NoNotes reviewId={reviewId} failure="ended" />
  if (open && answer) return <LiveNotes detail={answer} doc={doc} slug={slug} members={members} user={user} recheck={refetch} ended={end} />
  if (query.isFetchedAfterMount) {
    // A session that ended has no failure to show: the sign-in page replaces this one.
    if (query.failure) return <NoNotes reviewId={reviewId} failure={refused ? 'not-found' : query.failure} />
    if (answer && !query.error) return <NoNotes reviewId={reviewId} failure="not-found" />
  }
  return <Opening />
}

function Opening() {
  usePageTitle('Opening the notes')
  return (
    <>
      <AppHeader />
      <main className="page narrow" id="main" tabIndex={-1}>
        <p role="status">Opening the notes…</p>
      </main>
    </>
  )
}

function NoNotes({ reviewId, failure }: { reviewId: string; failure: Failure }) {
  usePageTitle(failure === 'ended' ? 'Access to the notes ended' : 'Notes not available')
  return (
    <>
      <AppHeader />
      <main className="page narrow" id="main" tabIndex={-1} data-testid="no-notes">
        {failure === 'ended' ? (
          <>
            <h1>Your access to these notes has ended</h1>
            <p>
              A lead reviewer has changed who can open these notes, or your place in the review has changed, so they have
              closed. The copy kept on this device has been deleted.
            </p>
            <p>If you still need them, ask the review’s lead reviewer.</p>
          </>
        ) : failure === 'not-found' ? (
          <>
            <h1>These notes are not available to you</h1>
            <p>
              Either they do not exist, or you are not one of the people who may open them. Restricted notes can be opened
              only by the people the lead reviewers chose, and by the lead reviewers. If you should have access, ask the
              review’s lead reviewer.
            </p>
          </>
        ) : (
          <>
            <h1>The notes cannot be opened</h1>
            <p>{failure}</p>
          </>
        )}
        <ul className="link-list-plain">
          <li>
            <a {...linkTo(reviewHref(reviewId))}>Go to the review</a>
          </li>
          <li>
            <a {...linkTo('/')}>Go to your reviews</a>
          </li>
        </ul>
      </main>
    </>
  )
}

function LiveNotes({
  detail,
  doc,
  slug,
  members,
  user,
  recheck,
  ended,
}: {
  detail: ReviewDetail
  doc: DocumentView
  slug: string
  members: Member[]
  user: User
  recheck: () => Promise<unknown>
  ended: () => void
}) {
  const reviewId = detail.review.id
  const editable = doc.access === 'edit'
  const [firstAccess] = useState(doc.access)
  const { connection, status, people } = useLiveConnection(
    () => new NotesConnection(notesDocument(reviewId, slug), { readOnly: !editable, owner: user.id }),
    `${reviewId}:${slug}:${editable}:${user.id}`,
    user,
  )
  useEffect(() => {
    // A handle for the browser tests.
    ;(window as unknown as { __notes?: unknown }).__notes = connection
  }, [connection])
  useAccessFollow(connection, status, recheck, ended)
  usePageTitle(`${doc.title}: ${detail.review.title}`)
  const text = connection.text
  useY(text)
  const history = useUndo([text])
  const awareness = connection.provider.awareness
  const focus = { kind: 'notes' as const, id: slug, field: 'notes' }
  const role = roleLabel(detail.role)
  const lead = isLead(detail.role)
  const names = lead && doc.participants ? participantNames(doc.participants, members).names : null
  // Offer the outline only once the notes are known to be empty (not before they arrive).
  const empty = text.length === 0 && (status.synced || status.lastSyncedAt !== null)

  const insertOutline = () => {
    if (text.length > 0) return
    history.stopCapturing()
    connection.doc.transact(() => text.insert(0, outlineText()), LOCAL)
    history.stopCapturing()
    // Ready to write under the first heading.
    requestAnimationFrame(() => {
      const box = document.querySelector<HTMLTextAreaElement>('[data-testid="notes-text"]')
      if (!box) return
      const at = CONVERSATION_OUTLINE[0].length + 1
      box.focus()
      box.setSelectionRange(at, at)
    })
  }

  return (
    <BoardAccessContext.Provider value={{ reviewId, canEdit: editable, canChangeAgreed: editable }}>
      <div className={`app${editable ? '' : ' read-only'}`}>
        <AppHeader>
          <nav className="breadcrumbs header-crumbs" aria-label="Breadcrumbs">
            <a {...linkTo(reviewHref(reviewId))} data-testid="review-title">
              {detail.review.title}
            </a>
            <span aria-hidden="true"> › </span>
            <span>Restricted notes</span>
          </nav>
        </AppHeader>
        <div className="board-bar">
          <div className="board-bar-start">
            <span className={`role-badge${editable ? '' : ' read-only'}`} data-testid="role-badge">
              <span className="visually-hidden">Your role: </span>
              {role}
              {!editable && <span className="role-badge-note"> · read only</span>}
            </span>
            <PeopleHere list={people} where="these notes" />
          </div>
          <ConnectionBadge status={status} readOnly={!editable} what="the notes" />
        </div>
        {doc.access !== firstAccess && (
          <p className="notice role-changed" role="status">
            Your access to these notes has changed: you are now {withArticle(role)}, and can{' '}
            {editable ? 'change them' : 'read them but not change them'}.
          </p>
        )}
        {!editable && (
          <p className="read-only-notice" data-testid="read-only-notice">
            You are {withArticle(role)}: you can read these notes and see changes as they are made, but not change them.
          </p>
        )}
        <main className="page notes-page" id="main" tabIndex={-1} onKeyDown={editable ? history.onKeyDown : undefined}>
          <span className="caption">Restricted notes</span>
          <h1>{doc.title}</h1>
          <div className="restricted-banner" data-testid="restricted-banner">
            <p>
              {restrictedSentence(names)}
              {lead && (
                <>
                  {' '}
                  <a {...linkTo(`${reviewHref(reviewId)}#documents`)}>Change who can open them</a>
                </>
              )}
            </p>
          </div>
          {empty && (
            <div className="notes-empty" data-testid="notes-empty">
              {editable ? (
                <>
                  <h2>Nothing written yet</h2>
                  <p>
                    For the notes of an individual conversation, you could follow the headings of the Learning Together
                    conversation (Appendix 3):
                  </p>
                  <ol className="outline">
                    {CONVERSATION_OUTLINE.map((h) => (
                      <li key={h}>{h}</li>
                    ))}
                  </ol>
                  <button className="button secondary" type="button" onClick={insertOutline}>
                    Insert these headings
                  </button>
                </>
              ) : (
                <p>Nothing has been written in these notes yet. What is written appears here as it is typed.</p>
              )}
            </div>
          )}
          {editable && (
            <div className="toolbar notes-toolbar">
              <UndoButtons history={history} what="the notes" />
            </div>
          )}
          <TextField
            text={text}
            label="Notes"
            hint={
              editable
                ? 'Plain text. Everyone who has these notes open sees what you write as you type, and it is saved as you go.'
                : undefined
            }
            rows={24}
            testId="notes-text"
            field="notes"
            note={<EditingNote editors={editorsOf(people, focus)} />}
            onFocusChange={(focused) => {
              history.stopCapturing()
              setFocus(awareness, focused ? focus : null)
            }}
          />
        </main>
      </div>
    </BoardAccessContext.Provider>
  )
}
