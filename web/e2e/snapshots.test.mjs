// Snapshots in real Chromium against the real server: a lead takes one from the review
// page, the board changes, the lead compares the snapshot with the live board, reads it
// read only, restores it while a colleague's board is open (both boards come back), and
// exports the review report after registering a real name for the pre-publication check.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'

import { SCREENSHOTS, accessibilityProblems, converged, launchBrowser, openBoard, screenshot, signIn, startServer, waitFor } from './harness.mjs'

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

const noProblems = async (page, where) => assert.deepEqual(await accessibilityProblems(page), [], where)
const shoot = (locator, name) => locator.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })

/** A snapshot on the review page, by its label. */
const snapshotItem = (page, label) =>
  page.getByTestId('snapshot').filter({ has: page.getByRole('heading', { name: label, exact: true }) })

/** The board as its plain reading, without the parts a restore does not touch. */
const content = (plain) => ({
  episodes: plain.episodes,
  factors: plain.factors,
  findings: plain.findings,
  links: plain.links,
  layout: plain.layout,
})

/** Waits until the live board on `page` holds `expected`. */
const boardBecomes = (page, expected) =>
  waitFor(async () => {
    assert.deepEqual(content(await page.evaluate(() => window.__board.toPlain())), expected)
    return true
  }, 'the live board holds the snapshot')

test('a lead snapshots the board, compares it with the live board, reads it, restores it for everyone and exports the report', async () => {
  const review = await server.createReview({ title: 'Child R', caseRef: 'LCSPR 2025-07', people: ['sam'] })
  const lead = await openBoard(browser, server, review, 'admin', { bypassCSP: true })
  const sam = await openBoard(browser, server, review, 'sam')
  await lead.page.evaluate(() => {
    const { doc, schema } = window.__board
    const e1 = schema.addEpisode(doc, {
      title: 'School referral about bruising',
      dateStart: '2023-03-14',
      agencies: ['Education'],
      whatHappened: 'Jane Smith told the school about bruising on the arm.',
      appraisal: 'The referral was screened the same day.',
      quality: 'good',
      status: 'agreed',
    })
    schema.addEpisode(doc, {
      title: 'Home visit at Oakfield Road',
      dateStart: '2023-04',
      agencies: ['Health visiting'],
      whatHappened: 'Nobody answered the door.',
      quality: 'mixed',
    })
    const f1 = schema.addFactor(doc, { title: 'Front-door workload', level: 'local_strategic' })
    schema.addFactor(doc, { title: 'Threshold protocol', level: 'national' })
    schema.addLink(doc, f1, e1, 'contributed_to', 'negative')
    const g1 = schema.addFinding(doc, { statement: 'Referrals are judged one at a time, without their history.', category: 'human_tool_operation' })
    schema.addLink(doc, e1, g1, 'evidence_for')
    schema.addRecommendation(doc, g1, { text: 'Give the front door time to read the history.' })
  })
  await converged(lead.page, sam.page)

  // The lead takes a snapshot from the review page (the board stays open in another tab).
  const work = await lead.context.newPage()
  work.on('pageerror', (e) => lead.errors.push(String(e)))
  // The board links to the review's snapshots.
  await work.goto(`${server.base}/r/${review.id}/board`)
  await work.getByTestId('board-snapshots-link').click()
  await work.waitForURL(`${server.base}/r/${review.id}#snapshots`)
  await work.getByTestId('no-snapshots').getByText('Take a snapshot at the end of each analysis meeting').waitFor()
  await work.getByRole('button', { name: 'Take a snapshot' }).click()
  const label = work.getByLabel('Label', { exact: true })
  assert.match(await label.inputValue(), /^Board on \d+ \w+ \d{4} at \d\d:\d\d$/, 'a label is offered')
  await work.getByLabel('Meeting it records (optional)').selectOption({ label: 'Analysis meeting 1' })
  assert.equal(await label.inputValue(), 'Analysis meeting 1: agreed', 'the label follows the meeting chosen')
  await work.getByRole('button', { name: 'Take snapshot' }).click()
  await work.getByTestId('snapshots-message').getByText('Took the snapshot “Analysis meeting 1: agreed”.').waitFor()
  const item = snapshotItem(work, 'Analysis meeting 1: agreed')
  await item.getByText('Alex Admin').waitFor()
  await item.getByText('Meeting: Analysis meeting 1').waitFor()
  const { json: list } = await server.api('admin', 'GET', `/api/reviews/${review.id}/snapshots`)
  assert.equal(list.length, 1)
  const snapshotId = list[0].id
  await item.getByText(list[0].content_hash.slice(0, 8)).waitFor()
  const { json: stored } = await server.api('admin', 'GET', `/api/reviews/${review.id}/snapshots/${snapshotId}`)
  const saved = content(stored.board)
  await shoot(work.locator('#snapshots'), 'snapshots-list')
  await noProblems(work, 'review page with a snapshot')

  // The board changes: Sam edits a row's appraisal and adds a finding; the lead deletes a factor.
  await sam.page.getByTestId('episode-row').first().click()
  await sam.page.getByTestId('episode-appraisal').fill('The referral was screened the same day. Nobody checked the earlier contacts.')
  await sam.page.getByRole('link', { name: 'Findings' }).click()
  await sam.page.getByRole('button', { name: 'Add finding' }).click()
  await sam.page.getByTestId('finding-statement').fill('Workload hides a family’s history from the front door.')
  await lead.page.getByRole('link', { name: 'Factor map' }).click()
  await lead.page.getByTestId('factor-map').getByText('Threshold protocol').click()
  await lead.page.getByRole('button', { name: 'Delete factor' }).click()
  await lead.page.getByRole('button', { name: 'Yes, delete it' }).click()
  await converged(lead.page, sam.page)

  // Compared with the live board: exactly those three changes, with the added words marked.
  await item.getByRole('button', { name: /^Compare/ }).click()
  await work.getByRole('heading', { name: 'Changes from “Analysis meeting 1: agreed” to the live board' }).waitFor()
  const summary = work.getByTestId('compare-summary')
  await summary.getByText('Episodes: 1 changed · Factors: 1 removed · Findings: 1 added').waitFor()
  for (const [tile, n] of [['added', '1'], ['removed', '1'], ['changed', '1'], ['moved-on-the-map', '0']]) {
    assert.equal(await work.getByTestId(`count-${tile}`).locator('.tile-count').innerText(), n, tile)
  }
  const episodes = work.getByTestId('compare-episodes').getByTestId('compare-entity')
  assert.equal(await episodes.count(), 1, 'one episode changed')
  const changed = episodes.first()
  assert.equal(await changed.getAttribute('data-change'), 'changed')
  await changed.getByText('Changed: appraisal', { exact: true }).waitFor()
  await changed.getByText('Episode E1: School referral about bruising').waitFor()
  const appraisal = changed.locator('tr[data-field="appraisal"]')
  assert.deepEqual(await appraisal.locator('ins').allInnerTexts(), ['Nobody checked the earlier contacts.'])
  assert.equal(await appraisal.locator('del').count(), 0, 'no words were removed')
  assert.equal(await changed.locator('tr[data-field]').count(), 1, 'only the appraisal changed')
  // Unchanged episodes on request.
  await work.getByLabel('Show the 1 unchanged episode').check()
  await work.getByTestId('compare-episodes').getByTestId('compare-entity').filter({ hasText: 'Unchanged' }).getByText('Home visit at Oakfield Road').waitFor()
  await work.getByLabel('Show the 1 unchanged episode').uncheck()
  await screenshot(work, 'compare-table')
  await noProblems(work, 'comparison, table')

  await work.getByRole('link', { name: /^Findings/ }).click()
  const findings = work.getByTestId('compare-findings').getByTestId('compare-entity')
  assert.equal(await findings.count(), 1, 'one finding changed')
  assert.equal(await findings.first().getAttribute('data-change'), 'added')
  await findings.first().getByText('Added', { exact: true }).waitFor()
  await findings.first().getByText('Finding F2: Workload hides a family’s history from the front door.').waitFor()
  await findings.first().getByText('Not on this board').waitFor()
  await screenshot(work, 'compare-findings')
  await noProblems(work, 'comparison, findings')

  await work.getByRole('link', { name: /^Factor map/ }).click()
  const map = work.getByTestId('compare-map')
  await map.locator('.diff-removed').getByText('Threshold protocol').waitFor()
  await map.locator('.diff-removed').getByText('Removed').waitFor()
  await map.locator('.diff-changed').getByText('School referral about bruising').waitFor()
  await map.locator('.diff-added').getByText('Workload hides a family’s history from the front door.').waitFor()
  assert.equal(await map.locator('.diff-same').count(), 3, 'the other nodes are unchanged')
  const factors = work.getByTestId('compare-factors').getByTestId('compare-entity')
  assert.equal(await factors.count(), 1)
  await factors.first().getByText('Factor 2: Threshold protocol').waitFor()
  await screenshot(work, 'compare-map')
  await noProblems(work, 'comparison, map')

  // The snapshot, read only, in the board's own table.
  await work.getByRole('link', { name: 'Open “Analysis meeting 1: agreed”' }).click()
  const banner = work.getByTestId('snapshot-banner')
  await banner.getByText('Analysis meeting 1: agreed', { exact: true }).waitFor()
  await banner.getByText(/^Taken at \d\d:\d\d by Alex Admin, recording “Analysis meeting 1”/).waitFor()
  await work.getByRole('link', { name: 'Practice-analysis table' }).click()
  await work.getByTestId('episode-row').first().click()
  assert.equal(await work.getByTestId('episode-appraisal').inputValue(), 'The referral was screened the same day.')
  assert.equal(await work.getByTestId('episode-appraisal').getAttribute('readonly'), '')
  assert.equal(await work.getByRole('button', { name: 'Add episode' }).count(), 0, 'nothing to add')
  assert.equal(await work.getByRole('button', { name: 'Delete episode' }).count(), 0, 'nothing to delete')
  assert.equal(await work.getByTestId('history').count(), 0, 'no live history on a snapshot')
  assert.deepEqual(content(await work.evaluate(() => window.__snapshot.toPlain())), saved, 'the snapshot as stored')
  await screenshot(work, 'snapshot-read-only')
  await noProblems(work, 'snapshot, table')
  await work.getByRole('link', { name: 'Findings' }).click()
  await work.getByTestId('finding-card').getByText('Referrals are judged one at a time').waitFor()
  assert.equal(await work.getByTestId('finding-card').count(), 1)

  // Restored from the snapshot, with Sam's board open: both boards come back.
  await work.getByRole('button', { name: 'Restore this snapshot…' }).click()
  const dialog = work.getByTestId('restore-dialog')
  await dialog.getByRole('heading', { name: 'Restore “Analysis meeting 1: agreed”?' }).waitFor()
  await dialog.getByTestId('restore-preview').getByText('This restore would change the live board: 1 episode changed back, 1 factor brought back and 1 finding removed.').waitFor()
  await dialog.getByText('forward change').waitFor()
  await screenshot(work, 'restore-confirm')
  await noProblems(work, 'restore confirmation')
  await dialog.getByRole('button', { name: 'Take a snapshot of the current board first' }).click()
  await dialog.getByTestId('kept-snapshot').getByText(/^The board as it is now is kept as “Before restoring “Analysis meeting 1: agreed”, /).waitFor()
  await dialog.getByRole('button', { name: 'Restore this snapshot' }).click()
  await work.getByTestId('restored').getByText(/^Restored “Analysis meeting 1: agreed”: the live board now holds its content \(3 items changed\)\. To undo, restore “Before restoring/).waitFor()
  assert.equal(await dialog.count(), 0, 'the dialog has closed')
  await Promise.all([boardBecomes(lead.page, saved), boardBecomes(sam.page, saved)])
  await converged(lead.page, sam.page)
  await sam.page.getByTestId('finding-card').first().waitFor()
  assert.equal(await sam.page.getByTestId('finding-card').count(), 1, 'Sam’s finding is gone from the open board')
  assert.deepEqual([...lead.errors, ...sam.errors], [])

  // The report: Word and printable HTML, then the register and the pre-publication check.
  await work.goto(`${server.base}/r/${review.id}#snapshots`)
  const first = snapshotItem(work, 'Analysis meeting 1: agreed')
  await first.getByRole('button', { name: /^Check and export the report/ }).click()
  const panel = first.getByTestId('report-panel')
  // The home visit is still a candidate episode: the report holds it only when the lead
  // includes work not yet agreed (and the check then reads it too).
  await panel.getByTestId('include-drafts').check()
  // Nothing is registered yet: the check lists the street nobody registered, and the
  // lead exports only after confirming.
  await panel.getByTestId('check-possible').getByText(/^Possible address “Oakfield Road” appears/).waitFor()
  await panel.getByTestId('publication-check').getByText('Needs review').waitFor()
  assert.equal(await panel.getByRole('link', { name: /^Word document/ }).count(), 0, 'no export before a confirmation')
  await panel.getByTestId('confirm-unreviewed').check()
  const [download] = await Promise.all([work.waitForEvent('download'), panel.getByRole('link', { name: /^Word document/ }).click()])
  // Named after the case, the kind of review, draft until published, and the day.
  assert.match(download.suggestedFilename(), /^lcspr-2025-07-lcspr-report-draft-\d{4}-\d{2}-\d{2}\.docx$/)
  const docx = fs.readFileSync(await download.path())
  assert.ok(docx.length > 1000, 'the Word document is not empty')
  assert.equal(docx.subarray(0, 2).toString(), 'PK', 'a .docx is a zip file')
  const [printable] = await Promise.all([work.waitForEvent('popup'), panel.getByRole('link', { name: /^Printable page/ }).click()])
  await printable.getByText('School referral about bruising').first().waitFor()
  assert.ok((await printable.content()).includes('Jane Smith'), 'no pseudonym registered yet')
  await printable.close()

  await work.getByLabel('Real name or identifying detail').fill('Jane Smith')
  await work.getByLabel('Pseudonym (optional)').fill('Mother')
  await work.getByRole('button', { name: 'Add to the register' }).click()
  await work.getByTestId('register-message').getByText('Added: exports now say “Mother” instead of “Jane Smith”.').waitFor()
  await work.getByLabel('Real name or identifying detail').fill('Oakfield Road')
  await work.getByRole('button', { name: 'Add to the register' }).click()
  await work.getByTestId('register-entry').filter({ hasText: 'Oakfield Road' }).getByText('Flagged: checked, not replaced').waitFor()
  const check = panel.getByTestId('publication-check')
  await check.getByTestId('check-replaced').getByText('“Jane Smith” becomes “Mother” (once).').waitFor()
  await check.getByTestId('check-remaining').getByText(/^Flagged term “Oakfield Road” appears/).waitFor()
  await check.getByText('Needs review').waitFor()
  assert.ok(!(await check.textContent()).toLowerCase().includes('ready to publish'), 'never ready while anything is unreviewed')
  await shoot(work.locator('#snapshots'), 'pre-publication-check')
  await shoot(work.locator('#register'), 'pseudonymisation-register')
  await noProblems(work, 'review page with the check and the register')
  await panel.getByTestId('confirm-unreviewed').check()
  const [again] = await Promise.all([work.waitForEvent('popup'), panel.getByRole('link', { name: /^Printable page/ }).click()])
  await again.getByText('School referral about bruising').first().waitFor()
  const html = await again.content()
  assert.ok(html.includes('Mother') && !html.includes('Jane Smith'), 'the export replaces the registered name')
  await again.close()

  // The export and the restore are in the audit trail.
  await work.reload()
  const audit = work.locator('#audit')
  await audit.getByText(/restored a snapshot: Analysis meeting 1: agreed/).first().waitFor()
  await audit.getByText(/exported the review report/).first().waitFor()
  assert.deepEqual(lead.errors, [])
  await Promise.all([lead.context.close(), sam.context.close()])
})

test('closing a meeting offers a snapshot of it; the review team exports, other roles only read and compare', async () => {
  const review = await server.createReview({ title: 'Child S', people: { sam: 'review_team_member', olu: 'observer' } })
  const lead = await signIn(browser, server, 'admin', { bypassCSP: true })
  await lead.page.goto(`${server.base}/r/${review.id}`)
  const meeting = lead.page.getByTestId('meeting').filter({ hasText: 'Analysis meeting 2' })
  await meeting.getByRole('button', { name: 'Mark as closed Analysis meeting 2' }).click()
  const offer = meeting.getByTestId('snapshot-offer')
  await offer.getByRole('heading', { name: 'Record what “Analysis meeting 2” agreed?' }).waitFor()
  assert.equal(await offer.getByLabel('Snapshot label').inputValue(), 'Analysis meeting 2: agreed')
  await noProblems(lead.page, 'snapshot offered on closing a meeting')
  await shoot(meeting, 'snapshot-offer')
  await offer.getByRole('button', { name: 'Take snapshot' }).click()
  await lead.page.getByText('Took the snapshot “Analysis meeting 2: agreed”: it is listed under Snapshots.').waitFor()
  const item = snapshotItem(lead.page, 'Analysis meeting 2: agreed')
  await item.getByText('Meeting: Analysis meeting 2').waitFor()

  // A second snapshot of the same board: comparing the two finds nothing.
  await lead.page.getByRole('button', { name: 'Take a snapshot' }).click()
  await lead.page.getByLabel('Label', { exact: true }).fill('Same board again')
  await lead.page.getByRole('button', { name: 'Take snapshot' }).click()
  await snapshotItem(lead.page, 'Same board again').waitFor()
  const hashes = await lead.page.getByTestId('snapshot').locator('code').allInnerTexts()
  assert.equal(hashes[0], hashes[1], 'the same content has the same fingerprint')
  const other = await item.locator('select option', { hasText: 'Same board again' }).getAttribute('value')
  await item.getByLabel(/^Compare with/).selectOption(other)
  await item.getByRole('button', { name: /^Compare/ }).click()
  await lead.page.getByTestId('compare-empty').getByRole('heading', { name: 'No differences' }).waitFor()
  await screenshot(lead.page, 'compare-empty')
  await noProblems(lead.page, 'comparison with no differences')

  // The review team: no taking or restoring, but the report (without the lead's check).
  const sam = await signIn(browser, server, 'sam', { bypassCSP: true })
  await sam.page.goto(`${server.base}/r/${review.id}#snapshots`)
  const samItem = snapshotItem(sam.page, 'Analysis meeting 2: agreed')
  await samItem.waitFor()
  assert.equal(await sam.page.getByRole('button', { name: 'Take a snapshot' }).count(), 0)
  assert.equal(await samItem.getByRole('button', { name: /^Restore/ }).count(), 0)
  await samItem.getByRole('button', { name: /^Export the report/ }).click()
  await samItem.getByTestId('exports').getByRole('link', { name: /^Word document/ }).waitFor()
  assert.equal(await samItem.getByTestId('publication-check').count(), 0, 'the check is for leads')
  assert.equal(await sam.page.locator('#register').count(), 0, 'the register is for leads')
  await noProblems(sam.page, 'review page, review team member')

  // An observer reads and compares, and sees no export.
  const olu = await signIn(browser, server, 'olu', { bypassCSP: true })
  await olu.page.goto(`${server.base}/r/${review.id}#snapshots`)
  const oluItem = snapshotItem(olu.page, 'Analysis meeting 2: agreed')
  await oluItem.waitFor()
  assert.equal(await oluItem.getByRole('button', { name: /report/ }).count(), 0)
  await oluItem.getByRole('link', { name: 'Open “Analysis meeting 2: agreed”' }).click()
  await olu.page.getByTestId('snapshot-banner').getByText('Analysis meeting 2: agreed', { exact: true }).waitFor()
  await olu.page.getByRole('heading', { name: 'No key practice episodes yet' }).waitFor()
  await olu.page.getByText('This snapshot holds no episodes').waitFor()
  assert.equal(await olu.page.getByRole('button', { name: /^Restore/ }).count(), 0)
  await noProblems(olu.page, 'snapshot, observer')
  assert.deepEqual([...lead.errors, ...sam.errors, ...olu.errors], [])
  await Promise.all([lead.context.close(), sam.context.close(), olu.context.close()])
})
