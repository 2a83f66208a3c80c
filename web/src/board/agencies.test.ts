import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'

import { addReviewAgency, reviewAgencies, toggleAgency } from './agencies'
import { addEpisode, board, initBoard } from './schema'

describe('the agencies a review keeps', () => {
  it('match what is typed to the list, whatever the case and spacing', () => {
    const doc = new Y.Doc()
    initBoard(doc)
    expect(addReviewAgency(doc, 'health  visiting')).toBe('Health visiting')
    expect(addReviewAgency(doc, 'HEALTH VISITING')).toBe('Health visiting')
    expect(addReviewAgency(doc, 'childrens social care')).toBe('Children’s social care')
    expect(addReviewAgency(doc, ' Oakfield Family Support ')).toBe('Oakfield Family Support')
    expect(addReviewAgency(doc, 'oakfield family support')).toBe('Oakfield Family Support')
    expect(reviewAgencies(doc)).toEqual(['Children’s social care', 'Health visiting', 'Oakfield Family Support'])
  })

  it('name an agency once on an episode, replacing another spelling of it', () => {
    const doc = new Y.Doc()
    initBoard(doc)
    const id = addEpisode(doc, { agencies: ['health visiting'] })
    const episode = board(doc).episodes.get(id)!
    expect(reviewAgencies(doc)).toEqual(['health visiting'])
    toggleAgency(episode, addReviewAgency(doc, 'Health Visiting'), true)
    expect([...(episode.get('agencies') as Y.Map<true>).keys()]).toEqual(['health visiting'])
    toggleAgency(episode, 'health visiting', false)
    expect([...(episode.get('agencies') as Y.Map<true>).keys()]).toEqual([])
  })
})
