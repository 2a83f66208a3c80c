// One open document (a review's board, or its restricted notes): its Yjs document, the
// websocket to the server, the copy kept on this device for offline work, and the
// connection state shown to the user.

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

/** A review's restricted notes: `<review id>/notes/<slug>`. */
export const notesDocument = (reviewId: string, slug: string) => `${reviewId}/notes/${slug}`

/** Prefix of the IndexedDB databases that keep boards on this device. */
export const LOCAL_COPY_PREFIX = 'board:'

/** The IndexedDB database that keeps `name` on this device for `owner`. */
export const localCopyName = (name: string, owner?: string) => `${LOCAL_COPY_PREFIX}${owner ? `${owner}:` : ''}${name}`

function deleteDatabase(name: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name)
    // Blocked while a connection is still open: it is deleted once that closes.
    request.onsuccess = request.onerror = request.onblocked = () => resolve()
  })
}

/**
 * Deletes every document kept on this device (on signing out: a shared machine must not
 * keep case details after the person leaves).
 */
export async function forgetLocalCopies(): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return
  const databases = await indexedDB.databases()
  await Promise.all(
    databases
      .map((d) => d.name)
      .filter((name): name is string => !!name && name.startsWith(LOCAL_COPY_PREFIX))
      .map(deleteDatabase),
  )
}

/** Deletes one document kept on this device (when the person's access to it has ended). */
export async function forgetLocalCopy(name: string, owner?: string): Promise<void> {
  if (typeof indexedDB === 'undefined') return
  await deleteDatabase(localCopyName(name, owner))
}

const open = new Set<DocumentConnection>()

/** True when a board open on this page holds edits the server has not confirmed. */
export function unsentEditsOnThisPage(): boolean {
  return [...open].some((c) => c.getSnapshot().unsent)
}

export interface ConnectionOptions {
  serverUrl?: string
  connect?: boolean
  /**
   * For roles that may read but not change the document: nothing is written to it
   * (not even its initial structure) and nothing is kept on the device.
   */
  readOnly?: boolean
  /** Keeps each person's copy apart on a shared device. */
  owner?: string
}

export class DocumentConnection {
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

  /** `name` is the document (`<review id>/board`, `<review id>/notes/<slug>`). */
  constructor(
    readonly name: string,
    options: ConnectionOptions = {},
  ) {
    const serverUrl = options.serverUrl ?? defaultServerUrl()
    this.readOnly = options.readOnly ?? false
    this.local = this.readOnly
      ? null
      : new IndexeddbPersistence(localCopyName(name, options.owner), this.doc)
    // The provider's own rule on closes is the server's (docs/protocol.md): 4400-4499
    // are final (a bad name, access ended), anything else is retried. The screens
    // listen for 4403 (access ended) and 4503 (access changed) to say what happened.
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
      if (this.readOnly) return
      if (origin !== this.provider && !(this.provider.wsconnected && this.snapshot.synced)) {
        this.update({ unsent: true })
      }
    })
    open.add(this)
  }

  /** Calls `init` once the copy on this device, and again once the server's, is in (editors only). */
  protected whenLoaded(init: () => void) {
    if (this.readOnly) return
    void this.local?.whenSynced.then(init)
    this.provider.once('sync', init)
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

  /** Listens for the server closing the connection with `code` (the connection's own closes aside). */
  onClose(listener: (code: number) => void): () => void {
    const handler = (event: CloseEvent | null) => {
      if (event) listener(event.code)
    }
    this.provider.on('connection-close', handler)
    return () => this.provider.off('connection-close', handler)
  }

  /** True once destroyed: a destroyed connection never connects again. */
  destroyed = false

  destroy() {
    this.destroyed = true
    open.delete(this)
    this.provider.destroy()
    void this.local?.destroy()
    this.doc.destroy()
  }
}

/** A review's board: the document with the board's roots and vocabularies. */
export class BoardConnection extends DocumentConnection {
  constructor(name: string, options: ConnectionOptions = {}) {
    super(name, options)
    // Name the board's roots: this changes nothing in the document, but makes reading
    // it whole (doc.toJSON) see all of them even where nothing is ever written.
    board(this.doc)
    for (const name of Object.keys(VOCABULARIES) as VocabularyName[]) vocabulary(this.doc, name)
    this.whenLoaded(() => initBoard(this.doc, LOCAL))
  }
}

/** Restricted notes: one shared plain text. */
export class NotesConnection extends DocumentConnection {
  /** The notes themselves: the document's single root, `notes`. */
  readonly text: Y.Text = this.doc.getText('notes')
}

/** `ws(s)://<this host>/sync`. */
export function defaultServerUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/sync`
}
