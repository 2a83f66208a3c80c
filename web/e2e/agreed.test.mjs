// Agreed work in real Chromium against the real server: the case group sees an agreed
// episode read only and suggests a new wording; the review team sees the suggestion
// beside the episode and accepts it, and both boards have the new wording. A review
// team edit of an episode checked with the case group marks it for re-checking, and a
// case group change made through the document itself is undone by the server.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'

import { SCREENSHOTS, accessibilityProblems, converged, launchBrowser, openBoard, signIn, startServer, waitFor } from './harness.mjs'

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

const plain = (page) => page.evaluate(() => window.__board.toPlain())

test('the case group suggests changes to agreed work; the review team accepts them', async () => {
  const review = await server.createReview({ title: 'Child D', people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana', { bypassCSP: true })
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    schema.addEpisode(doc, { title: 'GP appointment', appraisal: 'Reasonable at the time.', status: 'agreed' })
    schema.addEpisode(doc, { title: 'Strategy meeting', appraisal: 'Police were not invited.', status: 'checked' })
  })
  await converged(sam.page, ana.page)

  // Ana (case group) opens the agreed episode: read only, with a way to suggest.
  await ana.page.getByTestId('episode-row').first().click()
  await ana.page.getByTestId('agreed-lock').waitFor()
  assert.equal(await ana.page.getByTestId('episode-appraisal').isEditable(), false, 'the appraisal is read only')
  assert.equal(await ana.page.getByRole('button', { name: 'Delete episode' }).count(), 0)
  await ana.page.getByLabel('Field').selectOption({ label: 'Reviewers’ appraisal of practice' })
  await ana.page.getByTestId('suggest-text').fill('Reasonable at the time: the GP had no record of the earlier bruising.')
  await ana.page.getByRole('button', { name: 'Send suggestion' }).click()
  await ana.page.getByText('Suggestion sent.').waitFor()
  assert.deepEqual(await accessibilityProblems(ana.page), [], 'an agreed episode for the case group')
  await ana.page.locator('.panel').screenshot({ path: path.join(SCREENSHOTS, 'agreed-case-group-suggests.png') })

  // Sam (review team) sees it beside the episode and accepts it.
  await sam.page.getByTestId('episode-row').first().click()
  const suggestion = sam.page.getByTestId('suggestion')
  await suggestion.getByText('Ana Patel').waitFor()
  await suggestion.getByText('the GP had no record of the earlier bruising').waitFor()
  await sam.page.locator('.panel').screenshot({ path: path.join(SCREENSHOTS, 'agreed-review-team-sees-suggestion.png') })
  await suggestion.getByRole('button', { name: /^Accept/ }).click()
  await waitFor(async () => {
    const [a, s] = [await plain(ana.page), await plain(sam.page)]
    const wanted = 'Reasonable at the time: the GP had no record of the earlier bruising.'
    return a.episodes[0].appraisal === wanted && s.episodes[0].appraisal === wanted
  }, 'both boards have the accepted wording')
  await sam.page.getByTestId('suggestions').waitFor({ state: 'detached' })

  // A change Ana's client makes to agreed work anyway is undone by the server.
  await ana.page.evaluate(() => {
    const { doc, schema } = window.__board
    const [[, e1]] = schema.ordered(schema.board(doc).episodes)
    e1.set('status', 'candidate')
  })
  await waitFor(async () => (await plain(ana.page)).episodes[0].status === 'agreed', 'the server puts the status back')

  // Sam edits the checked episode: it now needs re-checking with the case group.
  await sam.page.getByRole('button', { name: /^Close/ }).click()
  await sam.page.getByTestId('episode-row').nth(1).click()
  await sam.page.getByTestId('episode-appraisal').fill('Police were not invited; nobody noticed.')
  await waitFor(async () => (await plain(ana.page)).episodes[1].status === 'recheck', 'the episode needs re-checking')
  await sam.page.getByTestId('episode-row').nth(1).getByText('Needs re-checking with case group').waitFor()

  // The lead's audit trail names the lock and the episode as the board has it.
  const lead = await signIn(browser, server, 'admin')
  await lead.page.goto(`${server.base}/r/${review.id}#audit`)
  const audit = lead.page.getByTestId('audit')
  const undone = audit.locator('tr').filter({ hasText: 'Lock on agreed work' })
  await undone.getByText('changed the status of episode E1 “GP appointment”').first().waitFor()
  // Sam's rewording shows word by word in the trail.
  const reworded = audit.locator('tr').filter({ hasText: 'Sam Jones' }).filter({ hasText: 'changed the appraisal of episode E2' }).first()
  await reworded.getByTestId('audit-words').locator('ins').getByText('nobody noticed.', { exact: false }).waitFor()
  for (const person of [sam, ana, lead]) assert.deepEqual(person.errors, [])
})
