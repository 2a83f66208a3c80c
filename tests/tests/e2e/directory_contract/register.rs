//! The pseudonymisation register and safe terms.

use super::*;

both_databases!(register_entries_and_safe_terms_are_added_and_removed_once,);

async fn register_entries_and_safe_terms_are_added_and_removed_once(
    backend: Backend,
) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let r = review(&dir, None).await?;
    let other = review(&dir, None).await?;

    let same = |wanted: &'static str| move |t: &str| t.eq_ignore_ascii_case(wanted);
    let entry = dir
        .add_register_entry(
            &r.id,
            "Jane Smith",
            "Mother",
            "birth mother",
            same("Jane Smith"),
            |e| event(&e.review_id, "register_entry_added"),
        )
        .await?
        .map_err(|e| anyhow::anyhow!("refused as a duplicate of {e}"))?;
    let flagged = dir
        .add_register_entry(
            &r.id,
            "Oakfield School",
            "",
            "",
            same("Oakfield School"),
            |e| event(&e.review_id, "register_entry_added"),
        )
        .await?
        .map_err(|e| anyhow::anyhow!("refused as a duplicate of {e}"))?;
    // The same term again is refused, naming the entry it repeats; nothing is stored.
    let again = dir
        .add_register_entry(&r.id, "JANE SMITH", "Mum", "", same("JANE SMITH"), |e| {
            event(&e.review_id, "register_entry_added")
        })
        .await?;
    assert_eq!(again, Err("Jane Smith".to_string()));
    let register = dir.register(&r.id).await?;
    assert_eq!(register.len(), 2);
    assert!(register.contains(&entry) && register.contains(&flagged));
    assert!(dir.register(&other.id).await?.is_empty());
    assert!(
        !dir.remove_register_entry(
            &other.id,
            &entry.id,
            &event(&other.id, "register_entry_removed")
        )
        .await?
    );
    assert!(
        dir.remove_register_entry(&r.id, &entry.id, &event(&r.id, "register_entry_removed"))
            .await?
    );
    assert!(
        !dir.remove_register_entry(&r.id, &entry.id, &event(&r.id, "register_entry_removed"))
            .await?
    );
    assert_eq!(dir.register(&r.id).await?, [flagged]);

    let safe = dir
        .add_safe_term(&r.id, "Health visitor", |t| {
            event(&t.review_id, "safe_term_added")
        })
        .await?;
    assert_eq!(dir.safe_terms(&r.id).await?, std::slice::from_ref(&safe));
    assert!(dir.safe_terms(&other.id).await?.is_empty());
    assert!(
        !dir.remove_safe_term(&other.id, &safe.id, &event(&other.id, "safe_term_removed"))
            .await?
    );
    assert!(
        dir.remove_safe_term(&r.id, &safe.id, &event(&r.id, "safe_term_removed"))
            .await?
    );
    assert!(
        !dir.remove_safe_term(&r.id, &safe.id, &event(&r.id, "safe_term_removed"))
            .await?
    );
    assert!(dir.safe_terms(&r.id).await?.is_empty());
    assert_eq!(
        actions(&dir, &r.id).await?,
        [
            "review_created",
            "register_entry_added",
            "register_entry_added",
            "register_entry_removed",
            "safe_term_added",
            "safe_term_removed"
        ]
    );
    assert_eq!(actions(&dir, &other.id).await?, ["review_created"]);
    Ok(())
}
