import { describe, expect, it } from 'vitest'

import { closeMeaning } from './close'

describe('close codes', () => {
  it('end access for good only with 4403', () => {
    expect(closeMeaning(4403)).toBe('access-ended')
    expect(closeMeaning(4400)).toBe('final')
  })

  it('reconnect after a change of access and after transient trouble', () => {
    expect(closeMeaning(4503)).toBe('access-changed')
    for (const code of [4508, 4509, 4529, 1001, 1006, 1011, 1012]) expect(closeMeaning(code)).toBe('retry')
  })
})
