// The findings library in real Chromium: a finding coded at source on the Findings
// screen (two categories, its effect, the agencies), agreed, snapshotted and published
// by the lead, is found in the library with those codes.

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

test('a finding coded on the board reaches the library with its codes', async () => {
  const review = await server.createReview({ title: 'Child L', caseRef: 'Child L', people: ['sam'] })
  const lead = await openBoard(browser, server, review, 'admin', { bypassCSP: true })
  const { page } = lead
  await page.getByRole('link', { name: 'Findings' }).click()
  await page.getByRole('button', { name: 'Add the first finding' }).click()
  await page.getByTestId('finding-statement').fill('Referrals are judged one at a time, without their history.')
  await page.getByLabel('Typology category').selectOption({ label: 'Tools' })
  // The category's definition is shown while coding.
  await page.getByText('How assessment forms, frameworks and the case-management cycle shape the work.').waitFor()
  const second = page.getByLabel('Second category (optional)')
  assert.ok(!(await second.locator('option').allTextContents()).includes('Tools'), 'the first category is not offered again')
  await second.selectOption({ label: 'Management systems' })
  await page.getByLabel('Makes problematic practice more likely').check()
  await page.getByTestId('agency-add').fill('Police')
  await page.getByTestId('agency-add').press('Enter')
  await page.locator('.agency-picker').getByLabel('Police').waitFor()
  assert.equal(await page.locator('.agency-picker').getByLabel('Police').isChecked(), true)
  assert.deepEqual(await accessibilityProblems(page), [], 'the finding panel with its codes')
  await page.locator('aside.panel').screenshot({ path: path.join(SCREENSHOTS, 'finding-coding.png') })
  await page.getByLabel('Status', { exact: true }).selectOption('agreed')

  // The server holds the codes; the lead snapshots and publishes.
  await waitFor(async () => {
    const { json: board } = await server.api('admin', 'GET', `/api/reviews/${review.id}/board`)
    const f = board.findings[0]
    return f?.status === 'agreed' && f.secondaryCategory === 'human_management_system_operation' && f.effect === 'hinders' && f.agencies.join() === 'Police'
  }, 'the coded finding is stored')
  const { json: snapshot } = await server.api('admin', 'POST', `/api/reviews/${review.id}/snapshots`, { label: 'After the analysis' })
  await server.api('admin', 'POST', `/api/reviews/${review.id}/library`, { snapshot: snapshot.id })
  const { json: found } = await server.api('admin', 'GET', '/api/library/findings?q=referral%20history')
  assert.equal(found.findings.length, 1)
  const [f] = found.findings
  assert.equal(f.statement, 'Referrals are judged one at a time, without their history.')
  assert.equal(f.category, 'human_tool_operation')
  assert.equal(f.secondaryCategory, 'human_management_system_operation')
  assert.equal(f.effect, 'hinders')
  assert.deepEqual(f.agencies, ['Police'])
  assert.deepEqual(lead.errors, [])
})
