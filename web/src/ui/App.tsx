// The app: choose a board, then work on it. The board's address is /b/<name>.

import { Suspense, lazy, useEffect, useMemo, useState, useSyncExternalStore } from 'react'

import * as schema from '../board/schema'
import { BoardConnection, isValidBoardName, type ConnectionSnapshot } from '../sync/connection'
import { announce, loadIdentity, saveIdentity, type Identity } from '../sync/presence'
import { EpisodeTable } from './EpisodeTable'
import { Findings } from './Findings'
import { IdentityForm, PeopleHere, usePeople } from './Presence'

function boardFromLocation(): string | null {
  const match = /^\/b\/(.+)$/.exec(location.pathname)
  if (!match) return null
  const name = decodeURIComponent(match[1]).replace(/\/+$/, '')
  return isValidBoardName(name) ? name : null
}

export function App() {
  const [board, setBoard] = useState(boardFromLocation)
  useEffect(() => {
    const onPop = () => setBoard(boardFromLocation())
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  const open = (name: string) => {
    history.pushState(null, '', `/b/${name}`)
    setBoard(name)
  }
  const [identity, setIdentity] = useState<Identity | null>(loadIdentity)
  if (!board) return <OpenBoard onOpen={open} />
  if (!identity)
    return (
      <IdentityForm
        onDone={(id) => {
          saveIdentity(id)
          setIdentity(id)
        }}
      />
    )
  return <BoardScreen key={board} name={board} identity={identity} />
}

function OpenBoard({ onOpen }: { onOpen: (name: string) => void }) {
  const [name, setName] = useState('')
  const [error, setError] = useState('')
  return (
    <main className="page narrow">
      <h1>Analysis board</h1>
      <p>
        Work through a case review together: the practice-analysis table of key practice
        episodes, the factor map and the findings, live with everyone on the review.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          const trimmed = name.trim()
          if (!isValidBoardName(trimmed)) {
            setError('Use letters, numbers, dots, dashes and underscores, for example review-12.')
            return
          }
          onOpen(trimmed)
        }}
      >
        <div className={`field${error ? ' field-error' : ''}`}>
          <label className="field-label" htmlFor="board-name">
            Board name
          </label>
          <p className="field-hint" id="board-name-hint">
            Everyone who opens the same name works on the same board.
          </p>
          {error && (
            <p className="error-message" id="board-name-error">
              <span className="visually-hidden">Error:</span> {error}
            </p>
          )}
          <input
            id="board-name"
            className="field-input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-describedby={`board-name-hint${error ? ' board-name-error' : ''}`}
            autoComplete="off"
          />
        </div>
        <button className="button" type="submit">
          Open board
        </button>
      </form>
    </main>
  )
}

function BoardScreen({ name, identity }: { name: string; identity: Identity }) {
  const connection = useMemo(() => new BoardConnection(name), [name])
  useEffect(() => {
    // A handle for the browser tests and the performance script.
    ;(window as unknown as { __board?: unknown }).__board = Object.assign(connection, { schema })
    return () => connection.destroy()
  }, [connection])
  const awareness = connection.provider.awareness
  useEffect(() => announce(awareness, identity), [awareness, identity])
  const status = useSyncExternalStore(connection.subscribe, connection.getSnapshot)
  const everyone = usePeople(awareness)
  const [view, setView] = useState<View>(viewFromLocation)
  const show = (next: View) => {
    const url = new URL(location.href)
    if (next === 'table') url.searchParams.delete('view')
    else url.searchParams.set('view', next)
    history.pushState(null, '', url)
    setView(next)
  }
  useEffect(() => {
    const onPop = () => setView(viewFromLocation())
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])

  // Warn before leaving while edits are only on this device.
  useEffect(() => {
    if (!status.unsent) return
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault()
    }
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [status.unsent])

  return (
    <div className="app">
      <header className="app-header">
        <div className="app-title">
          <a className="app-name" href="/">
            Analysis board
          </a>
          <span className="board-name">{name}</span>
        </div>
        <div className="header-right">
          <PeopleHere list={everyone} />
          <ConnectionBadge status={status} />
        </div>
      </header>
      <ScreenTabs view={view} onChange={show} />
      <main className="page" id="main">
        {view === 'findings' ? (
          <Findings doc={connection.doc} awareness={awareness} people={everyone} />
        ) : view === 'map' ? (
          <Suspense fallback={<p role="status">Loading the factor map…</p>}>
            <FactorMap doc={connection.doc} awareness={awareness} people={everyone} />
          </Suspense>
        ) : (
          <EpisodeTable doc={connection.doc} awareness={awareness} people={everyone} />
        )}
      </main>
    </div>
  )
}

// The map's libraries (React Flow, dagre) load only when someone opens the map.
const FactorMap = lazy(() => import('./FactorMap').then((m) => ({ default: m.FactorMap })))

type View = 'table' | 'map' | 'findings'

const VIEWS: { id: View; label: string }[] = [
  { id: 'table', label: 'Practice-analysis table' },
  { id: 'map', label: 'Factor map' },
  { id: 'findings', label: 'Findings' },
]

function viewFromLocation(): View {
  const view = new URLSearchParams(location.search).get('view')
  return view === 'findings' || view === 'map' ? view : 'table'
}

function ScreenTabs({ view, onChange }: { view: View; onChange: (view: View) => void }) {
  return (
    <nav className="screens" aria-label="Board screens">
      <ul>
        {VIEWS.map((v) => (
          <li key={v.id}>
            <a
              href={v.id === 'table' ? location.pathname : `${location.pathname}?view=${v.id}`}
              aria-current={view === v.id ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault()
                onChange(v.id)
              }}
            >
              {v.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

const STATE_TEXT: Record<ConnectionSnapshot['state'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
}

export function ConnectionBadge({ status }: { status: ConnectionSnapshot }) {
  const detail =
    status.state === 'connected'
      ? status.synced
        ? 'All changes saved'
        : 'Bringing the board up to date…'
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
