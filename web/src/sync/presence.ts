// Who is on the board and what they are doing, through Yjs awareness.
//
// Each person publishes { user: { name, agency, account, colour }, focus }, named as
// their signed-in account (the server sets name, agency and account). Colours come from
// the Okabe–Ito palette (distinguishable with colour-blindness) and are unique to a
// person on a board while the palette lasts: one person's tabs share one colour, so
// every viewer sees them alike; the screen never relies on colour alone.

import type { Awareness } from 'y-protocols/awareness'

export interface Identity {
  name: string
  agency: string
  /** The account's id (the server sets it on what others receive). */
  account?: string
}

export interface Focus {
  kind: 'episode' | 'factor' | 'finding' | 'notes'
  id: string
  field: string
}

export interface Person extends Identity {
  clientId: number
  colour: string
  focus: Focus | null
  self: boolean
}

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8F6800']

/** One client's awareness state as others may have published it: nothing is trusted. */
export interface PublishedState {
  user?: { name?: unknown; agency?: unknown; account?: unknown; colour?: unknown }
  focus?: Focus | null
}

const published = (state: unknown): PublishedState => (state && typeof state === 'object' ? state : {})

/**
 * The colour this person has on the board: the one their other tabs already show, else
 * the first palette colour no other person uses.
 */
export function pickColour(awareness: Awareness, account?: string): string {
  const taken = new Set<string>()
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue
    const user = published(state).user
    if (typeof user?.colour !== 'string') continue
    if (account && user.account === account && PALETTE.includes(user.colour)) return user.colour
    taken.add(user.colour)
  }
  return PALETTE.find((c) => !taken.has(c)) ?? PALETTE[awareness.clientID % PALETTE.length]
}

export function announce(awareness: Awareness, identity: Identity) {
  const mine = published(awareness.getLocalState()).user?.colour
  const colour = typeof mine === 'string' ? mine : pickColour(awareness, identity.account)
  awareness.setLocalStateField('user', { ...identity, colour })
  if (!published(awareness.getLocalState()).focus) awareness.setLocalStateField('focus', null)
}

/**
 * Two people who joined at once may have picked one colour: the later one moves; and a
 * tab takes the colour its person's earlier tab shows.
 */
export function resolveColourClash(awareness: Awareness) {
  const mine = published(awareness.getLocalState()).user
  if (!mine) return
  const account = typeof mine.account === 'string' ? mine.account : undefined
  for (const [clientId, state] of awareness.getStates()) {
    const other = published(state).user
    if (clientId >= awareness.clientID || !other) continue
    const samePerson = account !== undefined && other.account === account
    if ((samePerson && other.colour !== mine.colour) || (!samePerson && other.colour === mine.colour)) {
      awareness.setLocalStateField('user', { ...mine, colour: pickColour(awareness, account) })
      return
    }
  }
}

export function setFocus(awareness: Awareness, focus: Focus | null) {
  awareness.setLocalStateField('focus', focus)
}

export function people(awareness: Awareness): Person[] {
  const list: Person[] = []
  for (const [clientId, state] of awareness.getStates()) {
    const { user, focus } = published(state)
    if (!user || typeof user.name !== 'string') continue
    list.push({
      clientId,
      name: user.name,
      agency: typeof user.agency === 'string' ? user.agency : '',
      colour: typeof user.colour === 'string' ? user.colour : PALETTE[0],
      focus: focus ?? null,
      self: clientId === awareness.clientID,
    })
  }
  return list.sort((a, b) => (a.self ? -1 : b.self ? 1 : a.name.localeCompare(b.name)))
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/)
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase()
}

export function describe(person: Pick<Person, 'name' | 'agency'>): string {
  return person.agency ? `${person.name} (${person.agency})` : person.name
}

/** Black or white, whichever reads better on `colour` (a #rrggbb value). */
export function textOn(colour: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour)
  if (!m) return '#fff'
  const channel = (hex: string) => {
    const c = parseInt(hex, 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(m[1]) + 0.7152 * channel(m[2]) + 0.0722 * channel(m[3])
  // Contrast against white is 1.05 / (L + 0.05); against black (L + 0.05) / 0.05.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#fff' : '#000'
}
