// Account activity for administrators, in real Chromium against the real server:
// sign-ins and failed sign-ins in words; nobody else can open the page.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { PASSWORD, PEOPLE, accessibilityProblems, launchBrowser, screenshot, signIn, startServer } from './harness.mjs'

let server
let browser

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

const noProblems = async (page, where) => assert.deepEqual(await accessibilityProblems(page), [], where)

async function trySignIn(page, email, password) {
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

test('an administrator sees who signed in and who failed to; nobody else can', async () => {
  await server.createReview({ people: ['kim'] })

  // Before anyone has failed to sign in, the filtered list says so.
  const admin = await signIn(browser, server, 'admin', { bypassCSP: true })
  await admin.page.goto(`${server.base}/`)
  await admin.page.getByTestId('account').getByRole('link', { name: 'Account activity' }).click()
  await admin.page.getByRole('heading', { name: 'Account activity', level: 1 }).waitFor()
  await admin.page.getByTestId('activity').getByText('Alex Admin signed in from 127.0.0.1').waitFor()
  await admin.page.getByLabel(/Only failed and refused sign-ins/).check()
  await admin.page.getByTestId('no-activity').getByRole('heading', { name: 'No failed sign-ins' }).waitFor()
  await noProblems(admin.page, 'account activity, no failures')

  // Kim gets her password wrong, tries an address with no account, then signs in.
  const kim = await signIn(browser, server, null, { bypassCSP: true })
  await kim.page.goto(`${server.base}/`)
  await trySignIn(kim.page, PEOPLE.kim.email, 'not my password at all')
  await kim.page.getByTestId('error-summary').waitFor()
  await trySignIn(kim.page, 'kim@example.org', PASSWORD)
  await kim.page.getByTestId('error-summary').waitFor()
  await trySignIn(kim.page, PEOPLE.kim.email, PASSWORD)
  await kim.page.getByRole('heading', { name: 'Your reviews' }).waitFor()

  // Kim is not an administrator: no link, and the page (and the API) refuse her.
  assert.equal(await kim.page.getByRole('link', { name: 'Account activity' }).count(), 0)
  await kim.page.goto(`${server.base}/admin/activity`)
  await kim.page.getByRole('heading', { name: 'Only administrators can see account activity' }).waitFor()
  assert.equal(await kim.page.getByTestId('activity').count(), 0)
  await noProblems(kim.page, 'account activity, not an administrator')
  const cookie = (await kim.context.cookies()).find((c) => c.name === 'board_session')
  const refused = await fetch(`${server.base}/api/audit?limit=10`, { headers: { Cookie: `board_session=${cookie.value}` } })
  assert.equal(refused.status, 403)

  // The administrator sees all three, in words, newest first.
  await admin.page.getByRole('button', { name: 'Refresh' }).click()
  const rows = admin.page.getByTestId('activity-row')
  await rows.filter({ hasText: 'Failed sign-in for Kim Lee from 127.0.0.1: wrong password' }).waitFor()
  await rows.filter({ hasText: 'Failed sign-in for k***@example.org from 127.0.0.1: no account has this email address' }).waitFor()
  assert.equal(await rows.filter({ hasText: 'signed in from' }).count(), 0, 'only failures while filtered')
  await admin.page.getByLabel(/Only failed and refused sign-ins/).uncheck()
  await rows.filter({ hasText: 'Kim Lee signed in from 127.0.0.1' }).waitFor()
  const texts = await rows.locator('td:last-child').allInnerTexts()
  const at = (text) => texts.findIndex((t) => t.startsWith(text))
  assert.ok(at('Kim Lee signed in') < at('Failed sign-in for k***@example.org'), texts.join('\n'))
  assert.ok(at('Failed sign-in for k***@example.org') < at('Failed sign-in for Kim Lee'), texts.join('\n'))
  await rows.filter({ hasText: 'Kim Lee signed in' }).getByText('Signed in', { exact: true }).waitFor()
  await rows.filter({ hasText: 'wrong password' }).getByText('Failed sign-in', { exact: true }).waitFor()
  await screenshot(admin.page, 'account-activity')
  await noProblems(admin.page, 'account activity')
  assert.deepEqual([...admin.errors, ...kim.errors], [])
  await Promise.all([admin.context.close(), kim.context.close()])
})
