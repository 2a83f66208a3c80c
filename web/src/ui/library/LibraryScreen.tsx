// The partnership's findings library: published, pseudonymised findings of past
// reviews, searched by words and facets (each counted by distinct review, small counts
// shown as "fewer than N"), a matrix of any two codes whose cells open the findings
// behind them, trends normalised by the reviews of each year, and the patterns that
// persist. What is chosen lives in the address, so a view can be shared and reopened.

import { keepPreviousData } from '@tanstack/react-query'
import { useState } from 'react'

import { api, type Schemas } from '../../api/client'
import { keys, refusedWith, useApi } from '../../api/queries'
import { Page } from '../App'
import { ErrorSummary } from '../Form'
import { THEMES_HREF, linkTo } from '../route'
import { FACET_NAMES } from './facets'
import { FindingCard, NoLibrary } from './FindingCard'
import { LibraryMatrixView } from './LibraryMatrix'
import { AddToTheme } from './Themes'

type Facets = Schemas['LibraryFacets']['facets']

/** The choices in the address: words and one value per facet. */
function readChoices(): URLSearchParams {
  const params = new URLSearchParams(location.search)
  const kept = new URLSearchParams()
  for (const [name] of [['q'], ['until'], ...FACET_NAMES]) {
    const value = params.get(name)
    if (value) kept.set(name, value)
  }
  return kept
}

export function LibraryPage() {
  const info = useApi(keys.library, api.library, { retry: false })
  if (refusedWith(info.error)) return <NoLibrary />
  return (
    <Page title="Findings library">
      <h1>Findings library</h1>
      {info.data ? (
        <>
          <p className="notice" data-testid="library-coverage">
            {info.data.coverage} Counts are of distinct reviews; a count below {info.data.threshold} is shown as “fewer than{' '}
            {info.data.threshold}”.
          </p>
          <Library reviews={info.data.reviews.text} analyst={info.data.access.analyst} />
        </>
      ) : info.failure ? (
        <ErrorSummary problems={[{ message: info.failure }]} />
      ) : (
        <p role="status">Loading the library…</p>
      )}
    </Page>
  )
}

function Library({ reviews, analyst }: { reviews: string; analyst: boolean }) {
  const [choices, setChoices] = useState(readChoices)
  const [words, setWords] = useState(choices.get('q') ?? '')
  const query = choices.toString()
  const choose = (next: URLSearchParams) => {
    setChoices(next)
    const search = next.toString()
    // The address keeps the choices without moving the page.
    history.replaceState(null, '', `/library${search ? `?${search}` : ''}`)
  }
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(choices)
    if (value) next.set(name, value)
    else next.delete(name)
    // A year chosen here is one year: a trend's period of several years ends.
    if (name === 'year') next.delete('until')
    choose(next)
  }
  const facets = useApi(keys.libraryPart('facets', query), () => api.libraryFacets(query), { placeholderData: keepPreviousData })
  const found = useApi(keys.libraryPart('findings', query), () => api.libraryFindings(query), { placeholderData: keepPreviousData })
  const chosen = FACET_NAMES.filter(([name]) => choices.get(name))
  return (
    <div className="library">
      <p>
        The library holds findings from {reviews}. <a {...linkTo(THEMES_HREF)}>Themes</a> gather findings from several
        reviews that show one pattern.
      </p>
      <form
        role="search"
        className="library-search"
        onSubmit={(e) => {
          e.preventDefault()
          set('q', words.trim())
        }}
      >
        <label className="field-label" htmlFor="library-words">
          Search the findings and recommendations
        </label>
        <p className="field-hint" id="library-words-hint">
          Words find their other forms too: “referral” finds “referrals”.
        </p>
        <div className="agency-add-row">
          <input
            id="library-words"
            className="field-input"
            type="search"
            aria-describedby="library-words-hint"
            value={words}
            onChange={(e) => setWords(e.target.value)}
          />
          <button className="button" type="submit">
            Search
          </button>
        </div>
      </form>
      <div className="library-layout">
        <section aria-labelledby="library-facets-heading" className="library-facets">
          <h2 id="library-facets-heading">Narrow by</h2>
          {facets.data &&
            FACET_NAMES.map(([name, label]) => (
              <FacetChoice
                key={name}
                name={name}
                label={label}
                facets={facets.data.facets}
                value={choices.get(name) ?? ''}
                until={name === 'year' ? (choices.get('until') ?? '') : ''}
                onChange={(v) => set(name, v)}
              />
            ))}
          {chosen.length > 0 && (
            <button className="button secondary" type="button" onClick={() => choose(new URLSearchParams(words ? { q: words } : {}))}>
              Clear the choices
            </button>
          )}
        </section>
        <section aria-labelledby="library-findings-heading" className="library-findings">
          <h2 id="library-findings-heading">Findings</h2>
          {found.failure && <ErrorSummary problems={[{ message: found.failure }]} />}
          {found.data && (
            <>
              <p role="status" data-testid="library-matched">
                {found.data.withheld ? found.data.message : `${findingsWord(found.data.findings.length)} from ${found.data.matched.text}.`}
              </p>
              <p className="library-downloads">
                {analyst && !found.data.withheld && found.data.findings.length > 0 && (
                  <>
                    Download these findings:{' '}
                    <a href={`/api/library/export?format=csv${query ? `&${query}` : ''}`} download>
                      CSV
                    </a>{' '}
                    ·{' '}
                    <a href={`/api/library/export?format=json${query ? `&${query}` : ''}`} download>
                      JSON
                    </a>{' '}
                    ·{' '}
                  </>
                )}
                <a href="/api/library/codebook?format=csv" download>
                  The codebook (CSV)
                </a>
              </p>
              <ol className="library-list">
                {found.data.findings.map((f) => (
                  <FindingCard key={f.id} finding={f} facets={facets.data?.facets} action={analyst && <AddToTheme finding={f} />} />
                ))}
              </ol>
            </>
          )}
        </section>
      </div>
      <LibraryMatrixView query={query} onOpen={(pairs) => {
        const next = new URLSearchParams(choices)
        for (const [name, value] of pairs) next.set(name, value)
        if (pairs.some(([name]) => name === 'year') && !pairs.some(([name]) => name === 'until')) next.delete('until')
        choose(next)
        document.getElementById('library-findings-heading')?.scrollIntoView()
      }} />
    </div>
  )
}

function FacetChoice({
  name,
  label,
  facets,
  value,
  until,
  onChange,
}: {
  name: string
  label: string
  facets: Facets
  value: string
  /** For the year: the last year of a period chosen from the trend. */
  until: string
  onChange: (value: string) => void
}) {
  const values = facets[name] ?? []
  const period = !!value && !!until && Number(until) > Number(value)
  const id = `library-facet-${name}`
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any</option>
        {values
          .filter((v) => !(period && v.code === value))
          .map((v) => (
            <option key={v.code} value={v.code}>
              {v.label} ({v.count.text})
            </option>
          ))}
        {period ? (
          <option value={value}>
            {value}–{until}
          </option>
        ) : (
          value && !values.some((v) => v.code === value) && <option value={value}>{value}</option>
        )}
      </select>
    </div>
  )
}

const findingsWord = (n: number) => (n === 0 ? 'No findings' : n === 1 ? '1 finding' : `${n} findings`)
