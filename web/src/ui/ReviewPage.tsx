// A review's page: its details, timeline, people, documents, snapshots (with the review
// report), the pseudonymisation register, access and the audit trail.
// Everyone sees their own role first; a lead reviewer changes everything here.

import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'

import { api, errorText, type DocumentView, type Member, type ReviewDetail, type Review } from '../api/client'
import { keys, refusedWith, useApi } from '../api/queries'
import { namesList, participantNames, participantsToSave, restrictedSentence, slugOfName } from '../review/notes'
import { slugOf } from '../review/status'
import { KINDS, PHASES, VARIANTS, canEdit, isLead, labelOf, meetingDate, roleLabel, roleSentence } from '../review/words'
import { Page } from './App'
import { Choice, ErrorSummary, TextArea, TextInput, useFields, type Problem } from './Form'
import { ReviewAccess, ReviewAudit } from './ReviewAccess'
import { ReviewPeople } from './ReviewPeople'
import { ReviewTimeline } from './ReviewTimeline'
import { PseudonymRegister, ReviewSnapshots } from './Snapshots'
import { boardHref, linkTo, notesHref } from './route'
import { sessionEnded, useSession } from './session'

export function ReviewPage({ reviewId }: { reviewId: string }) {
  const queryClient = useQueryClient()
  const detailQuery = useApi(keys.review(reviewId), () => api.review(reviewId))
  const membersQuery = useApi(keys.members(reviewId), () => api.members(reviewId))
  const detail = detailQuery.data ?? null
  const members = membersQuery.data ?? NO_MEMBERS
  const error = detailQuery.error ?? membersQuery.error
  const failure = refusedWith(error) ? 'not-found' : detailQuery.failure || membersQuery.failure
  // Bumped by every change made on this page, so the audit trail shows it.
  const [changes, setChanges] = useState(0)
  const changed = () => setChanges((n) => n + 1)
  // The register and the safe terms change what every pre-publication check finds.
  const registerChanged = () => {
    changed()
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.register(reviewId) }),
      queryClient.invalidateQueries({ queryKey: keys.checks(reviewId) }),
    ])
  }
  const loadDetail = () => queryClient.invalidateQueries({ queryKey: keys.review(reviewId) })
  const loadMembers = () => queryClient.invalidateQueries({ queryKey: keys.members(reviewId) })
  // An address such as /r/<id>#documents shows that section once the page is there.
  const loaded = detail !== null
  useEffect(() => {
    const id = location.hash.slice(1)
    if (loaded && id) requestAnimationFrame(() => document.getElementById(id)?.scrollIntoView())
  }, [loaded])

  if (failure === 'not-found') {
    return (
      <Page title="Review not found" narrow>
        <h1>This review is not available to you</h1>
        <p>Either it does not exist, or you are not one of its members. If you should be, ask its lead reviewer to invite you.</p>
        <p>
          <a {...linkTo('/')}>Go to your reviews</a>
        </p>
      </Page>
    )
  }
  if (failure) {
    return (
      <Page title="Review" narrow>
        <h1>The review cannot be shown</h1>
        <ErrorSummary problems={[{ message: failure }]} />
      </Page>
    )
  }
  if (!detail) {
    return (
      <Page title="Review" narrow>
        <p role="status">Opening the review…</p>
      </Page>
    )
  }
  const { review, role } = detail
  const lead = isLead(role)
  const sections = [
    ['details', 'Details'],
    ['timeline', 'Meeting timeline'],
    ['people', 'People'],
    ['documents', 'Documents'],
    ['snapshots', 'Snapshots'],
    ...(lead
      ? [
          ['register', 'Pseudonymisation register'],
          ['access', 'Access tokens'],
          ['audit', 'Audit trail'],
        ]
      : []),
  ]
  return (
    <Page title={review.title}>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a {...linkTo('/')}>Your reviews</a>
      </nav>
      <div className="review-head">
        <div>
          <span className="caption">
            {[review.case_ref, labelOf(KINDS, review.kind)].filter(Boolean).join(' · ')}
          </span>
          <h1>{review.title}</h1>
          <p className="review-meta">
            <span className="tag phase">Phase: {labelOf(PHASES, review.phase)}</span>{' '}
            <span className="muted">{labelOf(VARIANTS, review.variant)} Learning Together review</span>
          </p>
        </div>
        <a className="button large" {...linkTo(boardHref(review.id))} data-testid="open-board">
          Open the board
        </a>
      </div>
      <div className={`role-notice${canEdit(role) ? '' : ' read-only'}`} data-testid="role-notice">
        <span className="role-badge">{roleLabel(role)}</span>
        <p>{roleSentence(role)}</p>
      </div>
      <nav className="contents" aria-label="On this page">
        <ul>
          {sections.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <Details
        review={review}
        lead={lead}
        onSaved={(r) => {
          queryClient.setQueryData<ReviewDetail>(keys.review(reviewId), (d) => d && { ...d, review: r })
          changed()
        }}
      />
      <ReviewTimeline
        reviewId={review.id}
        lead={lead}
        members={members}
        onChanged={changed}
        onSnapshot={() => void queryClient.invalidateQueries({ queryKey: keys.snapshots(reviewId) })}
      />
      <ReviewPeople
        reviewId={review.id}
        lead={lead}
        members={members}
        onChanged={() => {
          void loadMembers()
          // The lead may have changed their own role.
          void loadDetail()
          changed()
        }}
      />
      <Documents
        detail={detail}
        lead={lead}
        members={members}
        onChanged={() => {
          void loadDetail()
          changed()
        }}
      />
      <ReviewSnapshots
        reviewId={review.id}
        role={role}
        onChanged={changed}
        onRegisterChanged={() => void registerChanged()}
      />
      {lead && <PseudonymRegister reviewId={review.id} onChanged={registerChanged} />}
      {lead && <ReviewAccess reviewId={review.id} onChanged={changed} />}
      {lead && <ReviewAudit reviewId={review.id} members={members} documents={detail.documents} changes={changes} />}
    </Page>
  )
}

const NO_MEMBERS: Member[] = []

/** A section of the review page with its heading. */
export function Section({ id, title, children, intro }: { id: string; title: string; intro?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section className="section" id={id} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {intro && <p className="section-intro">{intro}</p>}
      {children}
    </section>
  )
}

function Details({ review, lead, onSaved }: { review: Review; lead: boolean; onSaved: (review: Review) => void }) {
  const questions = review.questions.split('\n').filter((q) => q.trim())
  if (!lead) {
    return (
      <Section id="details" title="Details">
        <dl className="summary-list" data-testid="review-details">
          <div>
            <dt>Case reference</dt>
            <dd>{review.case_ref || <span className="muted">None</span>}</dd>
          </div>
          <div>
            <dt>Kind of review</dt>
            <dd>{labelOf(KINDS, review.kind)}</dd>
          </div>
          <div>
            <dt>Learning Together variant</dt>
            <dd>{labelOf(VARIANTS, review.variant)}</dd>
          </div>
          <div>
            <dt>Period under review</dt>
            <dd>{period(review) || <span className="muted">Not set</span>}</dd>
          </div>
          <div>
            <dt>Phase</dt>
            <dd>{labelOf(PHASES, review.phase)}</dd>
          </div>
          <div>
            <dt>Review questions</dt>
            <dd>
              {questions.length ? (
                <ol className="questions">
                  {questions.map((q, i) => (
                    <li key={i}>{q}</li>
                  ))}
                </ol>
              ) : (
                <span className="muted">None yet</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Terms of reference</dt>
            <dd className="prose">{review.terms_of_reference || <span className="muted">None yet</span>}</dd>
          </div>
        </dl>
      </Section>
    )
  }
  return (
    <Section id="details" title="Details">
      <DetailsForm review={review} onSaved={onSaved} />
    </Section>
  )
}

function period(review: Review): string {
  const fmt = (v: string) => (v ? meetingDate(v) : '')
  if (!review.period_start && !review.period_end) return ''
  return `${fmt(review.period_start) || '…'} to ${fmt(review.period_end) || '…'}`
}

function DetailsForm({ review, onSaved }: { review: Review; onSaved: (review: Review) => void }) {
  const session = useSession()
  const { values, set } = useFields({
    title: review.title,
    case_ref: review.case_ref,
    kind: review.kind,
    variant: review.variant,
    period_start: review.period_start,
    period_end: review.period_end,
    questions: review.questions,
    terms_of_reference: review.terms_of_reference,
    phase: review.phase,
  })
  const [problems, setProblems] = useState<Problem[]>([])
  const [saved, setSaved] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setSaved('')
    if (!values.title.trim()) {
      setProblems([{ field: 'details-title', message: 'Enter a title for the review' }])
      return
    }
    setProblems([])
    setBusy(true)
    try {
      const updated = await api.updateReview(review.id, values)
      onSaved(updated)
      setSaved('The details have been saved.')
    } catch (error) {
      if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
    } finally {
      setBusy(false)
    }
  }
  return (
    <form onSubmit={submit} noValidate className="details-form" data-testid="details-form">
      <ErrorSummary problems={problems} />
      <div className="field-row">
        <TextInput id="details-title" label="Title" value={values.title} onChange={set('title')} problems={problems} />
        <TextInput id="details-case-ref" label="Case reference" value={values.case_ref} onChange={set('case_ref')} />
      </div>
      <div className="field-row">
        <Choice id="details-kind" label="Kind of review" value={values.kind} onChange={set('kind')} options={KINDS} className="wide" />
        <Choice id="details-phase" label="Phase" value={values.phase} onChange={set('phase')} options={PHASES} />
      </div>
      <div className="field-row">
        <Choice
          id="details-variant"
          label="Learning Together variant"
          value={values.variant}
          onChange={set('variant')}
          options={VARIANTS}
        />
        <div className="field" aria-hidden="true" />
      </div>
      <fieldset className="field">
        <legend className="field-label">Period under review</legend>
        <div className="field-row">
          <TextInput id="details-period-start" label="From" type="date" value={values.period_start} onChange={set('period_start')} />
          <TextInput id="details-period-end" label="To" type="date" value={values.period_end} onChange={set('period_end')} />
        </div>
      </fieldset>
      <TextArea
        id="details-questions"
        label="Review questions"
        hint="One question per line"
        rows={4}
        value={values.questions}
        onChange={set('questions')}
      />
      <TextArea
        id="details-terms"
        label="Terms of reference"
        rows={5}
        value={values.terms_of_reference}
        onChange={set('terms_of_reference')}
      />
      <div className="form-actions">
        <button className="button" type="submit" disabled={busy}>
          Save details
        </button>
        <p className="saved" role="status">
          {saved}
        </p>
      </div>
    </form>
  )
}

function Documents({
  detail,
  lead,
  members,
  onChanged,
}: {
  detail: ReviewDetail
  lead: boolean
  members: Member[]
  onChanged: () => void
}) {
  const [saved, setSaved] = useState('')
  const board = detail.documents.find((d) => d.name === 'board')
  const notes = detail.documents.filter((d) => d.restricted)
  const reviewId = detail.review.id
  return (
    <Section id="documents" title="Documents">
      <p className="saved" role="status">
        {saved}
      </p>
      <ul className="documents" data-testid="documents">
        {board && (
          <li className="document">
            <div>
              <a className="document-title" {...linkTo(boardHref(reviewId))}>
                {board.title || 'Analysis board'}
              </a>
              <p className="muted">
                The practice-analysis table, the factor map and the findings, worked on together in the meetings.
              </p>
            </div>
            <AccessTag access={board.access} />
          </li>
        )}
        {notes.map((d) => {
          const known = lead && d.participants ? participantNames(d.participants, members) : null
          return (
            <li key={d.name} className="document" data-testid="notes-document">
              <div className="document-body">
                <a className="document-title" {...linkTo(notesHref(reviewId, d.name))}>
                  {d.title}
                </a>
                <p className="muted" data-testid="notes-who">
                  {known
                    ? restrictedSentence(known.names)
                    : 'Restricted: only the people the lead reviewers chose, you among them, and the lead reviewers can open these notes.'}
                  {known && known.missing > 0 && ` (${known.missing === 1 ? 'One person' : `${known.missing} people`} named earlier ${known.missing === 1 ? 'is' : 'are'} no longer in the review.)`}
                </p>
                {lead && (
                  <EditNotes
                    reviewId={reviewId}
                    document={d}
                    members={members}
                    onSaved={(message) => {
                      setSaved(message)
                      onChanged()
                    }}
                  />
                )}
              </div>
              <div className="document-tags">
                <span className="tag restricted">Restricted</span>
                <AccessTag access={d.access} />
              </div>
            </li>
          )
        })}
      </ul>
      {lead && (
        <NewNotes
          reviewId={reviewId}
          members={members}
          onCreated={(message) => {
            setSaved(message)
            onChanged()
          }}
        />
      )}
    </Section>
  )
}

function AccessTag({ access }: { access: 'read' | 'edit' }) {
  return <span className={`tag${access === 'edit' ? ' ok' : ''}`}>{access === 'edit' ? 'You can edit' : 'Read only'}</span>
}

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
function EditNotes({
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

function NewNotes({ reviewId, members, onCreated }: { reviewId: string; members: Member[]; onCreated: (message: string) => void }) {
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
