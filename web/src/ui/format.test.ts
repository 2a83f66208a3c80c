import { describe, expect, it } from 'vitest'

import { formatDate, formatWhen } from './format'

describe('dates', () => {
  it('read the way a report writes them', () => {
    expect(formatDate('2023-03-14')).toBe('14 Mar 2023')
    expect(formatDate('2023-06')).toBe('Jun 2023')
    expect(formatDate('spring 2023')).toBe('spring 2023')
    expect(formatWhen('period', '2023-06', '2023-09')).toBe('Jun 2023 – Sep 2023')
    expect(formatWhen('approximate', '2023-04', '')).toBe('About Apr 2023')
    expect(formatWhen('exact', '', '')).toBe('Date not set')
  })
})
