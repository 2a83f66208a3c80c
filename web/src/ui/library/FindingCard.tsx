// A published finding as the library shows it (its review, codes, and more on asking),
// and the page for those the library is not open to.

import type { Schemas } from '../../api/client'
import codebook from '../../board/codebook.json'
import { KINDS, VARIANTS } from '../../review/words'
import { Page } from '../App'
import { linkTo } from '../route'

type Facets = Schemas['LibraryFacets']['facets']

export function NoLibrary() {
  return (
    <Page title="Findings library" narrow>
      <h1>The findings library is not open to you</h1>
      <p>
        The library holds the findings partnerships published from their reviews. Lead reviewers read it, and anyone an
        administrator has made a library reader or analyst.
      </p>
      <p>
        <a {...linkTo('/')}>Go to your reviews</a>
      </p>
    </Page>
  )
}

/** The codebook's part each coded facet reads its labels from. */
const CODEBOOK_PARTS: Record<string, Record<string, { label: string }>> = {
  category: codebook.typology,
  effect: codebook.effects,
  level: codebook.factorLevels,
  factor_type: codebook.factorTypes,
  recommendation_type: codebook.recommendationTypes,
  recommendation_status: codebook.recommendationStatuses,
}

/** The review's own words for the facets that are not the codebook's. */
const REVIEW_PARTS: Record<string, Record<string, string>> = {
  kind: Object.fromEntries(KINDS),
  variant: Object.fromEntries(VARIANTS),
}

function labelOf(facets: Facets | undefined, facet: string, code: string): string {
  return (
    facets?.[facet]?.find((v) => v.code === code)?.label ??
    CODEBOOK_PARTS[facet]?.[code]?.label ??
    REVIEW_PARTS[facet]?.[code] ??
    code
  )
}

export function FindingCard({
  finding: f,
  facets,
  action,
}: {
  finding: Schemas['LibraryHit']
  facets: Facets | undefined
  /** What the reader can do with it here (add it to a theme, take it out of one). */
  action?: React.ReactNode
}) {
  return (
    <li className="card library-finding" data-testid="library-finding">
      <p className="library-finding-source">
        {f.caseName} · {labelOf(facets, 'kind', f.reviewKind)} · {f.year}
        {f.reference ? ` · ${f.reference}` : ''}
      </p>
      <p className="library-finding-statement">{f.statement}</p>
      <p className="tags">
        {[f.category, f.secondaryCategory]
          .filter(Boolean)
          .map((c) => (
            <span key={c} className="tag category">
              {labelOf(facets, 'category', c)}
            </span>
          ))}
        {f.effect && <span className="tag">{labelOf(facets, 'effect', f.effect)}</span>}
        {f.agencies.map((a) => (
          <span key={a} className="tag">
            {a}
          </span>
        ))}
      </p>
      {(f.inCase || f.recommendations.length > 0 || f.factors.length > 0) && (
        <details>
          <summary>More about this finding</summary>
          {f.inCase && (
            <p>
              <strong>How it showed in the case:</strong> {f.inCase}
            </p>
          )}
          {f.widespread && (
            <p>
              <strong>How widespread it is:</strong> {f.widespread}
            </p>
          )}
          {f.factors.length > 0 && (
            <>
              <p>
                <strong>Contributory factors</strong>
              </p>
              <ul>
                {f.factors.map((factor, i) => (
                  <li key={i}>
                    {factor.title}
                    {factor.level ? ` (${labelOf(facets, 'level', factor.level)})` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {f.recommendations.length > 0 && (
            <>
              <p>
                <strong>Recommendations</strong>
              </p>
              <ul>
                {f.recommendations.map((r, i) => (
                  <li key={i}>
                    {r.text}
                    {r.type ? ` (${labelOf(facets, 'recommendation_type', r.type)})` : ''}
                    {r.status ? `: ${labelOf(facets, 'recommendation_status', r.status).toLowerCase()}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </details>
      )}
      {action}
    </li>
  )
}
