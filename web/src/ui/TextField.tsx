// A text box bound to a Y.Text: what the user types becomes minimal inserts and
// deletes (so two people typing in one field both keep their words), and remote
// changes update the box without moving the user's caret.

import { useEffect, useId, useRef } from 'react'
import { simpleDiffString } from 'lib0/diff'
import * as Y from 'yjs'

import { LOCAL } from '../sync/connection'
import { HelpLink } from './Help'
import { useBoardAccess } from './boardAccess'

/**
 * Turns an edit of `before` into `after` as one delete and one insert on `text`. The
 * diff never cuts between the two halves of a surrogate pair (emoji, flags, rarer CJK):
 * a half on its own would reach the others as U+FFFD and the copies would drift apart.
 */
export function applyDiff(text: Y.Text, before: string, after: string, origin: unknown = LOCAL) {
  const { index, remove, insert } = simpleDiffString(before, after)
  if (remove === 0 && insert === '') return
  const apply = () => {
    if (remove > 0) text.delete(index, remove)
    if (insert) text.insert(index, insert)
  }
  if (text.doc) text.doc.transact(apply, origin)
  else apply()
}

/** The caret or selection, tied to the characters around it rather than to indices. */
export type Caret = [Y.RelativePosition, Y.RelativePosition]

/**
 * Ties a selection (UTF-16 indices, as text boxes and Y.Text count) to the text's items.
 * Each end sticks to the character on its left: someone typing at the same place pushes
 * text in after our caret, so we go on typing after our own words.
 */
export function anchorCaret(text: Y.Text, start: number, end: number): Caret {
  return [Y.createRelativePositionFromTypeIndex(text, start, -1), Y.createRelativePositionFromTypeIndex(text, end, -1)]
}

/** Where an anchored selection is now, after whatever others have changed. */
export function placeCaret(text: Y.Text, caret: Caret): [number, number] | null {
  if (!text.doc) return null
  const [from, to] = caret.map((p) => Y.createAbsolutePositionFromRelativePosition(p, text.doc!))
  return [from?.index ?? 0, to?.index ?? 0]
}

interface Props {
  text: Y.Text
  label: string
  hint?: string
  /** The glossary entry the hint's "What is this?" link opens (see Help.tsx). */
  help?: string
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

export function TextField({ text, label, hint, help, multiline = true, rows = 4, onFocusChange, testId, note, field }: Props) {
  const id = useId()
  // Read-only roles can read, select and copy, but not type; nor do they show as editing.
  const { canEdit } = useBoardAccess()
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null)
  const shown = useRef(text.toString())
  const selection = useRef<Caret | null>(null)

  // The caret, as positions relative to the text's items: recorded whenever the box
  // and the Y.Text agree, and mapped through remote changes so the caret stays put.
  const remember = () => {
    const box = ref.current
    if (!box || box.value !== text.toString()) return
    selection.current = anchorCaret(text, box.selectionStart ?? 0, box.selectionEnd ?? 0)
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
      const placed = focused && selection.current ? placeCaret(text, selection.current) : null
      if (placed) box.setSelectionRange(placed[0], placed[1])
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
          {help && (
            <>
              {' '}
              <HelpLink entry={help}>What is this?</HelpLink>
            </>
          )}
        </p>
      )}
      {note}
      {multiline ? <textarea rows={rows} {...common} /> : <input type="text" {...common} />}
    </div>
  )
}
