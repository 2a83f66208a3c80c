import { describe, expect, it } from 'vitest'

import type { Comment } from '../api/client'
import { bodyRuns, insertMention, itemName, matchPeople, mentionAt, mentionsIn, openCount, threadsOf } from './comments'

const comment = (over: Partial<Comment>): Comment => ({
  id: 'c1',
  threadId: 'c1',
  itemKind: 'episode',
  itemId: 'e1',
  itemRef: 'E1',
  itemLabel: 'Home visit',
  onBoard: true,
  author: { kind: 'user', name: 'Ann', agency: 'Health' },
  body: 'Why?',
  mentions: [],
  createdAt: 1,
  resolvedAt: null,
  resolvedBy: '',
  deleted: false,
  mine: false,
  canDelete: false,
  canResolve: false,
  new: false,
  forYou: false,
  ...over,
})

describe('threads', () => {
  const all = [
    comment({}),
    comment({ id: 'c2', threadId: 'c1', createdAt: 5, new: true, forYou: true }),
    comment({ id: 'c3', threadId: 'c3', itemId: 'e2', createdAt: 3, resolvedAt: 4 }),
    comment({ id: 'c4', threadId: 'c4', createdAt: 6, deleted: true, body: '' }),
  ]

  it('groups replies under their first comment, per item', () => {
    const threads = threadsOf(all, { kind: 'episode', id: 'e1' })
    expect(threads.map((t) => t.first.id)).toEqual(['c1', 'c4'])
    expect(threads[0].replies.map((r) => r.id)).toEqual(['c2'])
    expect(threads[0]).toMatchObject({ fresh: 1, forYou: true, lastAt: 5, resolved: false })
    expect(threadsOf(all).map((t) => [t.first.id, t.resolved])).toEqual([
      ['c1', false],
      ['c3', true],
      ['c4', false],
    ])
  })

  it('counts open threads, not resolved or wholly deleted ones', () => {
    expect(openCount(all, 'episode', 'e1')).toBe(1)
    expect(openCount(all, 'episode', 'e2')).toBe(0)
  })

  it('names the item as the board does', () => {
    expect(itemName(comment({}))).toBe('episode E1 “Home visit”')
    expect(itemName(comment({ itemKind: 'finding', itemRef: '', itemLabel: 'Records' }))).toBe('finding “Records”')
    expect(itemName(comment({ onBoard: false }))).toBe('an episode no longer on the board')
    expect(itemName(comment({ itemKind: 'link' }))).toBe('a link on the factor map')
  })
})

describe('mentions', () => {
  const people = [
    { userId: 'u1', name: 'Rita Team' },
    { userId: 'u2', name: 'Cary Case' },
    { userId: 'u3', name: 'Rob Tate' },
  ]

  it('finds the mention being typed, not an email address', () => {
    expect(mentionAt('Ask @Ri', 7)).toEqual({ start: 4, query: 'Ri' })
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionAt('Ask @Rita T', 11)).toEqual({ start: 4, query: 'Rita T' })
    expect(mentionAt('mail rita@example.org', 21)).toBeNull()
    expect(mentionAt('no mention', 10)).toBeNull()
    expect(mentionAt('@Rita\nnext', 10)).toBeNull()
  })

  it('matches any word of a name', () => {
    expect(matchPeople(people, 'r').map((p) => p.userId)).toEqual(['u1', 'u3'])
    expect(matchPeople(people, 'ta').map((p) => p.userId)).toEqual(['u3'])
    expect(matchPeople(people, 'case').map((p) => p.userId)).toEqual(['u2'])
    expect(matchPeople(people, '')).toHaveLength(3)
  })

  it('inserts the chosen name and keeps only mentions still in the text', () => {
    const typed = insertMention('Ask @Ri now', 4, 7, 'Rita Team')
    expect(typed).toEqual({ text: 'Ask @Rita Team  now', caret: 15 })
    expect(mentionsIn(typed.text, people)).toEqual(['u1'])
    expect(mentionsIn('Ask Rita', people)).toEqual([])
  })

  it('marks mentioned names in a comment', () => {
    expect(bodyRuns('@Rita Team and @Rob Tate?', [{ name: 'Rita Team' }, { name: 'Rob Tate' }])).toEqual([
      { text: '@Rita Team', mention: true },
      { text: ' and ', mention: false },
      { text: '@Rob Tate', mention: true },
      { text: '?', mention: false },
    ])
    expect(bodyRuns('plain (a+b)', [])).toEqual([{ text: 'plain (a+b)', mention: false }])
  })
})
