import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'

import { toPlain } from './plain'
import { addFinding, board, initBoard, seenBeforeOf, setSeenBefore } from './schema'

const entry = {
  relation: 'recurrence' as const,
  caseName: 'Child B',
  year: 2024,
  reference: 'F2',
  statement: 'Referrals were read without the family history.',
}

describe('findings seen before', () => {
  it('are recorded, changed and forgotten, and read in the plain board', () => {
    const doc = new Y.Doc()
    initBoard(doc)
    const id = addFinding(doc, { statement: 'Histories are not read.' })
    const finding = board(doc).findings.get(id)!
    setSeenBefore(finding, 'lib-1', entry)
    setSeenBefore(finding, 'lib-2', { ...entry, year: 2025, relation: 'contrasting' })
    expect(seenBeforeOf(finding).map(([k]) => k)).toEqual(['lib-2', 'lib-1'])
    setSeenBefore(finding, 'lib-2', null)
    expect(toPlain(doc).findings[0].seenBefore).toEqual([{ id: 'lib-1', ...entry }])
  })

  it('are made on first use for a finding from before the library', () => {
    const doc = new Y.Doc()
    const finding = new Y.Map<unknown>()
    board(doc).findings.set('old', finding)
    setSeenBefore(finding, 'lib-1', null)
    expect(finding.has('seenBefore')).toBe(false)
    setSeenBefore(finding, 'lib-1', entry)
    expect(seenBeforeOf(finding)).toHaveLength(1)
  })

  it('read whatever another client wrote as words, never breaking the page', () => {
    const doc = new Y.Doc()
    initBoard(doc)
    const id = addFinding(doc, {})
    const links = board(doc).findings.get(id)!.get('seenBefore') as Y.Map<unknown>
    links.set('odd', { relation: 'related', caseName: { nested: true }, year: 'soon', reference: 7, statement: null })
    links.set('unknown-relation', { ...entry, relation: 'duplicate' })
    links.set('not-an-object', 'text')
    const read = seenBeforeOf(board(doc).findings.get(id)!)
    expect(read).toEqual([['odd', { relation: 'related', caseName: '', year: 0, reference: '', statement: '' }]])
  })
})
