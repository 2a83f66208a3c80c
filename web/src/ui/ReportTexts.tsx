// The report's own words, written on the board with everyone else: the executive
// summary and the family's contribution. Each is a root Y.Text of the board
// (docs/board-schema.md), so two people starting one at once write in the same text.

import * as Y from 'yjs'

import { board } from '../board/schema'
import { TextField } from './TextField'

export function ReportTexts({ doc }: { doc: Y.Doc }) {
  const { executiveSummary, familyContribution } = board(doc)
  return (
    <details className="report-texts" data-testid="report-texts">
      <summary>The report’s own words: executive summary and the family’s contribution</summary>
      <p className="field-hint">
        The review report opens with the executive summary and, after the methodology, says how the family took part.
        Snapshots keep these words with the rest of the board.
      </p>
      <TextField
        text={executiveSummary}
        label="Executive summary"
        hint="A page for the board: the case in brief, the findings and what the board is asked to do"
        rows={6}
        testId="executive-summary"
      />
      <TextField
        text={familyContribution}
        label="The family’s contribution"
        hint="How the family were invited to take part and what they said, in words they have agreed to"
        rows={5}
        testId="family-contribution"
      />
    </details>
  )
}
