// What the server means when it closes a document's websocket (docs/protocol.md). The
// stock provider already stops at 4400-4499 and retries anything else; the screens use
// this to tell people what happened.

/** Access to the document ended (removed, signed out elsewhere): final. */
export const ACCESS_ENDED = 4403
/** Access changed (a new role): the provider reconnects, and the new connection has the new access. */
export const ACCESS_CHANGED = 4503

export type CloseMeaning = 'access-ended' | 'access-changed' | 'final' | 'retry'

export function closeMeaning(code: number): CloseMeaning {
  if (code === ACCESS_ENDED) return 'access-ended'
  if (code === ACCESS_CHANGED) return 'access-changed'
  // The provider's own rule: 4400-4499 mirror HTTP's 4xx and are not retried.
  if (code >= 4400 && code < 4500) return 'final'
  return 'retry'
}
