// A small board built with the schema functions, byte-for-byte reproducible, used to
// check that every reader of the document (the server's among them) agrees with the
// writer. See schema.test.ts, which keeps fixtures/ up to date.

import * as Y from 'yjs'

import { addEpisode, addFactor, addFinding, addLink, addRecommendation, initBoard, moveAfter, place, board, setSeenBefore } from './schema'

export function buildFixtureBoard(): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 1
  initBoard(doc)
  const referral = addEpisode(
    doc,
    {
      title: 'School referral about bruising',
      dateKind: 'exact',
      dateStart: '2023-03-14',
      agencies: ['Education', "Children's social care"],
      whatHappened: 'The school referred bruising on the child’s arm to the front door.',
      seenAtTheTime: 'Seen as a single minor injury with a plausible explanation.',
      appraisal: 'The referral was not linked to two earlier contacts.',
      quality: 'problematic',
      evidence: 'Referral form; front-door log.',
      openQuestions: 'Was the health visitor told?',
      status: 'agreed',
    },
    { id: 'episode-referral' },
  )
  const visits = addEpisode(
    doc,
    {
      title: 'Health visiting over the summer',
      dateKind: 'period',
      dateStart: '2023-06',
      dateEnd: '2023-09',
      agencies: ['Health visiting'],
      quality: 'good',
    },
    { id: 'episode-visits' },
  )
  const strategy = addEpisode(
    doc,
    { title: 'Strategy discussion not convened', dateKind: 'approximate', dateStart: '2023-04' },
    { id: 'episode-strategy', afterId: referral },
  )
  moveAfter(board(doc).episodes, visits, null)
  const workload = addFactor(
    doc,
    { title: 'Front-door workload', description: '40 % over capacity that month.', type: 'conditions_of_work' },
    { id: 'factor-workload' },
  )
  const protocol = addFactor(
    doc,
    { title: 'Threshold protocol', level: 'local_strategic', type: 'tools_and_procedures', polarity: 'mixed' },
    { id: 'factor-protocol' },
  )
  const finding = addFinding(
    doc,
    {
      statement: 'Referrals are judged one at a time, without their history.',
      category: 'human_tool_operation',
      inCase: 'Episodes 1 and 2.',
      underlying: 'The case group described the same practice across teams.',
      widespread: 'An audit of 30 referrals found 19 alike.',
      matters: 'Patterns of concern are missed.',
      questions: 'How does the board know histories are checked?',
      status: 'agreed',
      priority: 'high',
    },
    { id: 'finding-history' },
  )
  addRecommendation(doc, finding, { text: 'Show contact history on the referral screen.' }, { id: 'rec-screen' })
  addRecommendation(
    doc,
    finding,
    { text: 'Decide what to drop to fund triage time.', type: 'management_tradeoff' },
    { id: 'rec-triage' },
  )
  const history = board(doc).findings.get(finding)
  if (history) {
    setSeenBefore(history, 'library-finding-1', {
      relation: 'recurrence',
      caseName: 'Child B',
      year: 2024,
      reference: 'F2',
      statement: 'Referrals were read without the family history.',
    })
  }
  addLink(doc, workload, referral, 'contributed_to', 'negative', { id: 'link-1' })
  addLink(doc, protocol, strategy, 'constrained', 'negative', { id: 'link-2' })
  addLink(doc, referral, finding, 'evidence_for', 'neutral', { id: 'link-3' })
  place(doc, referral, 120.4, 80)
  place(doc, workload, -40, 260.6)
  // Concurrent-looking edits inside texts, to exercise Y.Text structure.
  const title = board(doc).episodes.get(strategy)?.get('title')
  if (title instanceof Y.Text) title.insert(0, 'KPE: ')
  return doc
}
