// What every live document screen (the board, restricted notes) shares: its connection
// and who is on it, the connection state in words, following the person's access as it
// changes, and the warning before leaving with unsent edits.

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'

import type { User } from '../api/client'
import { closeMeaning } from '../sync/close'
import type { ConnectionSnapshot, DocumentConnection } from '../sync/connection'
import { announce, type Person } from '../sync/presence'
import { usePeople } from './Presence'

/**
 * Opens `make()`'s connection while the screen shows (a new one whenever `key`
 * changes, e.g. when the person's access changes), announced with the person's name
 * and agency.
 */
export function useLiveConnection<C extends DocumentConnection>(
  make: () => C,
  key: string,
  user: Pick<User, 'id' | 'name' | 'agency'>,
): { connection: C; status: ConnectionSnapshot; people: Person[] } {
  // Bumped to make a new connection when the one made for this key was destroyed while
  // the screen stays: React's development checks unmount and remount every effect once.
  const [generation, setGeneration] = useState(0)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names what `make` connects to; `make` itself is new on every render
  const connection = useMemo(make, [key, generation])
  useEffect(() => {
    if (connection.destroyed) {
      setGeneration((g) => g + 1)
      return
    }
    return () => connection.destroy()
  }, [connection])
  const awareness = connection.provider.awareness
  useEffect(
    () => announce(awareness, { name: user.name, agency: user.agency, account: user.id }),
    [awareness, user.name, user.agency, user.id],
  )
  const status = useSyncExternalStore(connection.subscribe, connection.getSnapshot)
  const people = usePeople(awareness)
  useUnsentWarning(status.unsent)
  return { connection, status, people }
}

/**
 * Follows the person's access while the document is open:
 * - the server closed with 4503 (access changed, e.g. a new role): `recheck` asks the
 *   API what is allowed now (the provider reconnects by itself, with the new access);
 * - 4403 (access ended): `ended`; the provider does not reconnect;
 * - while the connection is down: `recheck` now and then, since a refused upgrade
 *   looks to the websocket like a network fault.
 */
export function useAccessFollow(
  connection: DocumentConnection,
  status: ConnectionSnapshot,
  recheck: () => Promise<unknown>,
  ended: () => void,
) {
  const handlers = useRef({ recheck, ended })
  handlers.current = { recheck, ended }
  useEffect(
    () =>
      connection.onClose((code) => {
        const meaning = closeMeaning(code)
        if (meaning === 'access-changed') void handlers.current.recheck()
        else if (meaning === 'access-ended') handlers.current.ended()
      }),
    [connection],
  )
  const down = status.state === 'reconnecting' || status.state === 'connecting'
  useEffect(() => {
    if (!down) return
    const first = setTimeout(() => void handlers.current.recheck(), 3000)
    const every = setInterval(() => void handlers.current.recheck(), 15_000)
    return () => {
      clearTimeout(first)
      clearInterval(every)
    }
  }, [down, connection])
}

/** Warns before leaving the page while edits are only on this device. */
function useUnsentWarning(unsent: boolean) {
  useEffect(() => {
    if (!unsent) return
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault()
    }
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [unsent])
}

const STATE_TEXT: Record<ConnectionSnapshot['state'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
}

export function ConnectionBadge({
  status,
  readOnly = false,
  what = 'the board',
}: {
  status: ConnectionSnapshot
  readOnly?: boolean
  /** What is being brought up to date: "the board", "the notes". */
  what?: string
}) {
  const detail =
    status.state === 'connected'
      ? status.synced
        ? readOnly
          ? 'Up to date'
          : 'All changes saved'
        : `Bringing ${what} up to date…`
      : status.unsent
        ? 'Your changes are kept on this device and will be shared when you reconnect'
        : status.lastSyncedAt
          ? `Last in step at ${status.lastSyncedAt.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`
          : ''
  return (
    <div className={`connection connection-${status.state}`} role="status" aria-live="polite" data-testid="connection">
      <span className="connection-dot" aria-hidden="true" />
      <strong>{STATE_TEXT[status.state]}</strong>
      {detail && <span className="connection-detail">{detail}</span>}
    </div>
  )
}
