// How the state of invitations, access tokens and sign-in limits reads, and names
// made from titles.

import type { AccessToken, Invitation } from '../api/client'
import { clock, longDate } from './words'

export type InvitationState = 'open' | 'accepted' | 'withdrawn' | 'expired'

/** "Open until 21 March 2025, 14:00", "Accepted on …", "Withdrawn on …", "Expired on …". */
export function invitationStatus(
  invitation: Invitation,
  now: number = Date.now(),
): { text: string; open: boolean; state: InvitationState } {
  if (invitation.accepted_at) return { text: `Accepted on ${longDate(invitation.accepted_at)}`, open: false, state: 'accepted' }
  if (invitation.withdrawn_at) return { text: `Withdrawn on ${longDate(invitation.withdrawn_at)}`, open: false, state: 'withdrawn' }
  if (invitation.expires_at <= now) return { text: `Expired on ${longDate(invitation.expires_at)}`, open: false, state: 'expired' }
  return { text: `Open until ${longDate(invitation.expires_at)}, ${clock(invitation.expires_at)}`, open: true, state: 'open' }
}

/** "Works until ...", "Expired on ...", "Revoked on ...". */
export function tokenStatus(token: AccessToken, now: number = Date.now()): { text: string; active: boolean } {
  if (token.revoked_at) return { text: `Revoked on ${longDate(token.revoked_at)}`, active: false }
  if (token.expires_at <= now) return { text: `Expired on ${longDate(token.expires_at)}`, active: false }
  return { text: `Works until ${longDate(token.expires_at)}`, active: true }
}

/** "Conversation with the health visitor" → "conversation-with-the-health-visitor". */
export function slugOf(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
}

/** 75 → "2 minutes"; 30 → "30 seconds". */
export function minutes(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`
  const m = Math.ceil(seconds / 60)
  return m === 1 ? '1 minute' : `${m} minutes`
}
