// The pseudonymisation register (leads): real names and identifying details, and what
// every export says instead.

import { useState } from 'react'

import { api, errorText, type RegisterEntry } from '../../api/client'
import { keys, useApi } from '../../api/queries'
import { longDate } from '../../review/words'
import { ErrorSummary, TextInput, type Problem } from '../Form'
import { Section } from '../review-page/Section'
import { sessionEnded, useSession } from '../session'

/** For leads: real names and identifying details, and what every export says instead. */
/** `onChanged` refetches the register (and the checks, which read it). */
export function PseudonymRegister({ reviewId, onChanged }: { reviewId: string; onChanged: () => Promise<unknown> }) {
  const session = useSession()
  const query = useApi(keys.register(reviewId), () => api.register(reviewId))
  const entries = query.data ?? null
  const [term, setTerm] = useState('')
  const [pseudonym, setPseudonym] = useState('')
  const [note, setNote] = useState('')
  const [problems, setProblems] = useState<Problem[]>([])
  const [message, setMessage] = useState('')
  const [busy, setBusy] = useState(false)
  const fail = (e: unknown) => {
    if (!sessionEnded(e, session)) setProblems([{ message: errorText(e) }])
  }
  const add = async (e: React.FormEvent) => {
    e.preventDefault()
    setMessage('')
    if (term.trim().length < 2) {
      setProblems([{ field: 'register-term', message: 'Enter the real name or detail, at least 2 characters long' }])
      return
    }
    setProblems([])
    setBusy(true)
    try {
      const entry = await api.addRegisterEntry(reviewId, { term: term.trim(), pseudonym: pseudonym.trim(), note: note.trim() })
      setMessage(
        entry.pseudonym
          ? `Added: exports now say “${entry.pseudonym}” instead of “${entry.term}”.`
          : `Added “${entry.term}” as a flagged term: the pre-publication check lists wherever it appears.`,
      )
      setTerm('')
      setPseudonym('')
      setNote('')
      await onChanged()
    } catch (error) {
      fail(error)
    } finally {
      setBusy(false)
    }
  }
  const remove = async (entry: RegisterEntry) => {
    setMessage('')
    try {
      await api.removeRegisterEntry(reviewId, entry.id)
      setMessage(`Removed “${entry.term}” from the register.`)
      await onChanged()
    } catch (error) {
      fail(error)
    }
  }
  return (
    <Section
      id="register"
      title="Pseudonymisation register"
      intro={
        <>
          Real names and identifying details, and what the review report says instead (“Jane Smith” becomes “Mother”).
          Every text of every export of a snapshot — the snapshot’s label and who took it included — goes through it: names
          are replaced as whole words, the longest first, however they were typed (capitals, accents, typographic
          apostrophes and dashes, extra spaces or line breaks, invisible characters). Leave the
          pseudonym empty to <strong>flag</strong> a term such as a school, a street or a rare condition: it is not
          replaced, but the pre-publication check lists wherever it still appears. The board itself keeps its words. Only
          lead reviewers see this register.
        </>
      }
    >
      <ErrorSummary problems={query.failure ? [...problems, { message: query.failure }] : problems} />
      <p className="saved" role="status" data-testid="register-message">
        {message}
      </p>
      {entries === null ? (
        <p className="muted">Loading the register…</p>
      ) : entries.length === 0 ? (
        <p className="muted" data-testid="register-empty">
          The register is empty: until you add names, exports use the board’s words as they are.
        </p>
      ) : (
        <table className="table register" data-testid="register">
          <caption className="visually-hidden">Pseudonymisation register</caption>
          <thead>
            <tr>
              <th scope="col">Real name or detail</th>
              <th scope="col">In the report</th>
              <th scope="col">Note</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="register-entry">
                <th scope="row">{entry.term}</th>
                <td>{entry.pseudonym ? `“${entry.pseudonym}”` : <span className="tag withdrawn">Flagged: checked, not replaced</span>}</td>
                <td>{entry.note || <span className="muted">—</span>}</td>
                <td className="nowrap">{longDate(entry.created_at)}</td>
                <td className="actions-cell">
                  <RemoveEntry entry={entry} onRemove={() => void remove(entry)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline-form" onSubmit={add} noValidate data-testid="register-form">
        <h3>Add to the register</h3>
        <div className="field-row">
          <TextInput id="register-term" label="Real name or identifying detail" value={term} onChange={setTerm} problems={problems} />
          <TextInput
            id="register-pseudonym"
            label="Pseudonym (optional)"
            hint="For example Mother, Child A, the school. Leave empty to flag the term."
            value={pseudonym}
            onChange={setPseudonym}
          />
        </div>
        <TextInput id="register-note" label="Note (optional)" hint="Only lead reviewers see it" value={note} onChange={setNote} />
        <div className="form-actions">
          <button className="button" type="submit" disabled={busy}>
            Add to the register
          </button>
        </div>
      </form>
    </Section>
  )
}

function RemoveEntry({ entry, onRemove }: { entry: RegisterEntry; onRemove: () => void }) {
  const [confirming, setConfirming] = useState(false)
  if (!confirming) {
    return (
      <button className="link-button warning-link" type="button" onClick={() => setConfirming(true)}>
        Remove<span className="visually-hidden"> “{entry.term}”</span>
      </button>
    )
  }
  return (
    <span className="confirm" role="alert">
      Remove “{entry.term}”?{' '}
      <button className="button warning small" type="button" onClick={onRemove}>
        Yes, remove it
      </button>{' '}
      <button className="button secondary small" type="button" onClick={() => setConfirming(false)}>
        Keep it
      </button>
    </span>
  )
}
