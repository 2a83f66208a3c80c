import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'

import type { Comparison, EntityChanges } from '../api/client'
import { toPlain } from '../board/plain'
import { addEpisode, addFactor, addFinding, addLink, deleteEntity, initBoard, place } from '../board/schema'
import {
  changedText,
  compareRows,
  fieldName,
  kindSummaries,
  marked,
  marksText,
  noDifferences,
  overlay,
  restoreEffect,
  restoredText,
  rowMark,
  sides,
  summarise,
  titleOf,
  linkText,
  valueText,
} from './compare'

const none = (): EntityChanges => ({ added: [], removed: [], changed: [] })
const comparison = (parts: Partial<Comparison> = {}): Comparison => {
  const c: Comparison = {
    episodes: none(),
    factors: none(),
    findings: none(),
    recommendations: none(),
    links: none(),
    reclassified: [],
    moved_on_map: [],
    added: 0,
    removed: 0,
    changed: 0,
    ...parts,
  }
  const all = [c.episodes, c.factors, c.findings, c.recommendations, c.links]
  c.added = all.reduce((n, k) => n + k.added.length, 0)
  c.removed = all.reduce((n, k) => n + k.removed.length, 0)
  c.changed = all.reduce((n, k) => n + k.changed.length, 0)
  return c
}

describe('a comparison summed up', () => {
  it('counts what was added, removed, changed, re-classified and moved', () => {
    const c = comparison({
      episodes: { added: [], removed: [], changed: [{ id: 'e1', label: 'Visit', fields: [{ field: 'appraisal', before: 'a', after: 'b' }] }] },
      factors: { added: [], removed: [{ id: 'f1', label: 'Workload' }], changed: [] },
      findings: { added: [{ id: 'g1', label: 'New finding' }], removed: [], changed: [] },
      links: { added: [], removed: [{ id: 'l1', label: 'f1 → e1' }, { id: 'l2', label: 'f1 → e2' }], changed: [] },
      moved_on_map: ['e1'],
    })
    expect(summarise(c)).toEqual({ added: 1, removed: 3, changed: 1, reclassified: 0, moved: 1 })
    expect(kindSummaries(c)).toEqual(['Episodes: 1 changed', 'Factors: 1 removed', 'Findings: 1 added', 'Links: 2 removed'])
    expect(noDifferences(c)).toBe(false)
  })

  it('says what a restore would do to the live board', () => {
    // The live board (before) compared with the snapshot (after).
    const c = comparison({
      episodes: { added: [], removed: [], changed: [{ id: 'e1', label: 'Visit', fields: [{ field: 'appraisal', before: 'b', after: 'a' }] }] },
      factors: { added: [{ id: 'f1', label: 'Workload' }], removed: [], changed: [] },
      findings: { added: [], removed: [{ id: 'g2', label: 'New' }, { id: 'g3', label: 'Newer' }], changed: [] },
      moved_on_map: ['e1'],
    })
    expect(restoreEffect(c)).toBe('1 episode changed back, 1 factor brought back, 2 findings removed and 1 moved back on the factor map')
    expect(restoreEffect(comparison())).toBe('')
  })

  it('says what a restore did, and how to undo it', () => {
    const c = comparison({ findings: { added: [], removed: [{ id: 'g2', label: 'New' }], changed: [] }, moved_on_map: ['e1'] })
    expect(restoredText('Meeting 1: agreed', c, { label: 'Before restoring' })).toBe(
      'Restored “Meeting 1: agreed”: the live board now holds its content (1 item changed, 1 moved on the map). To undo, restore “Before restoring”.',
    )
    expect(restoredText('Meeting 1: agreed', comparison(), null)).toBe(
      'Restored “Meeting 1: agreed”: the live board now holds its content (nothing needed changing). To undo, restore another snapshot.',
    )
  })

  it('knows when two boards hold the same content', () => {
    expect(noDifferences(comparison())).toBe(true)
    expect(kindSummaries(comparison())).toEqual([])
    // A node moved on the map is a difference, although no entity changed.
    expect(noDifferences(comparison({ moved_on_map: ['x'] }))).toBe(false)
  })
})

describe('changes in words', () => {
  it('names fields as the panels do', () => {
    expect(fieldName('episode', 'appraisal')).toBe('appraisal')
    expect(fieldName('episode', 'whatHappened')).toBe('what happened')
    expect(fieldName('finding', 'category')).toBe('typology category')
    expect(fieldName('factor', 'polarity')).toBe('influence')
    expect(fieldName('recommendation', 'type')).toBe('type of recommendation')
    expect(fieldName('episode', 'order')).toBe('place in the list')
    expect(fieldName('episode', 'somethingNew')).toBe('something new')
  })

  it('marks changed entities with what changed', () => {
    expect(changedText('episode', [{ field: 'appraisal' }])).toBe('Changed: appraisal')
    expect(changedText('episode', [{ field: 'appraisal' }, { field: 'status' }])).toBe('Changed: appraisal and status')
    expect(changedText('episode', [{ field: 'order' }])).toBe('Moved in the list')
    expect(changedText('finding', [{ field: 'statement' }, { field: 'order' }])).toBe('Changed: finding; moved in the list')
    expect(rowMark('episode', { change: 'added', fields: [] })).toBe('Added')
    expect(rowMark('episode', { change: 'removed', fields: [] })).toBe('Removed')
    expect(rowMark('finding', { change: 'changed', fields: [] })).toBe('Changed')
  })

  it('shows codes by their labels, from the board’s own vocabularies', () => {
    const doc = new Y.Doc()
    initBoard(doc)
    const board = toPlain(doc)
    expect(valueText('episode', 'status', 'agreed')).toBe('Agreed by review team')
    expect(valueText('episode', 'quality', 'problematic')).toBe('Problematic')
    expect(valueText('finding', 'category', 'human_tool_operation', board)).toBe('Tools')
    expect(valueText('finding', 'category', '', board)).toBe('Not yet classified')
    expect(valueText('factor', 'level', 'local_strategic', board)).toBe('Local strategic')
    expect(valueText('episode', 'dateStart', '2023-03-14')).toBe('14 Mar 2023')
    expect(valueText('episode', 'dateEnd', '')).toBe('Not set')
    expect(valueText('finding', 'category', 'made_up', board)).toBe('made_up')
  })
})

describe('word-level changes', () => {
  const words = [
    { op: 'same' as const, text: 'The family was seen ' },
    { op: 'removed' as const, text: 'twice' },
    { op: 'added' as const, text: 'three times' },
    { op: 'same' as const, text: ' in May.' },
    { op: 'added' as const, text: ' Nobody asked why.' },
  ]

  it('split into the text before, with removed words, and after, with added words', () => {
    const { before, after } = sides(words)
    expect(before.map((s) => s.text).join('')).toBe('The family was seen twice in May.')
    expect(after.map((s) => s.text).join('')).toBe('The family was seen three times in May. Nobody asked why.')
    expect(before.filter((s) => s.op === 'removed').map((s) => s.text)).toEqual(['twice'])
    expect(after.filter((s) => s.op === 'added').map((s) => s.text)).toEqual(['three times', ' Nobody asked why.'])
    expect(before.some((s) => s.op === 'added')).toBe(false)
  })

  it('read as one change where only spaces separate the changed words', () => {
    const { before, after } = sides([
      { op: 'same', text: 'Police and social care ' },
      { op: 'removed', text: 'talked' },
      { op: 'added', text: 'met' },
      { op: 'same', text: ' ' },
      { op: 'removed', text: 'on' },
      { op: 'added', text: 'in' },
      { op: 'same', text: ' ' },
      { op: 'removed', text: 'the phone' },
      { op: 'added', text: 'person' },
      { op: 'same', text: ' about it.' },
    ])
    expect(before).toEqual([
      { op: 'same', text: 'Police and social care ' },
      { op: 'removed', text: 'talked on the phone' },
      { op: 'same', text: ' about it.' },
    ])
    expect(after.map((s) => s.text)).toEqual(['Police and social care ', 'met in person', ' about it.'])
    // Words kept between two changes stay kept.
    const apart = sides([
      { op: 'removed', text: 'once' },
      { op: 'same', text: ' a ' },
      { op: 'removed', text: 'week' },
    ])
    expect(apart.before.map((s) => s.op)).toEqual(['removed', 'same', 'removed'])
  })

  it('list the words marked on each side', () => {
    expect(marked(words, 'added')).toEqual(['three times', 'Nobody asked why.'])
    expect(marked(words, 'removed')).toEqual(['twice'])
    expect(sides([{ op: 'same', text: '' }])).toEqual({ before: [], after: [] })
  })
})

describe('entities side by side', () => {
  const list = (...ids: string[]) => ids.map((id) => ({ id }))

  it('follow the after board’s order, each removed one where it was', () => {
    const rows = compareRows(list('a', 'b', 'c', 'd'), list('a', 'c', 'e', 'd'), {
      added: [{ id: 'e', label: 'E' }],
      removed: [{ id: 'b', label: 'B' }],
      changed: [{ id: 'c', label: 'C', fields: [{ field: 'appraisal', before: 'x', after: 'y' }] }],
    })
    expect(rows.map((r) => `${r.id}:${r.change}`)).toEqual(['a:same', 'b:removed', 'c:changed', 'e:added', 'd:same'])
    const c = rows.find((r) => r.id === 'c')!
    expect([c.numberBefore, c.numberAfter]).toEqual([3, 2])
    expect(c.fields.map((f) => f.field)).toEqual(['appraisal'])
    expect(rows.find((r) => r.id === 'b')).toMatchObject({ numberBefore: 2 })
    expect(rows.find((r) => r.id === 'b')!.after).toBeUndefined()
  })

  it('put a removed first entity first, and mark entities touched through their parts', () => {
    const rows = compareRows(list('a', 'b'), list('b'), { added: [], removed: [{ id: 'a', label: 'A' }], changed: [] }, new Set(['b']))
    expect(rows.map((r) => `${r.id}:${r.change}`)).toEqual(['a:removed', 'b:changed'])
  })
})

describe('the factor map overlaid', () => {
  it('marks added, changed and moved nodes, and draws removed ones and their links where they were', () => {
    const doc = new Y.Doc()
    initBoard(doc)
    const factor = addFactor(doc, { title: 'Front-door workload' })
    const episode = addEpisode(doc, { title: 'School referral' })
    const kept = addEpisode(doc, { title: 'Home visit' })
    addLink(doc, factor, episode, 'contributed_to', 'negative')
    const before = toPlain(doc)
    deleteEntity(doc, factor)
    // Another factor now stands where the removed one stood.
    const other = addFactor(doc, { title: 'Threshold protocol' })
    const finding = addFinding(doc, { statement: 'Referrals are judged one at a time.' })
    place(doc, kept, 900, 530)
    const after = toPlain(doc)
    const c = comparison({
      factors: { added: [{ id: other, label: 'Threshold protocol' }], removed: [{ id: factor, label: 'Front-door workload' }], changed: [] },
      findings: { added: [{ id: finding, label: 'Referrals' }], removed: [], changed: [] },
      episodes: { added: [], removed: [], changed: [{ id: episode, label: 'School referral', fields: [{ field: 'title', before: 'a', after: 'b' }] }] },
      links: { added: [], removed: [{ id: before.links[0].id, label: '' }], changed: [] },
      moved_on_map: [kept],
    })
    const { nodes, edges } = overlay(before, after, c)
    const byId = new Map(nodes.map((n) => [n.id, n]))
    expect(byId.get(other)!.marks).toEqual(['added'])
    expect(byId.get(finding)!.marks).toEqual(['added'])
    expect(byId.get(factor)!.marks).toEqual(['removed'])
    expect(marksText(byId.get(episode)!)).toBe('Changed: title')
    expect(marksText(byId.get(kept)!)).toBe('Moved on the map')
    expect(byId.get(kept)).toMatchObject({ x: 900, y: 530 })
    // The removed factor does not sit on top of the new one.
    const removed = byId.get(factor)!
    const added = byId.get(other)!
    expect(removed.y).toBe(added.y)
    expect(removed.x).not.toBe(added.x)
    expect(edges).toEqual([expect.objectContaining({ from: factor, to: episode, mark: 'removed' })])
    expect(marksText({ marks: ['changed', 'moved'], changed: 'Changed: title' })).toBe('Changed: title; moved on the map')
  })

  it('names links and entities from either board', () => {
    const doc = new Y.Doc()
    const f = addFactor(doc, { title: 'Workload' })
    const e = addEpisode(doc, { title: '' })
    const board = toPlain(doc)
    expect(linkText({ from: f, to: e, kind: 'contributed_to' }, [board])).toBe('“Workload” contributed to “Untitled episode”')
    expect(titleOf('nope', [board])).toBe('something no longer on either board')
  })
})
