// Actions every screen shares: undo/redo of one's own changes, and deleting for
// everyone after a confirmation.

import { useState } from 'react'

import type { Undo } from './useUndo'

export function UndoButtons({ history, what }: { history: Undo; what: string }) {
  return (
    <>
      <button className="button secondary" type="button" onClick={history.undo} disabled={!history.canUndo}>
        Undo<span className="visually-hidden"> my last change to {what}</span>
      </button>
      <button className="button secondary" type="button" onClick={history.redo} disabled={!history.canRedo}>
        Redo<span className="visually-hidden"> my last undone change to {what}</span>
      </button>
    </>
  )
}

/** "Delete X" that first asks "Delete X for everyone?". */
export function ConfirmDelete({ label, question, onDelete }: { label: string; question: string; onDelete: () => void }) {
  const [confirming, setConfirming] = useState(false)
  if (!confirming) {
    return (
      <button className="button warning" type="button" onClick={() => setConfirming(true)}>
        {label}
      </button>
    )
  }
  return (
    <span className="confirm" role="alert">
      {question}{' '}
      <button className="button warning" type="button" onClick={onDelete}>
        Yes, delete it
      </button>{' '}
      <button className="button secondary" type="button" onClick={() => setConfirming(false)}>
        Keep it
      </button>
    </span>
  )
}
