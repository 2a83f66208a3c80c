// The review's comments for everyone on the board: loaded once for all panels, asked
// again after any change made here, when someone else on the board says they
// commented (a stamp in their presence), and every half minute for the rest.

import { useQueryClient } from '@tanstack/react-query'
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react'
import type { Awareness } from 'y-protocols/awareness'

import { api, type Comments } from '../../api/client'
import { keys, useApi } from '../../api/queries'

const POLL_MS = 30_000

export interface CommentsState {
  data: Comments | null
  failure: string
  /** Loads them again now, and tells the others on the board to (a comment was written, resolved or deleted). */
  changed: () => void
  /** Loads them again here only (nothing changed for the others). */
  reload: () => void
}

const CommentsContext = createContext<CommentsState>({ data: null, failure: '', changed: () => {}, reload: () => {} })

export const useComments = () => useContext(CommentsContext)

export function CommentsProvider({ reviewId, awareness, children }: { reviewId: string; awareness: Awareness; children: ReactNode }) {
  const queryClient = useQueryClient()
  const query = useApi(keys.comments(reviewId), () => api.comments(reviewId), { refetchInterval: POLL_MS })
  const reload = useCallback(() => void queryClient.invalidateQueries({ queryKey: keys.comments(reviewId) }), [queryClient, reviewId])
  // The stamps others last published, so only a new one loads again.
  const stamps = useRef(new Map<number, unknown>())

  useEffect(() => {
    const onChange = () => {
      let fresh = false
      for (const [clientId, state] of awareness.getStates()) {
        if (clientId === awareness.clientID) continue
        const stamp = (state as { commented?: unknown } | null)?.commented
        // Someone already here who stamps anew has commented; a newcomer's stamp is old news.
        if (stamps.current.has(clientId) && stamps.current.get(clientId) !== stamp) fresh = true
        stamps.current.set(clientId, stamp)
      }
      if (fresh) reload()
    }
    onChange()
    awareness.on('change', onChange)
    return () => awareness.off('change', onChange)
  }, [awareness, reload])

  const changed = useCallback(() => {
    reload()
    awareness.setLocalStateField('commented', Date.now())
  }, [awareness, reload])

  const value = useMemo(
    () => ({ data: query.data ?? null, failure: query.failure, changed, reload }),
    [query.data, query.failure, changed, reload],
  )
  return <CommentsContext.Provider value={value}>{children}</CommentsContext.Provider>
}
