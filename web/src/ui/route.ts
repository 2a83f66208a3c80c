// The app's addresses, and moving between them without reloading the page.
//
//   /                     your reviews (or signing in)
//   /setup#<code>         creating the first administrator
//   /invite#<secret>      accepting an invitation
//   /account              your account and password
//   /r/<review>           a review: details, people, timeline, access
//   /r/<review>/board     its board (?view=map|findings)
//   /r/<review>/print     the whole board on one page, to print or project
//   /r/<review>/notes/<slug>  its restricted notes <review>/notes/<slug>
//   /r/<review>/snapshots/<snapshot>  a snapshot of its board, read only (?view=map|findings)
//   /r/<review>/compare   what changed between two boards (?from=<snapshot>&to=<snapshot|live>&view=…)
//   /admin/activity       administrators: sign-ins and account changes
//   /library              the partnership's findings library (?q=&category=…)
//   /library/themes       its themes; /library/themes/<theme> one of them
//   /help                 the guide and glossary (#entry for one of them)

import { useEffect, useState } from 'react'

export type Route =
  | { page: 'home' }
  | { page: 'setup' }
  | { page: 'invite' }
  | { page: 'account' }
  | { page: 'review'; reviewId: string }
  | { page: 'board'; reviewId: string }
  | { page: 'print'; reviewId: string }
  | { page: 'notes'; reviewId: string; slug: string }
  | { page: 'snapshot'; reviewId: string; snapshotId: string }
  | { page: 'compare'; reviewId: string }
  | { page: 'activity' }
  | { page: 'library' }
  | { page: 'library-themes' }
  | { page: 'library-theme'; themeId: string }
  | { page: 'help' }
  | { page: 'not-found' }

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/'
  if (path === '/') return { page: 'home' }
  if (path === '/setup') return { page: 'setup' }
  if (path === '/invite') return { page: 'invite' }
  if (path === '/account') return { page: 'account' }
  if (path === '/admin/activity') return { page: 'activity' }
  if (path === '/help') return { page: 'help' }
  if (path === '/library') return { page: 'library' }
  if (path === '/library/themes') return { page: 'library-themes' }
  const theme = /^\/library\/themes\/([^/]+)$/.exec(path)
  if (theme) {
    try {
      return { page: 'library-theme', themeId: decodeURIComponent(theme[1]) }
    } catch {
      return { page: 'not-found' }
    }
  }
  const m = /^\/r\/([^/]+)(?:\/(board|compare|print)|\/(notes|snapshots)\/([^/]+))?$/.exec(path)
  if (m) {
    let reviewId: string
    let name: string
    try {
      reviewId = decodeURIComponent(m[1])
      name = m[4] === undefined ? '' : decodeURIComponent(m[4])
    } catch {
      return { page: 'not-found' }
    }
    if (m[2] === 'board') return { page: 'board', reviewId }
    if (m[2] === 'compare') return { page: 'compare', reviewId }
    if (m[2] === 'print') return { page: 'print', reviewId }
    if (m[3] === 'notes') return { page: 'notes', reviewId, slug: name }
    if (m[3] === 'snapshots') return { page: 'snapshot', reviewId, snapshotId: name }
    return { page: 'review', reviewId }
  }
  return { page: 'not-found' }
}

export const reviewHref = (id: string) => `/r/${encodeURIComponent(id)}`
export const boardHref = (id: string) => `${reviewHref(id)}/board`
/** The whole board on one page, to print or project. */
export const printHref = (id: string) => `${reviewHref(id)}/print`
/** The page of restricted notes: `name` is the document's name in the review, `notes/<slug>`. */
export const notesHref = (id: string, name: string) => `${reviewHref(id)}/notes/${encodeURIComponent(name.replace(/^notes\//, ''))}`
/** A snapshot of the board, read only, at one of its screens. */
export const snapshotHref = (id: string, snapshot: string, view: BoardView = 'table') =>
  `${reviewHref(id)}/snapshots/${encodeURIComponent(snapshot)}${view === 'table' ? '' : `?view=${view}`}`
/** The comparison of two boards: `from` and `to` are snapshot ids or 'live'. */
export const compareHref = (id: string, from: string, to: string, view: BoardView = 'table') => {
  const query = new URLSearchParams({ from, to })
  if (view !== 'table') query.set('view', view)
  return `${reviewHref(id)}/compare?${query}`
}
export const ACTIVITY_HREF = '/admin/activity'
export const LIBRARY_HREF = '/library'
export const THEMES_HREF = '/library/themes'
export const themeHref = (id: string) => `${THEMES_HREF}/${encodeURIComponent(id)}`

/** The board's three screens, as `?view=` names them (the table has none), and the live board's chronology. */
export type BoardView = 'table' | 'map' | 'findings' | 'chronology'

/** The screen `?view=` asks for in `search` (a location's query). */
export function viewOf(search: string): BoardView {
  const view = new URLSearchParams(search).get('view')
  return view === 'findings' || view === 'map' || view === 'chronology' ? view : 'table'
}

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
