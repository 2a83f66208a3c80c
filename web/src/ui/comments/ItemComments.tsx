// "Comments" in an item's side panel: its threads (open ones first, resolved ones
// folded away), a reply box per thread, and a box to start a new one. Comments are
// beside the board, never in it: no snapshot, comparison or export carries them.

import { useState } from 'react'

import { api, type Comment } from '../../api/client'
import { bodyRuns, threadsOf, type Thread } from '../../review/comments'
import { when } from '../../review/words'
import { useBoardAccess } from '../boardAccess'
import { Composer } from './Composer'
import { useComments } from './CommentsContext'

export type CommentedKind = 'episode' | 'factor' | 'finding' | 'link'

export function ItemComments({ kind, id }: { kind: CommentedKind; id: string }) {
  const { reviewId, snapshot } = useBoardAccess()
  const { data, failure, changed } = useComments()
  const [showResolved, setShowResolved] = useState(false)
  // Snapshots are a record of the board, not a place to talk.
  if (!reviewId || snapshot) return null
  const threads = data ? threadsOf(data.comments, { kind, id }) : []
  const open = threads.filter((t) => !t.resolved)
  const resolved = threads.filter((t) => t.resolved)
  const canComment = data?.canComment ?? false

  return (
    <section className="comments" aria-labelledby={`comments-${id}`} data-testid="item-comments">
      <h3 id={`comments-${id}`}>
        Comments{open.length > 0 && <span className="muted"> ({open.length} open)</span>}
      </h3>
      {failure ? (
        <p className="error-message">The comments could not be loaded. {failure}</p>
      ) : !data ? (
        <p className="muted">Loading the comments…</p>
      ) : threads.length === 0 ? (
        <p className="muted">No comments yet.{canComment && ' Ask a question or note something to come back to; it stays out of snapshots and the report.'}</p>
      ) : null}
      {open.map((t) => (
        <ThreadView key={t.first.id} thread={t} reviewId={reviewId} canComment={canComment} changed={changed} />
      ))}
      {resolved.length > 0 && (
        <button type="button" className="link-button" aria-expanded={showResolved} onClick={() => setShowResolved(!showResolved)}>
          {showResolved ? 'Hide resolved threads' : `Show ${resolved.length} resolved ${resolved.length === 1 ? 'thread' : 'threads'}`}
        </button>
      )}
      {showResolved && resolved.map((t) => <ThreadView key={t.first.id} thread={t} reviewId={reviewId} canComment={canComment} changed={changed} />)}
      {canComment && (
        <Composer
          reviewId={reviewId}
          label="New comment"
          submitLabel="Post comment"
          onPost={async (body, mentions) => {
            await api.addComment(reviewId, { itemKind: kind, itemId: id, body, mentions })
            changed()
          }}
        />
      )}
    </section>
  )
}

export function ThreadView({
  thread,
  reviewId,
  canComment,
  changed,
  heading,
}: {
  thread: Thread
  reviewId: string
  canComment: boolean
  changed: () => void
  /** Shown above the thread (the inbox names the item). */
  heading?: React.ReactNode
}) {
  const [replying, setReplying] = useState(false)
  const [failure, setFailure] = useState('')
  const { first } = thread
  const act = async (action: () => Promise<void>) => {
    setFailure('')
    try {
      await action()
      changed()
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error))
    }
  }
  return (
    <article className={`comment-thread${thread.resolved ? ' resolved' : ''}`} aria-label={`Comment thread started by ${first.author.name}`} data-testid="comment-thread">
      {heading}
      <ol className="comment-list">
        {[first, ...thread.replies].map((c) => (
          <CommentLine key={c.id} comment={c} onDelete={() => void act(() => api.deleteComment(reviewId, c.id))} />
        ))}
      </ol>
      {thread.resolved && first.resolvedAt != null && (
        <p className="muted comment-resolved">
          Resolved by {first.resolvedBy || 'someone'}, {when(first.resolvedAt)}
        </p>
      )}
      {failure && (
        <p className="error-message" role="alert">
          {failure}
        </p>
      )}
      {replying ? (
        <Composer
          reviewId={reviewId}
          label="Reply"
          submitLabel="Post reply"
          autoFocus
          onCancel={() => setReplying(false)}
          onPost={async (body, mentions) => {
            await api.addComment(reviewId, { threadId: first.id, body, mentions })
            setReplying(false)
            changed()
          }}
        />
      ) : (
        <div className="comment-actions">
          {canComment && !first.deleted && !thread.resolved && (
            <button type="button" className="link-button" onClick={() => setReplying(true)}>
              Reply
            </button>
          )}
          {first.canResolve && (
            <button type="button" className="link-button" onClick={() => void act(() => api.resolveThread(reviewId, first.id, !thread.resolved))}>
              {thread.resolved ? 'Reopen' : 'Resolve'}
            </button>
          )}
        </div>
      )}
    </article>
  )
}

function CommentLine({ comment: c, onDelete }: { comment: Comment; onDelete: () => void }) {
  const [confirming, setConfirming] = useState(false)
  return (
    <li className={`comment${c.new ? ' new' : ''}`} data-testid="comment">
      <p className="comment-meta">
        <span className="comment-author">{c.author.name}</span>
        {c.author.agency && <span className="muted">, {c.author.agency}</span>}
        {' · '}
        <time dateTime={new Date(c.createdAt).toISOString()}>{when(c.createdAt)}</time>
        {c.new && <span className="comment-new"> · new</span>}
      </p>
      {c.deleted ? (
        <p className="muted comment-body">This comment was deleted.</p>
      ) : (
        <p className="comment-body">
          {bodyRuns(c.body, c.mentions).map((run, i) =>
            run.mention ? (
              <strong key={i} className="mention">
                {run.text}
              </strong>
            ) : (
              <span key={i}>{run.text}</span>
            ),
          )}
        </p>
      )}
      {c.canDelete &&
        (confirming ? (
          <span className="comment-actions" role="group" aria-label="Delete this comment?">
            <span>Delete this comment?</span>{' '}
            <button type="button" className="button warning small" onClick={onDelete}>
              Delete
            </button>{' '}
            <button type="button" className="link-button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button type="button" className="link-button comment-delete" onClick={() => setConfirming(true)}>
            Delete<span className="visually-hidden"> comment by {c.author.name}</span>
          </button>
        ))}
    </li>
  )
}
