import { describe, expect, it } from 'vitest'

import { boardHref, compareHref, notesHref, parseRoute, reviewHref, snapshotHref, viewOf } from './route'

describe('addresses', () => {
  it('name the app’s pages', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' })
    expect(parseRoute('/setup')).toEqual({ page: 'setup' })
    expect(parseRoute('/invite')).toEqual({ page: 'invite' })
    expect(parseRoute('/account/')).toEqual({ page: 'account' })
    expect(parseRoute('/r/abc-123')).toEqual({ page: 'review', reviewId: 'abc-123' })
    expect(parseRoute('/r/abc-123/board')).toEqual({ page: 'board', reviewId: 'abc-123' })
    expect(parseRoute('/r/abc-123/board/')).toEqual({ page: 'board', reviewId: 'abc-123' })
    expect(parseRoute('/r/abc-123/notes/conversation-with-the-gp')).toEqual({
      page: 'notes',
      reviewId: 'abc-123',
      slug: 'conversation-with-the-gp',
    })
    expect(parseRoute('/admin/activity')).toEqual({ page: 'activity' })
    expect(parseRoute('/help')).toEqual({ page: 'help' })
    expect(parseRoute('/r/abc-123/snapshots/s-9')).toEqual({ page: 'snapshot', reviewId: 'abc-123', snapshotId: 's-9' })
    expect(parseRoute('/r/abc-123/compare')).toEqual({ page: 'compare', reviewId: 'abc-123' })
  })

  it('no longer open boards by name', () => {
    expect(parseRoute('/b/review-12')).toEqual({ page: 'not-found' })
    expect(parseRoute('/r/a/b/c')).toEqual({ page: 'not-found' })
    expect(parseRoute('/r/%E0%A4%A')).toEqual({ page: 'not-found' })
    expect(parseRoute('/r/a/notes/%E0%A4%A')).toEqual({ page: 'not-found' })
    expect(parseRoute('/r/a/notes')).toEqual({ page: 'not-found' })
    expect(parseRoute('/r/a/notes/b/c')).toEqual({ page: 'not-found' })
    expect(parseRoute('/admin')).toEqual({ page: 'not-found' })
    expect(parseRoute('/r/a/snapshots')).toEqual({ page: 'not-found' })
    expect(parseRoute('/r/a/snapshots/b/c')).toEqual({ page: 'not-found' })
    expect(parseRoute('/r/a/compare/b')).toEqual({ page: 'not-found' })
  })

  it('build the addresses they read', () => {
    expect(parseRoute(boardHref('r 1'))).toEqual({ page: 'board', reviewId: 'r 1' })
    expect(parseRoute(reviewHref('r1'))).toEqual({ page: 'review', reviewId: 'r1' })
    // From the document's name in the review.
    expect(notesHref('r1', 'notes/gp_visit-2')).toBe('/r/r1/notes/gp_visit-2')
    expect(parseRoute(notesHref('r 1', 'notes/gp'))).toEqual({ page: 'notes', reviewId: 'r 1', slug: 'gp' })
    expect(snapshotHref('r1', 's1')).toBe('/r/r1/snapshots/s1')
    expect(snapshotHref('r1', 's1', 'map')).toBe('/r/r1/snapshots/s1?view=map')
    expect(parseRoute(snapshotHref('r 1', 's/1'))).toEqual({ page: 'snapshot', reviewId: 'r 1', snapshotId: 's/1' })
    expect(compareHref('r1', 's1', 'live')).toBe('/r/r1/compare?from=s1&to=live')
    expect(compareHref('r1', 's1', 's2', 'findings')).toBe('/r/r1/compare?from=s1&to=s2&view=findings')
  })

  it('read which screen of a board is asked for', () => {
    expect(viewOf('')).toBe('table')
    expect(viewOf('?view=map')).toBe('map')
    expect(viewOf('?from=a&view=findings')).toBe('findings')
    expect(viewOf('?view=other')).toBe('table')
  })
})
