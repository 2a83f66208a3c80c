// Seen before: the published findings of earlier reviews that a finding was linked to
// (a recurrence of the same pattern, a related one or a contrasting one), and, for the
// review team, the library's findings that read alike or share the finding's codes,
// looked up again as the draft settles. The links are part of the board; the report
// gives them under "How widespread it is".

import { useEffect, useState } from 'react'

import { api, type Schemas } from '../api/client'
import { useApi } from '../api/queries'
import {
  SEEN_BEFORE_RELATIONS,
  seenBeforeOf,
  setSeenBefore,
  textOf,
  type Entity,
  type SeenBeforeRelation,
} from '../board/schema'
import { LOCAL } from '../sync/connection'
import { useBoardAccess } from './boardAccess'

export const RELATION_LABELS: Record<SeenBeforeRelation, string> = {
  recurrence: 'Recurrence',
  related: 'Related',
  contrasting: 'Contrasting',
}

const RELATION_HINTS: Record<SeenBeforeRelation, string> = {
  recurrence: 'the same pattern again',
  related: 'a pattern like it',
  contrasting: 'the same situation handled differently',
}

type Suggestion = Schemas['Suggestion']

/** `value`, once it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms)
    return () => window.clearTimeout(timer)
  }, [value, ms])
  return settled
}

/** A field as words, a text or a plain value alike. */
const text = (entity: Entity, field: string) => {
  const v = entity.get(field)
  return typeof v === 'string' ? v : (textOf(entity, field)?.toString() ?? '')
}

interface Props {
  finding: Entity
  findingId: string
  canEdit: boolean
  categoryLabel: (code: string) => string
}

export function SeenBefore({ finding, findingId, canEdit, categoryLabel }: Props) {
  const { reviewId, looksUpLibrary, snapshot } = useBoardAccess()
  const links = seenBeforeOf(finding)
  const record = (s: Suggestion, relation: SeenBeforeRelation) =>
    setSeenBefore(
      finding,
      s.id,
      { relation, caseName: s.caseName, year: s.year, reference: s.reference, statement: s.statement },
      LOCAL,
    )
  return (
    <fieldset className="field seen-before" data-field="seen-before">
      <legend className="field-label">Seen before in other reviews</legend>
      <p className="field-hint">
        Findings of earlier reviews, from the partnership&apos;s library, showing the same pattern, a related one or a
        contrasting one. The report gives them under &ldquo;How widespread it is&rdquo;.
      </p>
      {links.length === 0 ? (
        <p className="field-hint" data-testid="seen-before-none">
          None recorded.
        </p>
      ) : (
        <ul className="seen-before-links" data-testid="seen-before-links">
          {links.map(([id, link]) => (
            <li key={id}>
              <span className="tag">{RELATION_LABELS[link.relation]}</span>{' '}
              <span>
                {link.caseName} ({link.year}){link.reference ? `, finding ${link.reference}` : ''}: &ldquo;{link.statement}&rdquo;
              </span>
              {canEdit && (
                <span className="seen-before-actions">
                  <label className="visually-hidden" htmlFor={`seen-before-relation-${id}`}>
                    How this finding relates to {link.caseName}
                    {link.reference ? ` finding ${link.reference}` : ''}
                  </label>
                  <select
                    id={`seen-before-relation-${id}`}
                    value={link.relation}
                    onChange={(e) =>
                      setSeenBefore(finding, id, { ...link, relation: e.target.value as SeenBeforeRelation }, LOCAL)
                    }
                  >
                    {SEEN_BEFORE_RELATIONS.map((r) => (
                      <option key={r} value={r}>
                        {RELATION_LABELS[r]}
                      </option>
                    ))}
                  </select>{' '}
                  <button className="button secondary" type="button" onClick={() => setSeenBefore(finding, id, null, LOCAL)}>
                    Remove<span className="visually-hidden"> the link to {link.caseName}</span>
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {looksUpLibrary && canEdit && !snapshot && reviewId && (
        <Lookup
          reviewId={reviewId}
          findingId={findingId}
          draft={[text(finding, 'statement'), text(finding, 'underlying'), text(finding, 'category'), text(finding, 'secondaryCategory'), text(finding, 'effect')].join('\u0000')}
          recorded={new Map(links)}
          onRecord={record}
          categoryLabel={categoryLabel}
        />
      )}
    </fieldset>
  )
}

interface LookupProps {
  reviewId: string
  findingId: string
  /** The draft's words and codes: a new lookup once they settle. */
  draft: string
  recorded: Map<string, { relation: SeenBeforeRelation }>
  onRecord: (s: Suggestion, relation: SeenBeforeRelation) => void
  categoryLabel: (code: string) => string
}

function Lookup({ reviewId, findingId, draft, recorded, onRecord, categoryLabel }: LookupProps) {
  const settled = useSettled(draft, 1200)
  const query = useApi(['seen-before', reviewId, findingId, settled], () => api.seenBefore(reviewId, findingId), {
    staleTime: 60_000,
  })
  const answer = query.data
  return (
    <section className="seen-before-lookup" aria-labelledby={`seen-before-heading-${findingId}`} aria-busy={query.isFetching}>
      <h3 id={`seen-before-heading-${findingId}`} className="field-label">
        In the library: findings like this one
      </h3>
      {query.failure ? (
        <p role="alert">Findings seen before could not be looked up: {query.failure}</p>
      ) : !answer ? (
        <p role="status">Looking in the library…</p>
      ) : answer.suggestions.length === 0 ? (
        <p className="field-hint" data-testid="seen-before-message">
          {answer.message || 'No published finding of another review is like this one.'}
        </p>
      ) : (
        <ol className="seen-before-suggestions" data-testid="seen-before-suggestions">
          {answer.suggestions.map((s) => {
            const already = recorded.get(s.id)
            return (
              <li key={s.id} data-testid="seen-before-suggestion">
                <p>
                  <strong>
                    {s.caseName} ({s.year}){s.reference ? `, finding ${s.reference}` : ''}
                  </strong>
                  {s.category ? ` · ${categoryLabel(s.category)}` : ''}
                </p>
                <p>&ldquo;{s.statement}&rdquo;</p>
                <p className="field-hint">Shares: {s.shared.join(', ') || 'little'}</p>
                {already ? (
                  <p className="field-hint">Recorded as {RELATION_LABELS[already.relation].toLowerCase()}.</p>
                ) : (
                  <div className="toolbar" role="group" aria-label={`Record ${s.caseName} finding ${s.reference} as`}>
                    {SEEN_BEFORE_RELATIONS.map((r) => (
                      <button
                        key={r}
                        className="button secondary"
                        type="button"
                        title={RELATION_HINTS[r]}
                        onClick={() => onRecord(s, r)}
                      >
                        {RELATION_LABELS[r]}
                        <span className="visually-hidden">
                          : {s.caseName} finding {s.reference}
                        </span>
                      </button>
                    ))}
                  </div>
                )}
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}
