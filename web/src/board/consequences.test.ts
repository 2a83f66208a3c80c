import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'

import { deletionConsequences } from './consequences'
import { addEpisode, addFactor, addFinding, addLink, initBoard } from './schema'

function boardWithLinks() {
  const doc = new Y.Doc()
  initBoard(doc)
  const episode = addEpisode(doc, { title: 'GP appointment' })
  const other = addEpisode(doc, { title: 'Strategy discussion' })
  const f1 = addFactor(doc, { title: 'Caseload' })
  const f2 = addFactor(doc, { title: 'Turnover' })
  const finding = addFinding(doc, { statement: 'Memory of past concerns' })
  addLink(doc, f1, episode, 'contributed_to')
  addLink(doc, f2, episode, 'constrained')
  addLink(doc, episode, finding, 'evidence_for')
  addLink(doc, other, finding, 'evidence_for')
  return { doc, episode, finding, f1 }
}

describe('what goes with a deleted entity', () => {
  it('names an episode’s factors and the findings it is evidence for', () => {
    const { doc, episode } = boardWithLinks()
    expect(deletionConsequences(doc, episode)).toBe(
      'Its 3 links go with it: to 2 contributory factors and 1 finding it is evidence for.',
    )
  })

  it('names a finding’s evidence', () => {
    const { doc, finding } = boardWithLinks()
    expect(deletionConsequences(doc, finding)).toBe('Its 2 links go with it: to 2 episodes that are evidence for it.')
  })

  it('says one link and no links plainly', () => {
    const { doc, f1 } = boardWithLinks()
    expect(deletionConsequences(doc, f1)).toBe('Its link goes with it: to 1 episode.')
    const lone = addFactor(doc, { title: 'Alone' })
    expect(deletionConsequences(doc, lone)).toBe('It has no links.')
  })
})
