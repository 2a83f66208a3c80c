// Agencies' chronologies in real Chromium against the real server: the lead imports a
// workbook written by LibreOffice and a CSV with a byte-order mark (the columns chosen
// from the first rows, every row checked before anything is kept, a bad row listed),
// the merged chronology shows both agencies in time order with a timeline, two entries
// become a key practice episode that keeps them, the case group member sees only their
// own agency's entries, and the agreed episode reaches the report, downloaded as PDF
// and its pages kept as images.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { SCREENSHOTS, accessibilityProblems, openBoard, startServer, waitFor } from './harness.mjs'

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/chronology')

let server
let browser

before(async () => {
  server = await startServer()
  const { launchBrowser } = await import('./harness.mjs')
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

const shoot = (locator, name) => locator.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })

async function importFile(page, agency, file, { expectBad = 0 } = {}) {
  await page.getByTestId('import-open').click()
  const dialog = page.getByRole('dialog', { name: 'Import an agency’s chronology' })
  await dialog.getByTestId('import-agency').fill(agency)
  await dialog.getByTestId('import-file').setInputFiles(path.join(FIXTURES, file))
  await dialog.getByTestId('import-read').click()
  await dialog.getByTestId('import-mapping').waitFor()
  await dialog.getByTestId('import-check').click()
  const result = dialog.getByTestId('import-result')
  await result.waitFor()
  if (expectBad > 0) await dialog.getByTestId('bad-rows').waitFor()
  return { dialog, result }
}

test('a lead imports two agencies’ files; their entries merge and become an episode', async () => {
  const review = await server.createReview({ title: 'Child D', people: ['sam', 'ana'] })
  const lead = await openBoard(browser, server, review, 'admin', { view: 'chronology', bypassCSP: true })
  const page = lead.page
  await page.getByTestId('chronology-empty').waitFor()

  // A workbook from LibreOffice: the columns are guessed from its first row.
  const first = await importFile(page, 'Police', 'police-libreoffice.xlsx')
  assert.equal(await first.dialog.getByTestId('map-date').inputValue(), '0')
  assert.equal(await first.dialog.getByTestId('map-event').inputValue(), '3')
  assert.match(await first.result.innerText(), /4 entries from Police; every row can be read/)
  await shoot(first.dialog, 'chronology-import')
  assert.deepEqual(await accessibilityProblems(page), [], 'the import dialog')
  await first.dialog.getByTestId('import-confirm').click()
  await page.getByTestId('chronology-message').getByText('Imported 4 entries from Police').waitFor()

  // A CSV with a byte-order mark, with one row that is not a date added by hand.
  const second = await importFile(page, 'Health visiting', 'health-visiting-bom-crlf.csv')
  assert.match(await second.result.innerText(), /3 entries from Health visiting/)
  await second.dialog.getByTestId('import-confirm').click()
  await page.getByTestId('chronology-message').getByText('Imported 3 entries from Health visiting').waitFor()

  const rows = page.getByTestId('chronology-entry')
  await waitFor(async () => (await rows.count()) === 7, 'seven entries listed')
  const agencies = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[2].textContent))
  assert.deepEqual(agencies, ['Police', 'Police', 'Health visiting', 'Health visiting', 'Health visiting', 'Police', 'Police'])
  assert.equal(await page.getByTestId('timeline-mark').count(), 7)
  assert.deepEqual(await accessibilityProblems(page), [], 'the chronology')
  await shoot(page.getByTestId('chronology'), 'chronology-merged')

  // Filtering by words and by period.
  await page.getByTestId('filter-text').fill('mother tired')
  await waitFor(async () => (await rows.count()) === 1, 'one entry with those words')
  await page.getByTestId('filter-text').fill('')
  await page.getByTestId('filter-from').fill('02/07/2025')
  await page.getByTestId('filter-to').fill('03/07/2025')
  await waitFor(async () => (await rows.count()) === 3, 'three entries on 2 and 3 July')

  // The Police assessment and the health visitor's notification become one episode.
  await rows.nth(0).getByRole('checkbox').check()
  await rows.nth(1).getByRole('checkbox').check()
  await page.getByTestId('selection-bar').getByText('2 entries chosen').waitFor()
  await page.getByTestId('make-episode').click()
  await page.getByTestId('episode-row').first().waitFor()
  const episode = await page.evaluate(() => {
    const { doc } = window.__board
    const [e] = [...doc.getMap('episodes').values()]
    return { title: e.get('title').toString(), start: e.get('dateStart'), agencies: [...e.get('agencies').keys()], entries: [...e.get('chronology').keys()].length }
  })
  assert.equal(episode.entries, 2)
  assert.equal(episode.start, '2025-07-02')
  assert.deepEqual(episode.agencies.sort(), ['Health visiting', 'Police'])

  // Back in the chronology, the entries name the episode that uses them.
  await page.getByRole('link', { name: 'Chronology' }).click()
  await waitFor(async () => (await page.getByTestId('entry-episode').count()) === 2, 'two entries name their episode')
  assert.equal(await page.getByTestId('entry-episode').first().innerText(), 'E1')

  // The case group member (Ana, Police) sees Police entries only; no import.
  const ana = await openBoard(browser, server, review, 'ana', { view: 'chronology' })
  const theirs = ana.page.getByTestId('chronology-entry')
  await waitFor(async () => (await theirs.count()) === 4, 'four Police entries for the case group')
  assert.equal(await ana.page.getByTestId('import-open').count(), 0)
  await ana.page.getByText('The entries of Police’s chronology').waitFor()

  // Agreed, the episode goes into the report: a snapshot, then its PDF from the review page.
  await page.evaluate(() => {
    const { doc } = window.__board
    const [e] = [...doc.getMap('episodes').values()]
    e.set('status', 'agreed')
  })
  await waitFor(
    () => page.evaluate(async (id) => (await (await fetch(`/api/reviews/${id}/board`)).text()).includes('"status":"agreed"'), review.id),
    'the agreed episode is stored',
  )
  await page.evaluate(async (id) => {
    const r = await fetch(`/api/reviews/${id}/snapshots`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'After the chronology meeting' }),
    })
    if (!r.ok) throw new Error(await r.text())
  }, review.id)
  await page.goto(`${server.base}/r/${review.id}#snapshots`)
  const item = page.getByTestId('snapshot').filter({ has: page.getByRole('heading', { name: 'After the chronology meeting', exact: true }) })
  await item.getByRole('button', { name: /^Check and export the report/ }).click()
  const panel = item.getByTestId('report-panel')
  const check = panel.getByTestId('publication-check')
  await check.getByText(/Nothing to review|Needs review/).waitFor()
  if (await panel.getByTestId('confirm-unreviewed').count()) await panel.getByTestId('confirm-unreviewed').check()
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: /^PDF/ }).click()])
  assert.match(download.suggestedFilename(), /-report-draft-\d{4}-\d{2}-\d{2}\.pdf$/)
  const pdf = path.join(SCREENSHOTS, 'chronology-report.pdf')
  fs.copyFileSync(await download.path(), pdf)
  const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString()
  assert.match(text, /Key practice episodes/)
  assert.match(text, /Domestic abuse risk assessment/, 'the episode made of the entries is in the report')
  assert.match(text, /OFFICIAL-SENSITIVE/)
  // Each page as an image, to look at.
  execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(SCREENSHOTS, 'chronology-report-page')])
})

test('rows that cannot be read are listed before anything is kept', async () => {
  const review = await server.createReview({ title: 'Child E', people: ['sam'] })
  const { page } = await openBoard(browser, server, review, 'admin', { view: 'chronology' })
  const { dialog, result } = await importFile(page, 'Police', 'mixed-bad-rows.csv', { expectBad: 4 })
  assert.match(await result.innerText(), /1 entry from Police; 4 rows cannot be read/)
  const bad = await dialog.getByTestId('bad-rows').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent))
  assert.deepEqual(bad, ['3', '4', '5', '6'])
  await shoot(dialog, 'chronology-bad-rows')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await page.getByTestId('chronology-empty').waitFor()
})
