// A text box bound to a Y.Text: what the user types becomes minimal inserts and
// deletes (so two people typing in one field both keep their words), and remote
// changes update the box without moving the user's caret.

import { useEffect, useId, useRef } from 'react'
import * as Y from 'yjs'

import { LOCAL } from '../sync/connection'
import { useBoardAccess } from './boardAccess'

/** Turns an edit of `before` into `after` as one delete and one insert on `text`. */
export function applyDiff(text: Y.Text, before: string, after: string, origin: unknown = LOCAL) {
  let start = 0
  while (start < before.length && start < after.length && before[start] === after[start]) start++
  let endBefore = before.length
  let endAfter = after.length
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--
    endAfter--
  }
  if (endBefore === start && endAfter === start) return
  const apply = () => {
    if (endBefore > start) text.delete(start, endBefore - start)
    if (endAfter > start) text.insert(start, after.slice(start, endAfter))
  }
  if (text.doc) text.doc.transact(apply, origin)
  else apply()
}

interface Props {
  text: Y.Text
  label: string
  hint?: string
  multiline?: boolean
  rows?: number
  /** Called with true when the field gains focus, false when it loses it. */
  onFocusChange?: (focused: boolean) => void
  testId?: string
  /** Shown above the box: who else is editing this field. */
  note?: React.ReactNode
  /** Names the field for keyboard navigation (`data-field`). */
  field?: string
}

export function TextField({ text, label, hint, multiline = true, rows = 4, onFocusChange, testId, note, field }: Props) {
  const id = useId()
  // Read-only roles can read, select and copy, but not type; nor do they show as editing.
  const { canEdit } = useBoardAccess()
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null)
  const shown = useRef(text.toString())
  const selection = useRef<[Y.RelativePosition, Y.RelativePosition] | null>(null)

  // The caret, as positions relative to the text's items: recorded whenever the box
  // and the Y.Text agree, and mapped through remote changes so the caret stays put.
  const remember = () => {
    const box = ref.current
    if (!box || box.value !== text.toString()) return
    // Stick to the character on the left: someone typing at the same place pushes
    // text in after our caret, so we go on typing after our own words.
    selection.current = [
      Y.createRelativePositionFromTypeIndex(text, box.selectionStart ?? 0, -1),
      Y.createRelativePositionFromTypeIndex(text, box.selectionEnd ?? 0, -1),
    ]
  }

  useEffect(() => {
    const box = ref.current
    if (!box) return
    box.value = text.toString()
    shown.current = box.value
    const onRemote = (event: Y.YTextEvent) => {
      if (event.transaction.origin === LOCAL && box.value === text.toString()) return
      const focused = document.activeElement === box
      box.value = text.toString()
      shown.current = box.value
      if (focused && selection.current && text.doc) {
        const [from, to] = selection.current.map((p) => Y.createAbsolutePositionFromRelativePosition(p, text.doc!))
        box.setSelectionRange(from?.index ?? 0, to?.index ?? 0)
      }
    }
    text.observe(onRemote)
    return () => text.unobserve(onRemote)
  }, [text])

  const onInput = () => {
    const box = ref.current
    if (!box || !canEdit) return
    applyDiff(text, shown.current, box.value)
    shown.current = box.value
    remember()
  }

  const common = {
    id,
    ref,
    className: 'field-input',
    'aria-describedby': hint ? `${id}-hint` : undefined,
    'data-testid': testId,
    onInput,
    onSelect: remember,
    onKeyUp: remember,
    onMouseUp: remember,
    readOnly: !canEdit,
    onFocus: () => {
      remember()
      if (canEdit) onFocusChange?.(true)
    },
    onBlur: () => {
      if (canEdit) onFocusChange?.(false)
    },
  }
  return (
    <div className="field" data-field={field}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {note}
      {multiline ? <textarea rows={rows} {...common} /> : <input type="text" {...common} />}
    </div>
  )
}
