// One open board: its Yjs document, the websocket to the server, the copy kept on
// this device for offline work, and the connection state shown to the user.

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'

import { initBoard } from '../board/schema'

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

/** Board names follow the server's rule: `/`-separated segments of [A-Za-z0-9._-]. */
export function isValidBoardName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 200 &&
    name.split('/').every((s) => /^[A-Za-z0-9._-]+$/.test(s) && s !== '.' && s !== '..')
  )
}

export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly local: IndexeddbPersistence
  private snapshot: ConnectionSnapshot = {
    state: 'connecting',
    synced: false,
    unsent: false,
    lastSyncedAt: null,
  }
  private listeners = new Set<() => void>()
  private everConnected = false

  constructor(
    readonly name: string,
    options: { serverUrl?: string; connect?: boolean } = {},
  ) {
    const serverUrl = options.serverUrl ?? defaultServerUrl()
    this.local = new IndexeddbPersistence(`board:${name}`, this.doc)
    this.provider = new WebsocketProvider(serverUrl, name, this.doc, {
      connect: options.connect ?? true,
      // A safety net: re-send our state vector now and then, so that nothing stays
      // unsent if a message was ever lost.
      resyncInterval: 30_000,
      maxBackoffTime: 5_000,
    })
    // The status event may have fired before we subscribed.
    this.onStatus(this.provider.wsconnected ? 'connected' : 'connecting')
    this.provider.on('status', ({ status }: { status: string }) => this.onStatus(status))
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.update({ synced: true, unsent: false, lastSyncedAt: new Date() })
    })
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      // A local change made while not in step with the server waits on this device.
      if (origin !== this.provider && !(this.provider.wsconnected && this.snapshot.synced)) {
        this.update({ unsent: true })
      }
    })
    this.local.whenSynced.then(() => initBoard(this.doc, LOCAL))
    this.provider.once('sync', () => initBoard(this.doc, LOCAL))
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
    this.provider.destroy()
    void this.local.destroy()
    this.doc.destroy()
  }
}

/** `ws(s)://<this host>/sync`. */
export function defaultServerUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/sync`
}
