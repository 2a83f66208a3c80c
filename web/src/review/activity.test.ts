import { describe, expect, it } from 'vitest'

import type { AuditAction, Author, AuditEvent } from '../api/client'
import { activityLine, addressIn } from './activity'

const sam: Author = { kind: 'user', id: 'u1', name: 'Sam Jones', agency: 'Health visiting' }

const event = (action: AuditAction, detail = '', actor: Author = sam): AuditEvent => ({
  at_ms: 0,
  actor,
  review_id: '',
  document: '',
  seq: null,
  action,
  entity: actor.id,
  entity_kind: '',
  field: '',
  detail,
})

const text = (e: AuditEvent) => activityLine(e).text

describe('account activity in words', () => {
  it('finds the address a sign-in came from', () => {
    expect(addressIn('from 127.0.0.1')).toBe('127.0.0.1')
    expect(addressIn('from 10.1.2.3; account locked')).toBe('10.1.2.3')
    expect(addressIn('unknown account, from ::1')).toBe('::1')
    expect(addressIn('from 2001:db8::7')).toBe('2001:db8::7')
    expect(addressIn('from the command line')).toBe('')
    expect(addressIn('')).toBe('')
  })

  it('names an unknown email by its masked form only', () => {
    const system = (name: string): Author => ({ kind: 'system', id: '', name, agency: '' })
    expect(text(event('login_failed', 'unknown account, from ::1', system('k***@example.org')))).toBe(
      'Failed sign-in for k***@example.org from ::1: no account has this email address',
    )
    expect(text(event('login_failed', 'unknown account, from ::1', system('(not an email address)')))).toBe(
      'Failed sign-in from ::1: what was typed as the email was not an email address',
    )
  })

  it('counts wrong current passwords as failures', () => {
    expect(activityLine(event('password_change_failed', 'from 10.1.2.3; account locked'))).toEqual({
      kind: 'failure',
      label: 'Password change failed',
      text: 'Sam Jones gave a wrong current password when changing it from 10.1.2.3; the account is now locked for a while',
    })
    expect(activityLine(event('password_change_refused_locked', 'from ::1')).kind).toBe('failure')
  })

  it('says who signed in and out, and from where', () => {
    expect(activityLine(event('login', 'from 127.0.0.1'))).toEqual({
      kind: 'sign-in',
      label: 'Signed in',
      text: 'Sam Jones signed in from 127.0.0.1',
    })
    expect(text(event('login'))).toBe('Sam Jones signed in')
    expect(text(event('logout'))).toBe('Sam Jones signed out')
    expect(text(event('password_changed'))).toBe('Sam Jones changed their password')
  })

  it('tells failed sign-ins apart', () => {
    const stranger: Author = { kind: 'system', id: '', name: 'x@y.org', agency: '' }
    expect(activityLine(event('login_failed', 'unknown account, from 127.0.0.1', stranger))).toEqual({
      kind: 'failure',
      label: 'Failed sign-in',
      text: 'Failed sign-in for x@y.org from 127.0.0.1: no account has this email address',
    })
    expect(text(event('login_failed', 'from 127.0.0.1'))).toBe('Failed sign-in for Sam Jones from 127.0.0.1: wrong password')
    expect(text(event('login_failed', 'from 127.0.0.1; account locked'))).toBe(
      'Failed sign-in for Sam Jones from 127.0.0.1: wrong password; the account is now locked for a while',
    )
    expect(activityLine(event('login_refused_locked', 'from 127.0.0.1'))).toEqual({
      kind: 'failure',
      label: 'Sign-in refused',
      text: 'Sign-in refused for Sam Jones from 127.0.0.1: the account is locked after too many wrong passwords',
    })
  })

  it('says how accounts were made', () => {
    const cli: Author = { kind: 'system', id: '', name: 'command line', agency: '' }
    expect(text(event('administrator_created', 'from the command line', cli))).toBe(
      'An administrator account was created from the command line',
    )
    expect(text(event('account_created', 'from the command line', cli))).toBe('An account was created from the command line')
    expect(text(event('administrator_created', ''))).toBe('Administrator account created for Sam Jones with the one-time setup link')
    expect(text(event('account_created', 'from an invitation'))).toBe('Account created for Sam Jones (from an invitation)')
  })

  it('still says something about events it does not know', () => {
    expect(activityLine(event('session_revoked' as AuditAction, 'by an administrator'))).toEqual({
      kind: 'account',
      label: 'Session revoked',
      text: 'Sam Jones: session revoked (by an administrator)',
    })
  })
})
