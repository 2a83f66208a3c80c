// Help in real Chromium: reachable from every screen's header and from field hints,
// the glossary and the typology in the words the board and the report use, and open
// to someone not signed in (whose sign-in page makes no failing request).

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { accessibilityProblems, launchBrowser, openBoard, screenshot, signIn, startServer } from './harness.mjs'

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

test('help is one click away everywhere, and its words are the board’s', async () => {
  const review = await server.createReview({ title: 'Child J', people: ['sam'] })
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  await sam.page.evaluate(() => window.__board.schema.addEpisode(window.__board.doc, { title: 'Home visit' }))
  await sam.page.getByTestId('episode-row').first().click()
  // The field hint links to its glossary entry (in a new tab, so no work is left).
  const link = sam.page.locator('[data-field="seenAtTheTime"] .help-link')
  assert.equal(await link.getAttribute('href'), '/help#local-rationality')
  assert.equal(await link.getAttribute('target'), '_blank')

  await sam.page.getByTestId('account').getByRole('link', { name: 'Help' }).click()
  await sam.page.getByRole('heading', { name: 'Help', level: 1 }).waitFor()
  await sam.page.locator('#local-rationality').waitFor()
  const typology = sam.page.locator('#typology ~ dl dt')
  assert.equal(await typology.count(), 6)
  await sam.page.getByText('6. Patterns in human judgement and reasoning').waitFor()
  await sam.page.getByText('Shown in short as “Human judgement and reasoning”.').waitFor()
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'the help page')
  await screenshot(sam.page, 'help')

  // Signed out: the sign-in page makes no failing request, and help still opens.
  const nobody = await signIn(browser, server, null)
  const failed = []
  nobody.page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`)
  })
  await nobody.page.goto(server.base)
  await nobody.page.getByRole('button', { name: 'Sign in' }).waitFor()
  assert.deepEqual(failed, [], 'no failing request signed out')
  await nobody.page.goto(`${server.base}/help#dates`)
  await nobody.page.getByRole('heading', { name: 'Help', level: 1 }).waitFor()
  for (const person of [sam, nobody]) assert.deepEqual(person.errors, [])
})
