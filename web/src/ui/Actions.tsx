// Actions every screen shares: undo/redo of one's own changes, and deleting for
// everyone after a confirmation. None of them shows for a read-only role.

import { useState } from 'react'

import { useBoardAccess } from './boardAccess'
import type { Undo } from './useUndo'

export function UndoButtons({ history, what }: { history: Undo; what: string }) {
  const { canEdit } = useBoardAccess()
  if (!canEdit) return null
  return (
    <>
      {/* aria-disabled, not disabled: a button that becomes disabled drops the focus to the page. */}
      <button className="button secondary" type="button" onClick={() => history.canUndo && history.undo()} aria-disabled={!history.canUndo}>
        Undo<span className="visually-hidden"> my last change to {what}</span>
      </button>
      <button className="button secondary" type="button" onClick={() => history.canRedo && history.redo()} aria-disabled={!history.canRedo}>
        Redo<span className="visually-hidden"> my last undone change to {what}</span>
      </button>
    </>
  )
}

/**
 * "Delete X" that first asks "Delete X for everyone?", followed by `warning` (what goes
 * with it, read when the question opens, so it is up to date).
 */
export function ConfirmDelete({
  label,
  question,
  warning,
  onDelete,
}: {
  label: string
  question: string
  warning?: () => string
  onDelete: () => void
}) {
  const [confirming, setConfirming] = useState<string | null>(null)
  const { canEdit } = useBoardAccess()
  if (!canEdit) return null
  if (confirming === null) {
    return (
      <button className="button warning" type="button" onClick={() => setConfirming(warning?.() ?? '')}>
        {label}
      </button>
    )
  }
  return (
    <span className="confirm" role="alert" data-testid="confirm-delete">
      {question}
      {confirming && <span className="confirm-detail"> {confirming}</span>}{' '}
      <button className="button warning" type="button" onClick={onDelete}>
        Yes, delete it
      </button>{' '}
      <button className="button secondary" type="button" onClick={() => setConfirming(null)}>
        Keep it
      </button>
    </span>
  )
}

/** A labelled drop-down of fixed choices, each shown by its label. */
export function SelectField({
  id,
  label,
  value,
  options,
  labels,
  onChange,
  field,
}: {
  id: string
  label: string
  value: string
  options: readonly string[]
  labels: Record<string, string>
  onChange: (value: string) => void
  /** Names the field for keyboard navigation (`data-field`). */
  field?: string
}) {
  const { canEdit } = useBoardAccess()
  return (
    <div className="field" data-field={field}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value} disabled={!canEdit} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {labels[o] ?? o}
          </option>
        ))}
      </select>
    </div>
  )
}

/** Move up, move down and delete (after a confirmation), at the foot of a side panel. */
export function PanelActions({
  noun,
  number,
  onMove,
  onDelete,
  warning,
}: {
  noun: string
  number: number | string
  onMove: (by: -1 | 1) => void
  onDelete: () => void
  /** What goes with it, and how it comes back (see `deletionWarning`). */
  warning?: () => string
}) {
  const { canEdit } = useBoardAccess()
  if (!canEdit) return null
  return (
    <div className="panel-actions">
      <button className="button secondary" type="button" onClick={() => onMove(-1)}>
        Move up
      </button>
      <button className="button secondary" type="button" onClick={() => onMove(1)}>
        Move down
      </button>
      <ConfirmDelete
        label={`Delete ${noun}`}
        question={`Delete ${noun} ${number} for everyone?`}
        warning={warning}
        onDelete={onDelete}
      />
    </div>
  )
}
