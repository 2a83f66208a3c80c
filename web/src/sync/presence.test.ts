import { describe as group, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'

import { PALETTE, announce, describe, initials, people, pickColour } from './presence'

function board() {
  return new Awareness(new Y.Doc())
}

group('presence', () => {
  it('gives each person a colour nobody else on the board has', () => {
    const sam = board()
    announce(sam, { name: 'Sam Jones', agency: 'Health visiting' })
    const ana = board()
    // Ana has seen Sam's state.
    ana.setLocalStateField('user', undefined)
    ana.getStates().set(sam.clientID, sam.getLocalState()!)
    expect(pickColour(ana)).not.toBe(sam.getLocalState()!.user.colour)
    expect(PALETTE).toContain(pickColour(ana))
  })

  it('lists people in words, self first', () => {
    const sam = board()
    announce(sam, { name: 'Sam Jones', agency: 'Health visiting' })
    const [me] = people(sam)
    expect(me.self).toBe(true)
    expect(describe(me)).toBe('Sam Jones (Health visiting)')
    expect(initials('Sam Jones')).toBe('SJ')
    expect(initials('ana')).toBe('A')
  })
})
