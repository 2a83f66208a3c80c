// Creating the first administrator with the one-time link from the server's log
// (/setup#<code>).

import { useState } from 'react'

import { ApiError, api, errorText } from '../api/client'
import { keys, useApi } from '../api/queries'
import { AccountFields, accountProblems, type AccountValues } from './AccountFields'
import { Page } from './App'
import { ErrorSummary, useFields, type Problem } from './Form'
import { linkTo, navigate } from './route'
import { useSession } from './session'

export function SetupPage() {
  const session = useSession()
  const [code] = useState(() => decodeURIComponent(location.hash.replace(/^#/, '')))
  // A board that cannot say whether it needs setting up is treated as set up.
  const status = useApi(keys.setup, api.setupStatus)
  const needed = status.data ? status.data.needed : status.isError ? false : null
  const { values, set } = useFields<AccountValues>({ name: '', email: '', agency: '', job_title: '', password: '', confirm: '' })
  const [problems, setProblems] = useState<Problem[]>([])
  const [busy, setBusy] = useState(false)

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    const found = accountProblems(values)
    setProblems(found)
    if (found.length) return
    setBusy(true)
    try {
      const user = await api.setup({
        code,
        name: values.name.trim(),
        email: values.email.trim(),
        agency: values.agency.trim(),
        job_title: values.job_title.trim(),
        password: values.password,
      })
      session.signedIn(user)
      // The code is used up; keep it out of the history.
      navigate('/', { replace: true })
    } catch (error) {
      setBusy(false)
      if (error instanceof ApiError && error.status === 404) {
        setProblems([
          {
            message:
              'This setup link does not work: it may have been used already, or the server has restarted since (each start prints a new link).',
          },
        ])
      } else setProblems([{ message: errorText(error) }])
    }
  }

  if (session.user) {
    return (
      <Page title="Set up the board" narrow>
        <h1>The board is set up</h1>
        <p>
          You are signed in as {session.user.name}. <a {...linkTo('/')}>Go to your reviews</a>.
        </p>
      </Page>
    )
  }
  return (
    <Page title="Create the first administrator" narrow>
      <h1>Create the first administrator</h1>
      {needed === null ? (
        <p role="status">Checking the board…</p>
      ) : !needed ? (
        <>
          <p>This board already has its first administrator, so this link no longer works.</p>
          <p>
            <a {...linkTo('/')}>Sign in</a>, or ask an administrator to invite you to a review.
          </p>
        </>
      ) : !code ? (
        <p>
          This page needs the one-time link the server printed in its log when it started. Open that link (it ends in{' '}
          <code>/setup#…</code>), or create the administrator on the server with <code>board user create --admin</code>.
        </p>
      ) : (
        <>
          <p>
            The administrator creates reviews and becomes their lead reviewer. Everyone else joins by invitation from a
            review’s page.
          </p>
          <form onSubmit={submit} noValidate>
            <ErrorSummary problems={problems} />
            <AccountFields values={values} set={set} problems={problems} />
            <button className="button" type="submit" disabled={busy}>
              Create the administrator
            </button>
          </form>
        </>
      )}
    </Page>
  )
}
