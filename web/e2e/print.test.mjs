// The whole board on one page in real Chromium: every column of the table, the
// findings and the map, no app controls when printed (Chromium's own PDF), and large
// type for a projector.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'

import { SCREENSHOTS, accessibilityProblems, launchBrowser, openBoard, screenshot, startServer, waitFor } from './harness.mjs'

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

test('the whole board prints and projects on one page', async () => {
  const review = await server.createReview({ title: 'Child L', people: ['sam'] })
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  const long = 'The health visitor called twice and left cards; nobody answered, and the visit was recorded as not needed. '.repeat(4)
  await sam.page.evaluate((long) => {
    const { doc, schema } = window.__board
    const e1 = schema.addEpisode(doc, { title: 'Home visits', dateStart: '2025-07-02', whatHappened: long, seenAtTheTime: 'A busy week.', appraisal: 'Reasonable.', quality: 'mixed', openQuestions: 'Who else knew?' })
    const f1 = schema.addFactor(doc, { title: 'Caseload pressure', level: 'local_strategic' })
    schema.addLink(doc, f1, e1, 'contributed_to')
    schema.place(doc, f1, 0, 0)
    schema.place(doc, e1, 300, 120)
    const g1 = schema.addFinding(doc, { statement: 'Visits are not followed up.', category: 'human_tool_operation', matters: 'Children are unseen.' })
    schema.addLink(doc, e1, g1, 'evidence_for')
    schema.addRecommendation(doc, g1, { text: 'Follow up every missed visit.' })
  }, long)
  await waitFor(async () => (await sam.page.evaluate(() => window.__board.toPlain().episodes[0].ref)) === 'E1', 'references given')

  await sam.page.getByTestId('board-print-link').click()
  const table = sam.page.getByTestId('print-table')
  await table.getByText('A busy week.').waitFor()
  for (const text of ['Reasonable.', 'Who else knew?', 'Caseload pressure', '2 Jul 2025', 'E1']) await table.getByText(text, { exact: false }).first().waitFor()
  // Wrapped, never cut: the long text is there whole.
  assert.equal((await table.locator('td').nth(1).textContent()).trim(), long.trim())
  await sam.page.getByRole('heading', { name: 'F1: Visits are not followed up.' }).waitFor()
  await sam.page.getByText('Follow up every missed visit.').waitFor()
  await sam.page.getByTestId('map-picture').waitFor()
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'the whole board')

  // Printed: no app controls; Chromium makes a PDF of it.
  await sam.page.emulateMedia({ media: 'print' })
  assert.equal(await sam.page.locator('.print-controls').isVisible(), false)
  const pdf = await sam.page.pdf({ format: 'A4', landscape: true })
  fs.writeFileSync(path.join(SCREENSHOTS, 'whole-board.pdf'), pdf)
  assert.ok(pdf.length > 10_000, 'a PDF with the board in it')
  await sam.page.emulateMedia({ media: 'screen' })

  // Projected: large type, at 1920×1080.
  await sam.page.setViewportSize({ width: 1920, height: 1080 })
  await sam.page.getByTestId('large-type').check()
  const size = await table.evaluate((t) => parseFloat(getComputedStyle(t).fontSize))
  assert.ok(size >= 20, `large type (${size}px)`)
  await screenshot(sam.page, 'whole-board-projector')
  assert.deepEqual(sam.errors, [])
})
