// A comparison's result: the counts, the legend, and the tabs (table, findings, map).

import { type Comparison } from '../../api/client'
import { type PlainBoard } from '../../board/plain'
import { kindSummaries, noDifferences, summarise } from '../../review/compare'
import { ScreenTabs, useView } from '../BoardTabs'
import { linkTo, snapshotHref } from '../route'
import { CompareEpisodes, CompareFindings, CompareMapTab } from './tabs'

export function Result({
  reviewId,
  c,
  before,
  after,
  from,
  to,
  fromName,
  toName,
  view,
  show,
  stale,
  again,
}: {
  reviewId: string
  c: Comparison
  before: PlainBoard
  after: PlainBoard
  from: string
  to: string
  fromName: string
  toName: string
  view: ReturnType<typeof useView>[0]
  show: ReturnType<typeof useView>[1]
  stale: boolean
  again: () => void
}) {
  const counts = summarise(c)
  const n = (k: { added: unknown[]; removed: unknown[]; changed: unknown[] }) => k.added.length + k.removed.length + k.changed.length
  const tabCounts = {
    table: `(${n(c.episodes)})`,
    map: `(${n(c.factors) + n(c.links) + c.moved_on_map.length})`,
    findings: `(${n(c.findings) + n(c.recommendations)})`,
  }
  const same = from === to
  return (
    <>
      {stale && (
        <p className="notice" role="status" data-testid="compare-stale">
          The live board has changed since this comparison was made.{' '}
          <button className="link-button" type="button" onClick={again}>
            Compare again
          </button>
        </p>
      )}
      <section className="compare-summary" aria-labelledby="compare-summary-heading" data-testid="compare-summary">
        <h2 id="compare-summary-heading" className="visually-hidden">
          Summary
        </h2>
        <ul className="tiles">
          <Tile n={counts.added} word="added" mark="added" />
          <Tile n={counts.removed} word="removed" mark="removed" />
          <Tile n={counts.changed} word="changed" mark="changed" />
          <Tile n={counts.reclassified} word={counts.reclassified === 1 ? 'finding re-classified' : 'findings re-classified'} mark="changed" />
          <Tile n={counts.moved} word="moved on the map" mark="moved" />
        </ul>
        {kindSummaries(c).length > 0 && <p className="kind-summary">{kindSummaries(c).join(' · ')}</p>}
      </section>
      {noDifferences(c) ? (
        <div className="empty-state" data-testid="compare-empty">
          <h2>No differences</h2>
          <p>
            {same
              ? 'You chose the same board on both sides. Choose another snapshot, or the live board, to compare with.'
              : `${capital(fromName)} and ${toName} hold the same episodes, factors, findings, recommendations and links, in the same places on the map.`}
          </p>
        </div>
      ) : (
        <>
          <ScreenTabs view={view} onChange={show} label="What to compare" counts={tabCounts} />
          <div className="compare-body">
            {view === 'findings' ? (
              <CompareFindings c={c} before={before} after={after} fromName={fromName} toName={toName} />
            ) : view === 'map' ? (
              <CompareMapTab c={c} before={before} after={after} fromName={fromName} toName={toName} />
            ) : (
              <CompareEpisodes c={c} before={before} after={after} fromName={fromName} toName={toName} />
            )}
          </div>
        </>
      )}
      <p className="compare-links">
        {from !== 'live' && <a {...linkTo(snapshotHref(reviewId, from, view))}>Open {fromName}</a>}
        {to !== 'live' && <a {...linkTo(snapshotHref(reviewId, to, view))}>Open {toName}</a>}
      </p>
    </>
  )
}

const capital = (s: string) => s.replace(/^(“?)(\w)/, (_, q: string, c: string) => q + c.toUpperCase())

function Tile({ n, word, mark }: { n: number; word: string; mark: 'added' | 'removed' | 'changed' | 'moved' }) {
  return (
    <li className={`tile${n ? ` tile-${mark}` : ' tile-none'}`} data-testid={`count-${word.replace(/\s+/g, '-')}`}>
      <span className="tile-count">{n}</span> <span className="tile-word">{word}</span>
    </li>
  )
}
