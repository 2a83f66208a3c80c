// The server's REST API (/api, described by /api/openapi.json): typed calls and the
// shapes they return. Every call is same-origin, carries the session cookie and sends
// JSON; a refusal becomes an ApiError whose message is written for people.

import type { PlainBoard } from '../board/plain'

export type Role = 'lead_reviewer' | 'review_team_member' | 'case_group_member' | 'board_member' | 'observer'

export interface User {
  id: string
  email: string
  name: string
  agency: string
  job_title: string
  is_admin: boolean
}

export interface Me {
  user: User | null
  token_review: string | null
  token_role: Role | null
}

export interface Review {
  id: string
  title: string
  case_ref: string
  kind: string
  variant: string
  period_start: string
  period_end: string
  questions: string
  terms_of_reference: string
  phase: string
  created_at: number
}

export type ReviewFields = Omit<Review, 'id' | 'created_at'>

export interface ReviewSummary {
  review: Review
  role: Role
}

export interface DocumentView {
  name: string
  title: string
  document: string
  restricted: boolean
  access: 'read' | 'edit'
  /** For restricted notes, seen by a lead reviewer: the user ids who may open them besides the leads. Otherwise null. */
  participants: string[] | null
}

export interface ReviewDetail {
  review: Review
  role: Role
  documents: DocumentView[]
}

export interface Member {
  user_id: string
  name: string
  email: string
  agency: string
  job_title: string
  role: Role
}

export interface Invitation {
  id: string
  review_id: string
  role: Role
  name: string
  email: string
  agency: string
  job_title: string
  created_at: number
  expires_at: number
  accepted_at: number | null
  withdrawn_at: number | null
}

export interface InvitationCreated {
  invitation: Invitation
  secret: string
  path: string
}

export interface InvitationPreview {
  review_title: string
  case_ref: string
  role: Role
  name: string
  email: string
  agency: string
  job_title: string
  expires_at: number
}

export interface Accepted {
  review_id: string
  role: Role
  user: User
}

export interface AccessToken {
  id: string
  review_id: string
  role: Role
  label: string
  created_at: number
  expires_at: number
  revoked_at: number | null
}

export interface TokenCreated {
  token: AccessToken
  secret: string
}

export interface Meeting {
  id: string
  review_id: string
  position: number
  kind: string
  title: string
  scheduled_at: string
  mode: string
  attendees: string[]
  closed: boolean
}

export interface RestrictedDocument {
  name: string
  title: string
  participants: string[]
}

export interface Actor {
  kind: string
  id: string
  name: string
  agency: string
}

export interface AuditEvent {
  at_ms: number
  actor: Actor
  review_id: string
  document: string
  seq: number | null
  action: string
  entity: string
  entity_kind: string
  field: string
  detail: string
}

/** A recorded board: immutable, taken by a lead reviewer (docs/snapshots.md). */
export interface SnapshotInfo {
  id: string
  review_id: string
  document: string
  label: string
  meeting_id: string | null
  /** When it was taken (ms since the epoch). */
  taken_at: number
  taken_by_kind: string
  taken_by_id: string
  taken_by_name: string
  /** The board's log position it holds everything up to. */
  seq: number
  /** SHA-256 of the stored state, hex. */
  content_hash: string
}

/** One run of words in a text's change: kept, removed or added. */
export interface WordChange {
  op: 'same' | 'removed' | 'added'
  text: string
}

export interface FieldChange {
  /** The board schema's field name (`appraisal`, `status`, `order` for a move, ...). */
  field: string
  before: string
  after: string
  /** For texts only. */
  words?: WordChange[]
}

export interface EntitySummary {
  id: string
  /** Its title (a finding's statement, a recommendation's text, a link's ends as ids). */
  label: string
  /** The finding a recommendation belongs to. */
  parent?: string
}

export interface ChangedEntity extends EntitySummary {
  fields: FieldChange[]
}

export interface EntityChanges {
  added: EntitySummary[]
  removed: EntitySummary[]
  changed: ChangedEntity[]
}

export interface Reclassified {
  id: string
  label: string
  before: string
  after: string
  before_label: string
  after_label: string
}

/** What changed from one board to another (server/src/board/compare.rs). */
export interface Comparison {
  episodes: EntityChanges
  factors: EntityChanges
  findings: EntityChanges
  recommendations: EntityChanges
  links: EntityChanges
  reclassified: Reclassified[]
  /** Ids of entities whose place on the factor map changed. */
  moved_on_map: string[]
  added: number
  removed: number
  changed: number
}

export interface Restored {
  snapshot: string
  changes: Comparison
}

/** What the check found that looks like a personal name or identifying detail nobody registered. */
export type PossibleKind = 'name' | 'address' | 'date_of_birth' | 'postcode' | 'phone' | 'nhs_number'

export interface PossibleDetail {
  /** The text as it appears in the export. */
  text: string
  kind: PossibleKind
  count: number
  places: string[]
}

export interface RemainingTerm {
  term: string
  kind: 'register' | 'flagged'
  count: number
  places: string[]
}

/** The pre-publication check of a snapshot's report: it reads exactly the texts the export contains. */
export interface PublicationCheck {
  /** Nothing registered or flagged remains, and nothing else looks like a name or identifying detail to review. */
  ok: boolean
  /** What was checked and what was found, in one sentence. */
  summary: string
  /** How many texts the export has; the check read every one. */
  texts_checked: number
  replaced: { term: string; pseudonym: string; count: number }[]
  remaining: RemainingTerm[]
  possible: PossibleDetail[]
}

/** The answer (409) to an export whose check is not clean and that no lead confirmed. */
export interface ExportRefused {
  error: 'check_not_clean'
  message: string
  remaining: RemainingTerm[]
  possible: PossibleDetail[]
}

/** A term a lead marked safe to publish: the check no longer lists it. */
export interface SafeTerm {
  id: string
  review_id: string
  term: string
  created_at: number
}

/** A real name or identifying detail, and what exports say instead ('' for a flagged term). */
export interface RegisterEntry {
  id: string
  review_id: string
  term: string
  pseudonym: string
  note: string
  created_at: number
}

export type ExportFormat = 'docx' | 'html' | 'md' | 'json'

/** A refused or failed request. `message` is for people; `code` for the program. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before trying again (429). */
    readonly retryAfter: number | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/**
 * "Wrong email or password." stays as it is; an older server's "wrong email or
 * password" becomes the same sentence.
 */
export function sentence(message: string): string {
  const text = message.trim()
  if (!text) return ''
  const first = text[0].toUpperCase() + text.slice(1)
  return /[.!?]$/.test(first) ? first : `${first}.`
}

/** What to tell people when a request failed. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return sentence(error.message)
  return 'The board could not be reached. Check your connection and try again.'
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

async function send(method: Method, path: string, body: unknown, accept: string): Promise<Response> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: accept } : { Accept: accept, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network', 'The board could not be reached. Check your connection and try again.')
  }
  if (!response.ok) throw await refusal(response)
  return response
}

/** The ApiError for a refused request, with the server's message. */
async function refusal(response: Response): Promise<ApiError> {
  let parsed: unknown
  try {
    const text = await response.text()
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    // Not JSON: the generic message below.
  }
  const error = (parsed ?? {}) as { error?: string; message?: string }
  const retry = Number(response.headers.get('Retry-After'))
  return new ApiError(
    response.status,
    error.error ?? 'http_error',
    error.message ?? `The request failed (${response.status}).`,
    Number.isFinite(retry) && retry > 0 ? retry : null,
  )
}

/** A binary answer (a snapshot's Yjs state). */
export async function requestBytes(path: string): Promise<Uint8Array> {
  const response = await send('GET', path, undefined, 'application/octet-stream')
  return new Uint8Array(await response.arrayBuffer())
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body, 'application/json')
  if (response.status === 204) return undefined as T
  const text = await response.text()
  try {
    return (text ? JSON.parse(text) : undefined) as T
  } catch {
    throw new ApiError(response.status, 'bad_answer', 'The board sent an answer this page cannot read. Reload the page and try again.')
  }
}

const enc = encodeURIComponent
const reviewPath = (id: string) => `/api/reviews/${enc(id)}`

export const api = {
  setupStatus: () => request<{ needed: boolean }>('GET', '/api/setup'),
  setup: (body: { code: string; email: string; name: string; agency: string; job_title: string; password: string }) =>
    request<User>('POST', '/api/setup', body),
  signIn: (email: string, password: string) => request<User>('POST', '/api/session', { email, password }),
  signOut: () => request<void>('DELETE', '/api/session'),
  /** The signed-in person, or null when nobody is signed in. */
  me: async (): Promise<User | null> => {
    try {
      return (await request<Me>('GET', '/api/me')).user
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null
      throw e
    }
  },
  changePassword: (current_password: string, new_password: string) =>
    request<void>('PUT', '/api/me/password', { current_password, new_password }),

  reviews: () => request<ReviewSummary[]>('GET', '/api/reviews'),
  createReview: (body: { title: string; case_ref: string; kind: string; variant: string }) =>
    request<Review>('POST', '/api/reviews', body),
  review: (id: string) => request<ReviewDetail>('GET', reviewPath(id)),
  updateReview: (id: string, fields: Partial<ReviewFields>) => request<Review>('PATCH', reviewPath(id), fields),

  members: (id: string) => request<Member[]>('GET', `${reviewPath(id)}/members`),
  setRole: (id: string, user: string, role: Role) => request<Member>('PUT', `${reviewPath(id)}/members/${enc(user)}`, { role }),
  removeMember: (id: string, user: string) => request<void>('DELETE', `${reviewPath(id)}/members/${enc(user)}`),

  invitations: (id: string) => request<Invitation[]>('GET', `${reviewPath(id)}/invitations`),
  invite: (
    id: string,
    body: { role: Role; name: string; email: string; agency: string; job_title: string; expires_in_hours: number },
  ) => request<InvitationCreated>('POST', `${reviewPath(id)}/invitations`, body),
  withdrawInvitation: (id: string, invitation: string) =>
    request<void>('DELETE', `${reviewPath(id)}/invitations/${enc(invitation)}`),
  // The secret travels in the body, never the path, so no access log keeps it.
  invitation: (secret: string) => request<InvitationPreview>('POST', '/api/invitations/preview', { secret }),
  acceptInvitation: (
    secret: string,
    body: { name: string; email: string; agency: string; job_title: string; password: string } | Record<string, never>,
  ) => request<Accepted>('POST', '/api/invitations/accept', { ...body, secret }),

  tokens: (id: string) => request<AccessToken[]>('GET', `${reviewPath(id)}/tokens`),
  mintToken: (id: string, body: { role: Role; label: string; expires_in_days: number }) =>
    request<TokenCreated>('POST', `${reviewPath(id)}/tokens`, body),
  revokeToken: (id: string, token: string) => request<void>('DELETE', `${reviewPath(id)}/tokens/${enc(token)}`),

  meetings: (id: string) => request<Meeting[]>('GET', `${reviewPath(id)}/meetings`),
  addMeeting: (id: string, body: Partial<Omit<Meeting, 'id' | 'review_id' | 'closed' | 'position'>>) =>
    request<Meeting>('POST', `${reviewPath(id)}/meetings`, body),
  updateMeeting: (id: string, meeting: string, body: Partial<Omit<Meeting, 'id' | 'review_id'>>) =>
    request<Meeting>('PATCH', `${reviewPath(id)}/meetings/${enc(meeting)}`, body),
  deleteMeeting: (id: string, meeting: string) => request<void>('DELETE', `${reviewPath(id)}/meetings/${enc(meeting)}`),

  documents: (id: string) => request<DocumentView[]>('GET', `${reviewPath(id)}/documents`),
  createDocument: (id: string, body: { slug: string; title: string; participants: string[] }) =>
    request<RestrictedDocument>('POST', `${reviewPath(id)}/documents`, body),
  /** Changes the title of restricted notes and who (besides the leads) may open them. */
  updateNotes: (id: string, slug: string, body: { title: string; participants: string[] }) =>
    request<RestrictedDocument>('PUT', `${reviewPath(id)}/notes/${enc(slug)}`, body),

  history: (id: string, entity: string) =>
    request<AuditEvent[]>('GET', `${reviewPath(id)}/history?entity=${enc(entity)}`),
  audit: (id: string, limit: number) => request<AuditEvent[]>('GET', `${reviewPath(id)}/audit?limit=${limit}`),
  snapshots: (id: string) => request<SnapshotInfo[]>('GET', `${reviewPath(id)}/snapshots`),
  takeSnapshot: (id: string, body: { label: string; meeting_id?: string | null }) =>
    request<SnapshotInfo>('POST', `${reviewPath(id)}/snapshots`, body),
  /** A snapshot and its board read as plain data (the shape of board/plain.ts). */
  snapshot: (id: string, snapshot: string) =>
    request<{ snapshot: SnapshotInfo; board: PlainBoard }>('GET', `${reviewPath(id)}/snapshots/${enc(snapshot)}`),
  /** A snapshot as one Yjs update: applied to a new Y.Doc, it is the snapshot's board. */
  snapshotState: (id: string, snapshot: string) => requestBytes(`${reviewPath(id)}/snapshots/${enc(snapshot)}/state`),
  /** What changed from `from` to `to` (snapshot ids, or 'live'). */
  compare: (id: string, from: string, to: string) =>
    request<Comparison>('GET', `${reviewPath(id)}/compare?from=${enc(from)}&to=${enc(to)}`),
  restoreSnapshot: (id: string, snapshot: string) =>
    request<Restored>('POST', `${reviewPath(id)}/snapshots/${enc(snapshot)}/restore`),
  publicationCheck: (id: string, snapshot: string) =>
    request<PublicationCheck>('GET', `${reviewPath(id)}/snapshots/${enc(snapshot)}/check`),
  /**
   * The address of a snapshot's report (a download, or for HTML a printable page).
   * `confirmUnreviewed`: a lead's explicit confirmation to export although the check is
   * not clean (recorded in the audit trail); without it such an export is refused.
   */
  exportHref: (id: string, snapshot: string, format: ExportFormat, confirmUnreviewed = false) =>
    `${reviewPath(id)}/snapshots/${enc(snapshot)}/export?format=${format}${confirmUnreviewed ? '&confirm=unreviewed' : ''}`,
  register: (id: string) => request<RegisterEntry[]>('GET', `${reviewPath(id)}/register`),
  addRegisterEntry: (id: string, body: { term: string; pseudonym: string; note: string }) =>
    request<RegisterEntry>('POST', `${reviewPath(id)}/register`, body),
  removeRegisterEntry: (id: string, entry: string) => request<void>('DELETE', `${reviewPath(id)}/register/${enc(entry)}`),
  safeTerms: (id: string) => request<SafeTerm[]>('GET', `${reviewPath(id)}/safe-terms`),
  addSafeTerm: (id: string, term: string) => request<SafeTerm>('POST', `${reviewPath(id)}/safe-terms`, { term }),
  removeSafeTerm: (id: string, term: string) => request<void>('DELETE', `${reviewPath(id)}/safe-terms/${enc(term)}`),

  /** Administrators: sign-ins, sign-outs and account changes, newest first. */
  accountActivity: (limit: number) => request<AuditEvent[]>('GET', `/api/audit?limit=${limit}`),
}
