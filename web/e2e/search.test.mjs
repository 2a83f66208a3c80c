// Search and filters in real Chromium: a word found in any episode, factor, finding or
// recommendation, shown in context; choosing a result opens the item on its screen;
// the table filters by practice, factor and finding too.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { accessibilityProblems, launchBrowser, openBoard, screenshot, startServer, waitFor } from './harness.mjs'

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

test('search finds words anywhere on the board and opens them; the table filters by practice, factor and finding', async () => {
  const review = await server.createReview({ title: 'Child K', people: ['sam'] })
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    const e1 = schema.addEpisode(doc, { title: 'School referral', whatHappened: 'The teacher saw bruising on the arm.', quality: 'good' })
    schema.addEpisode(doc, { title: 'Home visit', whatHappened: 'Nobody answered.', quality: 'problematic' })
    const f1 = schema.addFactor(doc, { title: 'Front-door workload', description: 'Bruising referrals wait a week.' })
    schema.addLink(doc, f1, e1, 'contributed_to')
    const g1 = schema.addFinding(doc, { statement: 'Referrals are judged one at a time.' })
    schema.addLink(doc, e1, g1, 'evidence_for')
    schema.addRecommendation(doc, g1, { text: 'Fund triage time at the front door.' })
  })
  await waitFor(async () => (await sam.page.evaluate(() => window.__board.toPlain().episodes[0].ref)) === 'E1', 'references given')

  const search = sam.page.getByTestId('board-search')
  await search.fill('BRUIS')
  const results = sam.page.getByTestId('search-results')
  await results.getByRole('button', { name: /Episode E1: School referral/ }).waitFor()
  await results.getByRole('button', { name: /Factor: Front-door workload/ }).waitFor()
  assert.equal(await results.locator('mark').first().textContent(), 'bruis')
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'search results')
  await screenshot(sam.page, 'search')

  // The episode opens in the table's panel, at the field that matched.
  await results.getByRole('button', { name: /Episode E1: School referral/ }).click()
  await sam.page.getByRole('heading', { name: 'Episode E1: School referral' }).waitFor()
  assert.equal(await sam.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'episode-what-happened')

  // A recommendation's words open its finding; a factor's open it on the map.
  await search.fill('triage')
  await results.getByRole('button', { name: /Finding F1/ }).click()
  await sam.page.getByRole('heading', { name: 'Finding F1' }).waitFor()
  await search.fill('week')
  await results.getByRole('button', { name: /Factor: Front-door workload/ }).click()
  await sam.page.getByTestId('factor-map').waitFor()
  await sam.page.locator('.panel').getByText('Front-door workload', { exact: false }).first().waitFor()
  await search.fill('nothing like this')
  await results.getByText('Nothing on the board matches').waitFor()
  await search.press('Escape')

  // Filters: practice, factor, finding.
  await sam.page.getByRole('link', { name: 'Practice-analysis table' }).click()
  const count = sam.page.locator('.filter-count')
  const filters = sam.page.locator('.filters')
  await filters.getByLabel('Practice').selectOption({ label: 'Problematic' })
  await count.getByText('Showing 1 of 2 episodes').waitFor()
  await filters.getByLabel('Practice').selectOption({ label: 'All practice' })
  await filters.getByLabel('Factor').selectOption({ label: 'Front-door workload' })
  await count.getByText('Showing 1 of 2 episodes').waitFor()
  await sam.page.getByTestId('episode-row').getByText('School referral').waitFor()
  await filters.getByLabel('Factor').selectOption({ label: 'All factors' })
  await filters.getByLabel('Finding').selectOption({ label: 'F1: Referrals are judged one at a time.' })
  await count.getByText('Showing 1 of 2 episodes').waitFor()
  assert.deepEqual(sam.errors, [])
})
