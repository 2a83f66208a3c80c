import { describe, expect, it } from 'vitest'

import type { Member } from '../api/client'
import {
  CONVERSATION_OUTLINE,
  namesList,
  notesName,
  outlineText,
  participantNames,
  participantsChangeText,
  participantsToSave,
  restrictedSentence,
  slugOfName,
} from './notes'

const member = (user_id: string, name: string, role: Member['role'] = 'case_group_member'): Member => ({
  user_id,
  name,
  email: `${user_id}@example.org`,
  agency: '',
  job_title: '',
  role,
})

describe('restricted notes in words', () => {
  it('name the document and its page', () => {
    expect(slugOfName('notes/conversation-with-the-gp')).toBe('conversation-with-the-gp')
    expect(notesName('gp')).toBe('notes/gp')
    expect(slugOfName(notesName('a_b-1'))).toBe('a_b-1')
  })

  it('list names as people write them', () => {
    expect(namesList([])).toBe('')
    expect(namesList(['Sam Jones'])).toBe('Sam Jones')
    expect(namesList(['Sam Jones', 'Ana Patel'])).toBe('Sam Jones and Ana Patel')
    expect(namesList(['Sam Jones', 'Ana Patel', 'Jo Okafor'])).toBe('Sam Jones, Ana Patel and Jo Okafor')
  })

  it('find the participants among the review’s people', () => {
    const members = [member('u1', 'Sam Jones'), member('u2', 'Ana Patel'), member('u3', 'Jo Okafor')]
    expect(participantNames(['u3', 'u1'], members)).toEqual({ names: ['Jo Okafor', 'Sam Jones'], missing: 0 })
    expect(participantNames(['u2', 'gone'], members)).toEqual({ names: ['Ana Patel'], missing: 1 })
    expect(participantNames([], members)).toEqual({ names: [], missing: 0 })
  })

  it('say who may open the notes', () => {
    expect(restrictedSentence(['Ana Patel'])).toBe('Restricted: only Ana Patel and the lead reviewers can open these notes.')
    expect(restrictedSentence(['Ana Patel', 'Sam Jones'])).toBe(
      'Restricted: only Ana Patel, Sam Jones and the lead reviewers can open these notes.',
    )
    expect(restrictedSentence([])).toBe('Restricted: only the lead reviewers can open these notes.')
    // Only leads are told the names.
    expect(restrictedSentence(null)).toBe(
      'Restricted: only the people the lead reviewers chose, and the lead reviewers, can open these notes.',
    )
  })

  it('offer the conversation’s headings as an outline', () => {
    expect(CONVERSATION_OUTLINE).toHaveLength(8)
    expect(outlineText(['Introduction', 'Turning points'])).toBe('Introduction\n\n\nTurning points\n\n')
    expect(outlineText().split('\n').filter(Boolean)).toEqual([...CONVERSATION_OUTLINE])
  })

  it('keep named leads and drop people no longer in the review when participants are saved', () => {
    const members = [member('lead', 'Alex Admin', 'lead_reviewer'), member('u1', 'Sam Jones'), member('u2', 'Ana Patel')]
    expect(participantsToSave(['u1'], new Set(['u2']), members)).toEqual(['u2'])
    expect(participantsToSave(['lead', 'u1'], new Set(['u1', 'u2']), members)).toEqual(['lead', 'u1', 'u2'])
    expect(participantsToSave(['gone'], new Set(['gone', 'u1']), members)).toEqual(['u1'])
    expect(participantsToSave([], new Set(), members)).toEqual([])
  })

  it('name the people in an audit event of a change of participants', () => {
    const members = [member('u1', 'Sam Jones'), member('u2', 'Ana Patel')]
    const documents = [{ name: 'notes/gp', title: 'GP conversation' }]
    expect(participantsChangeText({ entity: 'notes/gp', detail: 'u2, u1' }, members, documents)).toBe(
      'changed who can open “GP conversation”: Ana Patel, Sam Jones and the lead reviewers',
    )
    expect(participantsChangeText({ entity: 'notes/gp', detail: '' }, members, documents)).toBe(
      'changed who can open “GP conversation”: the lead reviewers',
    )
    expect(participantsChangeText({ entity: 'notes/old', detail: 'u1, gone' }, members, documents)).toBe(
      'changed who can open “notes/old”: Sam Jones, one person no longer in the review and the lead reviewers',
    )
  })
})
