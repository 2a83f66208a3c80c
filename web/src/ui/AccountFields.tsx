// The fields of a new account (the first administrator, or someone accepting an
// invitation), and their checks.

import { TextInput, type Problem } from './Form'

export interface AccountValues {
  [key: string]: string
  name: string
  email: string
  agency: string
  job_title: string
  password: string
  confirm: string
}

export const MIN_PASSWORD = 10

/** What is wrong with the values, field by field (ids `account-<field>`). */
export function accountProblems(v: AccountValues): Problem[] {
  const problems: Problem[] = []
  if (!v.name.trim()) problems.push({ field: 'account-name', message: 'Enter your full name' })
  if (!/^[^\s@]+@[^\s@]+$/.test(v.email.trim())) {
    problems.push({ field: 'account-email', message: 'Enter an email address, like name@example.org' })
  }
  problems.push(...passwordProblems(v.password, v.confirm, 'account-password', 'account-confirm'))
  return problems
}

export function passwordProblems(password: string, confirm: string, field: string, confirmField: string): Problem[] {
  if (password.length < MIN_PASSWORD) {
    return [{ field, message: `Choose a password of at least ${MIN_PASSWORD} characters` }]
  }
  if (password !== confirm) return [{ field: confirmField, message: 'The two passwords are not the same' }]
  return []
}

export function AccountFields({
  values,
  set,
  problems,
}: {
  values: AccountValues
  set: (key: keyof AccountValues) => (value: string) => void
  problems: Problem[]
}) {
  return (
    <>
      <TextInput id="account-name" label="Full name" autoComplete="name" value={values.name} onChange={set('name')} problems={problems} />
      <TextInput
        id="account-email"
        label="Email address"
        hint="You sign in with it"
        type="email"
        autoComplete="email"
        spellCheck={false}
        value={values.email}
        onChange={set('email')}
        problems={problems}
      />
      <TextInput
        id="account-agency"
        label="Agency"
        hint="Shown beside your name on the board, for example Health visiting, Police, Children’s social care"
        autoComplete="organization"
        value={values.agency}
        onChange={set('agency')}
      />
      <TextInput
        id="account-job-title"
        label="Job title"
        autoComplete="organization-title"
        value={values.job_title}
        onChange={set('job_title')}
      />
      <TextInput
        id="account-password"
        label="Password"
        hint={`At least ${MIN_PASSWORD} characters, and not a common password. A few unrelated words make a strong password that is easy to remember.`}
        type="password"
        autoComplete="new-password"
        value={values.password}
        onChange={set('password')}
        problems={problems}
      />
      <TextInput
        id="account-confirm"
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        value={values.confirm}
        onChange={set('confirm')}
        problems={problems}
      />
    </>
  )
}
