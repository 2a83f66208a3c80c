// Help: a short guide to the Learning Together model as the board uses it, and a
// glossary. Reachable from every screen (the header) and from the field hints, which
// link to the entry they use (/help#local-rationality). The typology, factor levels and
// types and recommendation types come from the same vocabulary the boards copy, so the
// words here are the words on the board and in the report.

import { useEffect } from 'react'

import { FACTOR_LEVELS, FACTOR_TYPES, RECOMMENDATION_TYPES, TYPOLOGY, type Vocabulary } from '../board/vocabulary'
import { Page } from './App'

const byOrder = (v: Vocabulary) => Object.entries(v).sort(([, a], [, b]) => a.order - b.order)

/** A glossary entry's address, for field hints. */
export const helpHref = (entry: string) => `/help#${entry}`

/** "What is this?" after a field's hint: the glossary entry, in a new tab so no work is left. */
export function HelpLink({ entry, children }: { entry: string; children: React.ReactNode }) {
  return (
    <a href={helpHref(entry)} target="_blank" rel="noopener" className="help-link">
      {children}
      <span className="visually-hidden"> (opens the help in a new tab)</span>
    </a>
  )
}

function Term({ id, term, children }: { id: string; term: string; children: React.ReactNode }) {
  return (
    <>
      <dt id={id} tabIndex={-1}>
        {term}
      </dt>
      <dd>{children}</dd>
    </>
  )
}

export function HelpPage() {
  // An address such as /help#local-rationality shows that entry.
  useEffect(() => {
    const id = location.hash.slice(1)
    if (id) requestAnimationFrame(() => document.getElementById(id)?.scrollIntoView())
  }, [])
  return (
    <Page title="Help: the Learning Together model on the board">
      <h1>Help</h1>
      <p className="lede">
        The board follows SCIE’s Learning Together systems model: a review team of senior managers and a case group of
        the frontline staff who worked the case find out <em>why</em> practice went as it did, so that the safeguarding
        partnership can change what made it likely. It is about the system, not about blaming individuals.
      </p>
      <nav className="contents" aria-label="On this page">
        <ul>
          <li>
            <a href="#guide">How a review runs on the board</a>
          </li>
          <li>
            <a href="#glossary">Glossary</a>
          </li>
          <li>
            <a href="#typology">The typology of underlying patterns</a>
          </li>
          <li>
            <a href="#working">Working together on the board</a>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="guide">
        <h2 id="guide">How a review runs on the board</h2>
        <ol>
          <li>
            <strong>Practice-analysis table.</strong> Add a row for each key practice episode, in time order: what happened,
            how it was seen at the time, and the review team’s appraisal of practice.
          </li>
          <li>
            <strong>Factor map.</strong> For each episode, ask what made that practice more or less likely: the contributory
            factors, at the frontline, in local strategy, or national. Link each factor to the episodes it influenced.
          </li>
          <li>
            <strong>Findings.</strong> Look for patterns that go beyond this case: classify each finding by the typology, link
            the episodes that show it, and set out questions and recommendations for the board.
          </li>
          <li>
            <strong>Snapshots.</strong> At the end of each meeting, the lead reviewer takes a snapshot of what was agreed. The
            report is made from a snapshot.
          </li>
        </ol>
      </section>

      <section aria-labelledby="glossary">
        <h2 id="glossary">Glossary</h2>
        <dl className="glossary">
          <Term id="key-practice-episode" term="Key practice episode">
            A moment in the case that matters for understanding how it developed — good practice as well as problematic.
            Each has a reference (E1, E2, …) that never changes, whatever order the table is in.
          </Term>
          <Term id="local-rationality" term="Local rationality (how it was seen at the time)">
            What made sense to the people involved, given what they knew, the pressures on them and the tools they had.
            The review judges practice against what was knowable then, not with hindsight.
          </Term>
          <Term id="appraisal" term="Appraisal of practice">
            The review team’s judgement of the practice in an episode: good, mixed, problematic or unclear, with the reasons.
          </Term>
          <Term id="contributory-factors" term="Contributory factors">
            What made the practice more or less likely. Each has a level:{' '}
            {byOrder(FACTOR_LEVELS)
              .map(([, e]) => e.label.toLowerCase())
              .join(', ')}
            ; and a type: {byOrder(FACTOR_TYPES)
              .map(([, e]) => e.label.toLowerCase())
              .join('; ')}
            . A factor’s influence on practice is supportive, hindering or mixed.
          </Term>
          <Term id="links" term="Links and their effect">
            On the factor map, a link says how one thing bore on another: a factor contributed to, supported or constrained
            an episode; an episode is evidence for a finding. Its effect on practice is positive (supports practice),
            negative (hinders practice) or neutral. A new link from a supportive factor starts positive, from a hindering
            one negative, from a mixed one neutral; change it where the link says otherwise.
          </Term>
          <Term id="findings" term="Findings">
            Underlying patterns in the multi-agency system that this case shows and that are likely to recur. Each is
            classified by the typology, evidenced by episodes, and explains why it matters. Findings have references (F1,
            F2, …).
          </Term>
          <Term id="recommendations" term="Recommendations">
            What the review asks of the board, of three types:
            <ul>
              {byOrder(RECOMMENDATION_TYPES).map(([code, e]) => (
                <li key={code}>
                  <strong>{e.label}.</strong> {e.description}
                </li>
              ))}
            </ul>
          </Term>
          <Term id="snapshot" term="Snapshot">
            The board as it was at one moment, usually what a meeting agreed. Snapshots never change; they are compared,
            restored, and made into the report.
          </Term>
          <Term id="pseudonymisation" term="Pseudonymisation register">
            The names the review replaces whenever anything leaves the board (exports, the report), kept by the lead reviewer.
          </Term>
        </dl>
      </section>

      <section aria-labelledby="typology">
        <h2 id="typology">The typology of underlying patterns</h2>
        <p>Findings are classified by these six categories; the board and the report use the same names.</p>
        <dl className="glossary">
          {byOrder(TYPOLOGY).map(([code, e], i) => (
            <Term key={code} id={`typology-${code}`} term={`${i + 1}. ${e.label}`}>
              {e.shortLabel && <>Shown in short as “{e.shortLabel}”. </>}
              {e.description}
            </Term>
          ))}
        </dl>
      </section>

      <section aria-labelledby="working">
        <h2 id="working">Working together on the board</h2>
        <dl className="glossary">
          <Term id="agreed-work" term="Agreed work and suggestions">
            Once the review team agrees an episode or finding, only the review team and lead reviewers change it; the case
            group suggests changes, which show beside the item for the review team to accept or decline. Editing an episode
            checked with the case group marks it for re-checking.
          </Term>
          <Term id="deleted-items" term="Deleted items">
            Whatever is deleted from the board can be put back by the review team or a lead reviewer from “Deleted items” on
            the review page, with its links.
          </Term>
          <Term id="comments" term="Comments">
            Any episode, factor, finding or link can carry comments: questions and notes to come back to, in threads. Type
            @ to mention someone in the review. “Comments” above the board shows what is new for you (threads you wrote
            in or are mentioned in, and items you changed). Resolve a thread when it is done. Comments stay beside the
            board: they are not in snapshots, comparisons or the report.
          </Term>
          <Term id="dates" term="Dates">
            Type dates as you would write them: 02/07/2025, 2 Jul 2025, July 2025 or 2025; “about March 2024” for an
            approximate date; 2–9 Jul 2025 for a period.
          </Term>
          <Term id="offline" term="Working offline">
            Changes made without a connection are kept on this device and shared when it reconnects. If two people set the
            same choice at the same time, both are told which value the board kept.
          </Term>
          <Term id="keyboard" term="Keyboard">
            In the table, the arrow keys move between cells, Enter opens a row’s panel at that field, Escape closes it, and
            Alt with the up and down arrows moves a row. Ctrl+Z and Ctrl+Shift+Z undo and redo your own changes.
          </Term>
        </dl>
      </section>
    </Page>
  )
}
