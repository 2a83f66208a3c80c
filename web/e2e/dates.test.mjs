// Dates in real Chromium: an episode's "when" typed as people in England write it,
// checked as it is typed (nothing saved that is not a date), stored as ISO with its
// precision, shown as "2 Jul 2025" and sorted in time order.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'

import { SCREENSHOTS, accessibilityProblems, launchBrowser, openBoard, startServer, waitFor } from './harness.mjs'

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

const episodes = (page) => page.evaluate(() => window.__board.toPlain().episodes)

test('dates are typed as people write them, checked as typed, shown as 2 Jul 2025 and sorted', async () => {
  const review = await server.createReview({ title: 'Child F', people: ['sam'] })
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    schema.addEpisode(doc, { title: 'Discharge planning' })
    schema.addEpisode(doc, { title: 'Referral' })
    schema.addEpisode(doc, { title: 'Home visits' })
  })
  const rows = sam.page.getByTestId('episode-row')
  await rows.nth(2).waitFor()

  // Not a date: a clear message, and nothing saved.
  await rows.nth(0).click()
  const when = sam.page.getByTestId('episode-when')
  await when.fill('31/02/2025')
  await sam.page.getByTestId('when-error').getByText('February 2025 has 28 days').waitFor()
  await when.press('Enter')
  assert.equal((await episodes(sam.page))[0].dateStart, '', 'nothing saved')
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'a date being corrected')
  await sam.page.locator('.panel [data-field="when"]').screenshot({ path: path.join(SCREENSHOTS, 'when-error.png') })
  await when.fill('02/07/2025')
  await sam.page.getByTestId('when-reading').getByText('Reads as 2 Jul 2025 (exact date)').waitFor()
  await when.press('Enter')
  await waitFor(async () => (await episodes(sam.page))[0].dateStart === '2025-07-02', 'the date is saved as ISO')
  await rows.nth(0).getByText('2 Jul 2025').waitFor()

  // A month, approximately; and a period.
  await rows.nth(1).click()
  await when.fill('about March 2024')
  await when.press('Enter')
  await rows.nth(1).getByText('About Mar 2024').waitFor()
  await rows.nth(2).click()
  await when.fill('2–9 Jul 2025')
  await when.press('Enter')
  await rows.nth(2).getByText('2 Jul 2025 – 9 Jul 2025').waitFor()
  const [first, second, third] = await episodes(sam.page)
  assert.deepEqual([first.dateKind, first.dateStart], ['exact', '2025-07-02'])
  assert.deepEqual([second.dateKind, second.dateStart], ['approximate', '2024-03'])
  assert.deepEqual([third.dateKind, third.dateStart, third.dateEnd], ['period', '2025-07-02', '2025-07-09'])

  // In date order: March 2024 first, then the two from 2 July 2025 (the period, then
  // the exact date, in board order).
  await sam.page.getByRole('button', { name: /^Close/ }).click()
  await sam.page.getByLabel('Order').selectOption('date')
  await rows.first().getByText('Referral').waitFor()
  const order = await rows.evaluateAll((list) => list.map((row) => row.textContent ?? ''))
  assert.match(order[1], /Discharge planning/)
  assert.match(order[2], /Home visits/)
  assert.deepEqual(sam.errors, [])
})
