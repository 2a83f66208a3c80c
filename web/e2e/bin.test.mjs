// The bin in real Chromium against the real server: a case group member deletes an
// episode (the confirmation names what goes with it), the episode and its links are
// gone for everyone, a review team member finds it under "Deleted items" with who
// deleted it and puts it back, and both boards have it again; a lead empties the bin.

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

const shoot = (locator, name) => locator.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })
const plain = (page) => page.evaluate(() => window.__board.toPlain())

test('a deleted episode comes back from the bin for everyone, links and all', async () => {
  const review = await server.createReview({ title: 'Child B', people: ['sam', 'ana'] })
  const ana = await openBoard(browser, server, review, 'ana')
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    const e1 = schema.addEpisode(doc, { title: 'GP appointment missed', dateStart: '2024-02-02', quality: 'mixed' })
    schema.addEpisode(doc, { title: 'Strategy discussion', dateStart: '2024-03-01' })
    const f1 = schema.addFactor(doc, { title: 'Caseload pressure', level: 'local_strategic' })
    schema.addLink(doc, f1, e1, 'contributed_to')
    const g1 = schema.addFinding(doc, { statement: 'Missed appointments are not followed up.' })
    schema.addLink(doc, e1, g1, 'evidence_for')
  })
  await converged(ana.page, sam.page)
  const before = await plain(sam.page)

  // Ana (case group) deletes the first episode; the confirmation says what goes with it.
  await ana.page.getByTestId('episode-row').first().click()
  await ana.page.getByRole('button', { name: 'Delete episode' }).click()
  const question = ana.page.getByTestId('confirm-delete')
  await question.getByText('Its 2 links go with it: to 1 contributory factor and 1 finding it is evidence for.').waitFor()
  await question.getByText('The review team can put it back from “Deleted items” on the review page.').waitFor()
  await shoot(question, 'bin-delete-confirmation')
  await ana.page.getByRole('button', { name: 'Yes, delete it' }).click()
  await waitFor(async () => (await plain(sam.page)).episodes.length === 1, 'Sam sees the episode go')
  assert.equal((await plain(sam.page)).links.length, 0, 'its links went with it')

  // Sam (review team) finds it under Deleted items on the review page and puts it back.
  const work = await signIn(browser, server, 'sam', { bypassCSP: true })
  await work.page.goto(`${server.base}/r/${review.id}#bin`)
  const entry = work.page.getByTestId('bin-entry')
  await entry.getByRole('cell', { name: 'Episode GP appointment missed' }).waitFor()
  await entry.getByText('Ana Patel').waitFor()
  await entry.getByText('2 links').waitFor()
  assert.deepEqual(await accessibilityProblems(work.page), [], 'review page with deleted items')
  await shoot(work.page.locator('#bin'), 'bin-list')
  await entry.getByRole('button', { name: 'Put back GP appointment missed' }).click()
  await work.page.getByTestId('bin-message').getByText('Put back the episode “GP appointment missed”.').waitFor()
  await work.page.getByTestId('bin-empty').waitFor()

  // Both boards have it again, with its links, as it was.
  await waitFor(async () => {
    const [a, s] = [await plain(ana.page), await plain(sam.page)]
    assert.deepEqual(s, before)
    assert.deepEqual(a, before)
    return true
  }, 'both boards have the episode back')

  // Ana (case group) has no "Deleted items" section, and the server refuses her.
  const anaPage = await signIn(browser, server, 'ana')
  await anaPage.page.goto(`${server.base}/r/${review.id}`)
  await anaPage.page.getByTestId('role-notice').waitFor()
  assert.equal(await anaPage.page.locator('#bin').count(), 0)
  await assert.rejects(server.api('ana', 'GET', `/api/reviews/${review.id}/bin`), /403/)

  // A lead empties the bin after something else is deleted.
  await ana.page.getByTestId('episode-row').nth(1).click()
  await ana.page.getByRole('button', { name: 'Delete episode' }).click()
  await ana.page.getByRole('button', { name: 'Yes, delete it' }).click()
  const lead = await signIn(browser, server, 'admin')
  await lead.page.goto(`${server.base}/r/${review.id}#bin`)
  await lead.page.getByTestId('bin-entry').getByRole('cell', { name: 'Episode Strategy discussion' }).waitFor()
  await lead.page.getByRole('button', { name: 'Empty the bin' }).click()
  await lead.page.getByRole('button', { name: 'Yes, empty the bin' }).click()
  await lead.page.getByTestId('bin-message').getByText('Deleted 1 item for good.').waitFor()
  await lead.page.getByTestId('bin-empty').waitFor()
  for (const person of [ana, sam, work, anaPage, lead]) assert.deepEqual(person.errors, [])
})

test('a lead restores one field and one deleted finding from a snapshot while comparing, leaving the rest', async () => {
  const review = await server.createReview({ title: 'Child C', people: ['sam'] })
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    const e1 = schema.addEpisode(doc, { title: 'Home visit', appraisal: 'Thorough given the caseload.' })
    const g1 = schema.addFinding(doc, { statement: 'Visits are not shared between agencies.' })
    schema.addLink(doc, e1, g1, 'evidence_for')
  })
  await waitFor(async () => (await plain(sam.page)).links.length === 1, 'the board is built')
  const { json: snapshot } = await server.api('admin', 'POST', `/api/reviews/${review.id}/snapshots`, { label: 'Meeting 1' })
  // After the meeting: the title and the appraisal change, the finding is deleted.
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    const [[id, e1]] = schema.ordered(schema.board(doc).episodes)
    doc.transact(() => {
      e1.get('title').insert(e1.get('title').length, ' (revised)')
      const appraisal = e1.get('appraisal')
      appraisal.delete(0, appraisal.length)
      appraisal.insert(0, 'Rushed.')
    })
    const [[g1]] = schema.ordered(schema.board(doc).findings)
    schema.deleteEntity(doc, g1)
    return id
  })
  await waitFor(async () => (await plain(sam.page)).findings.length === 0, 'the finding is gone')
  // The comparison reads the board the server has stored: wait for Sam's changes there.
  await waitFor(async () => {
    const { json: live } = await server.api('admin', 'GET', `/api/reviews/${review.id}/board`)
    return live.findings.length === 0 && live.episodes[0]?.appraisal === 'Rushed.'
  }, 'the server has the changes')

  const lead = await signIn(browser, server, 'admin', { bypassCSP: true })
  await lead.page.goto(`${server.base}/r/${review.id}/compare?from=${snapshot.id}&to=live`)
  const episodes = lead.page.getByTestId('compare-episodes')
  await episodes.locator('tr[data-field="appraisal"]').getByTestId('restore-field').click()
  await lead.page.getByTestId('restore-item-message').getByText('Restored the field as in').waitFor()
  await waitFor(async () => {
    const [e1] = (await plain(sam.page)).episodes
    assert.equal(e1.appraisal, 'Thorough given the caseload.')
    assert.equal(e1.title, 'Home visit (revised)', 'the other field stays')
    return true
  }, 'the appraisal is back and the title kept')

  await lead.page.getByRole('link', { name: /Findings/ }).click()
  await lead.page.getByTestId('compare-entity').filter({ hasText: 'Visits are not shared' }).getByTestId('restore-item').click()
  await waitFor(async () => {
    const board = await plain(sam.page)
    return board.findings.length === 1 && board.links.length === 1
  }, 'the finding is back with its evidence link')
  assert.deepEqual(await accessibilityProblems(lead.page), [], 'comparison with restore buttons')
  await shoot(lead.page.locator('main'), 'compare-restore-item')

  // Sam (review team) compares too, but without restore buttons.
  const samCompare = await signIn(browser, server, 'sam')
  await samCompare.page.goto(`${server.base}/r/${review.id}/compare?from=${snapshot.id}&to=live`)
  await samCompare.page.getByTestId('compare-episodes').waitFor()
  assert.equal(await samCompare.page.getByTestId('restore-field').count(), 0)
  for (const person of [sam, lead, samCompare]) assert.deepEqual(person.errors, [])
})
