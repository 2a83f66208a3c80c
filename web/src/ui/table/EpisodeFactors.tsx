// The contributory factors linked to an episode, in its side panel.

import { useState } from 'react'
import * as Y from 'yjs'

import { addFactorToEpisode, addLink, agreeingPolarity, board, deleteLink, ordered, vocabulary } from '../../board/schema'
import { LOCAL } from '../../sync/connection'
import { useBoardAccess } from '../boardAccess'
import { useY } from '../useY'
import { text } from './cells'

/** The contributory factors linked to an episode: link new or existing ones. */
export function EpisodeFactors({ doc, episodeId }: { doc: Y.Doc; episodeId: string }) {
  const roots = board(doc)
  useY(roots.factors, roots.links)
  const { canEdit } = useBoardAccess()
  const [title, setTitle] = useState('')
  const [level, setLevel] = useState('frontline')
  const [existing, setExisting] = useState('')
  const levels = [...vocabulary(doc, 'factorLevels').entries()].sort(
    ([, a], [, b]) => a.order - b.order,
  )
  const linked = [...roots.links.entries()].filter(
    ([, l]) => l.get('to') === episodeId && roots.factors.has(String(l.get('from'))),
  )
  const linkedIds = new Set(linked.map(([, l]) => String(l.get('from'))))
  const available = ordered(roots.factors).filter(([id]) => !linkedIds.has(id))
  const factorTitle = (id: string) => text(roots.factors.get(id)!, 'title') || 'Untitled factor'
  return (
    <fieldset className="field" data-field="factors">
      <legend className="field-label">Contributory factors</legend>
      {linked.length === 0 ? (
        <p className="field-hint">
          {canEdit ? 'No factors linked yet. Factors added here also appear on the factor map.' : 'No factors linked yet.'}
        </p>
      ) : (
        <ul className="link-list" data-testid="episode-factors">
          {linked.map(([linkId, l]) => (
            <li key={linkId}>
              {factorTitle(String(l.get('from')))}{' '}
              {canEdit && (
                <button className="link-button" type="button" onClick={() => deleteLink(doc, linkId, LOCAL)}>
                  Unlink<span className="visually-hidden"> {factorTitle(String(l.get('from')))}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <>
          <div className="field-row">
            <div className="field">
              <label className="field-label" htmlFor="new-factor">
                New factor
              </label>
              <input id="new-factor" className="field-input" value={title} onChange={(e) => setTitle(e.target.value)} />
            </div>
            <div className="field">
              <label className="field-label" htmlFor="new-factor-level">
                Level
              </label>
              <select id="new-factor-level" value={level} onChange={(e) => setLevel(e.target.value)}>
                {levels.map(([code, v]) => (
                  <option key={code} value={code}>
                    {v.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button
            className="button secondary"
            type="button"
            disabled={!title.trim()}
            onClick={() => {
              addFactorToEpisode(doc, episodeId, { title: title.trim(), level }, { origin: LOCAL })
              setTitle('')
            }}
          >
            Add factor
          </button>
          {available.length > 0 && (
            <div className="field-row link-existing">
              <div className="field">
                <label className="field-label" htmlFor="existing-factor">
                  Or link an existing factor
                </label>
                <select id="existing-factor" value={existing} onChange={(e) => setExisting(e.target.value)}>
                  <option value="">Choose a factor</option>
                  {available.map(([id]) => (
                    <option key={id} value={id}>
                      {factorTitle(id)}
                    </option>
                  ))}
                </select>
              </div>
              <button
                className="button secondary remove"
                type="button"
                disabled={!existing}
                onClick={() => {
                  addLink(doc, existing, episodeId, 'contributed_to', agreeingPolarity(doc, existing, episodeId), { origin: LOCAL })
                  setExisting('')
                }}
              >
                Link factor
              </button>
            </div>
          )}
        </>
      )}
    </fieldset>
  )
}
