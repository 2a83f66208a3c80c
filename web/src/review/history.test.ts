import { describe, expect, it } from 'vitest'

import type { AuditEvent } from '../api/client'
import { actorText, auditText, changeText, documentOf, editText, excerpt, groupAudit, groupHistory, historyLine, runsOf, spanText } from './history'

const sam = { kind: 'user', id: 'u-sam', name: 'Sam Jones', agency: 'Health visiting' }
const ana = { kind: 'user', id: 'u-ana', name: 'Ana Patel', agency: 'Police' }
const at = (h: number, m: number, s = 0) => new Date(2025, 2, 14, h, m, s).getTime()
const NOW = at(18, 0)

function edit(actor: typeof sam, atMs: number, field: string, detail = 'changed', entity = 'e1', kind = 'episode'): AuditEvent {
  return {
    at_ms: atMs,
    actor,
    review_id: 'r1',
    document: 'r1/board',
    seq: 1,
    action: 'edit',
    entity,
    entity_kind: kind,
    field,
    detail,
  }
}

describe('history of an entity', () => {
  it('names fields with the words of the side panels', () => {
    expect(changeText('episode', 'appraisal', 'changed')).toBe('changed the appraisal')
    expect(changeText('episode', 'whatHappened', 'changed')).toBe('changed what happened')
    expect(changeText('episode', 'dateEnd', 'added')).toBe('set the end date')
    expect(changeText('episode', '', 'added')).toBe('added the episode')
    expect(changeText('factor', '', 'removed')).toBe('deleted the factor')
    expect(changeText('factor', 'polarity', 'changed')).toBe('changed the influence')
    expect(changeText('finding', 'category', 'changed')).toBe('changed the typology category')
    expect(changeText('finding', 'order', 'moved')).toBe('moved the finding in the list')
    expect(changeText('factor', 'position', 'moved')).toBe('moved it on the factor map')
    expect(changeText('episode', 'links', 'linked')).toBe('linked it to another item')
    expect(changeText('factor', 'links', 'unlinked')).toBe('unlinked it from another item')
    expect(changeText('episode', 'someNewField', 'changed')).toBe('changed the some new field')
  })

  it('names people with their agency, and tokens by their label', () => {
    expect(actorText(sam)).toBe('Sam Jones, Health visiting')
    expect(actorText({ kind: 'user', id: 'x', name: 'Jo', agency: '' })).toBe('Jo')
    expect(actorText({ kind: 'token', id: 't', name: 'Minute-taker', agency: '' })).toBe('Minute-taker (access token)')
  })

  it('reads one run of typing as one line', () => {
    // Newest first, as the server sends them: Sam typed for two minutes, Ana set the
    // status in between, and Sam typed again much later.
    const events = [
      edit(sam, at(15, 30), 'appraisal'),
      edit(ana, at(14, 5), 'status'),
      edit(sam, at(14, 2, 40), 'appraisal'),
      edit(sam, at(14, 2, 10), 'appraisal'),
      edit(sam, at(14, 1, 30), 'appraisal'),
      edit(sam, at(14, 0, 50), 'appraisal'),
      edit(sam, at(14, 0, 45), 'title'),
      edit(sam, at(14, 0, 40), '', 'added'),
    ]
    const lines = groupHistory(events).map((g) => historyLine(g, 'episode', NOW))
    expect(lines).toEqual([
      'Sam Jones, Health visiting, 15:30: changed the appraisal',
      'Ana Patel, Police, 14:05: changed the status',
      'Sam Jones, Health visiting, 14:00–14:02: changed the appraisal',
      'Sam Jones, Health visiting, 14:00: changed the title',
      'Sam Jones, Health visiting, 14:00: added the episode',
    ])
    expect(groupHistory(events)[2].count).toBe(4)
  })

  it('leaves out the references the server gives', () => {
    const groups = groupHistory([edit(sam, at(14, 2), 'ref', 'added'), edit(sam, at(14, 2), 'title')])
    expect(groups.map((g) => g.latest.field)).toEqual(['title'])
    expect(groupAudit([edit(sam, at(14, 2), 'ref', 'added')])).toEqual([])
  })

  it('reads edits a few minutes apart as one run, and keeps longer gaps apart', () => {
    expect(groupHistory([edit(sam, at(14, 10), 'evidence'), edit(sam, at(14, 7), 'evidence')])).toHaveLength(1)
    expect(groupHistory([edit(sam, at(14, 20), 'evidence'), edit(sam, at(14, 8), 'evidence')])).toHaveLength(2)
  })

  it('reads a restore as a restore, names items the board still has, and names the board itself', () => {
    expect(changeText('episode', 'appraisal', 'restored')).toBe('restored the appraisal')
    expect(changeText('finding', '', 'restored')).toBe('restored the finding')
    const nameOf = (kind: string, id: string) => (kind === 'episode' && id === 'e1' ? 'episode E1 “GP appointment”' : undefined)
    expect(editText({ entity_kind: 'episode', entity: 'e1', field: 'appraisal', detail: 'changed' }, nameOf)).toBe('changed the appraisal of episode E1 “GP appointment”')
    expect(editText({ entity_kind: 'episode', entity: 'gone', field: 'appraisal', detail: 'changed' }, nameOf)).toBe('changed the appraisal of an episode')
    expect(actorText({ kind: 'system', id: 'board', name: 'Lock on agreed work', agency: '' })).toBe('Lock on agreed work')
  })

  it('gives the date of changes made on another day', () => {
    const yesterday = new Date(2025, 2, 13, 9, 15).getTime()
    const [group] = groupHistory([edit(ana, yesterday, 'quality')])
    expect(historyLine(group, 'episode', NOW)).toBe('Ana Patel, Police, 13 March 2025, 09:15: changed the practice quality')
    expect(spanText(new Date(2025, 2, 13, 9, 1).getTime(), yesterday, NOW)).toBe('13 March 2025, 09:01–09:15')
  })
})

describe('the audit trail', () => {
  it('describes board edits from the whole review', () => {
    expect(editText({ entity_kind: 'episode', field: 'appraisal', detail: 'changed' })).toBe('changed the appraisal of an episode')
    expect(editText({ entity_kind: 'factor', field: '', detail: 'added' })).toBe('added a factor')
    expect(editText({ entity_kind: 'link', field: '', detail: 'removed' })).toBe('removed a link from the board')
    expect(editText({ entity_kind: '', field: 'position', detail: 'moved' })).toBe('moved something on the factor map')
  })

  it('describes edits of restricted notes by their title', () => {
    const notes = { ...edit(sam, NOW, '', 'changed', '', ''), document: 'r1/notes/gp' }
    expect(documentOf(notes)).toBe('notes/gp')
    expect(documentOf(edit(sam, NOW, 'title'))).toBe('board')
    expect(auditText(notes, [{ name: 'notes/gp', title: 'GP conversation' }])).toBe('changed the restricted notes “GP conversation”')
    expect(auditText(notes)).toBe('changed restricted notes')
    // Typing in the board and in notes are separate runs.
    expect(groupAudit([notes, { ...notes, document: 'r1/board' }, notes]).map((g) => g.count)).toEqual([1, 1, 1])
  })

  it('describes the review’s own events with roles in words', () => {
    const event = { ...edit(sam, NOW, ''), action: 'invitation_created' as const, detail: 'Olu Obi <olu@example.org> as observer' }
    expect(auditText(event)).toBe('invited someone: Olu Obi <olu@example.org> as Observer')
    expect(auditText({ ...event, action: 'role_changed', detail: 'observer to board_member' })).toBe(
      'changed someone’s role: Observer to Board member',
    )
  })

  it('describes snapshots, restores, exports and register changes, never naming registered names', () => {
    const event = { ...edit(sam, NOW, ''), action: 'snapshot_taken' as const, detail: 'Analysis meeting 1: agreed' }
    expect(auditText(event)).toBe('took a snapshot of the board: Analysis meeting 1: agreed')
    expect(auditText({ ...event, action: 'snapshot_restored' })).toBe('restored a snapshot: Analysis meeting 1: agreed')
    expect(auditText({ ...event, action: 'report_exported', detail: 'Analysis meeting 1: agreed as docx' })).toBe(
      'exported the review report: Analysis meeting 1: agreed as docx',
    )
    expect(auditText({ ...event, action: 'register_entry_added', detail: '' })).toBe('added an entry to the pseudonymisation register')
    expect(auditText({ ...event, action: 'register_entry_removed', detail: '' })).toBe('removed an entry from the pseudonymisation register')
    expect(auditText({ ...event, action: 'safe_term_added', detail: '' })).toBe('marked a term safe to publish')
    expect(
      auditText({ ...event, action: 'unreviewed_export_confirmed', detail: '0 registered or flagged terms remaining and 2 possible names or identifying details unreviewed' }),
    ).toBe(
      'confirmed exporting the report although the pre-publication check was not clean: 0 registered or flagged terms remaining and 2 possible names or identifying details unreviewed',
    )
  })

  it('groups runs per entity and leaves out the link ends', () => {
    const events = [
      edit(sam, at(14, 0, 30), 'appraisal', 'changed', 'e1'),
      edit(sam, at(14, 0, 20), 'appraisal', 'changed', 'e2'),
      edit(sam, at(14, 0, 10), 'appraisal', 'changed', 'e2'),
      edit(sam, at(14, 0, 5), 'links', 'linked', 'e2', ''),
      edit(sam, at(14, 0, 5), '', 'added', 'l1', 'link'),
      edit(sam, at(14, 0, 2), 'links', 'unlinked', 'e2', ''),
      edit(sam, at(14, 0, 2), '', 'removed', 'l0', 'link'),
    ]
    const groups = groupAudit(events)
    expect(groups.map((g) => [g.latest.entity, g.count])).toEqual([
      ['e1', 1],
      ['e2', 2],
      ['l1', 1],
      ['l0', 1],
    ])
  })
})

describe('the words of a run of typing', () => {
  const at = (seq: number, field = 'appraisal', who = sam) => ({ ...edit(who, 1000 * seq, field), seq })
  const runs = [
    { field: 'appraisal', seq: 2, words: [] },
    { field: 'title', seq: 3, words: [] },
    { field: 'appraisal', seq: 5, words: [] },
    { field: 'appraisal', seq: 9, words: [] },
  ]

  it('finds the runs a history line covers', () => {
    // Newest first, as the history lists them: Sam typed at 6, 7 and 8 (one line).
    const [line] = groupHistory([at(8), at(7), at(6)])
    expect(line.earliest.seq).toBe(6)
    // The run began at 5, on an earlier line: it shows there, not twice.
    expect(runsOf(line, runs)).toEqual([])
    const [begun] = groupHistory([at(7), at(6), at(5)])
    expect(runsOf(begun, runs).map((r) => r.seq)).toEqual([5])
    // A line spanning two runs of its field shows both.
    const [wide] = groupHistory([at(6), at(4), at(2)])
    expect(runsOf(wide, runs).map((r) => r.seq)).toEqual([2, 5])
    // Not a text change: nothing.
    expect(runsOf(groupHistory([{ ...at(3, 'status'), detail: 'added' }])[0], runs)).toEqual([])
  })

  it('keeps every change and a few words around it', () => {
    const long = 'one two three four five six seven eight nine ten eleven twelve '
    const words = [
      { op: 'same', text: long },
      { op: 'removed', text: 'old' },
      { op: 'added', text: 'new' },
      { op: 'same', text: ` ${long}${long}` },
      { op: 'added', text: 'more' },
      { op: 'same', text: ' end.' },
    ]
    const text = excerpt(words, 3)
      .map((s) => (s.op === 'same' ? s.text : `[${s.op === 'added' ? '+' : '-'}${s.text}]`))
      .join('')
    expect(text).toBe('… ten eleven twelve [-old][+new] one two three … ten eleven twelve [+more] end.')
  })
})
