// Presence on screen: who is here, and who is editing what, always in words.

import { useEffect, useState, useSyncExternalStore } from 'react'
import type { Awareness } from 'y-protocols/awareness'

import { describe, initials, people, resolveColourClash, textOn, type Focus, type Identity, type Person } from '../sync/presence'

/** Everyone on the board, kept current. */
export function usePeople(awareness: Awareness): Person[] {
  const [store] = useState(() => {
    let snapshot = people(awareness)
    return {
      subscribe: (onChange: () => void) => {
        const handler = () => {
          resolveColourClash(awareness)
          snapshot = people(awareness)
          onChange()
        }
        awareness.on('change', handler)
        return () => awareness.off('change', handler)
      },
      get: () => snapshot,
    }
  })
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

export function PeopleHere({ list }: { list: Person[] }) {
  return (
    <div className="people" data-testid="presence">
      <span className="visually-hidden">People on this board:</span>
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

export function IdentityForm({ onDone }: { onDone: (identity: Identity) => void }) {
  const [name, setName] = useState('')
  const [agency, setAgency] = useState('')
  const [error, setError] = useState('')
  useEffect(() => {
    document.getElementById('identity-name')?.focus()
  }, [])
  return (
    <main className="page narrow">
      <h1>Before you join the board</h1>
      <p>Your name and agency are shown to the other people on the review, so everyone knows who is editing what.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (!name.trim()) {
            setError('Enter your name')
            return
          }
          onDone({ name: name.trim(), agency: agency.trim() })
        }}
      >
        <div className={`field${error ? ' field-error' : ''}`}>
          <label className="field-label" htmlFor="identity-name">
            Your name
          </label>
          {error && (
            <p className="error-message" id="identity-name-error">
              <span className="visually-hidden">Error:</span> {error}
            </p>
          )}
          <input
            id="identity-name"
            className="field-input"
            value={name}
            autoComplete="name"
            aria-describedby={error ? 'identity-name-error' : undefined}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="identity-agency">
            Your agency
          </label>
          <p className="field-hint" id="identity-agency-hint">
            For example Health visiting, Police, Children's social care
          </p>
          <input
            id="identity-agency"
            className="field-input"
            value={agency}
            autoComplete="organization"
            aria-describedby="identity-agency-hint"
            onChange={(e) => setAgency(e.target.value)}
          />
        </div>
        <button className="button" type="submit">
          Join the board
        </button>
      </form>
    </main>
  )
}
