// Thematic analysis in the library: a matrix of two coded facets (typology by factor
// level, by recommendation type, agency by typology, factor type by factor type), each
// cell the distinct reviews with a finding carrying both codes, shaded by count and
// opening the findings behind it; trends of a category per year, normalised by the
// year's reviews; and the patterns that persist. The heatmap and the bars (charts.tsx)
// are for the eye; each has its table beside it, which a screen reader and the
// keyboard use, holding exactly what the figure shows.

import { keepPreviousData } from '@tanstack/react-query'
import { useState } from 'react'

import { api, type Schemas } from '../../api/client'
import { keys, useApi } from '../../api/queries'
import { Heatmap, TrendChart, periodLabel, shortLabel } from './charts'
import { FACET_NAMES } from './facets'

const AXES = FACET_NAMES.slice(0, 7)

/** A cell's shade: from white to the board's blue, by its share of the largest count. */
function shade(count: Schemas['ReviewCount'], largest: number): React.CSSProperties {
  const n = count.reviews ?? 0
  if (!n || !largest) return {}
  const strength = 0.15 + 0.6 * (n / largest)
  return { background: `rgba(29, 112, 184, ${strength.toFixed(2)})`, color: strength > 0.5 ? '#fff' : undefined }
}

export function LibraryMatrixView({ query, onOpen }: { query: string; onOpen: (pairs: [string, string][]) => void }) {
  const openCell = (rowCode: string, columnCode: string) =>
    onOpen(rows === columns ? [[rows, rowCode]] : [[rows, rowCode], [columns, columnCode]])
  const [rows, setRows] = useState('category')
  const [columns, setColumns] = useState('level')
  const params = new URLSearchParams(query)
  params.set('rows', rows)
  params.set('columns', columns)
  const matrixQuery = params.toString()
  const matrix = useApi(keys.libraryPart('matrix', matrixQuery), () => api.libraryMatrix(matrixQuery), { placeholderData: keepPreviousData })
  const data = matrix.data
  const largest = Math.max(0, ...(data?.cells.flat().map((c) => c.reviews ?? 0) ?? []))
  const name = (facet: string) => FACET_NAMES.find(([n]) => n === facet)?.[1] ?? facet
  return (
    <section aria-labelledby="library-matrix-heading" className="library-analysis">
      <h2 id="library-matrix-heading">Patterns across reviews</h2>
      <div className="field-row">
        <AxisChoice id="matrix-rows" label="Rows" value={rows} onChange={setRows} />
        <AxisChoice id="matrix-columns" label="Columns" value={columns} onChange={setColumns} />
      </div>
      {data && (
        <Heatmap
          rows={data.rows.map((r) => shortLabel(rows, r.code, r.label))}
          columns={data.columns.map((c) => shortLabel(columns, c.code, c.label))}
          cells={data.rows.flatMap((r, i) =>
            data.columns.map((c, j) => ({
              row: shortLabel(rows, r.code, r.label),
              rowCode: r.code,
              column: shortLabel(columns, c.code, c.label),
              columnCode: c.code,
              count: data.cells[i][j],
            })),
          )}
          onOpen={(cell) => openCell(cell.rowCode, cell.columnCode)}
        />
      )}
      {data && (
        <div className="table-scroll">
          <table className="library-matrix" data-testid="library-matrix">
            <caption>
              {name(rows)} by {name(columns)}: the number of reviews with a finding carrying both. Choose a cell to see its
              findings.
            </caption>
            <thead>
              <tr>
                <th scope="col">{name(rows)}</th>
                {data.columns.map((c) => (
                  <th key={c.code} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r, i) => (
                <tr key={r.code}>
                  <th scope="row">{r.label}</th>
                  {data.columns.map((c, j) => {
                    const count = data.cells[i][j]
                    return (
                      <td key={c.code} style={shade(count, largest)}>
                        {count.reviews === 0 ? (
                          <span className="muted">0</span>
                        ) : (
                          <button
                            type="button"
                            className="link-button"
                            aria-label={`${r.label} and ${c.label}: ${count.text}. Show the findings`}
                            onClick={() => openCell(r.code, c.code)}
                          >
                            {count.reviews ?? `<${count.fewerThan}`}
                          </button>
                        )}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Trend
        query={query}
        onPeriod={(period) =>
          onOpen(period.until > period.year ? [['year', String(period.year)], ['until', String(period.until)]] : [['year', String(period.year)]])
        }
      />
      <Persistent />
    </section>
  )
}

function AxisChoice({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {AXES.map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The share of each year's reviews with a finding matching the choices. */
function Trend({ query, onPeriod }: { query: string; onPeriod: (period: { year: number; until: number }) => void }) {
  const trend = useApi(keys.libraryPart('trend', query), () => api.libraryTrend(query), { placeholderData: keepPreviousData })
  if (!trend.data || trend.data.length === 0) return null
  return (
    <>
    <h3>Over time</h3>
    <p className="field-hint">Years are taken together until they hold enough reviews to show a count.</p>
    <TrendChart years={trend.data} onOpen={onPeriod} />
    <table className="library-trend" data-testid="library-trend">
      <caption>Over time: the reviews with a finding matching your choices, out of that period’s reviews in the library.</caption>
      <thead>
        <tr>
          <th scope="col">Period</th>
          <th scope="col">Reviews matching</th>
          <th scope="col">Reviews in the period</th>
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        {trend.data.map((y) => (
          <tr key={y.year}>
            <th scope="row">
              {y.matched.reviews ? (
                <button
                  type="button"
                  className="link-button"
                  aria-label={`${periodLabel(y)}: ${y.matched.text} of ${y.reviews.text}. Show the findings`}
                  onClick={() => onPeriod(y)}
                >
                  {periodLabel(y)}
                </button>
              ) : (
                periodLabel(y)
              )}
            </th>
            <td>{y.matched.text}</td>
            <td>{y.reviews.text}</td>
            <td>
              {y.share === undefined || y.share === null ? (
                '–'
              ) : (
                <span className="trend-bar" style={{ width: `${Math.round(y.share * 100)}%` }}>
                  {Math.round(y.share * 100)}%
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </>
  )
}

function Persistent() {
  const persistent = useApi(keys.libraryPart('persistent', ''), api.libraryPersistent)
  if (!persistent.data) return null
  return (
    <div data-testid="library-persistent">
      <h3>Persistent patterns</h3>
      {persistent.data.length === 0 ? (
        <p>No category or factor type is yet seen in enough reviews over three years to call persistent.</p>
      ) : (
        <ul>
          {persistent.data.map((p) => (
            <li key={`${p.facet}-${p.code}`}>
              <strong>{p.label}</strong> ({p.facet === 'category' ? 'typology category' : 'factor type'}): {p.reviews.text} over{' '}
              {p.years} years
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
