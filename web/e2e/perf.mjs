// Measures the board with 200 episodes, 500 factors and 50 findings in real Chromium,
// against the real server. Not a test: run `node e2e/perf.mjs` after building
// (SERVER_BIN as for the browser tests). Prints medians; figures go in
// docs/benchmarks.md.

import { converged, launchBrowser, openBoard, startServer } from './harness.mjs'

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const server = await startServer()
const browser = await launchBrowser()
const review = await server.createReview({ title: 'Large board', people: ['sam', 'ana'] })
const sam = await openBoard(browser, server, review, 'sam')

let t = performance.now()
await sam.page.evaluate(() => {
  const { doc, schema } = window.__board
  const factors = []
  for (let i = 0; i < 500; i++) {
    factors.push(
      schema.addFactor(doc, {
        title: `Factor ${i}: workload and supervision across teams`,
        description: 'Staffing was below establishment for most of the period.',
        level: ['frontline', 'local_strategic', 'national'][i % 3],
      }),
    )
  }
  const episodes = []
  for (let i = 0; i < 200; i++) {
    const id = schema.addEpisode(doc, {
      title: `Episode ${i}: home visit and referral`,
      dateStart: `2023-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      agencies: ['Health visiting', 'Police', 'Education'].slice(0, (i % 3) + 1),
      whatHappened: 'The health visitor saw the child at home; the referral was screened the same day. '.repeat(3),
      appraisal: 'The decision was reasonable given what was known at the time. '.repeat(2),
    })
    episodes.push(id)
    for (let k = 0; k < 3; k++) schema.addLink(doc, factors[(i * 3 + k) % 500], id, 'contributed_to', 'negative')
  }
  for (let i = 0; i < 50; i++) {
    const id = schema.addFinding(doc, { statement: `Finding ${i}: referrals are judged one at a time.`, category: 'human_tool_operation' })
    schema.addRecommendation(doc, id, { text: 'Show contact history on the referral screen.' })
    for (let k = 0; k < 4; k++) schema.addLink(doc, episodes[(i * 4 + k) % 200], id, 'evidence_for', 'neutral')
  }
})
const built = performance.now() - t

// A second person opens the board.
t = performance.now()
const ana = await openBoard(browser, server, review, 'ana')
await ana.page.getByTestId('episode-row').nth(199).waitFor()
const opened = performance.now() - t
await converged(sam.page, ana.page)

// Typing in a long field on the large board: time per keystroke, handled and rendered.
await ana.page.getByTestId('episode-row').nth(100).click()
const box = ana.page.getByTestId('episode-appraisal')
await box.click()
await ana.page.keyboard.press('End')
const keystrokes = []
for (let i = 0; i < 40; i++) {
  const start = performance.now()
  await ana.page.keyboard.type('x')
  keystrokes.push(performance.now() - start)
}

// A remote edit: from Sam's change to Ana's screen showing it.
const remote = []
await ana.page.getByTestId('episode-row').nth(5).click()
for (let i = 0; i < 15; i++) {
  const marker = `remote-${i}-${Date.now()}`
  const start = performance.now()
  await sam.page.evaluate((m) => {
    const { doc } = window.__board
    const [, episode] = window.__board.schema.ordered(doc.getMap('episodes'))[5]
    episode.get('whatHappened').insert(0, m)
  }, marker)
  await ana.page.getByTestId('episode-what-happened').evaluate(
    (el, m) => new Promise((resolve) => {
      const check = () => (el.value.includes(m) ? resolve() : requestAnimationFrame(check))
      check()
    }),
    marker,
  )
  remote.push(performance.now() - start)
}

// Switching screens.
t = performance.now()
await ana.page.getByRole('link', { name: 'Factor map' }).click()
await ana.page.getByTestId('factor-map').locator('.react-flow__node-entity').first().waitFor()
const mapOpened = performance.now() - t
t = performance.now()
await ana.page.getByRole('link', { name: 'Findings' }).click()
await ana.page.getByTestId('finding-card').nth(49).waitFor()
const findingsOpened = performance.now() - t

console.log(
  JSON.stringify(
    {
      board: '200 episodes, 500 factors, 50 findings, 800 links',
      buildMs: Math.round(built),
      secondPersonOpensTableMs: Math.round(opened),
      keystrokeMedianMs: +median(keystrokes).toFixed(1),
      keystrokeMaxMs: +Math.max(...keystrokes).toFixed(1),
      remoteEditMedianMs: +median(remote).toFixed(1),
      remoteEditMaxMs: +Math.max(...remote).toFixed(1),
      openMapMs: Math.round(mapOpened),
      openFindingsMs: Math.round(findingsOpened),
    },
    null,
    2,
  ),
)
await browser.close()
await server.stop()
