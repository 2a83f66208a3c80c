import { describe, expect, it } from 'vitest'

import type { AccessToken, Invitation } from '../api/client'
import { invitationStatus, minutes, slugOf, tokenStatus } from './status'

const NOW = new Date(2025, 2, 14, 12, 0).getTime()
const DAY = 86_400_000

const invitation = (patch: Partial<Invitation>): Invitation => ({
  id: 'i1',
  review_id: 'r1',
  role: 'observer',
  name: 'Olu Obi',
  email: 'olu@example.org',
  agency: '',
  job_title: '',
  created_at: NOW - DAY,
  expires_at: NOW + 7 * DAY,
  accepted_at: null,
  withdrawn_at: null,
  ...patch,
})

const token = (patch: Partial<AccessToken>): AccessToken => ({
  id: 't1',
  review_id: 'r1',
  role: 'observer',
  label: 'Minutes export',
  created_at: NOW - DAY,
  expires_at: NOW + 30 * DAY,
  revoked_at: null,
  ...patch,
})

describe('invitations and tokens in words', () => {
  it('say whether an invitation can still be used', () => {
    expect(invitationStatus(invitation({}), NOW)).toEqual({ text: 'Open until 21 March 2025, 12:00', open: true, state: 'open' })
    expect(invitationStatus(invitation({ accepted_at: NOW - 3600_000 }), NOW)).toEqual({
      text: 'Accepted on 14 March 2025',
      open: false,
      state: 'accepted',
    })
    expect(invitationStatus(invitation({ expires_at: NOW - DAY }), NOW)).toEqual({
      text: 'Expired on 13 March 2025',
      open: false,
      state: 'expired',
    })
  })

  it('tell a withdrawn invitation from an expired one', () => {
    // Withdrawn before it would have expired, and after: withdrawn either way.
    expect(invitationStatus(invitation({ withdrawn_at: NOW - DAY }), NOW)).toEqual({
      text: 'Withdrawn on 13 March 2025',
      open: false,
      state: 'withdrawn',
    })
    expect(invitationStatus(invitation({ withdrawn_at: NOW - 2 * DAY, expires_at: NOW - DAY }), NOW).state).toBe('withdrawn')
    // Accepted wins over anything else.
    expect(invitationStatus(invitation({ accepted_at: NOW - DAY, withdrawn_at: NOW }), NOW).state).toBe('accepted')
  })

  it('say whether a token still works', () => {
    expect(tokenStatus(token({}), NOW)).toEqual({ text: 'Works until 13 April 2025', active: true })
    expect(tokenStatus(token({ revoked_at: NOW - DAY }), NOW).text).toBe('Revoked on 13 March 2025')
    expect(tokenStatus(token({ expires_at: NOW - DAY }), NOW)).toEqual({ text: 'Expired on 13 March 2025', active: false })
  })
})

describe('names and waits', () => {
  it('makes a document name from a title', () => {
    expect(slugOf('Conversation with the health visitor')).toBe('conversation-with-the-health-visitor')
    expect(slugOf('  Naïve café: notes (2)! ')).toBe('naive-cafe-notes-2')
    expect(slugOf('???')).toBe('')
    expect(slugOf('x'.repeat(100))).toHaveLength(80)
  })

  it('says how long to wait', () => {
    expect(minutes(30)).toBe('30 seconds')
    expect(minutes(60)).toBe('1 minute')
    expect(minutes(75)).toBe('2 minutes')
  })
})
