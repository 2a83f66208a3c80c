// Your reviews: the ones you belong to, with your role in each; administrators start
// new reviews here.

import { useState } from 'react'

import { api, errorText } from '../api/client'
import { keys, useApi } from '../api/queries'
import { KINDS, PHASES, VARIANTS, labelOf, roleLabel, canEdit } from '../review/words'
import { Page } from './App'
import { Choice, ErrorSummary, TextInput, useFields, type Problem } from './Form'
import { boardHref, linkTo, navigate, reviewHref } from './route'
import { sessionEnded, useSession, useUser } from './session'

export function HomePage() {
  const user = useUser()
  const { data: reviews = null, failure: error } = useApi(keys.reviews, api.reviews)

  return (
    <Page title="Your reviews">
      <h1>Your reviews</h1>
      {error && <ErrorSummary problems={[{ message: error }]} />}
      {reviews === null && !error && <p role="status">Loading your reviews…</p>}
      {reviews && reviews.length === 0 && (
        <div className="empty-state" data-testid="no-reviews">
          <h2>You are not in any review yet</h2>
          <p>
            When a lead reviewer invites you, open the link in their invitation: the review then appears here, with your
            role in it.
          </p>
          {user.is_admin && <p>As an administrator you can start a review below. You become its lead reviewer and invite the others.</p>}
        </div>
      )}
      {reviews && reviews.length > 0 && (
        <table className="table reviews" data-testid="reviews">
          <caption className="visually-hidden">The reviews you are part of</caption>
          <thead>
            <tr>
              <th scope="col">Review</th>
              <th scope="col">Case reference</th>
              <th scope="col">Kind</th>
              <th scope="col">Phase</th>
              <th scope="col">Your role</th>
              <th scope="col">
                <span className="visually-hidden">Board</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {reviews.map(({ review, role }) => (
              <tr key={review.id} data-testid="review-row">
                <th scope="row">
                  <a {...linkTo(reviewHref(review.id))}>{review.title}</a>
                </th>
                <td>{review.case_ref || <span className="muted">None</span>}</td>
                <td>{labelOf(KINDS, review.kind)}</td>
                <td>{labelOf(PHASES, review.phase)}</td>
                <td>
                  <span className={`role-badge${canEdit(role) ? '' : ' read-only'}`}>{roleLabel(role)}</span>
                </td>
                <td>
                  <a {...linkTo(boardHref(review.id))}>
                    Open the board<span className="visually-hidden"> of {review.title}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {user.is_admin && <NewReview />}
    </Page>
  )
}

function NewReview() {
  const session = useSession()
  const { values, set } = useFields({ title: '', case_ref: '', kind: 'lcspr', variant: 'full' })
  const [problems, setProblems] = useState<Problem[]>([])
  const [busy, setBusy] = useState(false)
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!values.title.trim()) {
      setProblems([{ field: 'review-title', message: 'Enter a title for the review' }])
      return
    }
    setProblems([])
    setBusy(true)
    try {
      const review = await api.createReview({ ...values, title: values.title.trim(), case_ref: values.case_ref.trim() })
      navigate(reviewHref(review.id))
    } catch (error) {
      if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
      setBusy(false)
    }
  }
  return (
    <section className="section" aria-labelledby="new-review-heading">
      <h2 id="new-review-heading">New review</h2>
      <p className="field-hint">You become the review’s lead reviewer; invite the review team and case group from its page.</p>
      <form onSubmit={submit} noValidate className="form-narrow">
        <ErrorSummary problems={problems} />
        <TextInput
          id="review-title"
          label="Title"
          hint="How the partnership refers to the review, for example Child Q"
          value={values.title}
          onChange={set('title')}
          problems={problems}
        />
        <TextInput id="review-case-ref" label="Case reference" value={values.case_ref} onChange={set('case_ref')} width={20} />
        <Choice id="review-kind" label="Kind of review" value={values.kind} onChange={set('kind')} options={KINDS} />
        <Choice
          id="review-variant"
          label="Learning Together variant"
          hint="Sets the meetings the timeline starts with"
          value={values.variant}
          onChange={set('variant')}
          options={VARIANTS}
        />
        <button className="button" type="submit" disabled={busy}>
          Create review
        </button>
      </form>
    </section>
  )
}
