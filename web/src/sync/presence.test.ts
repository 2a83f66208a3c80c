import { describe as group, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'

import { PALETTE, type PublishedState, announce, describe, initials, people, pickColour, textOn } from './presence'

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
    expect(pickColour(ana)).not.toBe((sam.getLocalState() as PublishedState).user?.colour)
    expect(PALETTE).toContain(pickColour(ana))
  })

  it('gives one person the same colour in every tab, and others a different one', () => {
    const first = board()
    announce(first, { name: 'Sam Jones', agency: 'Health visiting', account: 'u-sam' })
    const samColour = (first.getLocalState() as PublishedState).user?.colour
    const anaTab = board()
    anaTab.getStates().set(first.clientID, first.getLocalState()!)
    announce(anaTab, { name: 'Ana Patel', agency: 'Police', account: 'u-ana' })
    const second = board()
    second.getStates().set(first.clientID, first.getLocalState()!)
    second.getStates().set(anaTab.clientID, anaTab.getLocalState()!)
    announce(second, { name: 'Sam Jones', agency: 'Health visiting', account: 'u-sam' })
    expect((second.getLocalState() as PublishedState).user?.colour).toBe(samColour)
    expect((anaTab.getLocalState() as PublishedState).user?.colour).not.toBe(samColour)
  })

  it('writes initials in whichever of black or white reads better on each colour', () => {
    expect(textOn('#000000')).toBe('#fff')
    expect(textOn('#E69F00')).toBe('#000')
    expect(textOn('#56B4E9')).toBe('#000')
    expect(textOn('#0072B2')).toBe('#fff')
    // Every palette colour reaches 4.5:1 with the chosen text colour.
    const lum = (hex: string) => {
      const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    }
    for (const colour of PALETTE) {
      const [a, b] = [lum(colour), lum(textOn(colour) === '#fff' ? '#ffffff' : '#000000')].sort((x, y) => y - x)
      expect((a + 0.05) / (b + 0.05)).toBeGreaterThanOrEqual(4.5)
    }
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
