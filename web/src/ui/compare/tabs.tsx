// The comparison's tabs: the practice-analysis table, the findings (with their
// recommendations and re-classifications), and the factor map.

import { Suspense, lazy, useMemo, useState } from 'react'

import { type FieldChange } from '../../api/client'
import { type PlainBoard, type PlainEpisode, type PlainFactor, type PlainFinding, type PlainRecommendation } from '../../board/plain'
import { compareRows, fieldName, linkText, rowMark, titleOf, valueText, type CompareRow } from '../../review/compare'
import { CompareTable, type TabProps, UnchangedToggle } from './CompareTable'
import { Absent, EpisodeSummary, FactorSummary, FieldCells, FindingSummary, Legend } from './parts'

const CompareMap = lazy(() => import('./CompareMap').then((m) => ({ default: m.CompareMap })))

export function CompareEpisodes({ c, before, after, fromName, toName }: TabProps) {
  const [showSame, setShowSame] = useState(false)
  const rows = useMemo(() => compareRows(before.episodes, after.episodes, c.episodes), [before, after, c])
  const same = rows.filter((r) => r.change === 'same').length
  const shown = showSame ? rows : rows.filter((r) => r.change !== 'same')
  return (
    <section aria-labelledby="compare-table-heading">
      <div className="section-heading">
        <h2 id="compare-table-heading">Practice-analysis table</h2>
      </div>
      <Legend />
      <UnchangedToggle n={same} noun={same === 1 ? 'episode' : 'episodes'} on={showSame} onChange={setShowSame} />
      {shown.length === 0 ? (
        <p className="empty-note">No episode was added, removed or changed.</p>
      ) : (
        <CompareTable
          kind="episode"
          rows={shown}
          before={before}
          after={after}
          fromName={fromName}
          toName={toName}
          caption="Key practice episodes: before and after"
          title={(e: PlainEpisode) => e.title || 'Untitled episode'}
          summary={(e: PlainEpisode, board) => <EpisodeSummary e={e} board={board} />}
          testId="compare-episodes"
        />
      )}
    </section>
  )
}

export function CompareFindings({ c, before, after, fromName, toName }: TabProps) {
  const [showSame, setShowSame] = useState(false)
  const touched = useMemo(
    () =>
      new Set(
        [...c.recommendations.added, ...c.recommendations.removed, ...c.recommendations.changed]
          .map((r) => r.parent)
          .filter((p): p is string => !!p),
      ),
    [c],
  )
  const rows = useMemo(() => compareRows(before.findings, after.findings, c.findings, touched), [before, after, c, touched])
  const same = rows.filter((r) => r.change === 'same').length
  const shown = showSame ? rows : rows.filter((r) => r.change !== 'same')
  const reclassified = new Map(c.reclassified.map((r) => [r.id, r]))
  const recommendationRows = (row: CompareRow<PlainFinding>) => {
    const inFinding = (r: { parent?: string | null }) => r.parent === row.id
    const added = c.recommendations.added.filter(inFinding)
    const removed = c.recommendations.removed.filter(inFinding)
    const changed = c.recommendations.changed.filter(inFinding)
    const recs = (board: PlainBoard) => board.findings.find((f) => f.id === row.id)?.recommendations ?? []
    const number = (board: PlainBoard, id: string) => recs(board).findIndex((r) => r.id === id) + 1
    const find = (board: PlainBoard, id: string) => recs(board).find((r) => r.id === id)
    const recText = (r: PlainRecommendation | undefined, board: PlainBoard) =>
      r ? (
        <>
          <span className="prose">{r.text || 'No text yet'}</span>{' '}
          <span className="muted">({valueText('recommendation', 'type', r.type, board)})</span>
        </>
      ) : null
    const moved = reclassified.get(row.id)
    return (
      <>
        {moved && (
          <tr className="reclassified-row">
            <td colSpan={3}>
              <p className="reclassified" data-testid="reclassified">
                <strong>
                  Re-classified from “{moved.before_label}” to “{moved.after_label}”
                </strong>
              </p>
            </td>
          </tr>
        )}
        {added.map((r) => (
          <tr key={r.id} className="rec-row">
            <th scope="row">
              <span className="tag change-tag change-added">Added</span> Recommendation {number(after, r.id)}
            </th>
            <td>
              <Absent />
            </td>
            <td>{recText(find(after, r.id), after)}</td>
          </tr>
        ))}
        {removed.map((r) => (
          <tr key={r.id} className="rec-row">
            <th scope="row">
              <span className="tag change-tag change-removed">Removed</span> Recommendation {number(before, r.id)}
            </th>
            <td>{recText(find(before, r.id), before)}</td>
            <td>
              <Absent />
            </td>
          </tr>
        ))}
        {changed.flatMap((r) =>
          r.fields.map((f) => (
            <tr key={`${r.id}-${f.field}`} className="rec-row">
              <th scope="row">
                <span className="tag change-tag change-changed">Changed</span> Recommendation {number(after, r.id)}:{' '}
                {fieldName('recommendation', f.field)}
              </th>
              <FieldCells
                kind="recommendation"
                change={f}
                before={before}
                after={after}
                numbers={{ before: number(before, r.id), after: number(after, r.id) }}
              />
            </tr>
          )),
        )}
      </>
    )
  }
  return (
    <section aria-labelledby="compare-findings-heading">
      <div className="section-heading">
        <h2 id="compare-findings-heading">Findings</h2>
      </div>
      <Legend />
      <UnchangedToggle n={same} noun={same === 1 ? 'finding' : 'findings'} on={showSame} onChange={setShowSame} />
      {shown.length === 0 ? (
        <p className="empty-note">No finding or recommendation was added, removed or changed.</p>
      ) : (
        <CompareTable
          kind="finding"
          rows={shown}
          before={before}
          after={after}
          fromName={fromName}
          toName={toName}
          caption="Findings and their recommendations: before and after"
          title={(f: PlainFinding) => f.statement || 'No statement yet'}
          summary={(f: PlainFinding, board) => <FindingSummary f={f} board={board} />}
          extra={recommendationRows}
          testId="compare-findings"
        />
      )}
    </section>
  )
}

export function CompareMapTab({ c, before, after, fromName, toName }: TabProps) {
  const boards = [after, before]
  const factorRows = useMemo(() => compareRows(before.factors, after.factors, c.factors).filter((r) => r.change !== 'same'), [before, after, c])
  const linkOf = (id: string) => after.links.find((l) => l.id === id) ?? before.links.find((l) => l.id === id)
  const linkChanges = [
    ...c.links.added.map((l) => ({ id: l.id, mark: 'added' as const, words: 'Added', fields: [] as FieldChange[] })),
    ...c.links.removed.map((l) => ({ id: l.id, mark: 'removed' as const, words: 'Removed', fields: [] as FieldChange[] })),
    ...c.links.changed.map((l) => ({ id: l.id, mark: 'changed' as const, words: rowMark('link', { change: 'changed', fields: l.fields }), fields: l.fields })),
  ]
  return (
    <section aria-labelledby="compare-map-heading">
      <div className="section-heading">
        <h2 id="compare-map-heading">Factor map</h2>
      </div>
      <p className="field-hint">
        The map of {toName}, with what changed since {fromName} marked on it. Removed nodes and links are drawn where they
        were, with a dashed outline.
      </p>
      <Suspense fallback={<p role="status">Loading the factor map…</p>}>
        <CompareMap before={before} after={after} c={c} />
      </Suspense>
      <h3>Contributory factors</h3>
      {factorRows.length === 0 ? (
        <p className="empty-note">No factor was added, removed or changed.</p>
      ) : (
        <CompareTable
          kind="factor"
          rows={factorRows}
          before={before}
          after={after}
          fromName={fromName}
          toName={toName}
          caption="Contributory factors: before and after"
          title={(f: PlainFactor) => f.title || 'Untitled factor'}
          summary={(f: PlainFactor, board) => <FactorSummary f={f} board={board} />}
          testId="compare-factors"
        />
      )}
      <h3>Links</h3>
      {linkChanges.length === 0 ? (
        <p className="empty-note">No link was added, removed or changed.</p>
      ) : (
        <ul className="change-list" data-testid="compare-links">
          {linkChanges.map((l) => {
            const link = linkOf(l.id)
            return (
              <li key={l.id}>
                <span className={`tag change-tag change-${l.mark}`}>{l.words}</span>{' '}
                {link ? linkText(link, l.mark === 'removed' ? [before, after] : boards) : 'A link'}
                {l.fields.length > 0 && (
                  <span className="muted">
                    {' '}
                    (
                    {l.fields
                      .map((f) => `${fieldName('link', f.field)}: ${linkValue(f.field, f.before, boards)} → ${linkValue(f.field, f.after, boards)}`)
                      .join('; ')}
                    )
                  </span>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {c.moved_on_map.length > 0 && (
        <>
          <h3>Moved on the map</h3>
          <ul className="change-list" data-testid="compare-moved">
            {c.moved_on_map.map((id) => (
              <li key={id}>
                <span className="tag change-tag change-moved">Moved</span> {titleOf(id, boards)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function linkValue(field: string, value: string, boards: PlainBoard[]): string {
  if (field === 'from' || field === 'to') return `“${titleOf(value, boards)}”`
  return valueText('link', field, value)
}
