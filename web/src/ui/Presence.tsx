// Presence on screen: who is here, and who is editing what, always in words.

import { useMemo, useSyncExternalStore } from 'react'
import type { Awareness } from 'y-protocols/awareness'

import { describe, initials, people, resolveColourClash, textOn, type Focus, type Person } from '../sync/presence'

/** Everyone on the board, kept current (a new connection brings a new awareness). */
export function usePeople(awareness: Awareness): Person[] {
  const store = useMemo(() => {
    let snapshot = people(awareness)
    return {
      subscribe: (onChange: () => void) => {
        const handler = () => {
          resolveColourClash(awareness)
          snapshot = people(awareness)
          onChange()
        }
        awareness.on('change', handler)
        // Whatever changed before we listened (our own announcement, typically).
        handler()
        return () => awareness.off('change', handler)
      },
      get: () => snapshot,
    }
  }, [awareness])
  return useSyncExternalStore(store.subscribe, store.get)
}

/** Others whose focus is on `match`. */
export function editorsOf(list: Person[], match: Partial<Focus>): Person[] {
  return list.filter(
    (p) =>
      !p.self &&
      p.focus &&
      (match.kind === undefined || p.focus.kind === match.kind) &&
      (match.id === undefined || p.focus.id === match.id) &&
      (match.field === undefined || p.focus.field === match.field),
  )
}

export function Avatar({ person }: { person: Person }) {
  return (
    <span className="avatar" style={{ background: person.colour, color: textOn(person.colour) }} aria-hidden="true">
      {initials(person.name)}
    </span>
  )
}

export function PeopleHere({ list, where = 'this board' }: { list: Person[]; where?: string }) {
  return (
    <div className="people" data-testid="presence">
      <span className="visually-hidden">People on {where}:</span>
      <ul>
        {list.map((p) => (
          <li key={p.clientId} title={describe(p)}>
            <Avatar person={p} />
            <span className="person-name">
              {p.self ? `${p.name} (you)` : describe(p)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** "Ana (Police) is editing" beside a field. */
export function EditingNote({ editors }: { editors: Person[] }) {
  if (editors.length === 0) return null
  const names = editors.map(describe)
  const text =
    names.length === 1 ? `${names[0]} is editing this` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are editing this`
  return (
    <p className="editing-note" style={{ borderColor: editors[0].colour }}>
      {editors.map((p) => (
        <Avatar key={p.clientId} person={p} />
      ))}{' '}
      {text}
    </p>
  )
}
