// An episode's "when", typed as people in England write dates ("2 Jul 2025",
// "02/07/2025", "July 2025", "about March 2024", "2–9 Jul 2025"). Checked as it is
// typed: a clear message while it is not a date, and nothing is saved until it is.
// Saved (on leaving the field, or Enter) as the date kind and ISO dates together.

import { useId, useState } from 'react'

import { formatWhen, parseWhen, type When } from '../../board/dates'
import { HelpLink } from '../Help'
import { useBoardAccess } from '../boardAccess'

const KIND_WORDS = { exact: 'exact date', approximate: 'approximate date', period: 'period' }

export function WhenField({ when, onChange }: { when: When; onChange: (when: When) => void }) {
  const id = useId()
  const { canEdit } = useBoardAccess()
  const shown = formatWhen(when.kind, when.start, when.end)
  const [draft, setDraft] = useState<string | null>(null)
  const parsed = draft === null ? null : parseWhen(draft)
  const problem = parsed && !parsed.ok ? parsed.message : ''
  const reading = parsed?.ok && parsed.when.start ? `${formatWhen(parsed.when.kind, parsed.when.start, parsed.when.end)} (${KIND_WORDS[parsed.when.kind]})` : ''
  const save = () => {
    if (parsed?.ok) {
      const next = parsed.when
      if (next.kind !== when.kind || next.start !== when.start || next.end !== when.end) onChange(next)
      setDraft(null)
    }
  }
  return (
    <div className={`field${problem ? ' field-error' : ''}`} data-field="when">
      <label className="field-label" htmlFor={id}>
        When
      </label>
      <p className="field-hint" id={`${id}-hint`}>
        For example 2 Jul 2025, 02/07/2025, July 2025 or 2025; “about March 2024”; a period as 2–9 Jul 2025.{' '}
        <HelpLink entry="dates">More about dates</HelpLink>
      </p>
      {problem && (
        <p className="error-message" id={`${id}-error`} data-testid="when-error">
          <span className="visually-hidden">Error: </span>
          {problem}
        </p>
      )}
      <input
        id={id}
        className="field-input"
        aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ''}`}
        aria-invalid={problem ? true : undefined}
        value={draft ?? shown}
        readOnly={!canEdit}
        data-testid="episode-when"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => {
          if (e.key === 'Enter') save()
          if (e.key === 'Escape' && draft !== null) {
            // Escape leaves the field as it was (and the panel stays open).
            e.stopPropagation()
            setDraft(null)
          }
        }}
      />
      {reading && draft !== shown && (
        <p className="field-hint" role="status" data-testid="when-reading">
          Reads as {reading}
        </p>
      )}
    </div>
  )
}
