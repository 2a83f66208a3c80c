// The review's details: what everyone reads, and the form a lead changes them with.

import { useState } from 'react'

import { api, errorText, type Review } from '../../api/client'
import { KINDS, PHASES, VARIANTS, labelOf, meetingDate } from '../../review/words'
import { Choice, ErrorSummary, TextArea, TextInput, useFields, type Problem } from '../Form'
import { sessionEnded, useSession } from '../session'
import { Section } from './Section'

export function Details({ review, lead, onSaved }: { review: Review; lead: boolean; onSaved: (review: Review) => void }) {
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
