// Themes in the findings library: an analyst groups published findings from several
// reviews under a name, writes a memo (what recurs, what differs, what was recommended
// each time), and takes the theme's thematic summary as Word or Markdown for the
// board's annual report. Every reader sees the themes; a theme whose findings come from
// fewer reviews than the threshold lists none to those outside them.

import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'

import { api, type Schemas } from '../../api/client'
import { failureOf, keys, refusedWith, useApi } from '../../api/queries'
import { Page } from '../App'
import { ErrorSummary } from '../Form'
import { LIBRARY_HREF, THEMES_HREF, linkTo, navigate, themeHref } from '../route'
import { FindingCard, NoLibrary } from './FindingCard'

const themesKey = keys.libraryPart('themes', '')
const themeKey = (id: string) => keys.libraryPart('theme', id)

function useLibraryAccess() {
  return useApi(keys.library, api.library, { retry: false })
}

export function ThemesPage() {
  const info = useLibraryAccess()
  const themes = useApi(themesKey, api.libraryThemes, { enabled: !!info.data })
  if (refusedWith(info.error)) return <NoLibrary />
  const analyst = info.data?.access.analyst ?? false
  return (
    <Page title="Themes: findings library">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a {...linkTo(LIBRARY_HREF)}>Findings library</a>
        <span aria-hidden="true"> › </span>
        <span>Themes</span>
      </nav>
      <h1>Themes</h1>
      <p>
        A theme gathers findings from several reviews that show one pattern, with a memo on what recurs, what differs and
        what was recommended each time. Its summary goes into the board&apos;s annual report.
      </p>
      {themes.failure && <ErrorSummary problems={[{ message: themes.failure }]} />}
      {themes.data &&
        (themes.data.length === 0 ? (
          <div className="empty-state">
            <h2>No themes yet</h2>
            <p>
              {analyst
                ? 'Make a theme, then add findings to it from the library’s search.'
                : 'A partnership analyst makes themes from the library’s findings.'}
            </p>
          </div>
        ) : (
          <ul className="cards" data-testid="themes">
            {themes.data.map((t) => (
              <li key={t.id} className="card">
                <a {...linkTo(themeHref(t.id))} className="card-title">
                  {t.name}
                </a>
                {t.memo && <p className="card-meta">{t.memo.length > 200 ? `${t.memo.slice(0, 200)}…` : t.memo}</p>}
              </li>
            ))}
          </ul>
        ))}
      {analyst && <NewTheme />}
    </Page>
  )
}

function NewTheme() {
  const client = useQueryClient()
  const [name, setName] = useState('')
  const [memo, setMemo] = useState('')
  const create = useMutation({
    mutationFn: () => api.createTheme({ name: name.trim(), memo }),
    onSuccess: async (theme) => {
      await client.invalidateQueries({ queryKey: themesKey })
      navigate(themeHref(theme.id))
    },
  })
  return (
    <form
      className="panel-form"
      aria-labelledby="new-theme-heading"
      onSubmit={(e) => {
        e.preventDefault()
        if (name.trim()) create.mutate()
      }}
    >
      <h2 id="new-theme-heading">Make a theme</h2>
      {create.error && <ErrorSummary problems={[{ message: failureOf(create.error) }]} />}
      <ThemeFields name={name} memo={memo} onName={setName} onMemo={setMemo} rows={4} memoHint="You can write it later." />
      <button className="button" type="submit" disabled={create.isPending || !name.trim()}>
        {create.isPending ? 'Making the theme…' : 'Make the theme'}
      </button>
    </form>
  )
}

/** A theme's name and memo, as made and as changed. */
function ThemeFields({
  name,
  memo,
  onName,
  onMemo,
  rows,
  memoHint,
}: {
  name: string
  memo: string
  onName: (name: string) => void
  onMemo: (memo: string) => void
  rows: number
  memoHint: string
}) {
  return (
    <>
      <div className="field">
        <label className="field-label" htmlFor="theme-name">
          Name
        </label>
        <input id="theme-name" className="field-input" value={name} maxLength={200} onChange={(e) => onName(e.target.value)} required />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="theme-memo">
          Memo
        </label>
        <p className="field-hint" id="theme-memo-hint">
          What recurs, what differs, what was recommended each time. {memoHint}
        </p>
        <textarea
          id="theme-memo"
          className="field-input"
          aria-describedby="theme-memo-hint"
          rows={rows}
          value={memo}
          onChange={(e) => onMemo(e.target.value)}
        />
      </div>
    </>
  )
}

export function ThemePage({ themeId }: { themeId: string }) {
  const info = useLibraryAccess()
  const theme = useApi(themeKey(themeId), () => api.libraryTheme(themeId), { enabled: !!info.data, retry: false })
  if (refusedWith(info.error)) return <NoLibrary />
  const analyst = info.data?.access.analyst ?? false
  const view = theme.data
  return (
    <Page title={view ? `${view.theme.name}: themes` : 'Theme'}>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a {...linkTo(LIBRARY_HREF)}>Findings library</a>
        <span aria-hidden="true"> › </span>
        <a {...linkTo(THEMES_HREF)}>Themes</a>
        <span aria-hidden="true"> › </span>
        <span>{view?.theme.name ?? 'Theme'}</span>
      </nav>
      {refusedWith(theme.error) ? (
        <>
          <h1>No such theme</h1>
          <p>
            It may have been removed. <a {...linkTo(THEMES_HREF)}>See every theme</a>.
          </p>
        </>
      ) : theme.failure ? (
        <ErrorSummary problems={[{ message: theme.failure }]} />
      ) : !view ? (
        <p role="status">Loading the theme…</p>
      ) : (
        <ThemeView view={view} analyst={analyst} />
      )}
    </Page>
  )
}

function ThemeView({ view, analyst }: { view: Schemas['ThemeView']; analyst: boolean }) {
  const client = useQueryClient()
  const id = view.theme.id
  const [name, setName] = useState(view.theme.name)
  const [memo, setMemo] = useState(view.theme.memo)
  const refresh = () => client.invalidateQueries({ queryKey: keys.libraryPart('theme', id) })
  const save = useMutation({
    mutationFn: () => api.updateTheme(id, { name: name.trim(), memo }),
    onSuccess: async () => {
      await refresh()
      await client.invalidateQueries({ queryKey: themesKey })
    },
  })
  const remove = useMutation({ mutationFn: (finding: string) => api.removeFromTheme(id, finding), onSuccess: refresh })
  const changed = name.trim() !== view.theme.name || memo !== view.theme.memo
  const summary = (format: string) => `/api/library/themes/${encodeURIComponent(id)}/summary?format=${format}`
  return (
    <>
      <h1 data-testid="theme-name">{view.theme.name}</h1>
      {analyst ? (
        <form
          aria-label="The theme's name and memo"
          onSubmit={(e) => {
            e.preventDefault()
            if (name.trim()) save.mutate()
          }}
        >
          {save.error && <ErrorSummary problems={[{ message: failureOf(save.error) }]} />}
          <ThemeFields name={name} memo={memo} onName={setName} onMemo={setMemo} rows={6} memoHint="It opens the thematic summary." />
          <button className="button" type="submit" disabled={!changed || save.isPending || !name.trim()}>
            {save.isPending ? 'Saving…' : changed ? 'Save the name and memo' : 'Saved'}
          </button>
        </form>
      ) : (
        view.theme.memo && <p className="theme-memo">{view.theme.memo}</p>
      )}
      <h2>Findings in this theme</h2>
      <p role="status" data-testid="theme-matched">
        {view.withheld
          ? `Its findings come from ${view.matched.text}: they are not listed, so that no review can be singled out.`
          : view.findings.length === 0
            ? 'No findings yet. Add them from the library’s search.'
            : `${view.findings.length === 1 ? '1 finding' : `${view.findings.length} findings`} from ${view.matched.text}.`}
      </p>
      {analyst && !view.withheld && view.findings.length > 0 && (
        <p className="library-downloads">
          The thematic summary:{' '}
          <a href={summary('docx')} download data-testid="theme-summary-docx">
            Word
          </a>{' '}
          ·{' '}
          <a href={summary('md')} download data-testid="theme-summary-md">
            Markdown
          </a>
        </p>
      )}
      {remove.error && <ErrorSummary problems={[{ message: failureOf(remove.error) }]} />}
      <ol className="library-list">
        {view.findings.map((f) => (
          <FindingCard
            key={f.id}
            finding={f}
            facets={undefined}
            action={
              analyst && (
                <button className="button secondary" type="button" disabled={remove.isPending} onClick={() => remove.mutate(f.id)}>
                  Take out of the theme<span className="visually-hidden">: {f.caseName} {f.reference}</span>
                </button>
              )
            }
          />
        ))}
      </ol>
      <p>
        <a {...linkTo(LIBRARY_HREF)}>Search the library for more findings</a>
      </p>
    </>
  )
}

/** For a finding in a search: put it in one of the themes (analysts). */
export function AddToTheme({ finding }: { finding: Schemas['LibraryHit'] }) {
  const client = useQueryClient()
  const themes = useApi(themesKey, api.libraryThemes)
  const [chosen, setChosen] = useState('')
  const [added, setAdded] = useState('')
  const add = useMutation({
    mutationFn: (theme: string) => api.addToTheme(theme, finding.id),
    onSuccess: async (_, theme) => {
      setAdded(themes.data?.find((t) => t.id === theme)?.name ?? 'the theme')
      await client.invalidateQueries({ queryKey: themeKey(theme) })
    },
  })
  if (!themes.data) return null
  if (themes.data.length === 0)
    return (
      <p className="field-hint">
        <a {...linkTo(THEMES_HREF)}>Make a theme</a> to gather findings like this one.
      </p>
    )
  const id = `add-to-theme-${finding.id}`
  return (
    <div className="add-to-theme">
      <label className="visually-hidden" htmlFor={id}>
        Theme to add {finding.caseName} {finding.reference} to
      </label>
      <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
        <option value="">Choose a theme…</option>
        {themes.data.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>{' '}
      <button className="button secondary" type="button" disabled={!chosen || add.isPending} onClick={() => add.mutate(chosen)}>
        Add to theme<span className="visually-hidden">: {finding.caseName} {finding.reference}</span>
      </button>
      <span role="status" className="field-hint">
        {add.error ? failureOf(add.error) : added ? ` Added to ${added}.` : ''}
      </span>
    </div>
  )
}
