// Accepting an invitation (/invite#<secret>): what it is for, then either a new
// account (prefilled from the invitation) or joining with the signed-in one.

import { useState } from 'react'

import { ApiError, api, errorText, type InvitationPreview } from '../api/client'
import { keys, refusedWith, useApi } from '../api/queries'
import { ROLE_HINTS, longDate, clock, roleLabel, withArticle } from '../review/words'
import { AccountFields, accountProblems, type AccountValues } from './AccountFields'
import { Page } from './App'
import { ErrorSummary, useFields, type Problem } from './Form'
import { linkTo, navigate, reviewHref } from './route'
import { useSession } from './session'
import { SignInForm } from './SignIn'

export function InvitePage() {
  const session = useSession()
  const [secret] = useState(() => decodeURIComponent(location.hash.replace(/^#/, '')))
  const query = useApi(keys.invitation(secret), () => api.invitation(secret), { enabled: !!secret, staleTime: Infinity })
  const preview = query.data ?? null
  // '', 'gone' or a message
  const failure = !secret || refusedWith(query.error) ? 'gone' : query.error ? errorText(query.error) : ''

  if (failure === 'gone') {
    return (
      <Page title="Invitation not valid" narrow>
        <h1>This invitation cannot be used</h1>
        <p>The link may have been used already, have expired or been withdrawn, or it was not copied whole.</p>
        <p>Ask the lead reviewer who invited you for a new link.</p>
        {session.user && (
          <p>
            <a {...linkTo('/')}>Go to your reviews</a>
          </p>
        )}
      </Page>
    )
  }
  if (failure) {
    return (
      <Page title="Invitation" narrow>
        <h1>Invitation</h1>
        <ErrorSummary problems={[{ message: failure }]} />
      </Page>
    )
  }
  if (!preview) {
    return (
      <Page title="Invitation" narrow>
        <p role="status">Opening the invitation…</p>
      </Page>
    )
  }
  const role = roleLabel(preview.role)
  return (
    <Page title={`Join ${preview.review_title}`} narrow>
      <span className="caption">Invitation</span>
      <h1>Join the review {preview.review_title}</h1>
      <div className="invitation-card" data-testid="invitation">
        <dl className="summary-list">
          <div>
            <dt>Review</dt>
            <dd>
              {preview.review_title}
              {preview.case_ref ? ` (${preview.case_ref})` : ''}
            </dd>
          </div>
          <div>
            <dt>Your role</dt>
            <dd>
              <span className="role-badge">{role}</span>
              <span className="field-hint block role-hint">{ROLE_HINTS[preview.role]}</span>
            </dd>
          </div>
          {(preview.name || preview.email) && (
            <div>
              <dt>For</dt>
              <dd>
                {[preview.name, preview.email && `<${preview.email}>`].filter(Boolean).join(' ')}
                {preview.agency ? `, ${preview.agency}` : ''}
              </dd>
            </div>
          )}
          <div>
            <dt>Link works until</dt>
            <dd>
              {longDate(preview.expires_at)}, {clock(preview.expires_at)}
            </dd>
          </div>
        </dl>
      </div>
      {session.user ? <JoinAsMe secret={secret} role={role} /> : <NewAccount secret={secret} preview={preview} />}
    </Page>
  )
}

function JoinAsMe({ secret, role }: { secret: string; role: string }) {
  const session = useSession()
  const user = session.user!
  const [problems, setProblems] = useState<Problem[]>([])
  const [busy, setBusy] = useState(false)
  const join = async () => {
    setBusy(true)
    try {
      const accepted = await api.acceptInvitation(secret, {})
      navigate(reviewHref(accepted.review_id), { replace: true })
    } catch (error) {
      setBusy(false)
      setProblems([{ message: errorText(error) }])
    }
  }
  return (
    <section aria-labelledby="join-heading">
      <h2 id="join-heading">Join with your account</h2>
      <ErrorSummary problems={problems} />
      <p>
        You are signed in as <strong>{user.name}</strong> ({user.email}). Joining adds this review to your reviews, as{' '}
        {withArticle(role)}.
      </p>
      <button className="button" type="button" onClick={join} disabled={busy}>
        Join the review
      </button>
      <p className="field-hint">
        Not you?{' '}
        <button className="link-button" type="button" onClick={() => void session.signOut().then(() => navigate(`/invite#${secret}`, { replace: true }))}>
          Sign out
        </button>{' '}
        and open this link again to create your own account.
      </p>
    </section>
  )
}

function NewAccount({ secret, preview }: { secret: string; preview: InvitationPreview }) {
  const session = useSession()
  const [mode, setMode] = useState<'create' | 'sign-in'>('create')
  const { values, set } = useFields<AccountValues>({
    name: preview.name,
    email: preview.email,
    agency: preview.agency,
    job_title: preview.job_title,
    password: '',
    confirm: '',
  })
  const [problems, setProblems] = useState<Problem[]>([])
  const [busy, setBusy] = useState(false)
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    const found = accountProblems(values)
    setProblems(found)
    if (found.length) return
    setBusy(true)
    try {
      const accepted = await api.acceptInvitation(secret, {
        name: values.name.trim(),
        email: values.email.trim(),
        agency: values.agency.trim(),
        job_title: values.job_title.trim(),
        password: values.password,
      })
      session.signedIn(accepted.user)
      navigate(reviewHref(accepted.review_id), { replace: true })
    } catch (error) {
      setBusy(false)
      if (error instanceof ApiError && error.code === 'conflict') {
        setProblems([{ field: 'account-email', message: 'There is already an account with this email address. Sign in to join with it.' }])
      } else setProblems([{ message: errorText(error) }])
    }
  }
  if (mode === 'sign-in') {
    return (
      <section aria-labelledby="existing-heading">
        <h2 id="existing-heading">Sign in to join with your account</h2>
        <SignInForm submitLabel="Sign in" />
        <p>
          <button className="link-button" type="button" onClick={() => setMode('create')}>
            Create a new account instead
          </button>
        </p>
      </section>
    )
  }
  return (
    <section aria-labelledby="create-heading">
      <h2 id="create-heading">Create your account</h2>
      <p>Check the details the lead reviewer entered for you, and choose a password.</p>
      <form onSubmit={submit} noValidate>
        <ErrorSummary problems={problems} />
        <AccountFields values={values} set={set} problems={problems} />
        <button className="button" type="submit" disabled={busy}>
          Create account and join
        </button>
      </form>
      <p>
        Already have an account?{' '}
        <button className="link-button" type="button" onClick={() => setMode('sign-in')}>
          Sign in to join with it
        </button>
      </p>
    </section>
  )
}
