// Restoring one item, or one field, from a snapshot while comparing it with the live
// board (lead reviewers only). The comparison screen provides a restorer; the tables
// show a button on each removed or changed item and on each changed field.

import { createContext, useContext } from 'react'

import type { CompareKind } from '../../review/compare'

export interface ItemRestorer {
  restore: (kind: CompareKind, id: string, field?: string) => void
  busy: boolean
}

export const RestoreItemContext = createContext<ItemRestorer | null>(null)

/** A button that brings `id` (or its `field`) back to the snapshot's version. */
export function RestoreItemButton({
  kind,
  id,
  field,
  children,
}: {
  kind: CompareKind
  id: string
  field?: string
  children: React.ReactNode
}) {
  const restorer = useContext(RestoreItemContext)
  // A recommendation lives inside its finding: restore the finding instead.
  if (!restorer || kind === 'recommendation') return null
  return (
    <button
      className="link-button restore-item"
      type="button"
      disabled={restorer.busy}
      onClick={() => restorer.restore(kind, id, field)}
      data-testid={field ? 'restore-field' : 'restore-item'}
    >
      {children}
    </button>
  )
}
