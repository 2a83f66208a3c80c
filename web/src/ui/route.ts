// The app's addresses, and moving between them without reloading the page.
//
//   /                     your reviews (or signing in)
//   /setup#<code>         creating the first administrator
//   /invite#<secret>      accepting an invitation
//   /account              your account and password
//   /r/<review>           a review: details, people, timeline, access
//   /r/<review>/board     its board (?view=map|findings)

import { useEffect, useState } from 'react'

export type Route =
  | { page: 'home' }
  | { page: 'setup' }
  | { page: 'invite' }
  | { page: 'account' }
  | { page: 'review'; reviewId: string }
  | { page: 'board'; reviewId: string }
  | { page: 'not-found' }

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/'
  if (path === '/') return { page: 'home' }
  if (path === '/setup') return { page: 'setup' }
  if (path === '/invite') return { page: 'invite' }
  if (path === '/account') return { page: 'account' }
  const m = /^\/r\/([^/]+)(\/board)?$/.exec(path)
  if (m) {
    let reviewId: string
    try {
      reviewId = decodeURIComponent(m[1])
    } catch {
      return { page: 'not-found' }
    }
    return m[2] ? { page: 'board', reviewId } : { page: 'review', reviewId }
  }
  return { page: 'not-found' }
}

export const reviewHref = (id: string) => `/r/${encodeURIComponent(id)}`
export const boardHref = (id: string) => `${reviewHref(id)}/board`

const listeners = new Set<() => void>()

/** Goes to `href` in this app (a new history entry, or replacing this one). */
export function navigate(href: string, options: { replace?: boolean } = {}) {
  if (options.replace) history.replaceState(null, '', href)
  else history.pushState(null, '', href)
  window.scrollTo(0, 0)
  for (const listener of listeners) listener()
  // Screen readers start reading the new page, as after a full page load.
  requestAnimationFrame(() => document.getElementById('main')?.focus({ preventScroll: true }))
}

/** The current path, kept current on navigation and the browser's back and forward. */
export function usePathname(): string {
  const [pathname, setPathname] = useState(() => location.pathname)
  useEffect(() => {
    const update = () => setPathname(location.pathname)
    listeners.add(update)
    window.addEventListener('popstate', update)
    return () => {
      listeners.delete(update)
      window.removeEventListener('popstate', update)
    }
  }, [])
  return pathname
}

/** Props for an <a> that moves within the app without reloading the page. */
export function linkTo(href: string) {
  return {
    href,
    onClick: (e: React.MouseEvent<HTMLAnchorElement>) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
      e.preventDefault()
      navigate(href)
    },
  }
}
