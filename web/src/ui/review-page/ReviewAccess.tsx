// For the lead reviewer: access tokens (for scripts and other tools, one role each,
// the secret shown once) and the review's audit trail.

import { keepPreviousData, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'

import { api, errorText, type AccessToken, type DocumentView, type Member, type Role, type TokenCreated } from '../../api/client'
import { keys, useApi } from '../../api/queries'
import { participantsChangeText } from '../../review/notes'
import { actorText, auditText, excerpt, groupAudit, runsOf, spanText, type NameOf } from '../../review/history'
import { Words } from '../compare/parts'
import type { PlainBoard } from '../../board/plain'
import { tokenStatus } from '../../review/status'
import { ROLES, longDate, roleLabel } from '../../review/words'
import { Choice, ErrorSummary, OneTimeSecret, TextInput, useFields, type Problem } from '../Form'
import { Section } from './Section'
import { sessionEnded, useSession } from '../session'

const ROLE_OPTIONS = ROLES.map((r) => [r, roleLabel(r)] as const)
const DAYS = [
  ['7', '7 days'],
  ['30', '30 days'],
  ['90', '90 days'],
  ['365', '1 year'],
] as const


export function ReviewAccess({ reviewId, onChanged }: { reviewId: string; onChanged: () => void }) {
  const session = useSession()
  const queryClient = useQueryClient()
  const tokensQuery = useApi(keys.tokens(reviewId), () => api.tokens(reviewId))
  const tokens = tokensQuery.data ?? null
  const [created, setCreated] = useState<TokenCreated | null>(null)
  const [problems, setProblems] = useState<Problem[]>([])
  const [revoking, setRevoking] = useState<string | null>(null)
  const { values, set, reset } = useFields({ label: '', role: 'observer', days: '30' })
  const fail = (error: unknown) => {
    if (!sessionEnded(error, session)) setProblems([{ message: errorText(error) }])
  }
  const load = () => {
    onChanged()
    return queryClient.invalidateQueries({ queryKey: keys.tokens(reviewId) })
  }
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!values.label.trim()) {
      setProblems([{ field: 'token-label', message: 'Say what the token is for, for example Minutes export' }])
      return
    }
    setProblems([])
    try {
      setCreated(await api.mintToken(reviewId, { label: values.label.trim(), role: values.role as Role, expires_in_days: Number(values.days) }))
      reset()
    } catch (error) {
      fail(error)
    }
    void load()
  }
  const revoke = async (token: AccessToken) => {
    try {
      await api.revokeToken(reviewId, token.id)
    } catch (error) {
      fail(error)
    }
    setRevoking(null)
    void load()
  }
  const now = Date.now()
  return (
    <Section
      id="access"
      title="Access tokens"
      intro="A token lets a script or another tool open this review with one role, without a person’s account: for example to export the board for the minutes. Treat it like a password, and revoke it when it is no longer needed."
    >
      <ErrorSummary problems={tokensQuery.failure ? [...problems, { message: tokensQuery.failure }] : problems} />
      {created && (
        <div className="created" data-testid="token-created">
          <h3>Token “{created.token.label}” for {roleLabel(created.token.role)}</h3>
          <OneTimeSecret
            label="Token"
            value={created.secret}
            testId="token-secret"
            hint={`This token is shown only now. Give it to the tool as a bearer token. It works until ${longDate(created.token.expires_at)}.`}
          />
          <button className="link-button" type="button" onClick={() => setCreated(null)}>
            Done: hide the token
          </button>
        </div>
      )}
      <form onSubmit={submit} noValidate className="inline-form" data-testid="token-form">
        <h3>Create a token</h3>
        <div className="field-row">
          <TextInput
            id="token-label"
            label="What it is for"
            value={values.label}
            onChange={set('label')}
            problems={problems}
          />
          <Choice id="token-role" label="Role" value={values.role} onChange={set('role')} options={ROLE_OPTIONS} />
          <Choice id="token-days" label="Works for" value={values.days} onChange={set('days')} options={DAYS} />
        </div>
        <button className="button" type="submit">
          Create token
        </button>
      </form>
      {tokens === null ? (
        <p className="muted">Loading the tokens…</p>
      ) : tokens.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <table className="table" data-testid="tokens">
          <caption className="visually-hidden">Access tokens of this review</caption>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...tokens]
              .sort((a, b) => b.created_at - a.created_at)
              .map((t) => {
                const status = tokenStatus(t, now)
                return (
                  <tr key={t.id}>
                    <th scope="row">{t.label || <span className="muted">No label</span>}</th>
                    <td>{roleLabel(t.role)}</td>
                    <td>{longDate(t.created_at)}</td>
                    <td>
                      <span className={`tag${status.active ? ' ok' : ' muted-tag'}`}>{status.text}</span>
                    </td>
                    <td className="actions-cell">
                      {status.active &&
                        (revoking === t.id ? (
                          <span className="confirm" role="alert">
                            Revoke “{t.label}”?{' '}
                            <button className="button warning small" type="button" onClick={() => void revoke(t)}>
                              Yes, revoke it
                            </button>{' '}
                            <button className="button secondary small" type="button" onClick={() => setRevoking(null)}>
                              Keep it
                            </button>
                          </span>
                        ) : (
                          <button className="link-button" type="button" onClick={() => setRevoking(t.id)}>
                            Revoke<span className="visually-hidden"> {t.label}</span>
                          </button>
                        ))}
                    </td>
                  </tr>
                )
              })}
          </tbody>
        </table>
      )}
    </Section>
  )
}

export function ReviewAudit({
  reviewId,
  members,
  documents,
  changes,
}: {
  reviewId: string
  members: Member[]
  documents: DocumentView[]
  changes: number
}) {
  const queryClient = useQueryClient()
  const [limit, setLimit] = useState(300)
  // Older events are fetched with a larger limit; the ones shown stay until they come.
  const query = useApi(keys.audit(reviewId, limit), () => api.audit(reviewId, limit), { placeholderData: keepPreviousData })
  const events = query.data ?? null
  const error = query.failure
  useEffect(() => {
    // Shortly after each change made on the page.
    if (changes === 0) return
    const timer = setTimeout(() => void queryClient.invalidateQueries({ queryKey: keys.auditAll(reviewId) }), 300)
    return () => clearTimeout(timer)
  }, [queryClient, reviewId, changes])
  const groups = events ? groupAudit(events) : []
  // What each run of typing changed, word by word.
  const texts = useApi(keys.auditTexts(reviewId), () => api.boardTexts(reviewId)).data ?? []
  // Board edits name the item, as the board has it now ("episode E7 “GP appointment”").
  const boardQuery = useApi(keys.liveBoard(reviewId), () => api.liveBoard(reviewId))
  const nameOf = useMemo(() => namesOn(boardQuery.data), [boardQuery.data])
  const now = Date.now()
  // Role changes and removals name people by id; show their names.
  const person = (id: string) => members.find((m) => m.user_id === id)?.name
  return (
    <Section
      id="audit"
      title="Audit trail"
      intro="Everything done in this review, newest first: who was invited and joined, role changes, access, the timeline and every edit to the board. It cannot be changed."
    >
      <div className="toolbar">
        <button
          className="button secondary"
          type="button"
          onClick={() => {
            void query.refetch()
            void boardQuery.refetch()
          }}
        >
          Refresh
        </button>
      </div>
      {error && <ErrorSummary problems={[{ message: error }]} />}
      {events === null ? (
        <p className="muted">Loading the audit trail…</p>
      ) : groups.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <>
          <table className="table audit" data-testid="audit">
            <caption className="visually-hidden">Audit trail, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g, i) => {
                const who = person(g.latest.entity)
                const about = (g.latest.action === 'role_changed' || g.latest.action === 'member_removed') && who ? ` (${who})` : ''
                return (
                  <tr key={i}>
                    <td className="nowrap">{spanText(g.fromMs, g.toMs, now)}</td>
                    <td>{actorText(g.latest.actor)}</td>
                    <td>
                      {g.latest.action === 'document_participants_changed'
                        ? participantsChangeText(g.latest, members, documents)
                        : auditText(g.latest, documents, nameOf)}
                      {about}
                      {g.count > 1 && <span className="muted"> ({g.count} edits)</span>}
                      {g.latest.action === 'edit' &&
                        runsOf(
                          g,
                          texts.filter((run) => run.entity === g.latest.entity),
                        )
                          .filter((run) => run.before !== run.after)
                          .map((run) => (
                            <span className="history-words" key={run.seq} data-testid="audit-words">
                              <Words segments={excerpt(run.words)} />
                            </span>
                          ))}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          {events.length >= limit && limit < 5000 && (
            <button
              className="button secondary"
              type="button"
              onClick={() => {
                setLimit(Math.min(5000, limit * 4))
              }}
            >
              Show older events
            </button>
          )}
        </>
      )}
    </Section>
  )
}

/** How the audit trail names the items of `board` (undefined for one it no longer has). */
function namesOn(board: PlainBoard | undefined): NameOf {
  const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text)
  return (kind, id) => {
    if (!board) return undefined
    if (kind === 'episode') {
      const e = board.episodes.find((x) => x.id === id)
      return e && `episode ${e.ref ? `${e.ref} ` : ''}“${clip(e.title || 'untitled')}”`
    }
    if (kind === 'factor') {
      const f = board.factors.find((x) => x.id === id)
      return f && `factor “${clip(f.title || 'untitled')}”`
    }
    if (kind === 'finding') {
      const f = board.findings.find((x) => x.id === id)
      return f && `finding ${f.ref ? `${f.ref} ` : ''}“${clip(f.statement || 'no statement yet')}”`
    }
    return undefined
  }
}
