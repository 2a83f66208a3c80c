// Form parts in the manner of the GOV.UK Design System: labels above, hints, an error
// message at the field and a summary at the top that links to each problem.

import { useEffect, useId, useRef, useState } from 'react'

export interface Problem {
  /** The id of the field it concerns, if any (the summary links to it). */
  field?: string
  message: string
}

/** "There is a problem" with links to the fields; takes focus when it appears. */
export function ErrorSummary({ problems }: { problems: Problem[] }) {
  const ref = useRef<HTMLDivElement>(null)
  // Whenever the problems change (their text, not the list's identity).
  const text = problems.map((p) => p.message).join('|')
  const shown = problems.length > 0
  useEffect(() => {
    if (shown) ref.current?.focus()
  }, [text, shown])
  if (problems.length === 0) return null
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} data-testid="error-summary">
      <h2 className="error-summary-title">There is a problem</h2>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.field ? (
              <a
                href={`#${p.field}`}
                onClick={(e) => {
                  e.preventDefault()
                  document.getElementById(p.field!)?.focus()
                }}
              >
                {p.message}
              </a>
            ) : (
              p.message
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}

const problemFor = (problems: Problem[] | undefined, id: string) => problems?.find((p) => p.field === id)?.message

interface FieldProps {
  id: string
  label: string
  hint?: React.ReactNode
  problems?: Problem[]
  className?: string
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

function Frame({ id, label, hint, error, className, children }: Omit<FieldProps, 'problems'> & { error?: string; children: React.ReactNode }) {
  return (
    <div className={`field${error ? ' field-error' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="error-message" id={`${id}-error`}>
          <span className="visually-hidden">Error:</span> {error}
        </p>
      )}
      {children}
    </div>
  )
}

export function TextInput({
  id,
  label,
  hint,
  problems,
  className,
  value,
  onChange,
  type = 'text',
  autoComplete,
  width,
  spellCheck,
}: FieldProps & {
  value: string
  onChange: (value: string) => void
  type?: 'text' | 'email' | 'password' | 'date' | 'datetime-local'
  autoComplete?: string
  /** A width in characters, for fields whose answers are short. */
  width?: number
  spellCheck?: boolean
}) {
  const error = problemFor(problems, id)
  return (
    <Frame id={id} label={label} hint={hint} error={error} className={className}>
      <input
        id={id}
        name={id}
        className="field-input"
        type={type}
        value={value}
        autoComplete={autoComplete ?? 'off'}
        spellCheck={spellCheck}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        style={width ? { maxWidth: `${width + 3}ch` } : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </Frame>
  )
}

export function TextArea({
  id,
  label,
  hint,
  problems,
  className,
  value,
  onChange,
  rows = 4,
}: FieldProps & { value: string; onChange: (value: string) => void; rows?: number }) {
  const error = problemFor(problems, id)
  return (
    <Frame id={id} label={label} hint={hint} error={error} className={className}>
      <textarea
        id={id}
        name={id}
        className="field-input"
        rows={rows}
        value={value}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </Frame>
  )
}

export function Choice({
  id,
  label,
  hint,
  problems,
  className,
  value,
  onChange,
  options,
}: FieldProps & { value: string; onChange: (value: string) => void; options: readonly (readonly [string, string])[] }) {
  const error = problemFor(problems, id)
  return (
    <Frame id={id} label={label} hint={hint} error={error} className={className}>
      <select id={id} name={id} value={value} aria-describedby={describedBy(id, hint, error)} onChange={(e) => onChange(e.target.value)}>
        {options.map(([code, text]) => (
          <option key={code} value={code}>
            {text}
          </option>
        ))}
      </select>
    </Frame>
  )
}

/** A form's values with one setter per field. */
export function useFields<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState(initial)
  const set = (key: keyof T) => (value: string) => setValues((v) => ({ ...v, [key]: value }))
  const reset = (next: T = initial) => setValues(next)
  return { values, set, reset }
}

/**
 * A secret shown once (an invitation link, an access token): a read-only box, a copy
 * button and a note that it is shown only now.
 */
export function OneTimeSecret({ label, value, hint, testId }: { label: string; value: string; hint: React.ReactNode; testId?: string }) {
  const id = useId()
  const [copied, setCopied] = useState<'' | 'done' | 'failed'>('')
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied('done')
    } catch {
      // Not allowed here (plain http, or no permission): select it for the person to copy.
      const box = document.getElementById(id) as HTMLInputElement | null
      box?.focus()
      box?.select()
      setCopied(document.execCommand?.('copy') ? 'done' : 'failed')
    }
  }
  return (
    <div className="one-time" data-testid={testId}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <p className="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      <div className="copy-row">
        <input
          id={id}
          className="field-input code"
          readOnly
          value={value}
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.target.select()}
        />
        <button className="button secondary" type="button" onClick={copy}>
          Copy<span className="visually-hidden"> {label.toLowerCase()}</span>
        </button>
      </div>
      <p className="copy-status" role="status">
        {copied === 'done' ? 'Copied.' : copied === 'failed' ? 'Select the text and copy it with Ctrl+C.' : ''}
      </p>
    </div>
  )
}

/** A short confirmation that something was saved, announced politely. */
export function Saved({ text }: { text: string }) {
  return (
    <p className="saved" role="status">
      {text}
    </p>
  )
}
