// Agreed work on the board. For the case group, an agreed episode or finding is read
// only (the server undoes any change they make to it), with a way to suggest a new
// wording for any of its texts. Everyone sees the suggestions beside the item; the
// review team and lead reviewers accept (the wording replaces the field's) or decline
// them; whoever made one may withdraw it.

import { useId, useMemo, useState } from 'react'
import type * as Y from 'yjs'

import { acceptSuggestion, addSuggestion, board, declineSuggestion, isAgreed, stringOf, suggestionsFor, textOf, type Entity } from '../board/schema'
import { LOCAL } from '../sync/connection'
import { BoardAccessContext, useBoardAccess } from './boardAccess'
import { useY } from './useY'

type Kind = 'episode' | 'finding'

/** True when the person may edit the board but not this agreed item. */
function useLocked(kind: Kind, entity: Entity): boolean {
  useY(entity)
  const access = useBoardAccess()
  return access.canEdit && !access.canChangeAgreed && isAgreed(kind, entity)
}

/** Shows `children` read only when the item is agreed work the person may not change. */
export function AgreedLock({ kind, entity, children }: { kind: Kind; entity: Entity; children: React.ReactNode }) {
  const access = useBoardAccess()
  const locked = useLocked(kind, entity)
  const readOnly = useMemo(() => ({ ...access, canEdit: false }), [access])
  if (!locked) return <>{children}</>
  return <BoardAccessContext.Provider value={readOnly}>{children}</BoardAccessContext.Provider>
}

/** Says, at the top of the panel, why agreed work is read only for this person. */
export function AgreedNotice({ kind, entity }: { kind: Kind; entity: Entity }) {
  if (!useLocked(kind, entity)) return null
  return (
    <p className="notice agreed-lock" data-testid="agreed-lock">
      The review team has agreed this {kind}: only the review team and lead reviewers change it. You can suggest a new
      wording for any of its texts.
    </p>
  )
}

/** One episode or finding, with its free-text fields and their labels. */
interface ItemProps {
  doc: Y.Doc
  kind: Kind
  id: string
  entity: Entity
  fields: readonly (readonly [string, string])[]
}

/** The suggestions made for one item, and (for the case group, on agreed work) a form to make one. */
export function Suggestions({ doc, kind, id, entity, fields }: ItemProps) {
  const suggestions = board(doc).suggestions
  useY(suggestions)
  const access = useBoardAccess()
  const locked = useLocked(kind, entity)
  const made = suggestionsFor(doc, id)
  const label = (field: string) => fields.find(([f]) => f === field)?.[1] ?? field
  if (made.length === 0 && !locked) return null
  return (
    <section className="suggestions" aria-label="Suggested changes" data-testid="suggestions">
      {made.length > 0 && (
        <>
          <h3>Suggested changes</h3>
          <ul>
            {made.map(([sid, s]) => {
              const mine = access.person !== undefined && s.get('by') === access.person.name
              return (
                <li key={sid} data-testid="suggestion">
                  <p>
                    <strong>{stringOf(s, 'by') || 'Someone'}</strong>
                    {stringOf(s, 'byAgency') ? ` (${stringOf(s, 'byAgency')})` : ''} suggests for{' '}
                    <strong>{label(stringOf(s, 'field'))}</strong>:
                  </p>
                  <blockquote>{stringOf(s, 'text')}</blockquote>
                  {access.canEdit && access.canChangeAgreed && (
                    <>
                      <button className="button secondary small" type="button" onClick={() => acceptSuggestion(doc, sid, LOCAL)}>
                        Accept<span className="visually-hidden"> the suggestion for {label(stringOf(s, 'field'))}</span>
                      </button>{' '}
                      <button className="link-button" type="button" onClick={() => declineSuggestion(doc, sid, LOCAL)}>
                        Decline<span className="visually-hidden"> the suggestion for {label(stringOf(s, 'field'))}</span>
                      </button>
                    </>
                  )}
                  {mine && !access.canChangeAgreed && access.canEdit && (
                    <button className="link-button" type="button" onClick={() => declineSuggestion(doc, sid, LOCAL)}>
                      Withdraw<span className="visually-hidden"> my suggestion for {label(stringOf(s, 'field'))}</span>
                    </button>
                  )}
                </li>
              )
            })}
          </ul>
        </>
      )}
      {locked && <SuggestForm doc={doc} kind={kind} id={id} entity={entity} fields={fields} />}
    </section>
  )
}

function SuggestForm({ doc, kind, id, entity, fields }: ItemProps) {
  const { person } = useBoardAccess()
  const formId = useId()
  const [field, setField] = useState(fields[0]?.[0] ?? '')
  const current = () => textOf(entity, field)?.toString() ?? ''
  const [wording, setWording] = useState<string | null>(null)
  const [sent, setSent] = useState('')
  const shown = wording ?? current()
  return (
    <form
      className="suggest-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (shown === current()) return
        addSuggestion(doc, { entity: id, kind, field, text: shown, by: person?.name ?? '', byAgency: person?.agency ?? '' }, LOCAL)
        setWording(null)
        setSent('Suggestion sent. The review team sees it beside this item.')
      }}
    >
      <h3>Suggest a change</h3>
      <div className="field">
        <label className="field-label" htmlFor={`${formId}-field`}>
          Field
        </label>
        <select
          id={`${formId}-field`}
          value={field}
          onChange={(e) => {
            setField(e.target.value)
            setWording(null)
          }}
        >
          {fields.map(([f, l]) => (
            <option key={f} value={f}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${formId}-text`}>
          Your wording
        </label>
        <textarea id={`${formId}-text`} rows={4} value={shown} onChange={(e) => setWording(e.target.value)} data-testid="suggest-text" />
      </div>
      <button className="button secondary" type="submit" disabled={shown === current()}>
        Send suggestion
      </button>
      <p className="saved" role="status">
        {sent}
      </p>
    </form>
  )
}
