// The library's facets as the screens name them.

/** The facets a reader chooses from, with their names on the page. */
export const FACET_NAMES: [string, string][] = [
  ['category', 'Typology category'],
  ['effect', 'Effect on practice'],
  ['level', 'Factor level'],
  ['factor_type', 'Factor type'],
  ['agency', 'Agency'],
  ['recommendation_type', 'Recommendation type'],
  ['recommendation_status', 'Recommendation status'],
  ['kind', 'Kind of review'],
  ['variant', 'Learning Together variant'],
  ['year', 'Year'],
]
