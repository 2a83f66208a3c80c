// The whole board on one page, to print or to project in the meeting room: every
// column of the practice-analysis table (wrapped, nothing cut), the findings with their
// recommendations, and the factor map drawn as a plain picture, without the app's
// controls. "Large type" is for a projector; printing uses the print stylesheet. The
// page reads the board as stored and reads it again every 15 seconds while projecting.

import { useState } from 'react'

import { api } from '../api/client'
import { keys, refusedWith, useApi } from '../api/queries'
import { formatWhen } from '../board/dates'
import type { PlainBoard } from '../board/plain'
import { LINK_KIND_LABELS, QUALITY_LABELS, STATUS_LABELS, FINDING_STATUS_LABELS } from './format'
import { linkTo, boardHref, reviewHref } from './route'
import { usePageTitle } from './session'

export function PrintScreen({ reviewId }: { reviewId: string }) {
  const [large, setLarge] = useState(false)
  const detail = useApi(keys.review(reviewId), () => api.review(reviewId))
  const boardQuery = useApi(keys.liveBoard(reviewId), () => api.liveBoard(reviewId), {
    refetchInterval: large ? 15_000 : false,
  })
  const title = detail.data?.review.title ?? 'Review'
  usePageTitle(`The whole board: ${title}`)
  const failure = refusedWith(detail.error) || refusedWith(boardQuery.error) ? 'This review is not available to you.' : detail.failure || boardQuery.failure
  const b = boardQuery.data
  return (
    <main className={`print-page${large ? ' projector' : ''}`} id="main" tabIndex={-1}>
      <nav className="print-controls" aria-label="Print and projection">
        <a {...linkTo(boardHref(reviewId))}>Back to the board</a>
        <a {...linkTo(reviewHref(reviewId))}>Review page</a>
        <label className="checkbox">
          <input type="checkbox" checked={large} onChange={(e) => setLarge(e.target.checked)} data-testid="large-type" /> Large type for a
          projector (refreshes every 15 seconds)
        </label>
        <button className="button secondary" type="button" onClick={() => window.print()}>
          Print
        </button>
      </nav>
      <h1>{title}: the board</h1>
      {failure ? (
        <p className="error-message" role="alert">
          {failure}
        </p>
      ) : !b ? (
        <p role="status">Reading the board…</p>
      ) : (
        <WholeBoard b={b} />
      )}
    </main>
  )
}

const labelIn = (b: PlainBoard, vocab: keyof PlainBoard['vocabularies'], code: string) => b.vocabularies[vocab]?.[code]?.label ?? code

function WholeBoard({ b }: { b: PlainBoard }) {
  const titleOf = (id: string) => {
    const e = b.episodes.find((x) => x.id === id)
    if (e) return `${e.ref ?? 'Episode'} ${e.title}`.trim()
    const f = b.factors.find((x) => x.id === id)
    if (f) return f.title
    const g = b.findings.find((x) => x.id === id)
    return g ? `${g.ref ?? 'Finding'} ${g.statement}`.trim() : ''
  }
  const linked = (id: string, kind?: string) =>
    b.links.filter((l) => (l.from === id || l.to === id) && (!kind || l.kind === kind)).map((l) => (l.from === id ? l.to : l.from))
  return (
    <>
      <section aria-labelledby="print-table">
        <h2 id="print-table">Practice-analysis table</h2>
        {b.episodes.length === 0 ? (
          <p>No key practice episodes yet.</p>
        ) : (
          <table className="print-table" data-testid="print-table">
            <thead>
              <tr>
                <th scope="col">Ref.</th>
                <th scope="col">Episode and when</th>
                <th scope="col">What happened</th>
                <th scope="col">How it was seen at the time</th>
                <th scope="col">Appraisal of practice</th>
                <th scope="col">Contributory factors</th>
                <th scope="col">Evidence and open questions</th>
              </tr>
            </thead>
            <tbody>
              {b.episodes.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{e.ref ?? ''}</th>
                  <td>
                    <strong>{e.title || 'Untitled episode'}</strong>
                    <br />
                    {formatWhen(e.dateKind, e.dateStart, e.dateEnd) || 'Date not set'}
                    {e.agencies.length > 0 && (
                      <>
                        <br />
                        {e.agencies.join(', ')}
                      </>
                    )}
                    <br />
                    {STATUS_LABELS[e.status] ?? ''}
                  </td>
                  <td>{e.whatHappened}</td>
                  <td>{e.seenAtTheTime}</td>
                  <td>
                    {e.quality && <strong>{QUALITY_LABELS[e.quality] ?? e.quality}. </strong>}
                    {e.appraisal}
                  </td>
                  <td>
                    {linked(e.id)
                      .filter((id) => b.factors.some((f) => f.id === id))
                      .map((id) => (
                        <div key={id}>{titleOf(id)}</div>
                      ))}
                  </td>
                  <td>
                    {e.evidence}
                    {e.openQuestions && (
                      <>
                        {e.evidence && <br />}
                        <em>Open questions:</em> {e.openQuestions}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="print-findings" className="print-findings">
        <h2 id="print-findings">Findings</h2>
        {b.findings.length === 0 && <p>No findings yet.</p>}
        {b.findings.map((g) => (
          <article key={g.id} className="print-finding">
            <h3>
              {g.ref ? `${g.ref}: ` : ''}
              {g.statement || 'No statement yet'}
            </h3>
            <p>
              {g.category ? labelIn(b, 'typology', g.category) : 'Not yet classified'} · {FINDING_STATUS_LABELS[g.status] ?? g.status}
            </p>
            <dl>
              {(
                [
                  ['Episodes that show it', linked(g.id, 'evidence_for').map(titleOf).join('; ')],
                  ['How it showed in this case', g.inCase],
                  ['Why it is underlying', g.underlying],
                  ['How widespread it is', g.widespread],
                  ['Why it matters', g.matters],
                  ['Questions for the board', g.questions],
                ] as const
              )
                .filter(([, text]) => text)
                .map(([term, text]) => (
                  <div key={term}>
                    <dt>{term}</dt>
                    <dd>{text}</dd>
                  </div>
                ))}
            </dl>
            {g.recommendations.length > 0 && (
              <ol className="print-recommendations">
                {g.recommendations.map((r) => (
                  <li key={r.id}>
                    {r.text} <em>({labelIn(b, 'recommendationTypes', r.type)})</em>
                  </li>
                ))}
              </ol>
            )}
          </article>
        ))}
      </section>

      <section aria-labelledby="print-map" className="print-map">
        <h2 id="print-map">Factor map</h2>
        <MapPicture b={b} titleOf={titleOf} />
        {b.links.length > 0 && (
          <ul className="print-links">
            {b.links.map((l) => (
              <li key={l.id}>
                {titleOf(l.from)} {LINK_KIND_LABELS[l.kind] ?? l.kind} {titleOf(l.to)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}

/** The factor map as a plain picture: nodes where the map has them, links as lines. */
function MapPicture({ b, titleOf }: { b: PlainBoard; titleOf: (id: string) => string }) {
  const placed = Object.entries(b.layout).filter(([id]) => titleOf(id))
  if (placed.length === 0) return <p>Nothing is placed on the map yet.</p>
  const W = 180
  const H = 48
  const xs = placed.map(([, p]) => p.x)
  const ys = placed.map(([, p]) => p.y)
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)]
  const width = Math.max(...xs) - minX + W + 20
  const height = Math.max(...ys) - minY + H + 20
  const at = new Map(placed.map(([id, p]) => [id, { x: p.x - minX + 10, y: p.y - minY + 10 }]))
  const clip = (text: string) => (text.length > 26 ? `${text.slice(0, 25)}…` : text)
  return (
    <svg
      className="map-picture"
      viewBox={`0 0 ${width} ${height}`}
      // Never drawn larger than the map itself (a small map would fill the page).
      style={{ maxWidth: width * 1.25 }}
      role="img" aria-label="The factor map (its links are listed below)" data-testid="map-picture">
      {b.links.map((l) => {
        const [a, c] = [at.get(l.from), at.get(l.to)]
        if (!a || !c) return null
        return <line key={l.id} x1={a.x + W / 2} y1={a.y + H / 2} x2={c.x + W / 2} y2={c.y + H / 2} stroke="#505a5f" strokeWidth={2} />
      })}
      {placed.map(([id]) => {
        const p = at.get(id)!
        return (
          <g key={id}>
            <rect x={p.x} y={p.y} width={W} height={H} rx={6} fill="#fff" stroke="#0b0c0c" strokeWidth={2} />
            <text x={p.x + 8} y={p.y + H / 2 + 5} fontSize={14}>
              {clip(titleOf(id))}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
