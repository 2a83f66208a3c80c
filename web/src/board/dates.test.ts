import { describe, expect, it } from 'vitest'

import { formatDate, formatWhen, parseWhen, whenSortKey } from './dates'

const when = (text: string) => {
  const parsed = parseWhen(text)
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.when
}
const refused = (text: string) => {
  const parsed = parseWhen(text)
  if (parsed.ok) throw new Error(`${text} was read as ${JSON.stringify(parsed.when)}`)
  return parsed.message
}

describe('dates as people in England write them', () => {
  it('reads days, months and years in every usual form', () => {
    for (const text of ['02/07/2025', '2/7/2025', '2-7-2025', '2.7.25', '2 Jul 2025', '2 July 2025', '2nd July 2025', '2025-07-02', ' 2  jul 2025 ']) {
      expect(when(text), text).toEqual({ kind: 'exact', start: '2025-07-02', end: '' })
    }
    for (const text of ['July 2025', 'Jul 2025', '07/2025', '2025-07', 'jul. 2025']) {
      expect(when(text).start, text).toBe('2025-07')
    }
    expect(when('2025').start).toBe('2025')
    expect(when('Sept 2024').start).toBe('2024-09')
    expect(when('')).toEqual({ kind: 'exact', start: '', end: '' })
  })

  it('reads approximate dates and periods', () => {
    expect(when('about March 2024')).toEqual({ kind: 'approximate', start: '2024-03', end: '' })
    expect(when('c. 2019')).toEqual({ kind: 'approximate', start: '2019', end: '' })
    expect(when('2–9 Jul 2025')).toEqual({ kind: 'period', start: '2025-07-02', end: '2025-07-09' })
    expect(when('Jul to Sep 2025')).toEqual({ kind: 'period', start: '2025-07', end: '2025-09' })
    expect(when('02/07/2025 - 09/08/2025')).toEqual({ kind: 'period', start: '2025-07-02', end: '2025-08-09' })
    expect(when('between May 2024 and June 2025')).toEqual({ kind: 'period', start: '2024-05', end: '2025-06' })
    expect(when('28 Dec – 3 Jan 2025').start).toBe('2024-12-28')
  })

  it('refuses what is not a date, saying why', () => {
    expect(refused('31/02/2025')).toContain('February 2025 has 28 days')
    expect(refused('29/02/2023')).toContain('28 days')
    expect(when('29/02/2024').start).toBe('2024-02-29')
    expect(refused('07/13/2025')).toContain('no month 13')
    expect(refused('2 July')).toContain('no year')
    expect(refused('next Tuesday')).toContain('not a date this board reads')
    expect(refused('9–2 Jul 2025')).toContain('ends')
    expect(refused('1850')).toContain('not a year')
  })

  it('shows dates as 2 Jul 2025 and sorts them in time order', () => {
    expect(formatDate('2025-07-02')).toBe('2 Jul 2025')
    expect(formatDate('2025-07')).toBe('Jul 2025')
    expect(formatDate('2025')).toBe('2025')
    expect(formatWhen('period', '2025-07-02', '2025-07-09')).toBe('2 Jul 2025 – 9 Jul 2025')
    expect(formatWhen('approximate', '2024-03', '')).toBe('About Mar 2024')
    // What is shown reads back as the same date.
    for (const [kind, start, end] of [['exact', '2025-07-02', ''], ['approximate', '2024-03', ''], ['period', '2025-07-02', '2025-08-09']]) {
      expect(when(formatWhen(kind, start, end))).toEqual({ kind, start, end })
    }
    const sorted = ['2025-07-02', '2025', '', '2024-12', '2025-07'].sort((a, b) => whenSortKey(a).localeCompare(whenSortKey(b)))
    expect(sorted).toEqual(['2024-12', '2025', '2025-07', '2025-07-02', ''])
  })
})
