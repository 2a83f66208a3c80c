// Learning across reviews in real Chromium, on the demo partnership (`board demo`):
// the lead of the review still in analysis codes a draft finding, the "seen before"
// panel puts the earlier reviews' findings worded alike first, and the lead records one
// as a recurrence, which the report gives; the partnership's analyst reads the library
// (its heatmap and trend drawn beside their tables), gathers findings from five reviews
// into a theme with a memo, and downloads the theme's summary.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'

import { SCREENSHOTS, accessibilityProblems, launchBrowser, signIn, startServer, waitFor } from './harness.mjs'

let server
let browser

before(async () => {
  server = await startServer({ demo: true })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

const PLANTED = [
  'Assessments focused on the mother and did not find out about the men',
  'Assessments concentrated on mothers and left the men in the household unknown',
  'Work with the family centred on the mother, and the men living in the household',
]

test('a draft finding is coded, its recurrence recorded, and the analyst takes a theme to the annual report', async () => {
  // The lead of the review in progress (Child H, 2026) opens its first draft finding.
  await server.signInDemo('martin', 'martin.aldridge@eastmere.example')
  const { json: reviews } = await server.api('martin', 'GET', '/api/reviews')
  const review = reviews.find((r) => (r.review?.title ?? r.title) === 'Child H')
  assert.ok(review, 'the review in progress is listed to its lead')
  const reviewId = review.review?.id ?? review.id
  const lead = await signIn(browser, server, 'martin', { bypassCSP: true })
  const { page } = lead
  await page.goto(`${server.base}/r/${reviewId}/board?view=findings`)
  await page.getByTestId('connection').getByText('Connected').waitFor()
  await page.getByTestId('finding-card').first().getByRole('button').click()
  const panel = page.locator('aside.panel')
  await panel.getByTestId('finding-statement').waitFor()

  // Coding at source: the effect on practice and an agency involved.
  await panel.getByLabel('Makes problematic practice more likely').check()
  await panel.getByTestId('agency-add').fill('Police')
  await panel.getByTestId('agency-add').press('Enter')
  await panel.locator('.agency-picker').getByLabel('Police').waitFor()

  // Seen before: the earlier reviews' findings worded alike come first.
  const suggestions = panel.getByTestId('seen-before-suggestion')
  await suggestions.first().waitFor({ timeout: 20_000 })
  const first = (await suggestions.first().textContent()) ?? ''
  assert.ok(PLANTED.some((p) => first.includes(p)), `a near-duplicate first: ${first}`)
  assert.ok(!first.includes('Child H'), 'never the review itself')
  await panel.locator('.seen-before').scrollIntoViewIfNeeded()
  await panel.locator('.seen-before').screenshot({ path: path.join(SCREENSHOTS, 'seen-before.png') })
  await suggestions.first().getByRole('button', { name: /^Recurrence/ }).click()
  const recorded = panel.getByTestId('seen-before-links')
  await recorded.locator('.tag', { hasText: 'Recurrence' }).waitFor()
  await suggestions.first().getByText('Recorded as recurrence.').waitFor()
  assert.deepEqual(await accessibilityProblems(page), [], 'the finding panel with its findings seen before')

  // The link is on the board and in the report, after how widespread the pattern is.
  await waitFor(async () => {
    const { json: board } = await server.api('martin', 'GET', `/api/reviews/${reviewId}/board`)
    return board.findings[0]?.seenBefore?.[0]?.relation === 'recurrence'
  }, 'the recurrence is stored')
  const { json: snapshot } = await server.api('martin', 'POST', `/api/reviews/${reviewId}/snapshots`, { label: 'After analysis meeting 2' })
  const report = await fetch(`${server.base}/api/reviews/${reviewId}/snapshots/${snapshot.id}/export?format=md&drafts=true&confirm=unreviewed`, {
    headers: { Cookie: `board_session=${server.sessionOf('martin')}` },
  })
  assert.equal(report.status, 200)
  const markdown = await report.text()
  assert.match(markdown, /Seen before in other reviews/)
  assert.match(markdown, /Recurrence of EM\/\S+ \\\(20\d\d\\\), finding F\d/)
  assert.deepEqual(lead.errors, [])

  // The partnership's analyst reads the library: counts by review, the heatmap and the
  // trend of a category beside their tables.
  await server.signInDemo('louise', 'louise.carter@eastmere.example')
  const analyst = await signIn(browser, server, 'louise', { bypassCSP: true })
  const a = analyst.page
  await a.goto(`${server.base}/library`)
  await a.getByRole('heading', { name: 'Findings library', level: 1 }).waitFor()
  await a.getByText('The library holds findings from 12 reviews.').waitFor()
  const heatmap = a.getByTestId('library-heatmap')
  await heatmap.locator('svg').waitFor()
  await a.getByLabel('Columns').selectOption('effect')
  await a.getByTestId('library-matrix').getByRole('button', { name: /^Family–professional interaction and Makes problematic practice more likely: 9 reviews/ }).waitFor()
  await heatmap.screenshot({ path: path.join(SCREENSHOTS, 'library-heatmap.png') })
  // A cell of the figure opens its findings, as the table's button does.
  await heatmap.locator('svg rect:has(title)').filter({ hasText: 'Family–professional interaction and Makes problematic practice more likely' }).click()
  await waitFor(async () => (await a.getByLabel('Typology category').inputValue()) === 'family_professional_interaction', 'the cell chose its category')
  assert.equal(await a.getByLabel('Effect on practice').inputValue(), 'hinders')
  // Over time: a category's share of each period's reviews (years taken together until
  // they hold five reviews): 6 of 7 in 2021–2023, 5 of 5 in 2024–2025, by hand.
  await a.getByLabel('Effect on practice').selectOption('')
  const table = a.getByTestId('library-trend')
  await table.getByRole('button', { name: '2021–2023: 6 reviews of 7 reviews. Show the findings' }).waitFor()
  await table.getByRole('button', { name: '2024–2025: 5 reviews of 5 reviews. Show the findings' }).waitFor()
  await table.getByRole('cell', { name: '86%' }).waitFor()
  const trend = a.getByTestId('library-trend-chart')
  await trend.locator('svg rect').first().waitFor()
  await trend.screenshot({ path: path.join(SCREENSHOTS, 'library-trend.png') })
  // A bar of several years opens that period's findings.
  await trend.locator('svg rect:has(title)').filter({ hasText: '2021–2023' }).click()
  await waitFor(async () => (await a.getByLabel('Year', { exact: true }).locator('option:checked').textContent()) === '2021–2023', 'the bar chose its period')
  await a.getByTestId('library-matched').getByText('from 6 reviews').waitFor()
  await a.getByLabel('Year', { exact: true }).selectOption('')
  await a.getByTestId('library-finding').first().waitFor()
  assert.deepEqual(await accessibilityProblems(a), [], 'the library with its figures')
  await a.screenshot({ path: path.join(SCREENSHOTS, 'library.png'), fullPage: true })

  // A theme: made with a memo, then findings from five reviews added from a search.
  await a.getByRole('link', { name: 'Themes', exact: true }).first().click()
  await a.getByRole('heading', { name: 'Themes', level: 1 }).waitFor()
  await a.getByText('No themes yet').waitFor()
  await a.getByLabel('Name').fill('The men in the household, unseen')
  await a.getByLabel('Memo').fill('Five reviews over five years found assessments that centred on the mother and left the men unknown.')
  await a.getByRole('button', { name: 'Make the theme' }).click()
  await a.getByTestId('theme-name').getByText('The men in the household, unseen').waitFor()
  const themeUrl = a.url()
  await a.getByText('No findings yet. Add them from the library’s search.').waitFor()

  await a.goto(`${server.base}/library?category=family_professional_interaction&effect=hinders`)
  const cards = a.getByTestId('library-finding')
  await cards.first().waitFor()
  const added = new Set()
  for (let i = 0; i < (await cards.count()) && added.size < 5; i += 1) {
    const card = cards.nth(i)
    const source = ((await card.locator('.library-finding-source').textContent()) ?? '').split(' · ')[0]
    if (added.has(source)) continue
    await card.locator('select').selectOption({ label: 'The men in the household, unseen' })
    await card.getByRole('button', { name: /^Add to theme/ }).click()
    await card.getByText('Added to The men in the household, unseen.').waitFor()
    added.add(source)
  }
  assert.equal(added.size, 5, 'findings from five reviews')

  await a.goto(themeUrl)
  await a.getByTestId('theme-matched').getByText('5 findings from 5 reviews.').waitFor()
  assert.deepEqual(await accessibilityProblems(a), [], 'the theme')
  await a.screenshot({ path: path.join(SCREENSHOTS, 'library-theme.png'), fullPage: true })
  // The summary for the board's annual report, as Markdown and Word.
  const download = a.waitForEvent('download')
  await a.getByTestId('theme-summary-md').click()
  const file = await (await download).path()
  const summary = await (await import('node:fs/promises')).readFile(file, 'utf8')
  assert.match(summary, /The men in the household, unseen/)
  assert.match(summary, /centred on the mother and left the men unknown/)
  for (const source of added) assert.ok(summary.includes(source), `${source} is in the summary`)
  const word = a.waitForEvent('download')
  await a.getByTestId('theme-summary-docx').click()
  const docx = await (await import('node:fs/promises')).readFile(await (await word).path())
  assert.equal(docx.subarray(0, 2).toString(), 'PK', 'a Word document')
  assert.deepEqual(analyst.errors, [])
})
