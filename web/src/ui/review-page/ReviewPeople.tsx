// The people in a review and their roles; a lead changes roles, removes people and
// invites new ones by a single-use link, shown once.

import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'

import { api, errorText, type Invitation, type InvitationCreated, type Member, type Role } from '../../api/client'
import { keys, useApi } from '../../api/queries'
import { invitationStatus, type InvitationState } from '../../review/status'
import { ROLES, ROLE_HINTS, clock, longDate, roleLabel, withArticle } from '../../review/words'
import { ErrorSummary, OneTimeSecret, TextInput, useFields, type Problem } from '../Form'
import { Section } from './Section'
import { sessionEnded, useSession, useUser } from '../session'

const ROLE_OPTIONS = ROLES.map((r) => [r, roleLabel(r)] as const)

/** Each state of an invitation looks different (and says so in words). */
const INVITATION_TAGS: Record<InvitationState, string> = {
  open: 'ok',
  accepted: 'done',
  withdrawn: 'withdrawn',
  expired: 'muted-tag',
}

export function ReviewPeople({
  reviewId,
  lead,
  members,
  onChanged,
}: {
  reviewId: string
  lead: boolean
  members: Member[]
  onChanged: () => void
}) {
  const session = useSession()
  const me = useUser()
  const [message, setMessage] = useState('')
  const [problems, setProblems] = useState<Problem[]>([])
  const [removing, setRemoving] = useState<string | null>(null)
  const fail = (error: unknown) => {
    if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
  }
  const changeRole = async (member: Member, role: Role) => {
    setProblems([])
    setMessage('')
    try {
      await api.setRole(reviewId, member.user_id, role)
      setMessage(`${member.name} is now ${withArticle(roleLabel(role))}.`)
    } catch (error) {
      fail(error)
    }
    onChanged()
  }
  const remove = async (member: Member) => {
    setProblems([])
    setMessage('')
    try {
      await api.removeMember(reviewId, member.user_id)
      setMessage(`${member.name} has been removed from the review.`)
    } catch (error) {
      fail(error)
    }
    setRemoving(null)
    onChanged()
  }
  const sorted = [...members].sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.name.localeCompare(b.name))
  return (
    <Section id="people" title="People" intro={lead ? 'Everyone in the review and their role. Only the people here can open it.' : undefined}>
      <ErrorSummary problems={problems} />
      <p className="saved" role="status">
        {message}
      </p>
      <table className="table people-table" data-testid="members">
        <caption className="visually-hidden">People in this review</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Agency</th>
            <th scope="col">Email address</th>
            <th scope="col">Role</th>
            {lead && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {sorted.map((m) => (
            <tr key={m.user_id} data-testid="member-row">
              <th scope="row">
                {m.name}
                {m.user_id === me.id && <span className="muted"> (you)</span>}
                {m.job_title && <span className="cell-detail">{m.job_title}</span>}
              </th>
              <td>{m.agency}</td>
              <td className="email">{m.email}</td>
              <td>
                {lead ? (
                  <select
                    aria-label={`Role of ${m.name}`}
                    value={m.role}
                    onChange={(e) => void changeRole(m, e.target.value as Role)}
                  >
                    {ROLE_OPTIONS.map(([code, label]) => (
                      <option key={code} value={code}>
                        {label}
                      </option>
                    ))}
                  </select>
                ) : (
                  roleLabel(m.role)
                )}
              </td>
              {lead && (
                <td className="actions-cell">
                  {removing === m.user_id ? (
                    <span className="confirm" role="alert">
                      Remove {m.name} from the review?{' '}
                      <button className="button warning small" type="button" onClick={() => void remove(m)}>
                        Yes, remove
                      </button>{' '}
                      <button className="button secondary small" type="button" onClick={() => setRemoving(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button className="link-button" type="button" onClick={() => setRemoving(m.user_id)}>
                      Remove<span className="visually-hidden"> {m.name}</span>
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {lead && <Invitations reviewId={reviewId} onAccepted={onChanged} />}
    </Section>
  )
}


const EXPIRY_OPTIONS = [
  ['24', '1 day'],
  ['72', '3 days'],
  ['168', '7 days'],
  ['336', '14 days'],
  ['720', '30 days'],
] as const

/** `onAccepted`: the people in the review may have changed (and the audit trail has news). */
function Invitations({ reviewId, onAccepted }: { reviewId: string; onAccepted: () => void }) {
  const session = useSession()
  const queryClient = useQueryClient()
  const query = useApi(keys.invitations(reviewId), () => api.invitations(reviewId))
  const list = query.data ?? null
  const [created, setCreated] = useState<InvitationCreated | null>(null)
  const [problems, setProblems] = useState<Problem[]>([])
  const [busy, setBusy] = useState(false)
  const { values, set, reset } = useFields({ name: '', email: '', agency: '', job_title: '', role: 'case_group_member', hours: '168' })
  const load = () => queryClient.invalidateQueries({ queryKey: keys.invitations(reviewId) })
  // Someone may have joined since the list was last fetched.
  const accepted = list?.filter((i) => i.accepted_at).length
  const seenAccepted = useRef(accepted)
  useEffect(() => {
    if (seenAccepted.current !== undefined && accepted !== undefined && accepted !== seenAccepted.current) onAccepted()
    seenAccepted.current = accepted
  }, [accepted, onAccepted])

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    const found: Problem[] = []
    if (!values.name.trim()) found.push({ field: 'invite-name', message: 'Enter the name of the person you are inviting' })
    if (values.email.trim() && !/^[^\s@]+@[^\s@]+$/.test(values.email.trim())) {
      found.push({ field: 'invite-email', message: 'Enter an email address, like name@example.org' })
    }
    setProblems(found)
    if (found.length) return
    setBusy(true)
    try {
      const result = await api.invite(reviewId, {
        role: values.role as Role,
        name: values.name.trim(),
        email: values.email.trim(),
        agency: values.agency.trim(),
        job_title: values.job_title.trim(),
        expires_in_hours: Number(values.hours),
      })
      setCreated(result)
      reset()
      void load()
      onAccepted()
    } catch (error) {
      if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
    } finally {
      setBusy(false)
    }
  }
  const withdraw = async (invitation: Invitation) => {
    try {
      await api.withdrawInvitation(reviewId, invitation.id)
    } catch (error) {
      if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
    }
    void load()
    onAccepted()
  }
  const now = Date.now()
  return (
    <div className="subsection">
      <h3>Invite someone</h3>
      <p className="field-hint">
        The invitation is a link that works once. Send it to the person yourself, by your usual secure email; they create
        their account with it, or join with the account they have.
      </p>
      {created && (
        <div className="created" data-testid="invitation-created">
          <h4>
            Invitation for {created.invitation.name || 'a new member'} as {roleLabel(created.invitation.role)}
          </h4>
          <OneTimeSecret
            label="Invitation link"
            value={`${location.origin}${created.path}`}
            testId="invitation-link"
            hint={`This link is shown only now. It works once, until ${longDate(created.invitation.expires_at)}, ${clock(created.invitation.expires_at)}.`}
          />
          <button className="link-button" type="button" onClick={() => setCreated(null)}>
            Done: hide the link
          </button>
        </div>
      )}
      <form onSubmit={submit} noValidate className="inline-form" data-testid="invite-form">
        <ErrorSummary problems={query.failure ? [...problems, { message: query.failure }] : problems} />
        <div className="field-row">
          <TextInput id="invite-name" label="Name" value={values.name} onChange={set('name')} problems={problems} />
          <TextInput
            id="invite-email"
            label="Email address"
            type="email"
            spellCheck={false}
            value={values.email}
            onChange={set('email')}
            problems={problems}
          />
        </div>
        <div className="field-row">
          <TextInput id="invite-agency" label="Agency" value={values.agency} onChange={set('agency')} />
          <TextInput id="invite-job-title" label="Job title" value={values.job_title} onChange={set('job_title')} />
        </div>
        <fieldset className="field">
          <legend className="field-label">Role</legend>
          <div className="role-choices">
            {ROLES.map((r) => (
              <div key={r} className="role-choice">
                <input
                  type="radio"
                  id={`invite-role-${r}`}
                  name="invite-role"
                  value={r}
                  checked={values.role === r}
                  aria-describedby={`invite-role-${r}-hint`}
                  onChange={() => set('role')(r)}
                />
                <div>
                  <label htmlFor={`invite-role-${r}`} className="role-choice-label">
                    {roleLabel(r)}
                  </label>
                  <p className="field-hint" id={`invite-role-${r}-hint`}>
                    {ROLE_HINTS[r]}
                  </p>
                </div>
              </div>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label className="field-label" htmlFor="invite-expiry">
            The link works for
          </label>
          <select id="invite-expiry" value={values.hours} onChange={(e) => set('hours')(e.target.value)}>
            {EXPIRY_OPTIONS.map(([hours, label]) => (
              <option key={hours} value={hours}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button className="button" type="submit" disabled={busy}>
          Create invitation
        </button>
      </form>
      <h3>Invitations</h3>
      {list === null ? (
        <p className="muted">Loading the invitations…</p>
      ) : list.length === 0 ? (
        <p className="muted">No invitations yet.</p>
      ) : (
        <table className="table" data-testid="invitations">
          <caption className="visually-hidden">Invitations to this review</caption>
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...list]
              .sort((a, b) => b.created_at - a.created_at)
              .map((i) => {
                const status = invitationStatus(i, now)
                return (
                  <tr key={i.id}>
                    <th scope="row">
                      {i.name || <span className="muted">No name given</span>}
                      {i.email && <span className="cell-detail">{i.email}</span>}
                    </th>
                    <td>{roleLabel(i.role)}</td>
                    <td>
                      <span className={`tag ${INVITATION_TAGS[status.state]}`} data-state={status.state}>
                        {status.text}
                      </span>
                    </td>
                    <td className="actions-cell">
                      {status.open && (
                        <button className="link-button" type="button" onClick={() => void withdraw(i)}>
                          Withdraw<span className="visually-hidden"> the invitation for {i.name || i.email}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                )
              })}
          </tbody>
        </table>
      )}
    </div>
  )
}
