// The two sides of a comparison: which ones the address asks for, and each side's board
// as plain data (a snapshot from the API, or the live board through a read-only
// connection).

import { useEffect, useState } from 'react'

import { api } from '../../api/client'
import { keys, refusedWith, useApi } from '../../api/queries'
import { toPlain, type PlainBoard } from '../../board/plain'
import { BoardConnection, boardDocument } from '../../sync/connection'

export interface Sides {
  from: string
  to: string
}

function sidesOf(search: string): Sides {
  const q = new URLSearchParams(search)
  return { from: q.get('from') ?? '', to: q.get('to') ?? 'live' }
}

/** The sides the address asks for, kept in step with back and forward. */
export function useSides(): [Sides, (next: Sides, view: string) => void] {
  const [value, setValue] = useState(() => sidesOf(location.search))
  useEffect(() => {
    const onPop = () => setValue(sidesOf(location.search))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  const go = (next: Sides, href: string) => {
    history.pushState(null, '', href)
    setValue(next)
  }
  return [value, go]
}

interface Side {
  board: PlainBoard | null
  error: string
  /** The live board changed after it was read. */
  changedSince: boolean
}

const NO_SIDE: Side = { board: null, error: '', changedSince: false }

/** One side of the comparison as plain data: a snapshot from the API, or the live board. */
export function useSide(reviewId: string, side: string, generation: number): Side {
  const isSnapshot = side !== '' && side !== 'live'
  const snapshot = useApi(keys.snapshotBoard(reviewId, side), () => api.snapshot(reviewId, side), {
    enabled: isSnapshot,
    staleTime: Infinity,
  })
  const live = useLiveSide(reviewId, side === 'live', generation)
  if (side === 'live') return live
  if (!isSnapshot) return NO_SIDE
  return {
    board: snapshot.data?.board ?? null,
    error: refusedWith(snapshot.error) ? 'That snapshot is not in this review.' : snapshot.failure,
    changedSince: false,
  }
}

/** The live board as plain data, read again whenever `generation` changes. */
function useLiveSide(reviewId: string, enabled: boolean, generation: number): Side {
  const [state, setState] = useState<Side>(NO_SIDE)
  useEffect(() => {
    if (!enabled) return
    let alive = true
    setState(NO_SIDE)
    // The live board: read through a connection that never writes nor keeps a copy.
    const connection = new BoardConnection(boardDocument(reviewId), { readOnly: true })
    connection.provider.awareness.setLocalState(null)
    let synced = false
    const onSync = (isSynced: boolean) => {
      if (!isSynced || synced || !alive) return
      synced = true
      setState({ board: toPlain(connection.doc), error: '', changedSince: false })
      connection.doc.on('update', () => alive && setState((s) => (s.changedSince ? s : { ...s, changedSince: true })))
    }
    connection.provider.on('sync', onSync)
    const timer = setTimeout(() => {
      if (!synced && alive) {
        setState({ board: null, error: 'The live board could not be reached. Check your connection and try again.', changedSince: false })
      }
    }, 20_000)
    return () => {
      alive = false
      clearTimeout(timer)
      connection.provider.off('sync', onSync)
      connection.destroy()
    }
  }, [reviewId, enabled, generation])
  return state
}
