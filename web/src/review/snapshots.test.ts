import { describe, expect, it } from 'vitest'

import {
  EXPORT_FORMATS,
  LABEL_LIMIT,
  beforeRestoreLabel,
  checkWords,
  defaultSnapshotLabel,
  listOf,
  mayExport,
  meetingSnapshotLabel,
  shortHash,
  sideName,
  takenBy,
  takenText,
} from './snapshots'

const at = (y: number, m: number, d: number, h: number, min: number) => new Date(y, m - 1, d, h, min).getTime()

describe('snapshot labels', () => {
  it('are named after the meeting they record', () => {
    expect(meetingSnapshotLabel('Analysis meeting 2')).toBe('Analysis meeting 2: agreed')
    expect(meetingSnapshotLabel('  ')).toBe('Meeting: agreed')
  })

  it('otherwise say when the board was recorded', () => {
    expect(defaultSnapshotLabel(at(2025, 3, 12, 14, 2))).toBe('Board on 12 March 2025 at 14:02')
    expect(beforeRestoreLabel('Analysis meeting 1: agreed', at(2025, 3, 12, 9, 5))).toBe(
      'Before restoring “Analysis meeting 1: agreed”, 12 March 2025 at 09:05',
    )
  })

  it('stay within what the server accepts', () => {
    const long = beforeRestoreLabel('x'.repeat(400))
    expect(bytes(long)).toBeLessThanOrEqual(LABEL_LIMIT)
    expect(bytes(long)).toBeGreaterThan(LABEL_LIMIT - 4)
    expect(long.endsWith('x…')).toBe(true)
    expect(meetingSnapshotLabel('m'.repeat(400))).toBe(`${'m'.repeat(LABEL_LIMIT - 3)}…`)
    expect(meetingSnapshotLabel('m'.repeat(292))).toBe(`${'m'.repeat(292)}: agreed`)
  })

  // The server counts UTF-8 bytes; each title puts a many-unit character across the limit.
  it.each([
    ['emoji', `${'m'.repeat(287)}😀😁 visit`],
    ['a ZWJ family', `${'m'.repeat(280)}👩‍👩‍👧‍👦👩‍👩‍👧‍👦`],
    ['flags', `${'m'.repeat(287)}🇬🇧🇫🇷🇮🇪`],
    ['CJK extension B', `${'m'.repeat(287)}𠀋𠀌𠀍`],
    ['combining accents', `${'m'.repeat(287)}e\u0301\u0323e\u0301\u0323e\u0301\u0323`],
    ['only emoji', '😀'.repeat(100)],
    ['an emoji where the old cut fell', `${'m'.repeat(298)}😀😀`],
  ])('are shortened between whole characters: %s', (_, title) => {
    for (const label of [meetingSnapshotLabel(title), beforeRestoreLabel(title)]) {
      expect(bytes(label)).toBeLessThanOrEqual(LABEL_LIMIT)
      expect(label.endsWith('…')).toBe(true)
      expect(/\p{Surrogate}/u.test(label)).toBe(false)
      // What is kept is whole characters of the original, as people see them.
      const kept = graphemes(label.slice(0, -1))
      const whole = graphemes(label.startsWith('Before') ? `Before restoring “${title}”` : title)
      expect(kept).toEqual(whole.slice(0, kept.length))
    }
  })
})

const bytes = (s: string) => new TextEncoder().encode(s).length
const graphemes = (s: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].map((g) => g.segment)

describe('who took a snapshot, and when', () => {
  const snapshot = { taken_at: at(2025, 3, 12, 14, 2), taken_by_kind: 'user', taken_by_name: 'Alex Admin' }
  it('reads as a sentence', () => {
    expect(takenText(snapshot, at(2025, 3, 12, 18, 0))).toBe('Taken at 14:02 by Alex Admin')
    expect(takenText(snapshot, at(2025, 3, 20, 9, 0))).toBe('Taken on 12 March 2025, 14:02 by Alex Admin')
    expect(takenBy({ taken_by_kind: 'token', taken_by_name: 'import' })).toBe('import (access token)')
    expect(takenBy({ taken_by_kind: 'user', taken_by_name: '' })).toBe('Someone')
  })

  it('shows a short content fingerprint and names each side of a comparison', () => {
    expect(shortHash('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBe('9f86d081')
    const list = [{ id: 's1', label: 'Analysis meeting 1: agreed' }]
    expect(sideName('live', list)).toBe('the live board')
    expect(sideName('s1', list)).toBe('“Analysis meeting 1: agreed”')
    expect(sideName('gone', list)).toBe('a snapshot')
  })
})

describe('the report', () => {
  it('is exported by leads and the review team only, in five formats', () => {
    expect(['lead_reviewer', 'review_team_member', 'case_group_member', 'board_member', 'observer'].filter(mayExport)).toEqual([
      'lead_reviewer',
      'review_team_member',
    ])
    expect(EXPORT_FORMATS.map((f) => f.format)).toEqual(['docx', 'pdf', 'html', 'md', 'json'])
  })

  it('has its pre-publication check told in sentences', () => {
    const clear = checkWords({
      ok: true,
      summary: 'Checked the 40 texts of the export against 1 register entry: no registered name or flagged term remains; nothing else that looks like a name or identifying detail.',
      texts_checked: 40,
      replaced: [{ term: 'Jane Smith', pseudonym: 'Mother', count: 3 }],
      remaining: [],
      possible: [],
    })
    expect(clear.headline).toMatch(/^Nothing left to review\. Checked the 40 texts/)
    expect(clear.headline.toLowerCase()).not.toContain('ready')
    expect(clear.replaced).toEqual(['“Jane Smith” becomes “Mother” (3 times).'])
    const left = checkWords({
      ok: false,
      summary: 'Checked the 40 texts of the export against 2 register entries: 2 registered names or flagged terms are still in it; 1 possible name or identifying detail to review.',
      texts_checked: 40,
      replaced: [{ term: 'Jane Smith', pseudonym: 'Mother', count: 0 }],
      remaining: [
        { term: 'Oakfield School', kind: 'flagged', count: 2, places: ['Key practice episodes', 'Findings'] },
        { term: 'Jo', kind: 'register', count: 1, places: [] },
      ],
      possible: [{ text: 'Darren Pryce', kind: 'name', count: 9, places: ['Findings'] }],
    })
    expect(left.ok).toBe(false)
    expect(left.headline).toMatch(/^3 things to review before publishing\. Checked the 40 texts/)
    expect(left.headline.toLowerCase()).not.toContain('ready')
    expect(left.replaced).toEqual(['“Jane Smith” does not appear in this report (it would become “Mother”).'])
    expect(left.remaining).toEqual([
      'Flagged term “Oakfield School” appears twice in Key practice episodes and Findings.',
      '“Jo” is still there once, although the register replaces it.',
    ])
    expect(left.possible).toEqual([{ term: 'Darren Pryce', line: 'Possible name “Darren Pryce” appears 9 times in Findings.' }])
  })

  it('lists things as people write them', () => {
    expect(listOf([])).toBe('')
    expect(listOf(['a'])).toBe('a')
    expect(listOf(['a', 'b', 'c'])).toBe('a, b and c')
  })
})
