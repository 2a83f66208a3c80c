// Who is signed in, for every page: the account, and what pages do when a request
// finds the session has ended.

import { createContext, useContext, useEffect } from 'react'

import { ApiError, type User } from '../api/client'

export interface Session {
  /** The signed-in person; null on public pages when nobody is. */
  user: User | null
  /** Someone signed in (or an account was created and signed in). */
  signedIn: (user: User) => void
  /** Signs out, forgets boards kept on this device, and goes to the sign-in page. */
  signOut: () => Promise<void>
  /** A request answered 401: the session ended elsewhere or expired. */
  expired: () => void
}

export const SessionContext = createContext<Session>({
  user: null,
  signedIn: () => {},
  signOut: async () => {},
  expired: () => {},
})

export const useSession = () => useContext(SessionContext)

/** The signed-in person (for pages that are only shown to someone signed in). */
export function useUser(): User {
  const { user } = useSession()
  if (!user) throw new Error('useUser outside a signed-in page')
  return user
}

/** Sets the document's title: "<page> – Analysis board". */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} – Analysis board` : 'Analysis board'
  }, [title])
}

/** True (and tells the session) when `error` means the session has ended. */
export function sessionEnded(error: unknown, session: Session): boolean {
  if (error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated') {
    session.expired()
    return true
  }
  return false
}
