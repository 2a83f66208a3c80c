// "Comments" in the board's bar: how many comments are new to this person on threads
// and items they are linked to, and a dialog listing the review's threads (for you,
// open, resolved) with a way to each item. Closing it marks the comments read.

import { useEffect, useRef, useState } from 'react'

import { api } from '../../api/client'
import { itemName, threadsOf, type Thread } from '../../review/comments'
import { useBoardAccess } from '../boardAccess'
import { useComments } from './CommentsContext'
import { ThreadView, type CommentedKind } from './ItemComments'

type Filter = 'for-you' | 'open' | 'resolved'

const FILTERS: [Filter, string][] = [
  ['for-you', 'For you'],
  ['open', 'All open'],
  ['resolved', 'Resolved'],
]

export function CommentsButton({ onOpenItem }: { onOpenItem: (kind: CommentedKind, id: string) => void }) {
  const { data } = useComments()
  const [open, setOpen] = useState(false)
  const fresh = data?.newForYou ?? 0
  return (
    <>
      <button type="button" className="button secondary small" onClick={() => setOpen(true)} data-testid="comments-button">
        Comments
        {fresh > 0 && (
          <span className="count-badge" data-testid="comments-new">
            {fresh}
            <span className="visually-hidden"> new for you</span>
          </span>
        )}
      </button>
      {open && (
        <CommentsDialog
          onClose={() => setOpen(false)}
          onOpenItem={(kind, id) => {
            setOpen(false)
            onOpenItem(kind, id)
          }}
        />
      )}
    </>
  )
}

function CommentsDialog({ onClose, onOpenItem }: { onClose: () => void; onOpenItem: (kind: CommentedKind, id: string) => void }) {
  const { reviewId } = useBoardAccess()
  const { data, failure, changed, reload } = useComments()
  const ref = useRef<HTMLDialogElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const [filter, setFilter] = useState<Filter>(() => ((data?.newForYou ?? 0) > 0 ? 'for-you' : 'open'))
  // The newest comment the dialog has shown: closing it marks that much read, never a
  // comment that arrived unseen.
  const newest = useRef(0)
  newest.current = Math.max(newest.current, ...(data?.comments.map((c) => c.createdAt) ?? []))

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement as HTMLElement | null
    if (!dialog.open) dialog.showModal()
    heading.current?.focus()
    return () => {
      if (dialog.open) dialog.close()
      opener?.focus?.()
      if (newest.current > 0) void api.markCommentsSeen(reviewId, newest.current).then(reload, () => {})
    }
  }, [reviewId, reload])

  const threads = data ? threadsOf(data.comments) : []
  const shown = threads
    .filter((t) => (filter === 'resolved' ? t.resolved : !t.resolved && (filter === 'open' || t.forYou)))
    .sort((a, b) => b.fresh - a.fresh || b.lastAt - a.lastAt)
  return (
    <dialog
      ref={ref}
      className="dialog comments-dialog"
      aria-labelledby="comments-dialog-heading"
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <h2 id="comments-dialog-heading" ref={heading} tabIndex={-1}>
        Comments
      </h2>
      <p className="muted">Comments stay beside the board: they are not in snapshots, comparisons or the report.</p>
      <div className="segmented" role="group" aria-label="Show">
        {FILTERS.map(([value, label]) => (
          <button key={value} type="button" className={`button small${filter === value ? '' : ' secondary'}`} aria-pressed={filter === value} onClick={() => setFilter(value)}>
            {label}
            {value === 'for-you' && data && data.newForYou > 0 && ` (${data.newForYou} new)`}
          </button>
        ))}
      </div>
      {failure ? (
        <p className="error-message">The comments could not be loaded. {failure}</p>
      ) : !data ? (
        <p role="status">Loading the comments…</p>
      ) : shown.length === 0 ? (
        <p className="muted" data-testid="comments-empty">
          {filter === 'for-you'
            ? 'Nothing for you: threads you write in, are mentioned in, or on items you changed show here.'
            : filter === 'open'
              ? 'No open comments. Open an episode, factor or finding to comment on it.'
              : 'No resolved threads.'}
        </p>
      ) : (
        <div className="comments-dialog-list">
          {shown.map((t) => (
            <ThreadView
              key={t.first.id}
              thread={t}
              reviewId={reviewId}
              canComment={data.canComment}
              changed={changed}
              heading={<ThreadHeading thread={t} onOpenItem={onOpenItem} />}
            />
          ))}
        </div>
      )}
      <div className="panel-actions">
        <button type="button" className="button secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}

function ThreadHeading({ thread, onOpenItem }: { thread: Thread; onOpenItem: (kind: CommentedKind, id: string) => void }) {
  const { first } = thread
  const name = itemName(first)
  return (
    <h3 className="comment-thread-item">
      {first.onBoard ? (
        <button type="button" className="link-button" onClick={() => onOpenItem(first.itemKind as CommentedKind, first.itemId)}>
          On {name}
        </button>
      ) : (
        <span>On {name}</span>
      )}
      {thread.fresh > 0 && <span className="comment-new"> · {thread.fresh} new</span>}
    </h3>
  )
}
