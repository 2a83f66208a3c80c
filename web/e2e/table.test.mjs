// The practice-analysis table, used by two people at once in real Chromium. Each
// person is their own account, signed in, on the board of a review they are in.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import {
  accessibilityProblems,
  converged,
  launchBrowser,
  openBoard,
  screenshot,
  startServer,
  storedOnDevice,
  waitFor,
} from './harness.mjs'

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

const episodeTexts = (json) => Object.values(json.episodes ?? {})

test('two people edit the same board and both keep their words', async () => {
  const review = await server.createReview({ people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana')
  await screenshot(sam.page, 'table-empty')

  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('School referral about bruising')
  await ana.page.getByTestId('episode-row').first().waitFor()
  await ana.page.getByTestId('episode-row').first().click()

  // Different fields of one episode at the same moment.
  await Promise.all([
    sam.page.getByTestId('episode-what-happened').fill('The school referred bruising on the arm.'),
    ana.page.getByTestId('episode-appraisal').fill('Not linked to two earlier contacts.'),
  ])
  // The same field at the same moment: both put their caret at the end, then both
  // type at once. Both people's words stay whole. (Clicking into the middle of a word
  // someone is still typing would split it, in any collaborative editor.)
  await converged(sam.page, ana.page)
  for (const person of [sam, ana]) {
    await person.page.getByTestId('episode-appraisal').click()
    await person.page.keyboard.press('End')
  }
  await Promise.all([
    sam.page.keyboard.type(' Sam: screening was same-day.', { delay: 15 }),
    ana.page.keyboard.type(' Ana: no strategy discussion.', { delay: 15 }),
  ])
  const json = await converged(sam.page, ana.page)
  const [episode] = episodeTexts(json)
  assert.equal(episode.whatHappened, 'The school referred bruising on the arm.')
  assert.match(episode.appraisal, /Sam: screening was same-day\./)
  assert.match(episode.appraisal, /Ana: no strategy discussion\./)
  assert.match(episode.appraisal, /^Not linked to two earlier contacts\./)

  // Presence: who is here, and who is editing which field, in words.
  await sam.page.getByTestId('presence').getByText('Ana Patel (Police)').waitFor()
  await ana.page.getByTestId('presence').getByText('Sam Jones (Health visiting)').waitFor()
  await ana.page.getByTestId('presence').getByText('Ana Patel (you)').waitFor()
  await ana.page.getByTestId('episode-appraisal').focus()
  await sam.page.getByText('Ana Patel (Police) is editing this').waitFor()
  await screenshot(sam.page, 'table-presence')

  // What one person sees in the table, the other sees too.
  await ana.page.getByRole('radio', { name: 'Problematic' }).check()
  await sam.page.getByTestId('episode-row').first().getByText('Problematic').waitFor()
  await screenshot(sam.page, 'table-with-panel')
  assert.deepEqual([...sam.errors, ...ana.errors], [])
  await Promise.all([sam.context.close(), ana.context.close()])
})

test('edits made offline are kept and merged on reconnect', async () => {
  const review = await server.createReview({ people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana')
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('Home visit')
  await ana.page.getByTestId('episode-row').first().click()

  await ana.page.evaluate(() => window.__board.disconnect())
  await ana.page.getByTestId('connection').getByText('Offline').waitFor()
  await ana.page.getByTestId('episode-what-happened').fill('Nobody answered the door.')
  await ana.page.getByTestId('connection').getByText('kept on this device').waitFor()
  await sam.page.getByTestId('episode-appraisal').fill('A second visit was booked.')
  await screenshot(ana.page, 'table-offline')

  await ana.page.evaluate(() => window.__board.connect())
  const [episode] = episodeTexts(await converged(sam.page, ana.page))
  assert.equal(episode.whatHappened, 'Nobody answered the door.')
  assert.equal(episode.appraisal, 'A second visit was booked.')
  await Promise.all([sam.context.close(), ana.context.close()])
})

test('a burst of 500 quick edits reaches the other person', async () => {
  const review = await server.createReview({ people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana')
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await ana.page.getByTestId('episode-row').first().waitFor()
  await sam.page.evaluate(() => {
    const episodes = window.__board.doc.getMap('episodes')
    const [episode] = [...episodes.values()]
    const text = episode.get('evidence')
    for (let i = 0; i < 500; i++) window.__board.doc.transact(() => text.insert(text.length, 'x'))
  })
  const [episode] = episodeTexts(await converged(sam.page, ana.page))
  assert.equal(episode.evidence, 'x'.repeat(500))
  // And an edit made afterwards still arrives.
  await sam.page.getByTestId('episode-row').first().click()
  await sam.page.getByTestId('episode-title').fill('After the burst')
  await ana.page.getByTestId('episode-row').first().getByText('After the burst').waitFor()
  await Promise.all([sam.context.close(), ana.context.close()])
})

test('the table has no serious accessibility problems and works from the keyboard', async () => {
  const review = await server.createReview({ people: ['sam', 'ana', 'jo'] })
  // Presence names come from the accounts: nobody types who they are.
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  await sam.page.getByTestId('presence').getByText('Sam Jones (you)').waitFor()
  await sam.page.getByTestId('role-badge').getByText('Review team member').waitFor()
  // Others present, so their names, colours and "is editing" notes are checked too.
  const ana = await openBoard(browser, server, review, 'ana')
  const jo = await openBoard(browser, server, review, 'jo')
  await sam.page.getByTestId('presence').getByText('Jo Okafor (Education)').waitFor()
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'empty board')
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('First')
  await sam.page.getByRole('button', { name: 'Add episode', exact: true }).click()
  await sam.page.getByTestId('episode-title').fill('Second')
  await ana.page.getByTestId('episode-row').nth(1).click()
  await ana.page.getByTestId('episode-what-happened').focus()
  await sam.page.getByText('Ana Patel (Police) is editing this').waitFor()
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'table with the panel open')
  await Promise.all([ana.context.close(), jo.context.close()])

  // Escape closes the panel and returns to the cell; arrows move between cells and
  // rows; Enter opens the episode at that column's field.
  const focused = () => sam.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.textContent)
  await sam.page.keyboard.press('Escape')
  await sam.page.getByRole('heading', { name: /^Episode E?2/ }).waitFor({ state: 'detached' })
  assert.equal(await focused(), 'Second')
  await sam.page.keyboard.press('ArrowUp')
  assert.equal(await focused(), 'First')
  await sam.page.keyboard.press('Enter')
  await sam.page.getByRole('heading', { name: /^Episode E?1: First$/ }).waitFor()
  assert.equal(await focused(), 'episode-title')
  await sam.page.keyboard.press('Escape')
  for (let i = 0; i < 3; i++) await sam.page.keyboard.press('ArrowRight')
  await sam.page.keyboard.press('Enter')
  await sam.page.getByRole('heading', { name: /^Episode E?1: First$/ }).waitFor()
  assert.equal(await focused(), 'episode-what-happened')
  await sam.page.keyboard.type('Typed straight in.')
  await sam.page.getByTestId('episode-row').first().getByText('Typed straight in.').waitFor()
  // Enter on "Practice" focuses the practice chosen, as the arrow keys would leave it.
  await sam.page.keyboard.press('Escape')
  await sam.page.keyboard.press('ArrowRight')
  await sam.page.keyboard.press('Enter')
  assert.equal(await sam.page.evaluate(() => document.activeElement instanceof HTMLInputElement && document.activeElement.type === 'radio' && document.activeElement.checked), true, 'the checked radio has focus')
  await screenshot(sam.page, 'table-keyboard')
  await sam.context.close()
})

test('undo takes back my own changes, never a colleague’s', async () => {
  const review = await server.createReview({ people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana')
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('Home visit')
  await ana.page.getByTestId('episode-row').first().click()
  await ana.page.getByTestId('episode-appraisal').fill('Ana’s appraisal stays.')
  await sam.page.getByTestId('episode-what-happened').fill('Nobody answered the door.')
  await converged(sam.page, ana.page)

  // Sam's last step (what happened) goes; Ana's appraisal and Sam's title stay.
  await sam.page.keyboard.press('Control+z')
  let [episode] = Object.values((await converged(sam.page, ana.page)).episodes)
  assert.equal(episode.whatHappened, '')
  assert.equal(episode.appraisal, 'Ana’s appraisal stays.')
  assert.equal(episode.title, 'Home visit')

  // Redo brings it back, for everyone.
  await sam.page.getByRole('button', { name: /^Redo/ }).click()
  ;[episode] = Object.values((await converged(sam.page, ana.page)).episodes)
  assert.equal(episode.whatHappened, 'Nobody answered the door.')
  assert.equal(episode.appraisal, 'Ana’s appraisal stays.')
  // With nothing left to redo, the focus stays on the button, not dropped to the page.
  const focusedName = () => sam.page.evaluate(() => document.activeElement?.textContent ?? '')
  assert.match(await focusedName(), /^Redo/)
  assert.equal(await sam.page.getByRole('button', { name: /^Redo/ }).getAttribute('aria-disabled'), 'true')
  await Promise.all([sam.context.close(), ana.context.close()])
})

test('findings are classified, linked to episodes and given recommendations, live for everyone', async () => {
  const review = await server.createReview({ people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  const ana = await openBoard(browser, server, review, 'ana')
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('School referral about bruising')

  await sam.page.getByRole('link', { name: 'Findings' }).click()
  await ana.page.getByRole('link', { name: 'Findings' }).click()
  await sam.page.getByRole('heading', { name: 'No findings yet' }).waitFor()
  await screenshot(sam.page, 'findings-empty')
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'empty findings')

  await sam.page.getByRole('button', { name: 'Add the first finding' }).click()
  await sam.page.getByTestId('finding-statement').fill('Referrals are judged one at a time, without their history.')
  await sam.page.getByLabel('Typology category').selectOption({ label: 'Tools' })
  await sam.page.getByLabel(/Episode E?1: School referral about bruising/).check()
  await sam.page.getByRole('button', { name: 'Add recommendation' }).click()
  await sam.page.getByTestId('recommendation-text').fill('Decide what to stop to fund triage time.')
  await sam.page.getByLabel('Type of recommendation 1').selectOption({ label: 'Trade-off for management' })

  // Ana sees the finding as Sam shapes it.
  const card = ana.page.getByTestId('finding-card').first()
  await card.getByText('Referrals are judged one at a time').waitFor()
  await card.getByText('Tools').waitFor()
  await card.getByText('1 episode').waitFor()
  await card.getByText('1 recommendation').waitFor()
  const json = await converged(sam.page, ana.page)
  const [finding] = Object.values(json.findings)
  assert.equal(finding.category, 'human_tool_operation')
  const [recommendation] = Object.values(finding.recommendations)
  assert.equal(recommendation.type, 'management_tradeoff')
  const [episodeId] = Object.keys(json.episodes)
  const [findingId] = Object.keys(json.findings)
  assert.ok(Object.values(json.links).some((l) => l.from === episodeId && l.to === findingId && l.kind === 'evidence_for'))

  assert.deepEqual(await accessibilityProblems(sam.page), [], 'finding open')
  await screenshot(sam.page, 'findings')
  // Escape closes the panel and the focus goes back to the finding it came from.
  await sam.page.getByTestId('finding-statement').focus()
  await sam.page.keyboard.press('Escape')
  await waitFor(async () => (await sam.page.evaluate(() => document.activeElement?.getAttribute('data-finding-open'))) === findingId, 'focus back on the finding')
  assert.deepEqual([...sam.errors, ...ana.errors], [])
  await Promise.all([sam.context.close(), ana.context.close()])
})

test('the factor map shows what the table holds and the table what the map holds', async () => {
  const review = await server.createReview({ people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana', { bypassCSP: true })
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('School referral about bruising')
  await sam.page.getByLabel('New factor').fill('Front-door workload')
  await sam.page.getByRole('button', { name: 'Add factor' }).click()
  await sam.page.getByTestId('episode-factors').getByText('Front-door workload').waitFor()

  // Ana, on the map, sees the factor, the episode and the link between them.
  await ana.page.getByRole('link', { name: 'Factor map' }).click()
  const map = ana.page.getByTestId('factor-map')
  await map.getByText('Front-door workload').waitFor()
  await map.getByText('School referral about bruising').waitFor()
  // A link's label shows once one of its ends is selected (all at once they pile up).
  assert.equal(await map.locator('.react-flow__edge-text').count(), 0)
  await map.getByText('Front-door workload').click()
  await map.getByText('contributed to (hinders practice)').waitFor()

  // A factor added on the map, linked from the keyboard path, shows in Sam's table.
  await ana.page.getByRole('button', { name: 'Add factor' }).click()
  await ana.page.getByTestId('map-node-title').fill('Threshold protocol')
  await ana.page.getByLabel('Level').selectOption({ label: 'Local strategic' })
  await ana.page.getByLabel('To', { exact: true }).selectOption({ label: 'Key practice episode: School referral about bruising' })
  await ana.page.getByLabel('Kind of link').selectOption({ label: 'constrained' })
  await ana.page.getByRole('button', { name: 'Add link' }).click()
  await sam.page.getByTestId('episode-row').first().getByText('Front-door workload; Threshold protocol').waitFor()

  // Dragging a node writes its place once, on drop; tidy places every node.
  const node = map.getByText('School referral about bruising')
  const box = await node.boundingBox()
  await ana.page.mouse.move(box.x + 20, box.y + 10)
  await ana.page.mouse.down()
  await ana.page.mouse.move(box.x + 140, box.y + 30, { steps: 8 })
  await ana.page.mouse.up()
  let json = await converged(sam.page, ana.page)
  const [episodeId] = Object.keys(json.episodes)
  assert.ok(json.layout[episodeId], 'the dragged episode has a place')
  await ana.page.getByRole('button', { name: 'Tidy layout' }).click()
  json = await converged(sam.page, ana.page)
  assert.equal(Object.keys(json.layout).length, 3)

  assert.deepEqual(await accessibilityProblems(ana.page), [], 'factor map')
  await screenshot(ana.page, 'factor-map')

  // From the keyboard the map is its nodes: Enter opens one with the focus in its panel,
  // Escape goes back to the node, and a link opens from its node's panel.
  await ana.page.keyboard.press('Escape')
  assert.equal(await map.locator('.react-flow__edge[tabindex="0"]').count(), 0, 'links are not tab stops')
  const first = map.locator('.react-flow__node-entity').first()
  await first.focus()
  await ana.page.keyboard.press('Enter')
  await waitFor(async () => (await ana.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'map-node-title', 'the focus is in the panel')
  await ana.page.keyboard.press('Escape')
  await waitFor(async () => ana.page.evaluate(() => document.activeElement?.classList.contains('react-flow__node') ?? false), `the focus is back on the node (it is on ${await ana.page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))})`)
  await ana.page.keyboard.press('Enter')
  await ana.page.locator('.panel').getByRole('button', { name: /^Details/ }).first().click()
  await ana.page.locator('.panel').getByRole('heading', { name: /Link/ }).first().waitFor()
  assert.deepEqual([...sam.errors, ...ana.errors], [])
  await Promise.all([sam.context.close(), ana.context.close()])
})

test('edits made offline survive a reload on this device, and reach the others later', async () => {
  const review = await server.createReview({ people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana')
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('Home visit')
  await ana.page.getByTestId('episode-row').first().getByText('Home visit').waitFor()

  // From now on this page cannot reach the server.
  await ana.page.routeWebSocket(/\/sync\//, (ws) => ws.close())
  await ana.page.evaluate(() => window.__board.disconnect())
  await ana.page.getByTestId('episode-row').first().click()
  await ana.page.getByTestId('episode-what-happened').fill('Written offline.')
  await ana.page.getByTestId('connection').getByText('kept on this device').waitFor()

  // Leaving with unsent edits asks first; the edit is still on the device after a reload.
  const dialogs = []
  ana.page.on('dialog', (dialog) => {
    dialogs.push(dialog.type())
    void dialog.accept()
  })
  await waitFor(() => storedOnDevice(ana.page, 'Written offline.'), 'the offline edit is written to IndexedDB')
  await ana.page.reload()
  assert.deepEqual(dialogs, ['beforeunload'])
  await ana.page.getByTestId('episode-row').first().getByText('Written offline.').waitFor()
  const samJson = await sam.page.evaluate(() => JSON.stringify(window.__board.doc.toJSON()))
  assert.ok(!samJson.includes('Written offline.'), 'nothing reached the server while offline')

  // Back online (a new tab on the same device): the edit reaches Sam.
  const back = await ana.context.newPage()
  await back.goto(`${server.base}/r/${review.id}/board`)
  await back.getByTestId('connection').getByText('Connected').waitFor()
  await sam.page.getByTestId('episode-row').first().getByText('Written offline.').waitFor()
  await Promise.all([sam.context.close(), ana.context.close()])
})

test('the table filters by status and agency and sorts by date', async () => {
  const review = await server.createReview({ people: ['sam'] })
  const sam = await openBoard(browser, server, review, 'sam')
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    schema.addEpisode(doc, { title: 'Late', dateStart: '2023-09-01', agencies: ['Police'], status: 'agreed' })
    schema.addEpisode(doc, { title: 'Undated', agencies: ['Health visiting'] })
    schema.addEpisode(doc, { title: 'Early', dateStart: '2023-02-10', agencies: ['Police', 'Education'] })
  })
  const titles = () => sam.page.getByTestId('episode-row').locator('th').allInnerTexts()
  await sam.page.getByTestId('episode-row').nth(2).waitFor()
  assert.deepEqual(await titles(), ['Late', 'Undated', 'Early'])
  await sam.page.getByLabel('Order').selectOption({ label: 'By date' })
  assert.deepEqual(await titles(), ['Early', 'Late', 'Undated'])
  await sam.page.getByLabel('Agency').selectOption('Police')
  assert.deepEqual(await titles(), ['Early', 'Late'])
  await sam.page.getByLabel('Status').selectOption({ label: 'Candidate' })
  assert.deepEqual(await titles(), ['Early'])
  await sam.page.getByText('Showing 1 of 3 episodes').waitFor()

  // Back to the arranged order; moving a row up changes it for everyone.
  await sam.page.getByLabel('Status').selectOption({ label: 'All statuses' })
  await sam.page.getByLabel('Agency').selectOption({ label: 'All agencies' })
  await sam.page.getByLabel('Order').selectOption({ label: 'As arranged' })
  await sam.page.getByTestId('episode-row').nth(2).click()
  await sam.page.getByRole('button', { name: 'Move up' }).click()
  assert.deepEqual(await titles(), ['Late', 'Early', 'Undated'])
  await sam.context.close()
})
