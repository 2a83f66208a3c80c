// What the person on a board may do there: the review it belongs to, and whether
// their role edits it. Read-only roles, and snapshots, show the same screens with
// nothing to change.

import { createContext, useContext } from 'react'

export interface BoardAccess {
  /** The review the board belongs to ('' outside a review, e.g. in unit tests). */
  reviewId: string
  canEdit: boolean
  /** Changes agreed work (the review team and leads); the case group suggests instead. */
  canChangeAgreed: boolean
  /** Who is on the board, as suggestions name them. */
  person?: { name: string; agency: string }
  /** Looks up findings of other reviews seen before (the review team and leads, signed in). */
  looksUpLibrary?: boolean
  /** A snapshot, read only: the live board's history and "not added yet" wording do not apply. */
  snapshot?: boolean
}

export const BoardAccessContext = createContext<BoardAccess>({ reviewId: '', canEdit: true, canChangeAgreed: true })

export const useBoardAccess = () => useContext(BoardAccessContext)
