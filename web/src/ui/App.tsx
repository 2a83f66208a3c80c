// The app: who is signed in, and which page the address asks for (see route.ts).
// Everything but the setup and invitation pages needs someone signed in; a signed-out
// visitor sees the sign-in page at the address they asked for, and then that page.

import { QueryClientProvider, useQuery, type QueryClient } from '@tanstack/react-query'
import { Suspense, lazy, useEffect, useMemo, useState } from 'react'

import { api, type User } from '../api/client'
import { keys, makeQueryClient, signedInAs, unreachable } from '../api/queries'
import { forgetLocalCopies, unsentEditsOnThisPage } from '../sync/connection'
import { forgetRemembered, rememberUser, rememberedUser } from '../sync/remembered'
import { AccountPage } from './Account'
import { ActivityPage } from './Activity'
import { BoardScreen } from './BoardScreen'
import { HelpPage } from './Help'
import { HomePage } from './Home'
import { InvitePage } from './Invite'
import { NotesScreen } from './NotesScreen'
import { PrintScreen } from './PrintScreen'
import { ReviewPage } from './review-page/ReviewPage'
import { ACTIVITY_HREF, LIBRARY_HREF, linkTo, navigate, parseRoute, usePathname } from './route'
import { SessionContext, useSession, usePageTitle, type Session } from './session'
import { SetupPage } from './Setup'
import { SignInPage } from './SignIn'

// Snapshots and comparisons load when someone opens one.
const SnapshotScreen = lazy(() => import('./SnapshotScreen').then((m) => ({ default: m.SnapshotScreen })))
const LibraryPage = lazy(() => import('./library/LibraryScreen').then((m) => ({ default: m.LibraryPage })))
const ThemesPage = lazy(() => import('./library/Themes').then((m) => ({ default: m.ThemesPage })))
const ThemePage = lazy(() => import('./library/Themes').then((m) => ({ default: m.ThemePage })))
const CompareScreen = lazy(() => import('./compare/CompareScreen').then((m) => ({ default: m.CompareScreen })))

export function App() {
  const pathname = usePathname()
  const route = parseRoute(pathname)
  // The session of someone signed in ended (elsewhere, or it expired): the sign-in page says so.
  const [expired, setExpired] = useState(false)
  const [{ queryClient, sessionEnded }] = useState(() => {
    const client: QueryClient = makeQueryClient(() => ended())
    const ended = () => {
      if (!client.getQueryData<User | null>(keys.me)) return
      client.setQueryData(keys.me, null)
      setExpired(true)
    }
    return { queryClient: client, sessionEnded: ended }
  })
  // Who is signed in: asked once, then known from signing in and out. A 401 is nobody.
  // While the server cannot be reached, whoever was signed in here last can still open
  // the boards this device keeps; the question is asked again until it is answered.
  const me = useQuery(
    {
      queryKey: keys.me,
      queryFn: api.me,
      staleTime: Infinity,
      refetchInterval: (query) => (unreachable(query.state.error) ? 15_000 : false),
    },
    queryClient,
  )
  const [offlineUser] = useState(rememberedUser)
  const user = me.data !== undefined ? me.data : unreachable(me.error) ? offlineUser : null
  useEffect(() => {
    // Remembered only while the server says someone is signed in here: an ended
    // session leaves nothing to open boards with offline.
    if (me.data) rememberUser(me.data)
    else if (me.data === null) forgetRemembered()
  }, [me.data])

  // Cached answers belong to whoever is signed in: they go when someone signs in or out.
  const session: Session = useMemo(
    () => ({
      user,
      signedIn: (person) => {
        setExpired(false)
        signedInAs(queryClient, person)
      },
      signOut: async () => {
        if (
          unsentEditsOnThisPage() &&
          !window.confirm('Some of your changes have not reached the server yet. Signing out deletes them from this device. Sign out anyway?')
        ) {
          return
        }
        try {
          await api.signOut()
        } catch {
          // Signed out here whatever the server said; the cookie is gone or unusable.
        }
        setExpired(false)
        signedInAs(queryClient, null)
        forgetRemembered()
        navigate('/')
        // Once the board has closed its copy on this device.
        setTimeout(() => void forgetLocalCopies(), 0)
      },
      expired: sessionEnded,
    }),
    [user, sessionEnded, queryClient],
  )

  let page: React.ReactNode
  if (me.data === undefined && !user) {
    page = me.isError ? <Unreachable onRetry={() => void me.refetch()} /> : <Loading />
  } else if (route.page === 'setup') {
    page = <SetupPage />
  } else if (route.page === 'invite') {
    page = <InvitePage />
  } else if (route.page === 'help') {
    page = <HelpPage />
  } else if (!user) {
    page = <SignInPage expired={expired} />
  } else if (route.page === 'home') {
    page = <HomePage />
  } else if (route.page === 'account') {
    page = <AccountPage />
  } else if (route.page === 'review') {
    page = <ReviewPage key={route.reviewId} reviewId={route.reviewId} />
  } else if (route.page === 'board') {
    page = <BoardScreen key={`${route.reviewId}:${user.id}`} reviewId={route.reviewId} />
  } else if (route.page === 'notes') {
    page = <NotesScreen key={`${route.reviewId}:${route.slug}:${user.id}`} reviewId={route.reviewId} slug={route.slug} />
  } else if (route.page === 'snapshot') {
    page = <SnapshotScreen key={`${route.reviewId}:${route.snapshotId}:${user.id}`} reviewId={route.reviewId} snapshotId={route.snapshotId} />
  } else if (route.page === 'print') {
    page = <PrintScreen key={`${route.reviewId}:${user.id}`} reviewId={route.reviewId} />
  } else if (route.page === 'compare') {
    page = <CompareScreen key={`${route.reviewId}:${user.id}`} reviewId={route.reviewId} />
  } else if (route.page === 'library') {
    page = <LibraryPage />
  } else if (route.page === 'library-themes') {
    page = <ThemesPage />
  } else if (route.page === 'library-theme') {
    page = <ThemePage key={route.themeId} themeId={route.themeId} />
  } else if (route.page === 'activity') {
    page = <ActivityPage />
  } else {
    page = <NotFound />
  }
  return (
    <QueryClientProvider client={queryClient}>
      <SessionContext.Provider value={session}>
        <Suspense fallback={<Loading />}>{page}</Suspense>
      </SessionContext.Provider>
    </QueryClientProvider>
  )
}

/** Moves focus to the page's main content (without touching the address's #fragment). */
function SkipLink() {
  return (
    <a
      className="skip-link"
      href="#main"
      onClick={(e) => {
        e.preventDefault()
        const main = document.getElementById('main')
        main?.focus()
        main?.scrollIntoView()
      }}
    >
      Skip to main content
    </a>
  )
}

/** The bar at the top of every page: the app's name, where you are, and your account. */
export function AppHeader({ children }: { children?: React.ReactNode }) {
  const { user, signOut } = useSession()
  // The library's link, for those who may open it (anyone else gets 404 and no link).
  const library = useQuery({ queryKey: keys.library, queryFn: api.library, enabled: !!user, retry: false, staleTime: 5 * 60_000 })
  return (
    <>
      <SkipLink />
      <header className="app-header">
        <div className="app-title">
          <a className="app-name" {...linkTo('/')}>
            Analysis board
          </a>
          {children}
        </div>
        {user && (
          <nav className="account" aria-label="Your account" data-testid="account">
            <span className="account-name">
              <span className="visually-hidden">Signed in as </span>
              {user.name}
              {user.agency ? <span className="account-agency">, {user.agency}</span> : null}
            </span>
            {user.is_admin && (
              <a {...linkTo(ACTIVITY_HREF)} aria-current={location.pathname === ACTIVITY_HREF ? 'page' : undefined}>
                Account activity
              </a>
            )}
            {library.data && (
              <a {...linkTo(LIBRARY_HREF)} aria-current={location.pathname.startsWith(LIBRARY_HREF) ? 'page' : undefined}>
                Library
              </a>
            )}
            <a {...linkTo('/help')} aria-current={location.pathname === '/help' ? 'page' : undefined}>
              Help
            </a>
            <a {...linkTo('/account')} aria-current={location.pathname === '/account' ? 'page' : undefined}>
              Your account
            </a>
            <button className="header-button" type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </nav>
        )}
      </header>
    </>
  )
}

/** A page with the header and a narrow or wide main column. */
export function Page({
  title,
  narrow = false,
  header,
  children,
}: {
  title: string
  narrow?: boolean
  header?: React.ReactNode
  children: React.ReactNode
}) {
  usePageTitle(title)
  return (
    <>
      <AppHeader>{header}</AppHeader>
      <main className={`page${narrow ? ' narrow' : ' wide'}`} id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}

function Loading() {
  return (
    <Page title="" narrow>
      <p role="status">Loading…</p>
    </Page>
  )
}

function Unreachable({ onRetry }: { onRetry: () => void }) {
  return (
    <Page title="Cannot reach the board" narrow>
      <h1>The board cannot be reached</h1>
      <p>Check your connection, then try again. If it keeps happening, tell whoever runs the board for your partnership.</p>
      <button className="button" type="button" onClick={onRetry}>
        Try again
      </button>
    </Page>
  )
}

function NotFound() {
  return (
    <Page title="Page not found" narrow>
      <h1>Page not found</h1>
      <p>
        If you typed the address, check it is correct. Boards are now opened from their review:{' '}
        <a {...linkTo('/')}>go to your reviews</a>.
      </p>
    </Page>
  )
}
