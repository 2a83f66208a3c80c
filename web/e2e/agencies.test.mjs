// Agencies in real Chromium: an episode's agencies are picked from the review's list; a
// new one is added from the standard kinds of agency or by name, matched whatever its
// case and spacing, so the table's agency filter never splits one agency in two.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'

import { SCREENSHOTS, accessibilityProblems, converged, launchBrowser, openBoard, startServer, waitFor } from './harness.mjs'

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

const agenciesOf = (page) => page.evaluate(() => window.__board.toPlain().episodes.map((e) => e.agencies))

test('agencies are picked from the review’s list and never split by spelling', async () => {
  const review = await server.createReview({ title: 'Child H', people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  const ana = await openBoard(browser, server, review, 'ana')
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    schema.addEpisode(doc, { title: 'Home visit' })
    schema.addEpisode(doc, { title: 'Clinic' })
  })
  const rows = sam.page.getByTestId('episode-row')
  await rows.nth(1).waitFor()

  await rows.nth(0).click()
  await sam.page.getByTestId('agency-add').fill('health  visiting')
  await sam.page.getByRole('button', { name: 'Add', exact: true }).click()
  await sam.page.getByTestId('agency-add').fill('Police')
  await sam.page.getByTestId('agency-add').press('Enter')
  const picker = sam.page.locator('.agency-picker')
  assert.equal(await picker.getByLabel('Health visiting').isChecked(), true, 'the standard name, ticked')
  assert.equal(await picker.getByLabel('Police').isChecked(), true)
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'the agency picker')
  await picker.screenshot({ path: path.join(SCREENSHOTS, 'agency-picker.png') })

  // On the second episode, the same agency typed differently is the same agency.
  await sam.page.getByRole('button', { name: /^Close/ }).click()
  await rows.nth(1).click()
  await sam.page.getByTestId('agency-add').fill('HEALTH VISITING')
  await sam.page.getByTestId('agency-add').press('Enter')
  await waitFor(async () => JSON.stringify(await agenciesOf(ana.page)) === JSON.stringify([['Health visiting', 'Police'], ['Health visiting']]), 'Ana has both episodes’ agencies')
  assert.equal(await picker.locator('input[type=checkbox]').count(), 2, 'the review has two agencies, not three')

  // The filter lists each agency once and finds both episodes.
  await sam.page.getByRole('button', { name: /^Close/ }).click()
  const filter = sam.page.getByLabel('Agency')
  assert.deepEqual(await filter.locator('option').allTextContents(), ['All agencies', 'Health visiting', 'Police'])
  await filter.selectOption('Health visiting')
  await sam.page.getByText('Showing 2 of 2 episodes').waitFor()
  await converged(sam.page, ana.page)
  for (const person of [sam, ana]) assert.deepEqual(person.errors, [])
})
