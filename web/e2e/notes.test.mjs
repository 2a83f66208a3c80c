// Restricted notes in real Chromium against the real server: written together live by a
// lead and a participant, read along by a read-only participant, closed to everyone
// else, and closed again when a lead takes someone off.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { SCREENSHOTS, accessibilityProblems, launchBrowser, openBoard, screenshot, signIn, startServer, waitFor } from './harness.mjs'

let server
let browser

before(async () => {
  server = await startServer({ args: ['--access-recheck', '1s'] })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

const noProblems = async (page, where) => assert.deepEqual(await accessibilityProblems(page), [], where)

/** The notes as the page's text box shows them. */
const shown = (page) => page.getByTestId('notes-text').inputValue()

/** Waits until every page shows the same notes; returns them. */
async function sameNotes(...pages) {
  let all = []
  await waitFor(
    async () => {
      all = await Promise.all(pages.map(shown))
      return all.every((t) => t === all[0])
    },
    () => `the notes did not converge:\n${all.join('\n---\n')}`,
  )
  return all[0]
}

test('restricted notes are written together by their participants and closed to everyone else', async () => {
  const review = await server.createReview({ title: 'Child N', caseRef: 'LCSPR 2025-12', people: ['sam', 'ana', 'olu'] })
  const title = 'Conversation with the police'

  // The lead creates the notes for Ana (case group member) and Olu (observer).
  const lead = await signIn(browser, server, 'admin', { bypassCSP: true })
  await lead.page.goto(`${server.base}/r/${review.id}`)
  await lead.page.getByRole('button', { name: 'Create restricted notes' }).click()
  await lead.page.locator('#notes-title').fill(title)
  const documents = lead.page.locator('#documents')
  await documents.getByLabel('Ana Patel, Police (Case group member)').check()
  await documents.getByLabel('Olu Obi, Independent scrutiny (Observer)').check()
  await lead.page.getByRole('button', { name: 'Create notes' }).click()
  const item = lead.page.getByTestId('notes-document').filter({ hasText: title })
  await item.getByText('Restricted: only Ana Patel, Olu Obi and the lead reviewers can open these notes.').waitFor()

  // Empty notes offer the conversation's headings; one click puts them in.
  await item.getByRole('link', { name: title }).click()
  await lead.page.getByRole('heading', { name: title, level: 1 }).waitFor()
  await lead.page
    .getByTestId('restricted-banner')
    .getByText('Restricted: only Ana Patel, Olu Obi and the lead reviewers can open these notes.')
    .waitFor()
  await lead.page.getByTestId('connection').getByText('Connected').waitFor()
  await lead.page.getByTestId('notes-empty').getByText('Local rationality').waitFor()
  await screenshot(lead.page, 'notes-empty')
  await noProblems(lead.page, 'empty notes')
  await lead.page.getByRole('button', { name: 'Insert these headings' }).click()
  await waitFor(async () => (await shown(lead.page)).startsWith('Introduction\n\n\nOverview of involvement\n\n\nTurning points'), 'the outline is in')
  assert.equal(await lead.page.getByTestId('notes-empty').count(), 0)
  // The caret waits under the first heading.
  await lead.page.keyboard.type('Met DS Patel at the station.')

  // Ana opens them from her review page, where the lead's words are already.
  const ana = await signIn(browser, server, 'ana', { bypassCSP: true })
  await ana.page.goto(`${server.base}/r/${review.id}`)
  const anaItem = ana.page.getByTestId('notes-document').filter({ hasText: title })
  await anaItem.getByText('you among them').waitFor()
  await anaItem.getByRole('link', { name: title }).click()
  await ana.page.getByTestId('connection').getByText('Connected').waitFor()
  await ana.page.getByTestId('role-badge').getByText('Case group member').waitFor()
  await waitFor(async () => (await shown(ana.page)).includes('Met DS Patel at the station.'), 'Ana sees the lead’s words')
  await ana.page.getByTestId('presence').getByText('Alex Admin (Safeguarding partnership)').waitFor()
  await lead.page.getByTestId('presence').getByText('Ana Patel (Police)').waitFor()

  // Both type at once, in different places: each keeps their caret and their words.
  await ana.page.getByTestId('notes-text').click()
  await ana.page.keyboard.press('Control+End')
  await Promise.all([
    ana.page.keyboard.type('Invite the police to every strategy discussion.', { delay: 25 }),
    lead.page.keyboard.type(' We talked for an hour.', { delay: 25 }),
  ])
  const together = await sameNotes(lead.page, ana.page)
  assert.ok(together.includes('Introduction\nMet DS Patel at the station. We talked for an hour.\n\nOverview of involvement'), together)
  assert.ok(together.endsWith('Suggested changes\n\nInvite the police to every strategy discussion.'), together)
  await ana.page.getByText('Alex Admin (Safeguarding partnership) is editing this').waitFor()
  await screenshot(ana.page, 'notes-live')
  await noProblems(ana.page, 'notes, a participant writing')

  // Undo takes back Ana's own words only; redo brings them back.
  await ana.page.getByRole('button', { name: 'Undo my last change to the notes' }).click()
  const undone = await sameNotes(lead.page, ana.page)
  assert.ok(!undone.includes('Invite the police'), undone)
  assert.ok(undone.includes('We talked for an hour.'), undone)
  await ana.page.getByRole('button', { name: 'Redo my last undone change to the notes' }).click()
  assert.ok((await sameNotes(lead.page, ana.page)).includes('Invite the police to every strategy discussion.'))

  // Olu, an observer, reads along but cannot change them.
  const olu = await signIn(browser, server, 'olu', { bypassCSP: true })
  await olu.page.goto(`${server.base}/r/${review.id}/notes/conversation-with-the-police`)
  await olu.page.getByTestId('connection').getByText('Connected').waitFor()
  await olu.page.getByTestId('read-only-notice').getByText('You are an Observer').waitFor()
  await waitFor(async () => (await shown(olu.page)).includes('We talked for an hour.'), 'Olu reads the notes')
  assert.equal(await olu.page.getByTestId('notes-text').getAttribute('readonly'), '')
  assert.equal(await olu.page.getByRole('button', { name: /^Undo/ }).count(), 0)
  assert.equal(await olu.page.getByRole('button', { name: 'Insert these headings' }).count(), 0)
  await noProblems(olu.page, 'notes, read only')

  // Sam is in the review but not in the notes: he neither sees nor opens them.
  const sam = await signIn(browser, server, 'sam', { bypassCSP: true })
  await sam.page.goto(`${server.base}/r/${review.id}`)
  await sam.page.getByTestId('documents').getByText('Analysis board').waitFor()
  assert.equal(await sam.page.getByTestId('documents').getByText(title).count(), 0)
  await sam.page.goto(`${server.base}/r/${review.id}/notes/conversation-with-the-police`)
  await sam.page.getByRole('heading', { name: 'These notes are not available to you' }).waitFor()
  await screenshot(sam.page, 'notes-not-available')
  await noProblems(sam.page, 'notes not available')

  // Searching the board finds words in the notes one may open, and only in those.
  const samBoard = await openBoard(browser, server, review, 'sam')
  await samBoard.page.getByTestId('board-search').fill('an hour')
  await samBoard.page.getByText('Nothing on the board matches “an hour”.').waitFor()
  const answered = samBoard.page.waitForResponse((r) => r.url().includes('/search/notes'))
  await samBoard.page.getByTestId('search-in-notes').check()
  assert.deepEqual(await (await answered).json(), [], 'none of the notes Sam may not open')
  assert.equal(await samBoard.page.getByTestId('notes-search-results').count(), 0)
  const anaBoard = await openBoard(browser, server, review, 'ana')
  await anaBoard.page.getByTestId('board-search').fill('an hour')
  // Only when asked: a projected board shows no words from restricted notes.
  assert.equal(await anaBoard.page.getByTestId('notes-search-results').count(), 0)
  await anaBoard.page.getByTestId('search-in-notes').check()
  const found = anaBoard.page.getByTestId('notes-search-results')
  await found.locator('mark').getByText('an hour').waitFor()
  await found.getByRole('link', { name: new RegExp(title) }).click()
  await anaBoard.page.getByRole('heading', { name: title }).waitFor()

  // The lead adds Sam; he can open them now.
  await lead.page.getByTestId('review-title').click()
  await item.getByRole('button', { name: `Edit participants of ${title}` }).click()
  const form = lead.page.getByTestId('edit-notes')
  assert.equal(await form.getByLabel('Title').inputValue(), title)
  assert.ok(await form.getByLabel('Ana Patel, Police (Case group member)').isChecked())
  await form.getByLabel('Sam Jones, Health visiting (Review team member)').check()
  await lead.page.locator('#documents').screenshot({ path: `${SCREENSHOTS}/notes-participants.png` })
  await noProblems(lead.page, 'editing participants')
  await form.getByRole('button', { name: 'Save participants' }).click()
  await item.getByText('Restricted: only Ana Patel, Olu Obi, Sam Jones and the lead reviewers can open these notes.').waitFor()
  await sam.page.reload()
  await sam.page.getByTestId('connection').getByText('Connected').waitFor()
  await waitFor(async () => (await shown(sam.page)).includes('We talked for an hour.'), 'Sam reads the notes')

  // Sam becomes an observer: his open notes turn read-only, and say so.
  await server.api('admin', 'PUT', `/api/reviews/${review.id}/members/${server.userId('sam')}`, { role: 'observer' })
  await sam.page.getByText('Your access to these notes has changed: you are now an Observer').waitFor()
  await sam.page.getByTestId('read-only-notice').waitFor()
  await sam.page.getByTestId('connection').getByText('Connected').waitFor()
  assert.equal(await sam.page.getByTestId('notes-text').getAttribute('readonly'), '')

  // The lead takes Ana off: her open notes close and say why, and leave her device.
  await item.getByRole('button', { name: `Edit participants of ${title}` }).click()
  await form.getByLabel('Ana Patel, Police (Case group member)').uncheck()
  await form.getByRole('button', { name: 'Save participants' }).click()
  await item.getByText('Restricted: only Olu Obi, Sam Jones and the lead reviewers can open these notes.').waitFor()
  await ana.page.getByRole('heading', { name: 'Your access to these notes has ended' }).waitFor()
  await screenshot(ana.page, 'notes-access-ended')
  await noProblems(ana.page, 'access to notes ended')
  const kept = () =>
    ana.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n.includes('/notes/')))
  await waitFor(async () => (await kept()).length === 0, 'the notes are deleted from Ana’s device')
  // Sam, still a participant, carries on.
  await sam.page.getByTestId('connection').getByText('Connected').waitFor()

  // The audit trail names who may open them now, and who wrote in them.
  const audit = lead.page.getByTestId('audit')
  await audit.getByText(`changed who can open “${title}”: Olu Obi, Sam Jones and the lead reviewers`).waitFor()
  await audit.getByRole('row').filter({ hasText: 'Ana Patel, Police' }).getByText(`changed the restricted notes “${title}”`).first().waitFor()
  assert.deepEqual([...lead.errors, ...ana.errors, ...olu.errors, ...sam.errors], [])
  await Promise.all([lead.context.close(), ana.context.close(), olu.context.close(), sam.context.close()])
})
