import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'

import { addToEpisode, entriesOf, entryWhen, episodeFrom, episodesUsing, filterEntries, makeEpisode, titleFrom } from './chronology'
import { board, initBoard, textOf } from './schema'

const entry = (id: string, date: string, agency: string, event: string, time = '', role = '') => ({
  id,
  date,
  approximate: false,
  time,
  agency,
  role,
  event,
  source: '',
})

const call = entry('c1', '2025-07-03', 'Health visiting', 'Called social care about the notification. Told the case was closed.', '', 'Health visitor')
const referral = entry('r1', '2025-07-02', 'Police', 'Referral sent to social care.', '09:15')
const decision = entry('d1', '2025-07-03', 'Children’s social care', 'Decision reviewed.', '10:00')

describe('chronology entries on the board', () => {
  it('read as the board writes dates', () => {
    expect(entryWhen(referral)).toBe('2 Jul 2025 09:15')
    expect(entryWhen({ date: '2025-08', approximate: true, time: '' })).toBe('about Aug 2025')
    expect(titleFrom('Called social care. Told it was closed.')).toBe('Called social care')
    expect(titleFrom('x'.repeat(50) + ' ' + 'y'.repeat(50)).endsWith('…')).toBe(true)
  })

  it('make an episode dated by its entries, naming their agencies, keeping their ids', () => {
    const one = episodeFrom([call])
    expect(one).toMatchObject({ dateKind: 'exact', dateStart: '2025-07-03', dateEnd: '', agencies: ['Health visiting'], chronology: ['c1'] })
    const many = episodeFrom([call, decision, referral])
    expect(many.dateKind).toBe('period')
    expect([many.dateStart, many.dateEnd]).toEqual(['2025-07-02', '2025-07-03'])
    expect(many.agencies).toEqual(['Police', 'Health visiting', 'Children’s social care'])
    expect(many.whatHappened.split('\n')[0]).toBe('2 Jul 2025 09:15, Police: Referral sent to social care.')
    expect(many.whatHappened.split('\n')[1]).toContain('Health visiting (Health visitor)')

    const doc = new Y.Doc()
    initBoard(doc)
    const id = makeEpisode(doc, [referral, call])
    const episode = board(doc).episodes.get(id)!
    expect(entriesOf(episode).sort()).toEqual(['c1', 'r1'])
    expect(episode.get('status')).toBe('candidate')
    expect(episodesUsing(doc).get('r1')?.map((u) => u.id)).toEqual([id])
  })

  it('add entries to an episode as evidence, once each, with two people at once keeping both', () => {
    const a = new Y.Doc()
    initBoard(a)
    const id = makeEpisode(a, [referral])
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    addToEpisode(a, id, [call, referral])
    addToEpisode(b, id, [decision])
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const episode = board(a).episodes.get(id)!
    expect(entriesOf(episode).sort()).toEqual(['c1', 'd1', 'r1'])
    expect(textOf(episode, 'evidence')?.toString()).toContain('Called social care')
    expect(textOf(episode, 'evidence')?.toString()).toContain('Decision reviewed.')
    expect(textOf(episode, 'evidence')?.toString()).not.toContain('Referral sent')
  })

  it('filter by agency, period (partial dates overlapping it) and words', () => {
    const month = entry('m1', '2025-07', 'Police', 'Strategy discussion by telephone')
    const all = [referral, call, decision, month]
    expect(filterEntries(all, { agencies: ['Police'], from: '', to: '', text: '' }).map((e) => e.id)).toEqual(['r1', 'm1'])
    expect(filterEntries(all, { agencies: [], from: '2025-07-03', to: '2025-07-03', text: '' }).map((e) => e.id)).toEqual(['c1', 'd1', 'm1'])
    expect(filterEntries(all, { agencies: [], from: '2025-08', to: '', text: '' })).toEqual([])
    expect(filterEntries(all, { agencies: [], from: '', to: '', text: 'SOCIAL care' }).map((e) => e.id)).toEqual(['r1', 'c1', 'd1'])
  })
})
