// For administrators: account activity on the whole board (sign-ins, failed sign-ins,
// sign-outs, passwords, new accounts), newest first. What happens inside a review is in
// that review's audit trail, for its lead reviewers.

import { keepPreviousData } from '@tanstack/react-query'
import { useState } from 'react'

import { api } from '../api/client'
import { keys, refusedWith, useApi } from '../api/queries'
import { activityLine, type ActivityKind } from '../review/activity'
import { when } from '../review/words'
import { Page } from './App'
import { ErrorSummary } from './Form'
import { linkTo } from './route'
import { useUser } from './session'

const FIRST = 200
const MOST = 5000

const TAGS: Record<ActivityKind, string> = {
  'sign-in': 'ok',
  failure: 'failure',
  'sign-out': 'done',
  account: 'phase',
}

export function ActivityPage() {
  const user = useUser()
  if (!user.is_admin) return <AdministratorsOnly />
  return <Activity />
}

function AdministratorsOnly() {
  return (
    <Page title="Account activity" narrow>
      <div data-testid="administrators-only">
        <h1>Only administrators can see account activity</h1>
        <p>
          This page lists sign-ins and account changes for everyone on the board, so only the board’s administrators can
          open it. What happens in a review you lead is in that review’s audit trail.
        </p>
        <p>
          <a {...linkTo('/')}>Go to your reviews</a>
        </p>
      </div>
    </Page>
  )
}

function Activity() {
  const [limit, setLimit] = useState(FIRST)
  const [failuresOnly, setFailuresOnly] = useState(false)
  // Older events are fetched with a larger limit; the ones shown stay until they come.
  const query = useApi(keys.accountActivity(limit), () => api.accountActivity(limit), { placeholderData: keepPreviousData })
  const events = query.data ?? null
  if (refusedWith(query.error, 403)) return <AdministratorsOnly />
  const error = query.failure
  const now = Date.now()
  const lines = (events ?? []).map((event) => ({ event, line: activityLine(event) }))
  const shown = failuresOnly ? lines.filter((l) => l.line.kind === 'failure') : lines
  const failures = lines.filter((l) => l.line.kind === 'failure').length
  return (
    <Page title="Account activity">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a {...linkTo('/')}>Your reviews</a>
      </nav>
      <h1>Account activity</h1>
      <p className="section-intro">
        Sign-ins, failed sign-ins, sign-outs, password changes and new accounts on this board, newest first. Several failed
        sign-ins for one account or from one address in a short time can mean someone is guessing passwords; after
        repeated wrong passwords an account is locked for a while. What happens inside a review is in that review’s audit
        trail.
      </p>
      <div className="toolbar activity-toolbar">
        <button className="button secondary" type="button" onClick={() => void query.refetch()}>
          Refresh
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={failuresOnly} onChange={(e) => setFailuresOnly(e.target.checked)} /> Only failed
          and refused sign-ins{events ? ` (${failures})` : ''}
        </label>
      </div>
      {error && <ErrorSummary problems={[{ message: error }]} />}
      {events === null ? (
        !error && <p role="status">Loading the account activity…</p>
      ) : shown.length === 0 ? (
        <div className="empty-state" data-testid="no-activity">
          {failuresOnly ? (
            <>
              <h2>No failed sign-ins</h2>
              <p>Nobody has given a wrong password or been refused sign-in in the events shown here.</p>
            </>
          ) : (
            <>
              <h2>Nothing recorded yet</h2>
              <p>
                When people sign in, give a wrong password, sign out, change their password or are given an account, it
                is listed here with the time and the address it came from.
              </p>
            </>
          )}
        </div>
      ) : (
        <>
          <table className="table audit activity" data-testid="activity">
            <caption className="visually-hidden">Account activity, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {shown.map(({ event, line }, i) => (
                <tr key={`${event.at_ms}-${i}`} className={line.kind === 'failure' ? 'failure-row' : undefined} data-testid="activity-row">
                  <td className="nowrap">
                    <time dateTime={new Date(event.at_ms).toISOString()}>{when(event.at_ms, now)}</time>
                  </td>
                  <td className="nowrap">
                    <span className={`tag ${TAGS[line.kind]}`}>{line.label}</span>
                  </td>
                  <td>{line.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {events.length >= limit && limit < MOST && (
            <button
              className="button secondary"
              type="button"
              onClick={() => {
                setLimit(Math.min(MOST, limit * 4))
              }}
            >
              Show older events
            </button>
          )}
        </>
      )}
    </Page>
  )
}
