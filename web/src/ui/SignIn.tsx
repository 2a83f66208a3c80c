// Signing in with email and password. When the board has no account yet, the page
// says how the first administrator is created.

import { useState } from 'react'

import { ApiError, api, errorText } from '../api/client'
import { keys, useApi } from '../api/queries'
import { minutes } from '../review/status'
import { Page } from './App'
import { ErrorSummary, TextInput, useFields, type Problem } from './Form'
import { useSession } from './session'

export function SignInPage({ expired }: { expired: boolean }) {
  const status = useApi(keys.setup, api.setupStatus)
  const setupNeeded = status.data?.needed ?? false
  return (
    <Page title="Sign in" narrow>
      <h1>Sign in</h1>
      {expired && (
        <div className="notice" role="status">
          Your session has ended. Sign in again to carry on where you were.
        </div>
      )}
      <p>Sign in to work on the case reviews you are part of.</p>
      {setupNeeded && (
        <div className="inset" data-testid="setup-needed">
          <h2>This board has no accounts yet</h2>
          <p>
            The first administrator is created with the one-time link the server prints in its log when it starts (it
            ends in <code>/setup#…</code>), or on the server with <code>board user create --admin</code>. The
            administrator then creates reviews and invites everyone else.
          </p>
        </div>
      )}
      <SignInForm />
      <h2 className="small-heading">New to a review?</h2>
      <p>You join with the invitation link the lead reviewer sends you. Open it to create your account.</p>
    </Page>
  )
}

/** Email and password; signs in and tells the session. */
export function SignInForm({ submitLabel = 'Sign in' }: { submitLabel?: string }) {
  const session = useSession()
  const { values, set } = useFields({ email: '', password: '' })
  const [problems, setProblems] = useState<Problem[]>([])
  const [busy, setBusy] = useState(false)
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    const missing: Problem[] = []
    if (!values.email.trim()) missing.push({ field: 'sign-in-email', message: 'Enter your email address' })
    if (!values.password) missing.push({ field: 'sign-in-password', message: 'Enter your password' })
    setProblems(missing)
    if (missing.length) return
    setBusy(true)
    try {
      const user = await api.signIn(values.email.trim(), values.password)
      session.signedIn(user)
    } catch (error) {
      if (error instanceof ApiError && error.code === 'bad_credentials') {
        // A locked account answers like a wrong password (so nobody can learn which
        // emails have accounts), hence the mention of the lock.
        setProblems([
          {
            field: 'sign-in-password',
            message:
              'The email address or password is not right. Check them and try again. After several wrong passwords in a row an account is locked for a while.',
          },
        ])
      } else if (error instanceof ApiError && error.code === 'too_many_attempts') {
        const wait = error.retryAfter ? minutes(error.retryAfter) : 'a few minutes'
        setProblems([{ message: `Too many attempts to sign in. Wait ${wait}, then try again.` }])
      } else {
        setProblems([{ message: errorText(error) }])
      }
    } finally {
      setBusy(false)
    }
  }
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary problems={problems} />
      <TextInput
        id="sign-in-email"
        label="Email address"
        type="email"
        autoComplete="username"
        spellCheck={false}
        value={values.email}
        onChange={set('email')}
        problems={problems}
      />
      <TextInput
        id="sign-in-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        value={values.password}
        onChange={set('password')}
        problems={problems}
      />
      <button className="button" type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  )
}

