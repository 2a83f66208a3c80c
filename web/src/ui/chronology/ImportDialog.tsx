// Importing an agency's chronology, in the steps a lead takes: say whose it is and
// choose the file; say which column holds what (the first rows shown, the columns last
// used for that agency chosen already); check it (every bad row listed with its row,
// column, value and reason); then import. Nothing is stored before the last step.

import { useState } from 'react'

import { api, errorText, type ColumnMapping, type FilePreview, type ImportCheck } from '../../api/client'
import { entryWhen } from '../../board/chronology'
import { ErrorSummary } from '../Form'
import { sessionEnded, useSession } from '../session'
import { useModal } from '../useModal'

type Field = 'date' | 'time' | 'agency' | 'role' | 'event' | 'source'

const FIELDS: { field: Field; label: string; needed?: boolean; hint?: string }[] = [
  { field: 'date', label: 'Date', needed: true, hint: 'Day first, as in 02/07/2025; partial dates such as July 2025 are kept as partial' },
  { field: 'time', label: 'Time' },
  { field: 'agency', label: 'Agency', hint: 'Leave as “none” when every row is the agency’s above' },
  { field: 'role', label: 'Practitioner’s role' },
  { field: 'event', label: 'Event', needed: true },
  { field: 'source', label: 'Source (record or document)' },
]

/** The largest file the server takes (server/src/api/chronology.rs). */
const MAX_FILE_BYTES = 16 << 20

type Step = 'choose' | 'reading' | 'map' | 'checking' | 'checked' | 'importing'

/** How far a file has gone up, as a progress bar with words. */
function Progress({ label, sent, total }: { label: string; sent: number; total: number }) {
  const done = total > 0 && sent >= total
  return (
    <div className="upload-progress" data-testid="import-progress">
      <label>
        {done ? `${label}: reading the file…` : `${label}: sending the file…`}
        <progress max={total || 1} value={done ? undefined : sent} />
      </label>
    </div>
  )
}

export function ImportDialog({
  reviewId,
  agencies,
  onClose,
  onImported,
}: {
  reviewId: string
  /** The review's agencies, to choose from. */
  agencies: string[]
  onClose: () => void
  onImported: (check: ImportCheck) => void
}) {
  const session = useSession()
  const { ref, heading } = useModal()
  const [agency, setAgency] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [step, setStep] = useState<Step>('choose')
  const [sent, setSent] = useState({ sent: 0, total: 0 })
  const [preview, setPreview] = useState<FilePreview | null>(null)
  const [mapping, setMapping] = useState<ColumnMapping | null>(null)
  const [check, setCheck] = useState<ImportCheck | null>(null)
  const [problem, setProblem] = useState('')

  const fail = (e: unknown, back: Step) => {
    if (sessionEnded(e, session)) return
    setProblem(errorText(e))
    setStep(back)
  }
  const progress = (s: number, t: number) => setSent({ sent: s, total: t })

  const read = async () => {
    if (!file || !agency.trim()) {
      setProblem(!agency.trim() ? 'Say which agency the chronology comes from.' : 'Choose the file to import.')
      return
    }
    if (file.size > MAX_FILE_BYTES) {
      setProblem('The file is larger than the board takes (16 MB). Split it into several files, by year for example.')
      return
    }
    setProblem('')
    setStep('reading')
    setSent({ sent: 0, total: file.size })
    try {
      const answer = await api.previewChronology(reviewId, file, agency.trim(), progress)
      setPreview(answer)
      setMapping(answer.mapping)
      setCheck(null)
      setStep('map')
    } catch (e) {
      fail(e, 'choose')
    }
  }

  const run = async (confirm: boolean) => {
    if (!file || !mapping) return
    setProblem('')
    setStep(confirm ? 'importing' : 'checking')
    setSent({ sent: 0, total: file.size })
    try {
      const answer = await api.importChronology(reviewId, file, agency.trim(), mapping, confirm, progress)
      if (confirm) {
        onImported(answer)
        return
      }
      setCheck(answer)
      setStep('checked')
    } catch (e) {
      fail(e, confirm ? 'checked' : 'map')
    }
  }

  const setColumn = (field: Field, value: string) => {
    if (!mapping) return
    setMapping({ ...mapping, [field]: value === '' ? null : Number(value) })
    setCheck(null)
    setStep('map')
  }
  const busy = step === 'reading' || step === 'checking' || step === 'importing'
  const columnOf = (field: Field) => mapping?.[field] ?? null
  const chosen = new Map<number, string>()
  for (const { field, label } of FIELDS) {
    const c = columnOf(field)
    if (c !== null) chosen.set(c, label)
  }

  return (
    <dialog
      ref={ref}
      className="dialog wide-dialog"
      aria-labelledby="import-heading"
      data-testid="import-dialog"
      onCancel={(e) => {
        e.preventDefault()
        if (!busy) onClose()
      }}
    >
      <h2 id="import-heading" ref={heading} tabIndex={-1}>
        Import an agency’s chronology
      </h2>
      <ErrorSummary problems={problem ? [{ message: problem }] : []} />
      <p className="muted">
        A CSV file or an Excel workbook (.xlsx, its first sheet), as the agency sent it, up to 16 MB. Nothing is kept
        until you import it at the end.
      </p>
      <div className="form-grid">
        <label>
          Agency
          <input
            list="import-agencies"
            value={agency}
            onChange={(e) => {
              setAgency(e.target.value)
              setPreview(null)
              setStep('choose')
            }}
            disabled={busy}
            data-testid="import-agency"
            required
          />
          <datalist id="import-agencies">
            {agencies.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          File
          <input
            type="file"
            accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null)
              setPreview(null)
              setStep('choose')
            }}
            disabled={busy}
            data-testid="import-file"
          />
        </label>
      </div>
      {step === 'choose' && (
        <div className="form-actions">
          <button className="button" type="button" onClick={() => void read()} data-testid="import-read">
            Read the file
          </button>
          <button className="button secondary" type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      )}
      {step === 'reading' && <Progress label="Reading" sent={sent.sent} total={sent.total} />}
      {preview && mapping && step !== 'choose' && step !== 'reading' && (
        <>
          <h3>Which column holds what</h3>
          <p className="muted">
            {preview.rowCount.toLocaleString('en-GB')} rows{preview.sheet ? ` in the sheet “${preview.sheet}”` : ''}.{' '}
            {preview.remembered
              ? `The columns are those used for ${agency.trim()}’s last file.`
              : 'The columns are guessed from the first row: check them.'}
          </p>
          <div className="mapping-grid" data-testid="import-mapping">
            {FIELDS.map(({ field, label, needed, hint }) => (
              <label key={field}>
                {label}
                {needed ? ' (needed)' : ''}
                <select
                  value={columnOf(field) ?? ''}
                  onChange={(e) => setColumn(field, e.target.value)}
                  disabled={busy}
                  data-testid={`map-${field}`}
                >
                  {!needed || columnOf(field) === null ? <option value="">{needed ? 'Choose a column' : 'None'}</option> : null}
                  {preview.columns.map((name, i) => (
                    <option key={i} value={i}>
                      {name}
                    </option>
                  ))}
                </select>
                {hint && <span className="hint">{hint}</span>}
              </label>
            ))}
            <label className="checkbox">
              <input
                type="checkbox"
                checked={mapping.header ?? true}
                onChange={(e) => {
                  setMapping({ ...mapping, header: e.target.checked })
                  setCheck(null)
                  setStep('map')
                }}
                disabled={busy}
              />
              The first row names the columns
            </label>
          </div>
          <div className="table-scroll">
            <table className="preview-table" data-testid="import-preview">
              <caption className="visually-hidden">The first rows of the file</caption>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  {preview.columns.map((name, i) => (
                    <th key={i} scope="col" className={chosen.has(i) ? 'chosen' : undefined}>
                      {name}
                      {chosen.has(i) && <span className="chosen-as"> → {chosen.get(i)}</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.row}>
                    <th scope="row">{row.row}</th>
                    {preview.columns.map((_, i) => (
                      <td key={i}>{row.cells[i] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {step === 'map' && (
            <div className="form-actions">
              <button className="button" type="button" onClick={() => void run(false)} data-testid="import-check">
                Check every row
              </button>
              <button className="button secondary" type="button" onClick={onClose}>
                Cancel
              </button>
            </div>
          )}
          {step === 'checking' && <Progress label="Checking" sent={sent.sent} total={sent.total} />}
        </>
      )}
      {check && (step === 'checked' || step === 'importing') && (
        <section aria-labelledby="check-heading" data-testid="import-result">
          <h3 id="check-heading">What will be imported</h3>
          <p>
            <strong>{check.entryCount.toLocaleString('en-GB')}</strong> {check.entryCount === 1 ? 'entry' : 'entries'} from{' '}
            {agency.trim()}
            {check.badCount > 0 ? (
              <>
                ; <strong>{check.badCount.toLocaleString('en-GB')}</strong> {check.badCount === 1 ? 'row' : 'rows'} cannot be read and
                will be left out (listed below, and kept with the import)
              </>
            ) : (
              '; every row can be read'
            )}
            .
          </p>
          {check.entries.length > 0 && (
            <details>
              <summary>The first entries as they will read</summary>
              <ul className="sample-entries">
                {check.entries.slice(0, 5).map((e) => (
                  <li key={e.row}>
                    Row {e.row}: {entryWhen(e)}, {e.agency}
                    {e.role ? ` (${e.role})` : ''}: {e.event}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {check.badCount > 0 && <BadRows rows={check.badRows} total={check.badCount} />}
          {step === 'importing' ? (
            <Progress label="Importing" sent={sent.sent} total={sent.total} />
          ) : (
            <div className="form-actions">
              <button className="button" type="button" onClick={() => void run(true)} data-testid="import-confirm">
                {check.badCount > 0
                  ? `Import ${check.entryCount.toLocaleString('en-GB')} entries, leaving out ${check.badCount.toLocaleString('en-GB')} rows`
                  : `Import ${check.entryCount.toLocaleString('en-GB')} entries`}
              </button>
              <button className="button secondary" type="button" onClick={onClose}>
                Cancel
              </button>
            </div>
          )}
        </section>
      )}
    </dialog>
  )
}

export function BadRows({ rows, total }: { rows: { row: number; column: string; value: string; reason: string }[]; total: number }) {
  return (
    <div className="table-scroll bad-rows">
      <table data-testid="bad-rows">
        <caption>
          Rows left out{total > rows.length ? ` (the first ${rows.length} of ${total})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Column</th>
            <th scope="col">Value</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b, i) => (
            <tr key={`${b.row}-${i}`}>
              <td>{b.row}</td>
              <td>{b.column}</td>
              <td>{b.value}</td>
              <td>{b.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
