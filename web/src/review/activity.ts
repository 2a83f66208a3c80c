// Account activity in words, for administrators: the audit events that belong to no
// review (sign-ins, failed sign-ins, sign-outs, passwords, accounts). The server records
// them in server/src/api/session.rs and server/src/cli.rs:
//
//   login                 the person; detail "from 127.0.0.1"
//   login_failed          the person and "from …[; account locked]", or, for an email
//                         no account has, a system actor named by the masked email
//                         ("k***@example.org", or "(not an email address)") and
//                         "unknown account, from …"
//   login_refused_locked  the person; "from …"
//   logout, password_changed  the person
//   password_change_failed  the person; "from …[; account locked]"
//   password_change_refused_locked  the person; "from …"
//   administrator_created, account_created  the new person (the setup link), or the
//                         command line ("from the command line")

import type { AuditEvent } from '../api/client'

/** How an event reads in the list: a failure stands out. */
export type ActivityKind = 'sign-in' | 'failure' | 'sign-out' | 'account'

export interface ActivityLine {
  kind: ActivityKind
  /** A short label: "Signed in", "Failed sign-in". */
  label: string
  /** The whole event as a sentence. */
  text: string
}

/** The address in a detail such as "from 127.0.0.1; account locked" or "unknown account, from ::1". */
export function addressIn(detail: string): string {
  const m = /\bfrom ((?=[0-9a-f.:]*[0-9:])[0-9a-f.:]+)(?=$|[;,\s])/i.exec(detail)
  return m ? m[1] : ''
}

const from = (detail: string) => {
  const address = addressIn(detail)
  return address ? ` from ${address}` : ''
}

/** Who did it, by name ("Sam Jones"); someone unnamed, or the command line. */
function who(event: AuditEvent): string {
  const name = event.actor.name.trim()
  if (event.actor.kind === 'token') return `${name || 'An access token'} (access token)`
  return name || 'Someone'
}

const words = (code: string) => code.replace(/_/g, ' ')

export function activityLine(event: AuditEvent): ActivityLine {
  const { action, actor } = event
  const detail = event.detail.trim()
  const person = who(event)
  const system = actor.kind === 'system'
  switch (action) {
    case 'login':
      return { kind: 'sign-in', label: 'Signed in', text: `${person} signed in${from(detail)}` }
    case 'login_failed': {
      if (system || /unknown account/i.test(detail)) {
        // The server keeps only a masked form of what was typed ("k***@example.org"),
        // or nothing when it was not an email address (perhaps a password).
        if (/^\(not an email address\)$/.test(actor.name.trim())) {
          return {
            kind: 'failure',
            label: 'Failed sign-in',
            text: `Failed sign-in${from(detail)}: what was typed as the email was not an email address`,
          }
        }
        return {
          kind: 'failure',
          label: 'Failed sign-in',
          text: `Failed sign-in for ${person}${from(detail)}: no account has this email address`,
        }
      }
      const locked = /locked/i.test(detail) ? '; the account is now locked for a while' : ''
      return { kind: 'failure', label: 'Failed sign-in', text: `Failed sign-in for ${person}${from(detail)}: wrong password${locked}` }
    }
    case 'login_refused_locked':
      return {
        kind: 'failure',
        label: 'Sign-in refused',
        text: `Sign-in refused for ${person}${from(detail)}: the account is locked after too many wrong passwords`,
      }
    case 'password_change_failed': {
      const locked = /locked/i.test(detail) ? '; the account is now locked for a while' : ''
      return {
        kind: 'failure',
        label: 'Password change failed',
        text: `${person} gave a wrong current password when changing it${from(detail)}${locked}`,
      }
    }
    case 'password_change_refused_locked':
      return {
        kind: 'failure',
        label: 'Password change refused',
        text: `Password change refused for ${person}${from(detail)}: the account is locked after too many wrong passwords`,
      }
    case 'logout':
      return { kind: 'sign-out', label: 'Signed out', text: `${person} signed out` }
    case 'password_changed':
      return { kind: 'account', label: 'Password changed', text: `${person} changed their password` }
    case 'administrator_created':
    case 'account_created': {
      const what = action === 'administrator_created' ? 'administrator account' : 'account'
      const label = action === 'administrator_created' ? 'Administrator created' : 'Account created'
      if (system) {
        const how = /command line/i.test(detail) || /command line/i.test(actor.name) ? ' from the command line' : ''
        return { kind: 'account', label, text: `An ${what} was created${how}` }
      }
      const how = detail ? ` (${detail})` : action === 'administrator_created' ? ' with the one-time setup link' : ''
      return { kind: 'account', label, text: `${capitalised(what)} created for ${person}${how}` }
    }
    default:
      return { kind: 'account', label: capitalised(words(action)), text: `${person}: ${words(action)}${detail ? ` (${detail})` : ''}` }
  }
}

const capitalised = (text: string) => (text ? text[0].toUpperCase() + text.slice(1) : text)
