// Your account: who you are on the board, and changing your password.

import { useState } from 'react'

import { ApiError, api, errorText } from '../api/client'
import { MIN_PASSWORD, passwordProblems } from './AccountFields'
import { Page } from './App'
import { ErrorSummary, TextInput, useFields, type Problem } from './Form'
import { linkTo } from './route'
import { sessionEnded, useSession, useUser } from './session'

export function AccountPage() {
  const user = useUser()
  return (
    <Page title="Your account" narrow>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a {...linkTo('/')}>Your reviews</a>
      </nav>
      <h1>Your account</h1>
      <dl className="summary-list" data-testid="account-details">
        <div>
          <dt>Name</dt>
          <dd>{user.name}</dd>
        </div>
        <div>
          <dt>Email address</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>Agency</dt>
          <dd>{user.agency || <span className="muted">Not given</span>}</dd>
        </div>
        <div>
          <dt>Job title</dt>
          <dd>{user.job_title || <span className="muted">Not given</span>}</dd>
        </div>
        {user.is_admin && (
          <div>
            <dt>Administrator</dt>
            <dd>Yes: you can create reviews</dd>
          </div>
        )}
      </dl>
      <p className="field-hint">Your name and agency are shown to the others on a board, and in its history.</p>
      <ChangePassword />
    </Page>
  )
}

function ChangePassword() {
  const session = useSession()
  const { values, set, reset } = useFields({ current: '', next: '', confirm: '' })
  const [problems, setProblems] = useState<Problem[]>([])
  const [done, setDone] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setDone('')
    const found: Problem[] = []
    if (!values.current) found.push({ field: 'password-current', message: 'Enter your current password' })
    found.push(...passwordProblems(values.next, values.confirm, 'password-new', 'password-confirm'))
    setProblems(found)
    if (found.length) return
    setBusy(true)
    try {
      await api.changePassword(values.current, values.next)
      reset()
      setDone('Your password has been changed. You stay signed in here; your other devices are signed out.')
    } catch (error) {
      if (error instanceof ApiError && error.code === 'bad_credentials') {
        setProblems([{ field: 'password-current', message: 'Your current password is not right' }])
      } else if (!sessionEnded(error, session)) {
        setProblems([{ message: errorText(error) }])
      }
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="section" aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <form onSubmit={submit} noValidate>
        <ErrorSummary problems={problems} />
        <p className="saved" role="status">
          {done}
        </p>
        <TextInput
          id="password-current"
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={values.current}
          onChange={set('current')}
          problems={problems}
        />
        <TextInput
          id="password-new"
          label="New password"
          hint={`At least ${MIN_PASSWORD} characters, and not a common password. A few unrelated words make a strong one.`}
          type="password"
          autoComplete="new-password"
          value={values.next}
          onChange={set('next')}
          problems={problems}
        />
        <TextInput
          id="password-confirm"
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          value={values.confirm}
          onChange={set('confirm')}
          problems={problems}
        />
        <button className="button" type="submit" disabled={busy}>
          Change password
        </button>
      </form>
    </section>
  )
}
