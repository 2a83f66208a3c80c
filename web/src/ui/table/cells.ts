// An episode's fields as the table shows them.

import * as Y from 'yjs'

import { textOf, type Entity } from '../../board/schema'

export const text = (entity: Entity, field: string) => textOf(entity, field)?.toString() ?? ''
export const value = (entity: Entity, field: string) => {
  const v = entity.get(field)
  return typeof v === 'string' ? v : ''
}
export const agenciesOf = (entity: Entity): string[] => {
  const agencies = entity.get('agencies')
  return agencies instanceof Y.Map ? [...agencies.keys()].sort() : []
}
