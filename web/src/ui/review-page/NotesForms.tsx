// A lead's forms for restricted notes: new notes, and their title and participants.

import { useState } from 'react'

import { api, errorText, type DocumentView, type Member } from '../../api/client'
import { namesList, participantNames, participantsToSave, restrictedSentence, slugOfName } from '../../review/notes'
import { slugOf } from '../../review/status'
import { isLead, roleLabel } from '../../review/words'
import { ErrorSummary, TextInput, type Problem } from '../Form'
import { sessionEnded, useSession } from '../session'

/** Checkboxes for the review's people who are not leads (the leads open every note). */
function ParticipantChoices({
  members,
  chosen,
  onChange,
  legend,
}: {
  members: Member[]
  chosen: Set<string>
  onChange: (next: Set<string>) => void
  legend: string
}) {
  const others = members.filter((m) => !isLead(m.role))
  return (
    <fieldset className="field">
      <legend className="field-label">{legend}</legend>
      {others.length === 0 ? (
        <p className="field-hint">Nobody else is in the review yet.</p>
      ) : (
        <div className="checkboxes">
          {others.map((m) => (
            <label key={m.user_id} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.has(m.user_id)}
                onChange={(e) => {
                  const next = new Set(chosen)
                  if (e.target.checked) next.add(m.user_id)
                  else next.delete(m.user_id)
                  onChange(next)
                }}
              />{' '}
              {m.name}
              {m.agency ? `, ${m.agency}` : ''} <span className="muted">({roleLabel(m.role)})</span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  )
}

/** For a lead: the notes' title and who may open them. */
export function EditNotes({
  reviewId,
  document,
  members,
  onSaved,
}: {
  reviewId: string
  document: DocumentView
  members: Member[]
  onSaved: (message: string) => void
}) {
  const session = useSession()
  const current = document.participants ?? []
  const [open, setOpen] = useState(false)
  const [title, setTitle] = useState(document.title)
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const [problems, setProblems] = useState<Problem[]>([])
  const [busy, setBusy] = useState(false)
  const slug = slugOfName(document.name)
  const fieldId = `notes-title-${slug}`
  const start = () => {
    setTitle(document.title)
    setChosen(new Set(current.filter((id) => members.some((m) => m.user_id === id && !isLead(m.role)))))
    setProblems([])
    setOpen(true)
  }
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!title.trim()) {
      setProblems([{ field: fieldId, message: 'Enter a title for the notes' }])
      return
    }
    setProblems([])
    setBusy(true)
    try {
      const saved = await api.updateNotes(reviewId, slug, {
        title: title.trim(),
        participants: participantsToSave(current, chosen, members),
      })
      const { names } = participantNames(saved.participants, members)
      setOpen(false)
      onSaved(`Saved “${saved.title}”: ${restrictedSentence(names).replace(/^Restricted: o/, 'O')}`)
    } catch (error) {
      if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
    } finally {
      setBusy(false)
    }
  }
  if (!open) {
    return (
      <button className="link-button edit-notes" type="button" onClick={start} aria-label={`Edit participants of ${document.title}`}>
        Edit participants
      </button>
    )
  }
  return (
    <form onSubmit={submit} noValidate className="inline-form notes-form" data-testid="edit-notes">
      <h3>Edit “{document.title}”</h3>
      <ErrorSummary problems={problems} />
      <TextInput id={fieldId} label="Title" value={title} onChange={setTitle} problems={problems} />
      <ParticipantChoices
        members={members}
        chosen={chosen}
        onChange={setChosen}
        legend="Who else may open them"
      />
      <p className="field-hint">
        The lead reviewers can always open them. Anyone you take off loses access straight away: notes they have open
        close.
      </p>
      <div className="form-actions">
        <button className="button" type="submit" disabled={busy}>
          Save participants
        </button>
        <button className="button secondary" type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  )
}

export function NewNotes({ reviewId, members, onCreated }: { reviewId: string; members: Member[]; onCreated: (message: string) => void }) {
  const session = useSession()
  const [open, setOpen] = useState(false)
  const [title, setTitle] = useState('')
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const [problems, setProblems] = useState<Problem[]>([])
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    const slug = slugOf(title)
    if (!slug) {
      setProblems([{ field: 'notes-title', message: 'Enter a title for the notes, using some letters or numbers' }])
      return
    }
    setProblems([])
    try {
      const created = await api.createDocument(reviewId, { slug, title: title.trim(), participants: [...chosen] })
      const names = members.filter((m) => chosen.has(m.user_id)).map((m) => m.name)
      setTitle('')
      setChosen(new Set())
      setOpen(false)
      onCreated(`Created “${created.title}”. ${names.length ? `${namesList(names)} and the lead reviewers` : 'Only the lead reviewers'} can open it.`)
    } catch (error) {
      if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
    }
  }
  return (
    <div className="subsection">
      {!open ? (
        <button className="button secondary" type="button" onClick={() => setOpen(true)}>
          Create restricted notes
        </button>
      ) : (
        <form onSubmit={submit} noValidate className="inline-form">
          <h3>Create restricted notes</h3>
          <p className="field-hint">
            For notes only some people may read, such as those of an individual conversation. The lead reviewers can always
            open them.
          </p>
          <ErrorSummary problems={problems} />
          <TextInput
            id="notes-title"
            label="Title"
            hint="For example Conversation with the health visitor"
            value={title}
            onChange={setTitle}
            problems={problems}
          />
          <ParticipantChoices members={members} chosen={chosen} onChange={setChosen} legend="Who else may open them" />
          <div className="form-actions">
            <button className="button" type="submit">
              Create notes
            </button>
            <button className="button secondary" type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  )
}
