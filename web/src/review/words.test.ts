import { describe, expect, it } from 'vitest'

import { ROLES, canEdit, isLead, labelOf, meetingDate, roleLabel, roleSentence, roleWordsIn, when, PHASES } from './words'

describe('roles in words', () => {
  it('names every role as people say it', () => {
    expect(ROLES.map(roleLabel)).toEqual(['Lead reviewer', 'Review team member', 'Case group member', 'Board member', 'Observer'])
    expect(roleLabel('something_new')).toBe('something_new')
  })

  it('knows which roles edit the board and which lead the review', () => {
    expect(ROLES.filter(canEdit)).toEqual(['lead_reviewer', 'review_team_member', 'case_group_member'])
    expect(ROLES.filter(isLead)).toEqual(['lead_reviewer'])
    expect(canEdit(null)).toBe(false)
  })

  it('tells people what their role lets them do', () => {
    expect(roleSentence('observer')).toBe('You are an Observer: you can read this review but not change it.')
    expect(roleSentence('board_member')).toBe('You are a Board member: you can read this review but not change it.')
    expect(roleSentence('case_group_member')).toMatch(/^You are a Case group member: you can edit the board/)
    expect(roleSentence('lead_reviewer')).toMatch(/^You are a Lead reviewer: you can change this review’s details/)
  })

  it('writes role codes inside audit details in words', () => {
    expect(roleWordsIn('observer to review_team_member')).toBe('Observer to Review team member')
    expect(roleWordsIn('Olu Obi <olu@example.org> as board_member')).toBe('Olu Obi <olu@example.org> as Board member')
  })
})

describe('review vocabularies and dates', () => {
  it('labels codes and keeps unknown ones', () => {
    expect(labelOf(PHASES, 'data_collection')).toBe('Data collection')
    expect(labelOf(PHASES, 'x')).toBe('x')
  })

  it('writes meeting dates the way a report does', () => {
    expect(meetingDate('2025-03-14')).toBe('14 March 2025')
    expect(meetingDate('2025-03-14T09:30')).toBe('14 March 2025, 09:30')
    expect(meetingDate('')).toBe('Date not set')
    expect(meetingDate('next week')).toBe('next week')
  })

  it('gives the time alone for today and the date otherwise', () => {
    const now = new Date(2025, 2, 14, 16, 0).getTime()
    expect(when(new Date(2025, 2, 14, 14, 2).getTime(), now)).toBe('14:02')
    expect(when(new Date(2025, 2, 12, 9, 5).getTime(), now)).toBe('12 March 2025, 09:05')
  })
})
