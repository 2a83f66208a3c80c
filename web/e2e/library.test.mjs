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

  // The library's screen: the lead of any review reads it from the header's link.
  await page.getByRole('link', { name: 'Library', exact: true }).click()
  await page.getByRole('heading', { name: 'Findings library', level: 1 }).waitFor()
  await page.getByTestId('library-coverage').getByText('not how often anything happens').waitFor()
  await page.getByLabel('Search the findings and recommendations').fill('referral')
  await page.getByRole('button', { name: 'Search', exact: true }).click()
  const card = page.getByTestId('library-finding')
  await card.getByText('Referrals are judged one at a time, without their history.').waitFor()
  await card.getByText('Police').waitFor()
  // A lead reads the library; exporting its findings is for analysts. The codebook is for everyone who reads it.
  await page.getByRole('link', { name: 'The codebook (CSV)' }).waitFor()
  assert.equal(await page.getByRole('link', { name: 'CSV', exact: true }).count(), 0)
  // One review: every count is "fewer than 5", never its number.
  const category = page.getByLabel('Typology category')
  assert.ok((await category.locator('option').allTextContents()).includes('Patterns in human–tool operation (fewer than 5 reviews)'))
  const matrix = page.getByTestId('library-matrix')
  await page.getByLabel('Columns').selectOption('effect')
  const cell = matrix.getByRole('button', { name: 'Tools and Makes problematic practice more likely: fewer than 5 reviews. Show the findings' })
  await cell.waitFor()
  assert.equal(await cell.textContent(), '<5', 'a small cell never shows its number')
  await page.getByTestId('library-trend').waitFor()
  // The cell opens its findings: choices that narrow to so few reviews list nothing to a
  // reader, but this lead is in the review.
  await cell.click()
  await waitFor(async () => (await category.inputValue()) === 'human_tool_operation', 'the cell chose its category')
  assert.equal(await page.getByLabel('Effect on practice').inputValue(), 'hinders')
  await card.first().waitFor()
  assert.deepEqual(await accessibilityProblems(page), [], 'the library')
  await page.screenshot({ path: path.join(SCREENSHOTS, 'library-one-review.png'), fullPage: true })
  await matrix.screenshot({ path: path.join(SCREENSHOTS, 'library-one-review-matrix.png') })
  await page.getByTestId('library-trend').screenshot({ path: path.join(SCREENSHOTS, 'library-one-review-trend.png') })
  assert.deepEqual(lead.errors, [])
})
