// A review's page: its details, timeline, people, documents, snapshots (with the review
// report), the pseudonymisation register, access and the audit trail.
// Everyone sees their own role first; a lead reviewer changes everything here.
// Each section has its own file here; the snapshots and the register are in ../snapshots.

import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'

import { api, type Member, type ReviewDetail } from '../../api/client'
import { keys, refusedWith, useApi } from '../../api/queries'
import { KINDS, PHASES, VARIANTS, canEdit, isLead, labelOf, mayRestore, roleLabel, roleSentence } from '../../review/words'
import { Page } from '../App'
import { ErrorSummary } from '../Form'
import { boardHref, linkTo } from '../route'
import { PseudonymRegister } from '../snapshots/PseudonymRegister'
import { ReviewSnapshots } from '../snapshots/ReviewSnapshots'
import { Details } from './Details'
import { Documents } from './Documents'
import { ReviewAccess, ReviewAudit } from './ReviewAccess'
import { ReviewBin } from './ReviewBin'
import { ReviewPeople } from './ReviewPeople'
import { ReviewTimeline } from './ReviewTimeline'

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
    ...(mayRestore(role) ? [['bin', 'Deleted items']] : []),
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
      {mayRestore(role) && <ReviewBin reviewId={review.id} lead={lead} onChanged={changed} />}
      {lead && <PseudonymRegister reviewId={review.id} onChanged={registerChanged} />}
      {lead && <ReviewAccess reviewId={review.id} onChanged={changed} />}
      {lead && <ReviewAudit reviewId={review.id} members={members} documents={detail.documents} changes={changes} />}
    </Page>
  )
}

const NO_MEMBERS: Member[] = []
