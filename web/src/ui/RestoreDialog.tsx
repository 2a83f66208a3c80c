// "Restore this snapshot?": what a restore does (a forward change for everyone, undone by
// restoring another snapshot), what it would change on the live board now, and one
// click to keep the board as it is first, as a snapshot of its own.

import { useState } from 'react'

import { api, errorText, type Comparison, type Restored, type SnapshotInfo } from '../api/client'
import { keys, useApi } from '../api/queries'
import { noDifferences, restoreEffect } from '../review/compare'
import { beforeRestoreLabel } from '../review/snapshots'
import { ErrorSummary } from './Form'
import { compareHref, linkTo } from './route'
import { sessionEnded, useSession } from './session'
import { useModal } from './useModal'

export function RestoreDialog({
  reviewId,
  snapshot,
  onClose,
  onRestored,
  onTaken,
}: {
  reviewId: string
  snapshot: SnapshotInfo
  onClose: () => void
  onRestored: (result: Restored, keptAs: SnapshotInfo | null) => void
  /** A snapshot of the current board was taken from the dialog. */
  onTaken?: (taken: SnapshotInfo) => void
}) {
  const session = useSession()
  const { ref, heading } = useModal()
  // What a restore would change: from the live board to the snapshot (read afresh each
  // time the dialog opens; without it the dialog says less, and restoring still works).
  const previewQuery = useApi(keys.restorePreview(reviewId, snapshot.id), () => api.compare(reviewId, 'live', snapshot.id), {
    gcTime: 0,
  })
  const preview: Comparison | null = previewQuery.data ?? null
  const [kept, setKept] = useState<SnapshotInfo | null>(null)
  const [busy, setBusy] = useState<'' | 'keeping' | 'restoring'>('')
  const [problem, setProblem] = useState('')
  const fail = (e: unknown) => {
    if (!sessionEnded(e, session)) setProblem(errorText(e))
  }

  const keepCurrent = async () => {
    setProblem('')
    setBusy('keeping')
    try {
      const taken = await api.takeSnapshot(reviewId, { label: beforeRestoreLabel(snapshot.label) })
      setKept(taken)
      onTaken?.(taken)
    } catch (e) {
      fail(e)
    } finally {
      setBusy('')
    }
  }
  const restore = async () => {
    setProblem('')
    setBusy('restoring')
    try {
      const result = await api.restoreSnapshot(reviewId, snapshot.id)
      onRestored(result, kept)
    } catch (e) {
      fail(e)
      setBusy('')
    }
  }
  const unchanged = preview !== null && noDifferences(preview)
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="restore-heading"
      data-testid="restore-dialog"
      onCancel={(e) => {
        e.preventDefault()
        if (!busy) onClose()
      }}
    >
      <h2 id="restore-heading" ref={heading} tabIndex={-1}>
        Restore “{snapshot.label}”?
      </h2>
      <ErrorSummary problems={problem ? [{ message: problem }] : []} />
      <p>
        The live board will hold exactly what this snapshot holds, for everyone, straight away. Boards that are open
        change in front of the people using them.
      </p>
      <div className="dialog-preview" data-testid="restore-preview">
        {preview === null ? (
          <p className="muted">Working out what would change…</p>
        ) : unchanged ? (
          <p>The live board already holds this snapshot’s content: restoring it changes nothing.</p>
        ) : (
          <>
            <p>
              <strong>This restore would change the live board: {restoreEffect(preview)}.</strong>
            </p>
            <p>
              <a {...linkTo(compareHref(reviewId, 'live', snapshot.id))}>See every change it would make</a>
            </p>
          </>
        )}
      </div>
      <p>
        A restore is a <strong>forward change</strong>: it is recorded in the audit trail like any edit, and nothing is
        deleted from the board’s history or from other snapshots. To undo it, restore another snapshot.
      </p>
      <div className="inset keep-first">
        {kept ? (
          <p role="status" className="saved" data-testid="kept-snapshot">
            The board as it is now is kept as “{kept.label}”. Restore that snapshot to undo this restore.
          </p>
        ) : (
          <>
            <p>
              <strong>Keep the board as it is now?</strong> Take a snapshot of it first, so you can come back to it.
            </p>
            <button className="button secondary" type="button" onClick={() => void keepCurrent()} disabled={busy !== ''}>
              Take a snapshot of the current board first
            </button>
          </>
        )}
      </div>
      <div className="form-actions">
        <button className="button warning" type="button" onClick={() => void restore()} disabled={busy !== ''}>
          {busy === 'restoring' ? 'Restoring…' : 'Restore this snapshot'}
        </button>
        <button className="button secondary" type="button" onClick={onClose} disabled={busy === 'restoring'}>
          Cancel
        </button>
      </div>
    </dialog>
  )
}
