import { describe, expect, it } from 'vitest'

import { ApiError, type User } from './client'
import { failureOf, keys, makeQueryClient, refusedWith, signedInAs } from './queries'

describe('server data', () => {
  it('a request that finds the session ended tells the session once, and shows no failure', async () => {
    let ended = 0
    let calls = 0
    const client = makeQueryClient(() => (ended += 1))
    const expired = new ApiError(401, 'unauthenticated', 'Sign in again.')
    await expect(
      client.fetchQuery({
        queryKey: keys.reviews,
        queryFn: () => {
          calls += 1
          return Promise.reject(expired)
        },
      }),
    ).rejects.toBe(expired)
    expect(ended).toBe(1)
    expect(calls).toBe(1)
    expect(failureOf(expired)).toBe('')
  })

  it('other failures are shown at once, in the words every screen uses', async () => {
    let calls = 0
    const client = makeQueryClient(() => {
      throw new Error('the session did not end')
    })
    const refused = new ApiError(403, 'forbidden', 'only lead reviewers can do that')
    await expect(
      client.fetchQuery({
        queryKey: keys.tokens('r1'),
        queryFn: () => {
          calls += 1
          return Promise.reject(refused)
        },
      }),
    ).rejects.toBe(refused)
    expect(calls).toBe(1)
    expect(client.getDefaultOptions().queries?.retry).toBe(false)
    expect(failureOf(refused)).toBe('Only lead reviewers can do that.')
    expect(failureOf(new TypeError('Failed to fetch'))).toBe('The board could not be reached. Check your connection and try again.')
    expect(failureOf(null)).toBe('')
    expect(refusedWith(new ApiError(404, 'not_found', 'not found'))).toBe(true)
    expect(refusedWith(refused, 403)).toBe(true)
    expect(refusedWith(refused)).toBe(false)
  })

  it('a review’s answers share its key, so a change can refetch them together', () => {
    for (const key of [keys.review('r1'), keys.members('r1'), keys.snapshots('r1'), keys.check('r1', 's1')]) {
      expect(key.slice(0, 2)).toEqual(['review', 'r1'])
    }
    expect(keys.check('r1', 's1').slice(0, 3)).toEqual(keys.checks('r1'))
    expect(keys.audit('r1', 300).slice(0, 3)).toEqual(keys.auditAll('r1'))
    expect(keys.snapshotBoard('r1', 's1').slice(0, 3)).toEqual(keys.snapshotBoards('r1'))
  })
})

describe('signing in and out', () => {
  it('drops every cached answer of the person before, and keeps who is signed in now', () => {
    const client = makeQueryClient(() => {})
    const sam = { id: 'u1', name: 'Sam Jones' } as User
    const ana = { id: 'u2', name: 'Ana Patel' } as User
    client.setQueryData(keys.me, sam)
    client.setQueryData(keys.reviews, [{ id: 'r1' }])
    client.setQueryData(keys.members('r1'), [])
    client.setQueryData(keys.setup, { needed: false })
    signedInAs(client, ana)
    expect(client.getQueryData(keys.me)).toEqual(ana)
    expect(client.getQueryCache().getAll().map((q) => q.queryKey)).toEqual([keys.me])
    signedInAs(client, null)
    expect(client.getQueryData(keys.me)).toBeNull()
    expect(client.getQueryCache().getAll()).toHaveLength(1)
  })
})
