// The side panel for one link of the factor map.

import * as Y from 'yjs'

import { LINK_KINDS, LINK_POLARITIES, deleteLink, setField, type Entity } from '../../board/schema'
import { LOCAL } from '../../sync/connection'
import { SelectField } from '../Actions'
import { useBoardAccess } from '../boardAccess'
import { ItemComments } from '../comments/ItemComments'
import { LINK_KIND_LABELS, POLARITY_CHOICES } from '../format'
import { useY } from '../useY'

export function LinkPanel({
  doc,
  id,
  link,
  label,
  onClose,
}: {
  doc: Y.Doc
  id: string
  link: Entity
  label: (id: string) => string
  onClose: () => void
}) {
  useY(link)
  const { canEdit } = useBoardAccess()
  const set = (field: string, v: string) => setField(link, field, v, LOCAL)
  return (
    <aside className="panel" aria-labelledby="link-panel-heading" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="panel-header">
        <h2 id="link-panel-heading">Link</h2>
        <button className="button secondary" type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p>
        From <strong>{label(String(link.get('from')))}</strong> to <strong>{label(String(link.get('to')))}</strong>
      </p>
      <SelectField
        id="edge-kind"
        label="Kind of link"
        value={String(link.get('kind'))}
        options={LINK_KINDS}
        labels={LINK_KIND_LABELS}
        onChange={(v) => set('kind', v)}
      />
      <SelectField
        id="edge-polarity"
        label="Effect on practice"
        value={String(link.get('polarity'))}
        options={LINK_POLARITIES}
        labels={POLARITY_CHOICES}
        onChange={(v) => set('polarity', v)}
      />
      {canEdit && (
        <button
          className="button warning"
          type="button"
          onClick={() => {
            deleteLink(doc, id, LOCAL)
            onClose()
          }}
        >
          Remove link
        </button>
      )}
      <ItemComments kind="link" id={id} />
    </aside>
  )
}
