// One open board: its Yjs document, the websocket to the server, the copy kept on
// this device for offline work, and the connection state shown to the user.

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'

import { board, initBoard, vocabulary } from '../board/schema'
import { VOCABULARIES, type VocabularyName } from '../board/vocabulary'

/** Origin of every change made by this user (undo tracks only these). */
export const LOCAL = Symbol('local')

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline'

export interface ConnectionSnapshot {
  state: ConnectionState
  /** The server has sent the whole board since the last connect. */
  synced: boolean
  /** This device holds edits the server has not confirmed yet. */
  unsent: boolean
  /** When the board was last in step with the server. */
  lastSyncedAt: Date | null
}

/** A review's board document: `<review id>/board`. */
export const boardDocument = (reviewId: string) => `${reviewId}/board`

/** Prefix of the IndexedDB databases that keep boards on this device. */
export const LOCAL_COPY_PREFIX = 'board:'

/**
 * Deletes every board kept on this device (on signing out: a shared machine must not
 * keep case details after the person leaves).
 */
export async function forgetLocalCopies(): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return
  const databases = await indexedDB.databases()
  await Promise.all(
    databases
      .map((d) => d.name)
      .filter((name): name is string => !!name && name.startsWith(LOCAL_COPY_PREFIX))
      .map(
        (name) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(name)
            request.onsuccess = request.onerror = request.onblocked = () => resolve()
          }),
      ),
  )
}

const open = new Set<BoardConnection>()

/** True when a board open on this page holds edits the server has not confirmed. */
export function unsentEditsOnThisPage(): boolean {
  return [...open].some((c) => c.getSnapshot().unsent)
}

export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  /** The copy on this device; none for read-only access, which has nothing to keep. */
  readonly local: IndexeddbPersistence | null
  private snapshot: ConnectionSnapshot = {
    state: 'connecting',
    synced: false,
    unsent: false,
    lastSyncedAt: null,
  }
  private listeners = new Set<() => void>()
  private everConnected = false
  readonly readOnly: boolean

  /**
   * `name` is the document (`<review id>/board`). `readOnly` for roles that may read
   * but not change it: nothing is written to the board (not even its vocabularies) and
   * nothing is kept on the device. `owner` keeps each person's copy apart on a shared
   * device.
   */
  constructor(
    readonly name: string,
    options: { serverUrl?: string; connect?: boolean; readOnly?: boolean; owner?: string } = {},
  ) {
    const serverUrl = options.serverUrl ?? defaultServerUrl()
    this.readOnly = options.readOnly ?? false
    this.local = this.readOnly
      ? null
      : new IndexeddbPersistence(`${LOCAL_COPY_PREFIX}${options.owner ? `${options.owner}:` : ''}${name}`, this.doc)
    this.provider = new WebsocketProvider(serverUrl, name, this.doc, {
      connect: options.connect ?? true,
      // A safety net: re-send our state vector now and then, so that nothing stays
      // unsent if a message was ever lost.
      resyncInterval: 30_000,
      maxBackoffTime: 5_000,
      // Reconnect after every close but two: a bad document name (4400), and access
      // that ended or changed (4403), after which the app asks the API what is allowed
      // now and connects again if anything is.
      shouldReconnect: (event: CloseEvent) => event.code !== 4400 && event.code !== 4403,
    })
    // The status event may have fired before we subscribed.
    this.onStatus(this.provider.wsconnected ? 'connected' : 'connecting')
    this.provider.on('status', ({ status }: { status: string }) => this.onStatus(status))
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.update({ synced: true, unsent: false, lastSyncedAt: new Date() })
    })
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      // A local change made while not in step with the server waits on this device.
      if (this.readOnly) return
      if (origin !== this.provider && !(this.provider.wsconnected && this.snapshot.synced)) {
        this.update({ unsent: true })
      }
    })
    open.add(this)
    // Name the board's roots: this changes nothing in the document, but makes reading
    // it whole (doc.toJSON) see all of them even where nothing is ever written.
    board(this.doc)
    for (const name of Object.keys(VOCABULARIES) as VocabularyName[]) vocabulary(this.doc, name)
    if (!this.readOnly) {
      void this.local?.whenSynced.then(() => initBoard(this.doc, LOCAL))
      this.provider.once('sync', () => initBoard(this.doc, LOCAL))
    }
  }

  private onStatus(status: string) {
    if (status === 'connected') {
      this.everConnected = true
      this.update({ state: 'connected' })
    } else if (status === 'connecting') {
      this.update({ state: this.everConnected ? 'reconnecting' : 'connecting', synced: false })
    } else {
      this.update({ state: navigator.onLine === false || !this.provider.shouldConnect ? 'offline' : 'reconnecting', synced: false })
    }
  }

  private update(patch: Partial<ConnectionSnapshot>) {
    this.snapshot = { ...this.snapshot, ...patch }
    for (const listener of this.listeners) listener()
  }

  getSnapshot = (): ConnectionSnapshot => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Goes offline on purpose (edits stay on this device). */
  disconnect() {
    this.provider.disconnect()
    this.update({ state: 'offline', synced: false })
  }

  connect() {
    this.provider.connect()
  }

  destroy() {
    open.delete(this)
    this.provider.destroy()
    void this.local?.destroy()
    this.doc.destroy()
  }
}

/** `ws(s)://<this host>/sync`. */
export function defaultServerUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/sync`
}
