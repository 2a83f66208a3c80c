// Server data in the app: every read of the REST API goes through TanStack Query, which
// caches it by key, refetches it when a change made on the page invalidates it, and
// reports a failure the same way on every screen (see `failureOf`).

import { QueryCache, QueryClient, useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query'

import { ApiError, errorText, type User } from './client'

/** True when `error` means the session has ended (the page then shows the sign-in page). */
export const endsSession = (error: unknown) =>
  error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated'

/**
 * The app's query client. `onSessionEnded` runs when any query finds the session has
 * ended. Failures are shown at once (no silent retries), and data is refetched when
 * the page changes it, not when the window regains focus.
 */
export function makeQueryClient(onSessionEnded: () => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (endsSession(error)) onSessionEnded()
      },
    }),
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  })
}

/** What a screen tells people about a failed request: '' when there is nothing to say. */
export function failureOf(error: unknown): string {
  if (!error || endsSession(error)) return ''
  return errorText(error)
}

/** True when the server could not be reached at all (offline, or the server is down). */
export const unreachable = (error: unknown) => error instanceof ApiError && error.code === 'network'

/** True when `error` is the server's 404 (or, with `status`, that status). */
export const refusedWith = (error: unknown, status = 404) => error instanceof ApiError && error.status === status

/** The keys of the cached answers; a review's keys all start with ['review', id]. */
export const keys = {
  /** Who is signed in (null: nobody). It outlives the other answers: see `signedInAs`. */
  me: ['me'] as const,
  reviews: ['reviews'] as const,
  review: (id: string) => ['review', id, 'detail'] as const,
  members: (id: string) => ['review', id, 'members'] as const,
  audit: (id: string, limit: number) => ['review', id, 'audit', limit] as const,
  auditAll: (id: string) => ['review', id, 'audit'] as const,
  /** The words before and after the board's newest runs of typing (under `auditAll`, refreshed with it). */
  auditTexts: (id: string) => ['review', id, 'audit', 'texts'] as const,
  tokens: (id: string) => ['review', id, 'tokens'] as const,
  /** Who changed one entity of the board, and what (from the audit trail). */
  history: (id: string, entity: string) => ['review', id, 'history', entity] as const,
  /** Matches of a search in the restricted notes the person may open. */
  notesSearch: (id: string, query: string) => ['review', id, 'notes-search', query] as const,
  /** The words before and after each run of changes to the entity's texts (under `history`, refreshed with it). */
  historyTexts: (id: string, entity: string) => ['review', id, 'history', entity, 'texts'] as const,
  invitations: (id: string) => ['review', id, 'invitations'] as const,
  meetings: (id: string) => ['review', id, 'meetings'] as const,
  snapshots: (id: string) => ['review', id, 'snapshots'] as const,
  /** A snapshot's board as plain data: it never changes. */
  snapshotBoard: (id: string, snapshot: string) => ['review', id, 'snapshot-board', snapshot] as const,
  snapshotBoards: (id: string) => ['review', id, 'snapshot-board'] as const,
  /** What changed between two sides; `read` counts the reads of the live board on the screen. */
  compare: (id: string, from: string, to: string, read: number) => ['review', id, 'compare', from, to, read] as const,
  /** A snapshot's Yjs state: it never changes. */
  snapshotState: (id: string, snapshot: string) => ['review', id, 'snapshot-state', snapshot] as const,
  register: (id: string) => ['review', id, 'register'] as const,
  /** The live board as plain data, for printing and projecting. */
  liveBoard: (id: string) => ['review', id, 'live-board'] as const,
  /** What was deleted from the board and can be put back. */
  bin: (id: string) => ['review', id, 'bin'] as const,
  /** Comments on the board's items, with what is new to the person signed in. */
  comments: (id: string) => ['review', id, 'comments'] as const,
  chronology: (id: string) => ['review', id, 'chronology'] as const,
  /** The pre-publication check of one snapshot's report; `checks(id)` all of them. */
  check: (id: string, snapshot: string, drafts = false, names = false) => ['review', id, 'check', snapshot, drafts, names] as const,
  checks: (id: string) => ['review', id, 'check'] as const,
  /** What a restore of `snapshot` would change on the live board, as the dialog opened. */
  restorePreview: (id: string, snapshot: string) => ['review', id, 'restore-preview', snapshot] as const,
  accountActivity: (limit: number) => ['account-activity', limit] as const,
  library: ['library'] as const,
  libraryPart: (part: string, query: string) => ['library', part, query] as const,
  setup: ['setup'] as const,
  invitation: (secret: string) => ['invitation', secret] as const,
}

/**
 * Someone signed in (`user`) or out (null). Every cached answer belonged to whoever was
 * signed in before, so it goes; the page then shows as `user`, without asking again.
 */
export function signedInAs(client: QueryClient, user: User | null) {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.me[0] })
  client.getMutationCache().clear()
  client.setQueryData(keys.me, user)
}

/** Meetings in the timeline's order. */
export const byPosition = <M extends { position: number }>(list: M[]) => [...list].sort((a, b) => a.position - b.position)

/** `useQuery` with the failure already in words (`failure`, '' when none). */
export function useApi<T>(
  queryKey: QueryKey,
  queryFn: () => Promise<T>,
  options: Omit<UseQueryOptions<T, Error, T, QueryKey>, 'queryKey' | 'queryFn'> = {},
) {
  const query = useQuery({ queryKey, queryFn, ...options })
  return { ...query, failure: failureOf(query.error) }
}
