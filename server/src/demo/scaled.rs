//! More reviews than the demo's thirteen, for the library's benchmark: each made of
//! consecutive published demo reviews taken together until it holds at least
//! `findings` findings (every item's id prefixed, the registers joined), dated over the
//! same five years, with a case reference of its own. Texts repeat the demo's, so a
//! search finds what it would in a partnership whose patterns recur.

use super::{DemoLink, DemoRegisterEntry, DemoReview, Partnership};
use crate::report::term_key;

/// `count` generated reviews, each published, with at least `findings` findings.
pub fn generated(data: &Partnership, count: usize, findings: usize) -> Vec<DemoReview> {
    let templates: Vec<&DemoReview> = data.reviews.iter().filter(|r| r.published).collect();
    if templates.is_empty() {
        return Vec::new();
    }
    let mut next = 0;
    (0..count)
        .map(|n| {
            let first = templates[next % templates.len()];
            let mut review = DemoReview {
                key: format!("g{n:04}"),
                title: format!("Generated review {}", n + 1),
                case_ref: format!("EM/GEN/{}/{:04}", 2021 + n % 5, n + 1),
                year: 2021 + (n % 5) as i32,
                month: 1 + (n % 12) as u32,
                // Its lead alone: the library counts reviews, not who was in them.
                team: Vec::new(),
                case_group: Vec::new(),
                board: Vec::new(),
                register: Vec::new(),
                safe_terms: Vec::new(),
                episodes: Vec::new(),
                factors: Vec::new(),
                findings: Vec::new(),
                links: Vec::new(),
                ..first.clone()
            };
            let mut part = 0;
            while review.findings.len() < findings.max(1) {
                let template = templates[next % templates.len()];
                next += 1;
                add(&mut review, template, &format!("p{part}-"));
                part += 1;
            }
            review
        })
        .collect()
}

/// Adds `template`'s items to `review`, their ids prefixed with `prefix`.
fn add(review: &mut DemoReview, template: &DemoReview, prefix: &str) {
    let id = |old: &str| format!("{prefix}{old}");
    for e in &template.episodes {
        let mut e = e.clone();
        e.id = id(&e.id);
        review.episodes.push(e);
    }
    for f in &template.factors {
        let mut f = f.clone();
        f.id = id(&f.id);
        review.factors.push(f);
    }
    for f in &template.findings {
        let mut f = f.clone();
        f.id = id(&f.id);
        review.findings.push(f);
    }
    for l in &template.links {
        review.links.push(DemoLink {
            from: id(&l.from),
            to: id(&l.to),
            ..l.clone()
        });
    }
    for agency in &template.agencies {
        if !review.agencies.contains(agency) {
            review.agencies.push(agency.clone());
        }
    }
    for entry in &template.register {
        if !review
            .register
            .iter()
            .any(|e| term_key(&e.term) == term_key(&entry.term))
        {
            review.register.push(DemoRegisterEntry {
                term: entry.term.clone(),
                pseudonym: entry.pseudonym.clone(),
                note: entry.note.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_review_holds_enough_findings_and_whole_links() {
        let data = super::super::partnership().expect("reads");
        let reviews = generated(&data, 30, 10);
        assert_eq!(reviews.len(), 30);
        let mut refs: Vec<&str> = reviews.iter().map(|r| r.case_ref.as_str()).collect();
        refs.sort();
        refs.dedup();
        assert_eq!(refs.len(), 30, "each has a case reference of its own");
        for r in &reviews {
            assert!(r.findings.len() >= 10, "{}", r.key);
            assert!(r.published && (2021..=2025).contains(&r.year));
            let ids: Vec<&str> = r
                .episodes
                .iter()
                .map(|e| e.id.as_str())
                .chain(r.factors.iter().map(|f| f.id.as_str()))
                .chain(r.findings.iter().map(|f| f.id.as_str()))
                .collect();
            for l in &r.links {
                assert!(ids.contains(&l.from.as_str()) && ids.contains(&l.to.as_str()));
            }
        }
    }
}
