// Choices made at the same time in real Chromium: Kim sets an episode's status while
// offline, Sam sets it differently online; when Kim reconnects both are told which
// value the board kept, and whoever's value was dropped can use theirs after all.

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

const status = (page) => page.evaluate(() => window.__board.toPlain().episodes[0].status)

test('a status set offline and another set online at the same time are shown to both on reconnect', async () => {
  const review = await server.createReview({ title: 'Child E', people: ['sam', 'kim'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const kim = await openBoard(browser, server, review, 'kim', { bypassCSP: true })
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('Strategy meeting')
  await converged(sam.page, kim.page)
  await kim.page.getByTestId('episode-row').first().click()

  await kim.page.evaluate(() => window.__board.disconnect())
  await kim.page.getByTestId('connection').getByText('Offline').waitFor()
  await kim.page.locator('#episode-status').selectOption({ label: 'Agreed by review team' })
  await sam.page.locator('#episode-status').selectOption({ label: 'Checked with case group' })
  await waitFor(async () => (await status(sam.page)) === 'checked', 'Sam’s choice is on the board')
  await kim.page.evaluate(() => window.__board.connect())
  await converged(sam.page, kim.page)
  const kept = await status(sam.page)
  const words = { agreed: 'Agreed by review team', checked: 'Checked with case group' }
  const dropped = kept === 'agreed' ? 'checked' : 'agreed'

  // Both are told, naming the episode, the field and the value kept.
  for (const person of [sam, kim]) {
    const notice = person.page.getByTestId('choice-conflict')
    await notice.getByText('Episode E1 “Strategy meeting”, Status:').waitFor()
    await notice.getByText(`the board kept “${words[kept]}”`, { exact: false }).waitFor()
  }
  assert.deepEqual(await accessibilityProblems(kim.page), [], 'the board with a conflict shown')
  await kim.page.getByTestId('choice-conflicts').screenshot({ path: path.join(SCREENSHOTS, 'choice-conflict.png') })

  // Whoever's value was dropped (always told which) uses it after all.
  const loser = kept === 'agreed' ? sam : kim
  await loser.page.getByTestId('choice-conflict').getByText(`“${words[dropped]}” was set at the same time and not kept`, { exact: false }).waitFor()
  await loser.page.getByRole('button', { name: `Use “${words[dropped]}”` }).click()
  await waitFor(async () => (await status(sam.page)) === dropped && (await status(kim.page)) === dropped, 'both have the value chosen')
  assert.equal(await loser.page.getByTestId('choice-conflict').count(), 0, 'the notice goes once answered')
  for (const person of [sam, kim]) assert.deepEqual(person.errors, [])
})
