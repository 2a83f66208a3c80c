// Asking a board screen to open one item (from search): the board keeps the request,
// and the screen showing that kind of item opens it in its panel.

import { createContext, useContext, useEffect } from 'react'

export interface OpenRequest {
  kind: 'episode' | 'factor' | 'finding'
  id: string
  /** The field to put the caret in. */
  field?: string
  /** Counts requests, so asking again for the same item opens it again. */
  n: number
}

export const OpenRequestContext = createContext<OpenRequest | null>(null)

/** Calls `open` whenever the board asks to open an item of `kind`. */
export function useOpenRequest(kind: OpenRequest['kind'], open: (id: string, field?: string) => void) {
  const request = useContext(OpenRequestContext)
  useEffect(() => {
    if (request && request.kind === kind) open(request.id, request.field)
    // Only a new request opens: not a re-render with the same one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request?.n])
}
