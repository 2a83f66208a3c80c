// Texts and values in a comparison: words marked removed and added, a changed field's
// before and after cells, summaries of entities only on one side, and the legend.

import { type ReactNode } from 'react'

import { type FieldChange } from '../../api/client'
import { type PlainBoard, type PlainEpisode, type PlainFactor, type PlainFinding } from '../../board/plain'
import { sides, valueText, type CompareKind, type Segment } from '../../review/compare'
import { formatWhen } from '../format'

export function Words({ segments }: { segments: Segment[] }) {
  return (
    <span className="diff-text">
      {segments.map((s, i) => {
        if (s.op === 'same') return <span key={i}>{s.text}</span>
        // The marks hug the words: spaces around them stay plain.
        const [, before, words, after] = /^(\s*)([\s\S]*?)(\s*)$/.exec(s.text) ?? ['', '', s.text, '']
        const Mark = s.op === 'removed' ? 'del' : 'ins'
        return (
          <span key={i}>
            {before}
            <span className="visually-hidden">[{s.op}: </span>
            <Mark>{words}</Mark>
            <span className="visually-hidden">]</span>
            {after}
          </span>
        )
      })}
    </span>
  )
}

export const Absent = ({ text = 'Not on this board' }: { text?: string }) => <span className="absent">{text}</span>

/** The before and after cells of one changed field. */
export function FieldCells({
  kind,
  change,
  before,
  after,
  numbers,
}: {
  kind: CompareKind
  change: FieldChange
  before: PlainBoard
  after: PlainBoard
  numbers: { before?: number; after?: number }
}) {
  if (change.field === 'order') {
    return (
      <>
        <td>No. {numbers.before}</td>
        <td>No. {numbers.after}</td>
      </>
    )
  }
  if (change.words) {
    const { before: b, after: a } = sides(change.words)
    return (
      <>
        <td>{b.length ? <Words segments={b} /> : <Absent text="Empty" />}</td>
        <td>{a.length ? <Words segments={a} /> : <Absent text="Empty" />}</td>
      </>
    )
  }
  return (
    <>
      <td>
        <span className="visually-hidden">[was: </span>
        <del>{valueText(kind, change.field, change.before, before)}</del>
        <span className="visually-hidden">]</span>
      </td>
      <td>
        <span className="visually-hidden">[now: </span>
        <ins>{valueText(kind, change.field, change.after, after)}</ins>
        <span className="visually-hidden">]</span>
      </td>
    </>
  )
}

export const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** One term of an entity's summary; left out when it has nothing to show. */
function Term({ name, prose = false, children }: { name: string; prose?: boolean; children: ReactNode }) {
  if (children === '' || children === null || children === undefined || children === false) return null
  return (
    <div>
      <dt>{name}</dt>
      <dd className={prose ? 'prose' : undefined}>{children}</dd>
    </div>
  )
}

/** The main fields of an episode, for one that is only on one side. */
export function EpisodeSummary({ e, board }: { e: PlainEpisode; board: PlainBoard }) {
  return (
    <dl className="entity-summary">
      <Term name="When">{formatWhen(e.dateKind, e.dateStart, e.dateEnd)}</Term>
      <Term name="Agencies">{e.agencies.join(', ')}</Term>
      <Term name="What happened" prose>
        {e.whatHappened}
      </Term>
      <Term name="Appraisal" prose>
        {e.appraisal}
      </Term>
      <Term name="Practice">{valueText('episode', 'quality', e.quality, board)}</Term>
      <Term name="Status">{valueText('episode', 'status', e.status, board)}</Term>
    </dl>
  )
}

export function FindingSummary({ f, board }: { f: PlainFinding; board: PlainBoard }) {
  return (
    <dl className="entity-summary">
      <Term name="Category">{valueText('finding', 'category', f.category, board)}</Term>
      <Term name="How it showed in this case" prose>
        {f.inCase}
      </Term>
      <Term name="Status">
        {valueText('finding', 'status', f.status, board)}, {valueText('finding', 'priority', f.priority, board).toLowerCase()}
      </Term>
      <Term name="Recommendations">{f.recommendations.length || 'None'}</Term>
    </dl>
  )
}

export function FactorSummary({ f, board }: { f: PlainFactor; board: PlainBoard }) {
  return (
    <dl className="entity-summary">
      <Term name="Level">{valueText('factor', 'level', f.level, board)}</Term>
      <Term name="Influence">{valueText('factor', 'polarity', f.polarity, board)}</Term>
      <Term name="Description" prose>
        {f.description}
      </Term>
    </dl>
  )
}

/** What the colours mean, in words. */
export function Legend({ words = true }: { words?: boolean }) {
  return (
    <ul className="legend" aria-label="Key">
      <li>
        <span className="tag change-tag change-added">Added</span> only after
      </li>
      <li>
        <span className="tag change-tag change-removed">Removed</span> only before
      </li>
      <li>
        <span className="tag change-tag change-changed">Changed: …</span> the fields named changed
      </li>
      {words && (
        <>
          <li>
            <del>removed words</del> and <ins>added words</ins> in texts
          </li>
        </>
      )}
    </ul>
  )
}
