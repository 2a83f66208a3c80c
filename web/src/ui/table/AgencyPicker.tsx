// The agencies involved in an episode (or a finding's pattern), picked from the review's list; a new one is
// added to the list from the standard kinds of agency or by name (matched to what the
// list holds whatever its case and spacing, so the same agency never appears twice).

import { useId, useState } from 'react'
import type * as Y from 'yjs'

import { STANDARD_AGENCIES, addReviewAgency, agencyKey, reviewAgencies, toggleAgency } from '../../board/agencies'
import { board, type Entity } from '../../board/schema'
import { LOCAL } from '../../sync/connection'
import { useBoardAccess } from '../boardAccess'
import { useY } from '../useY'
import { agenciesOf } from './cells'

export function AgencyPicker({
  doc,
  episode,
  legend = 'Agencies involved',
}: {
  doc: Y.Doc
  /** The episode or finding whose agencies these are. */
  episode: Entity
  legend?: string
}) {
  const roots = board(doc)
  useY(roots.agencies, episode)
  const { canEdit } = useBoardAccess()
  const id = useId()
  const [typed, setTyped] = useState('')
  const named = new Set(agenciesOf(episode).map(agencyKey))
  const list = reviewAgencies(doc)
  const suggestions = STANDARD_AGENCIES.filter((a) => !list.some((l) => agencyKey(l) === agencyKey(a)))
  const add = () => {
    const name = addReviewAgency(doc, typed, LOCAL)
    if (name) toggleAgency(episode, name, true, LOCAL)
    setTyped('')
  }
  return (
    <fieldset className="field agency-picker" data-field="agencies">
      <legend className="field-label">{legend}</legend>
      {list.length === 0 ? (
        <p className="field-hint">This review has no agencies yet: add the first below.</p>
      ) : (
        <div className="checkboxes">
          {list.map((name) => (
            <label key={name} className="checkbox">
              <input
                type="checkbox"
                checked={named.has(agencyKey(name))}
                disabled={!canEdit}
                onChange={(e) => toggleAgency(episode, name, e.target.checked, LOCAL)}
              />{' '}
              {name}
            </label>
          ))}
        </div>
      )}
      {canEdit && (
        <div className="agency-add">
          <label className="field-label" htmlFor={`${id}-add`}>
            Add an agency to this review
          </label>
          <p className="field-hint" id={`${id}-hint`}>
            Choose a kind of agency or type the review’s own name for one
          </p>
          <div className="agency-add-row">
            <input
              id={`${id}-add`}
              className="field-input"
              list={`${id}-standard`}
              aria-describedby={`${id}-hint`}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault()
                  add()
                }
              }}
              data-testid="agency-add"
            />
            <datalist id={`${id}-standard`}>
              {suggestions.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
            <button className="button secondary" type="button" disabled={!agencyKey(typed)} onClick={add}>
              Add
            </button>
          </div>
        </div>
      )}
    </fieldset>
  )
}
