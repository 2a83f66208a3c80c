//! Agencies' chronologies: files written by real spreadsheet tools read and mapped,
//! merged in time order across agencies, bad rows listed and nothing stored until the
//! lead confirms, corrections kept as new versions, discrepancies listed, episodes
//! keeping their entries, and each role reading only what it may.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use board_tests::{api::Person, board as b, cast::Cast};
use serde_json::{Value, json};

use crate::support::{Backend, both_databases, eventually, server};

both_databases!(
    files_agencies_send_are_read_and_merged_in_time_order,
    bad_rows_are_listed_and_a_bad_file_stores_nothing,
    each_role_reads_and_changes_only_what_it_may,
    corrections_are_new_versions_and_discrepancies_are_listed,
    episodes_keep_their_entries_through_snapshots_and_out_of_the_report,
);

fn fixture(name: &str) -> Result<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/chronology")
        .join(name);
    std::fs::read(&path).with_context(|| format!("reading {}", path.display()))
}

fn encode(text: &str) -> String {
    url_escape(text)
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn preview(person: &Person, review: &str, name: &str, agency: &str) -> Result<Value> {
    person
        .api
        .post_file(
            &format!(
                "/api/reviews/{review}/chronology/preview?name={}&agency={}",
                encode(name),
                encode(agency)
            ),
            fixture(name)?,
        )
        .await?
        .expect(200)
}

/// Imports a fixture by the mapping its preview suggests, confirmed.
async fn import_as_suggested(
    person: &Person,
    review: &str,
    name: &str,
    agency: &str,
) -> Result<Value> {
    let shown = preview(person, review, name, agency).await?;
    let query = mapping_query(&shown["mapping"]);
    person
        .api
        .post_file(
            &format!(
                "/api/reviews/{review}/chronology/imports?name={}&agency={}&confirm=true{query}",
                encode(name),
                encode(agency)
            ),
            fixture(name)?,
        )
        .await?
        .expect(201)
}

fn mapping_query(mapping: &Value) -> String {
    [
        ("date", "date"),
        ("time", "time"),
        ("agency", "agency_column"),
        ("role", "role"),
        ("event", "event"),
        ("source", "source"),
    ]
    .iter()
    .filter_map(|(field, param)| mapping[field].as_u64().map(|c| format!("&{param}={c}")))
    .collect()
}

async fn chronology(person: &Person, review: &str) -> Result<Value> {
    person
        .api
        .get(&format!("/api/reviews/{review}/chronology"))
        .await?
        .expect(200)
}

fn entries(listed: &Value) -> Vec<Value> {
    listed["entries"].as_array().cloned().unwrap_or_default()
}

/// Each entry as "date time agency".
fn order(listed: &Value) -> Vec<String> {
    entries(listed)
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["date"].as_str().unwrap_or(""),
                e["time"].as_str().unwrap_or(""),
                e["agency"].as_str().unwrap_or("")
            )
            .replace("  ", " ")
        })
        .collect()
}

async fn three_agencies(cast: &Cast) -> Result<()> {
    let r = &cast.review;
    import_as_suggested(&cast.lead, r, "police-libreoffice.xlsx", "Police").await?;
    import_as_suggested(
        &cast.lead,
        r,
        "health-visiting-bom-crlf.csv",
        "Health visiting",
    )
    .await?;
    import_as_suggested(
        &cast.lead,
        r,
        "childrens-social-care-openpyxl.xlsx",
        "Children’s social care",
    )
    .await?;
    Ok(())
}

async fn files_agencies_send_are_read_and_merged_in_time_order(backend: Backend) -> Result<()> {
    let (_db, server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();

    // A workbook LibreOffice wrote: dates and times are the spreadsheet's own values.
    let shown = preview(&cast.lead, &r, "police-libreoffice.xlsx", "Police").await?;
    assert_eq!(shown["fileKind"], "xlsx");
    assert_eq!(shown["rowCount"], 5);
    assert_eq!(shown["columns"][0], "A · Date");
    assert_eq!(shown["rows"][1]["cells"][0], "2025-07-01");
    assert_eq!(shown["rows"][1]["cells"][1], "21:40");
    assert_eq!(shown["remembered"], false);
    assert_eq!(
        shown["mapping"],
        json!({"header": true, "date": 0, "time": 1, "agency": null, "role": 2, "event": 3, "source": 4})
    );
    // Previewing and checking store nothing.
    let check = cast
        .lead
        .api
        .post_file(
            &format!(
                "/api/reviews/{r}/chronology/imports?name=police-libreoffice.xlsx&agency=Police{}",
                mapping_query(&shown["mapping"])
            ),
            fixture("police-libreoffice.xlsx")?,
        )
        .await?
        .expect(200)?;
    assert_eq!(check["entryCount"], 4);
    assert_eq!(check["badCount"], 0);
    assert_eq!(check["import"], Value::Null);
    assert_eq!(entries(&chronology(&cast.lead, &r).await?).len(), 0);

    // A CSV with a byte-order mark and Windows line endings: the mark is not part of
    // the first column's name, and the row after a blank line keeps its number.
    let csv = preview(
        &cast.lead,
        &r,
        "health-visiting-bom-crlf.csv",
        "Health visiting",
    )
    .await?;
    assert_eq!(csv["fileKind"], "csv");
    assert_eq!(csv["columns"][0], "A · Date");
    assert_eq!(csv["mapping"]["role"], 2);
    assert_eq!(csv["mapping"]["event"], 3);

    three_agencies(&cast).await?;
    let listed = chronology(&cast.lead, &r).await?;
    assert_eq!(
        order(&listed),
        vec![
            "2025-07-01 21:40 Police",
            "2025-07-02 09:15 Police",
            "2025-07-02 10:00 Health visiting",
            "2025-07-02 14:30 Children’s social care",
            "2025-07-03 Health visiting",
            "2025-07-03 10:00 Children’s social care",
            "2025-07-10 13:30 Health visiting",
            "2025-07-15 Police",
            "2025-08-01 Police",
            "2025-08-12 11:00 Children’s social care",
        ]
    );
    let all = entries(&listed);
    let visit = all
        .iter()
        .find(|e| e["date"] == "2025-07-10")
        .context("the home visit")?;
    assert_eq!(visit["row"], 5);
    assert_eq!(visit["role"], "Health visitor");
    assert_eq!(visit["source"], "SystmOne");
    assert!(all.iter().any(|e| {
        e["event"]
            .as_str()
            .unwrap_or("")
            .contains("children's social care")
    }));
    // Who imported which file, when.
    let imports = listed["imports"].as_array().context("imports")?;
    assert_eq!(imports.len(), 3);
    assert_eq!(imports[0]["fileName"], "police-libreoffice.xlsx");
    assert_eq!(imports[0]["importedBy"], "Alex Lead");
    assert_eq!(imports[0]["entryCount"], 4);
    assert_eq!(listed["canImport"], true);

    // The columns are remembered for the agency's next file.
    let again = preview(&cast.lead, &r, "police-libreoffice.xlsx", "police").await?;
    assert_eq!(again["remembered"], true);

    let audit = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/audit?limit=50"))
        .await?
        .expect(200)?;
    let imported: Vec<&Value> = audit
        .as_array()
        .context("audit")?
        .iter()
        .filter(|e| e["action"] == "chronology_imported")
        .collect();
    assert_eq!(imported.len(), 3);
    assert!(
        imported
            .iter()
            .any(|e| e["detail"] == "Police: 4 entries, 0 rows left out")
    );
    Ok(())
}

async fn bad_rows_are_listed_and_a_bad_file_stores_nothing(backend: Backend) -> Result<()> {
    let (_db, server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    let imports =
        |query: &str| format!("/api/reviews/{r}/chronology/imports?agency=Police&{query}");

    let check = cast
        .lead
        .api
        .post_file(
            &imports("name=mixed.csv&date=0&event=1"),
            fixture("mixed-bad-rows.csv")?,
        )
        .await?
        .expect(200)?;
    assert_eq!(check["entryCount"], 1);
    assert_eq!(check["badCount"], 4);
    let bad: Vec<(u64, String, String)> = check["badRows"]
        .as_array()
        .context("bad rows")?
        .iter()
        .map(|b| {
            (
                b["row"].as_u64().unwrap_or(0),
                b["column"].as_str().unwrap_or("").to_string(),
                b["value"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        bad,
        vec![
            (3, "Date".into(), "31/02/2025".into()),
            (4, "Date".into(), String::new()),
            (5, "Event".into(), String::new()),
            (6, "Date".into(), "yesterday".into()),
        ]
    );
    assert!(
        check["badRows"][0]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("28 days")
    );

    // Files that cannot be read, or a mapping that does not fit, store nothing.
    let refused = [
        (
            "name=all-bad.csv&date=0&event=1",
            fixture("all-bad.csv")?,
            "no row could be read",
        ),
        (
            "name=x.xlsx&date=0&event=1",
            b"not a workbook".to_vec(),
            "workbook",
        ),
        (
            "name=x.xls&date=0&event=1",
            vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0],
            "save the chronology as csv",
        ),
        ("name=x.csv&date=0&event=1", Vec::new(), "empty"),
        (
            "name=mixed.csv&date=0&event=0",
            fixture("mixed-bad-rows.csv")?,
            "one thing only",
        ),
        (
            "name=mixed.csv&date=0&event=7",
            fixture("mixed-bad-rows.csv")?,
            "columns",
        ),
        (
            "name=mixed.csv&date=0",
            fixture("mixed-bad-rows.csv")?,
            "event",
        ),
    ];
    for (query, body, says) in refused {
        for confirm in ["", "&confirm=true"] {
            let answer = cast
                .lead
                .api
                .post_file(&imports(&format!("{query}{confirm}")), body.clone())
                .await?;
            assert_eq!(answer.status, 400, "{query}: {}", answer.body);
            let message = answer.body["message"].as_str().unwrap_or("").to_lowercase();
            assert!(message.contains(says), "{query}: {message}");
        }
    }
    let no_agency = cast
        .lead
        .api
        .post_file(
            &format!("/api/reviews/{r}/chronology/imports?agency=%20&name=m.csv&date=0&event=1"),
            fixture("mixed-bad-rows.csv")?,
        )
        .await?;
    assert_eq!(no_agency.status, 400);
    assert_eq!(entries(&chronology(&cast.lead, &r).await?).len(), 0);
    assert_eq!(chronology(&cast.lead, &r).await?["imports"], json!([]));

    // Confirmed, the good row is stored and the bad rows are kept with the import.
    let stored = cast
        .lead
        .api
        .post_file(
            &imports("name=mixed.csv&date=0&event=1&confirm=true"),
            fixture("mixed-bad-rows.csv")?,
        )
        .await?
        .expect(201)?;
    assert_eq!(stored["import"]["entryCount"], 1);
    let listed = chronology(&cast.lead, &r).await?;
    assert_eq!(entries(&listed).len(), 1);
    assert_eq!(
        listed["imports"][0]["badRows"].as_array().map(Vec::len),
        Some(4)
    );

    // Too big: refused from its length, before it is read. The server may close the
    // connection while the client is still sending, so the client may see the 413 or
    // only the closed connection; either way nothing is stored (checked below).
    match cast
        .lead
        .api
        .post_file(
            &imports("name=huge.csv&date=0&event=1"),
            vec![b'x'; 17 << 20],
        )
        .await
    {
        Ok(huge) => assert_eq!(huge.status, 413, "{}", huge.body),
        Err(closed) => assert!(format!("{closed:#}").contains("POST"), "{closed:#}"),
    }
    // The server closes that connection, which the client may have pooled for the next
    // request: ask again until a fresh one answers.
    let after = board_tests::poll_until("the chronology after", Duration::from_secs(10), || {
        chronology(&cast.lead, &r)
    })
    .await?;
    assert_eq!(entries(&after).len(), 1, "nothing more was stored");
    Ok(())
}

async fn each_role_reads_and_changes_only_what_it_may(backend: Backend) -> Result<()> {
    let (_db, server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    three_agencies(&cast).await?;
    let all = chronology(&cast.team, &r).await?;
    assert_eq!(entries(&all).len(), 10);
    assert_eq!(all["canInterpret"], true);
    assert_eq!(all["canImport"], false);

    // The case group (Cary, Health visiting) reads its own agency's entries only.
    let own = chronology(&cast.case, &r).await?;
    assert_eq!(entries(&own).len(), 3);
    assert!(
        entries(&own)
            .iter()
            .all(|e| e["agency"] == "Health visiting")
    );
    assert_eq!(own["imports"].as_array().map(Vec::len), Some(1));
    assert_eq!(own["agencyOnly"], "Health visiting");
    assert_eq!(own["canInterpret"], false);
    let police = entries(&all)
        .into_iter()
        .find(|e| e["agency"] == "Police")
        .context("a police entry")?;
    let police_id = police["id"].as_str().unwrap_or_default();
    let theirs = format!("/api/reviews/{r}/chronology/entries/{police_id}");
    assert_eq!(cast.case.api.get(&theirs).await?.status, 404);
    let correction = json!({"version": 1, "date": "01/07/2025", "agency": "Police", "event": "x"});
    assert_eq!(
        cast.case
            .api
            .patch(&theirs, correction.clone())
            .await?
            .status,
        404
    );
    let own_id = entries(&own)[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mine = format!("/api/reviews/{r}/chronology/entries/{own_id}");
    assert_eq!(cast.case.api.get(&mine).await?.status, 200);
    assert_eq!(
        cast.case.api.patch(&mine, correction.clone()).await?.status,
        403
    );
    let mark = format!("/api/reviews/{r}/chronology/discrepancies");
    assert_eq!(
        cast.case
            .api
            .post(&mark, json!({"entries": [own_id], "note": "n"}))
            .await?
            .status,
        403
    );
    // A case group token has no agency: it reads nothing.
    let token = cast.token(&server, "case_group_member").await?;
    let script = board_tests::api::ApiClient::with_token(&server, &token);
    assert_eq!(
        script
            .get(&format!("/api/reviews/{r}/chronology"))
            .await?
            .status,
        403
    );

    // The board and observers do not read chronologies; strangers do not see the review.
    for person in [&cast.board, &cast.observer] {
        assert_eq!(
            person
                .api
                .get(&format!("/api/reviews/{r}/chronology"))
                .await?
                .status,
            403
        );
    }
    assert_eq!(
        cast.outsider
            .api
            .get(&format!("/api/reviews/{r}/chronology"))
            .await?
            .status,
        404
    );
    assert_eq!(cast.outsider.api.get(&theirs).await?.status, 404);
    // Another review's entry through this review's address answers like a missing one.
    let other = &cast.other_review;
    assert_eq!(
        cast.lead
            .api
            .get(&format!(
                "/api/reviews/{other}/chronology/entries/{police_id}"
            ))
            .await?
            .status,
        404
    );
    // Only a lead imports.
    let preview_path = format!("/api/reviews/{r}/chronology/preview?name=p.xlsx&agency=Police");
    for person in [&cast.team, &cast.case, &cast.board] {
        let answer = person
            .api
            .post_file(&preview_path, fixture("police-libreoffice.xlsx")?)
            .await?;
        assert_eq!(answer.status, 403);
    }
    let answer = cast
        .outsider
        .api
        .post_file(&preview_path, fixture("police-libreoffice.xlsx")?)
        .await?;
    assert_eq!(answer.status, 404);
    // A discrepancy naming an entry the review does not have is refused.
    let bogus = cast
        .team
        .api
        .post(&mark, json!({"entries": ["not-an-entry"], "note": "n"}))
        .await?;
    assert_eq!(bogus.status, 400);
    Ok(())
}

async fn corrections_are_new_versions_and_discrepancies_are_listed(backend: Backend) -> Result<()> {
    let (_db, server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    three_agencies(&cast).await?;
    let all = entries(&chronology(&cast.team, &r).await?);
    let told = all
        .iter()
        .find(|e| e["agency"] == "Health visiting" && e["date"] == "2025-07-03")
        .context("the health visitor's call")?;
    let id = told["id"].as_str().unwrap_or_default().to_string();
    let path = format!("/api/reviews/{r}/chronology/entries/{id}");

    let corrected = cast
        .team
        .api
        .patch(
            &path,
            json!({"version": 1, "date": "3 Jul 2025", "time": "9.45am", "agency": "Health visiting",
                   "role": "Health visitor", "event": told["event"], "source": "SystmOne",
                   "note": "Time confirmed from the call log"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(corrected["version"], 2);
    assert_eq!(corrected["time"], "09:45");
    assert_eq!(corrected["changedBy"], "Rita Team");
    let versions = cast.team.api.get(&path).await?.expect(200)?;
    let versions = versions["versions"].as_array().context("versions")?;
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["time"], "");
    assert_eq!(versions[0]["changedBy"], "Alex Lead");
    assert_eq!(versions[1]["note"], "Time confirmed from the call log");
    let listed = entries(&chronology(&cast.team, &r).await?);
    assert_eq!(listed.len(), 10);
    assert!(
        listed
            .iter()
            .any(|e| e["id"] == id.as_str() && e["version"] == 2)
    );

    // A correction of a version no longer current is refused; two at once, one wins.
    let stale =
        json!({"version": 1, "date": "03/07/2025", "agency": "Health visiting", "event": "x"});
    assert_eq!(cast.team.api.patch(&path, stale).await?.status, 409);
    let racing = |event: &'static str| {
        let body = json!({"version": 2, "date": "03/07/2025", "agency": "Health visiting", "event": event});
        let (api, path) = (&cast.team.api, path.clone());
        async move { api.patch(&path, body).await }
    };
    let (a, b2) = tokio::join!(racing("first"), racing("second"));
    let mut statuses = vec![a?.status, b2?.status];
    statuses.sort();
    assert_eq!(statuses, vec![200, 409]);
    let versions = cast.team.api.get(&path).await?.expect(200)?;
    assert_eq!(versions["versions"].as_array().map(Vec::len), Some(3));
    // Bad corrections say why.
    for (body, says) in [
        (
            json!({"version": 3, "date": "31/02/2025", "agency": "A", "event": "x"}),
            "days",
        ),
        (
            json!({"version": 3, "date": "July 2025", "time": "10:00", "agency": "A", "event": "x"}),
            "whole date",
        ),
        (
            json!({"version": 3, "date": "2025", "agency": "", "event": "x"}),
            "agency",
        ),
        (
            json!({"version": 3, "date": "2025", "agency": "A", "event": " "}),
            "event",
        ),
    ] {
        let answer = cast.team.api.patch(&path, body).await?;
        assert_eq!(answer.status, 400);
        assert!(
            answer.body["message"].as_str().unwrap_or("").contains(says),
            "{}",
            answer.body
        );
    }

    // The call and social care's decision review of the same day disagree.
    let decision = all
        .iter()
        .find(|e| e["agency"] == "Children’s social care" && e["date"] == "2025-07-03")
        .context("the decision review")?;
    let marks = format!("/api/reviews/{r}/chronology/discrepancies");
    let marked = cast
        .team
        .api
        .post(
            &marks,
            json!({"entries": [id, decision["id"], id],
                   "note": "Health visiting were told the case was closed; social care records a visit agreed that day."}),
        )
        .await?
        .expect(201)?;
    assert_eq!(marked["entries"].as_array().map(Vec::len), Some(2));
    let listed = chronology(&cast.lead, &r).await?;
    assert_eq!(listed["discrepancies"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        chronology(&cast.case, &r).await?["discrepancies"],
        json!([])
    );
    let settle = format!("{marks}/{}", marked["id"].as_str().unwrap_or_default());
    cast.lead
        .api
        .patch(
            &settle,
            json!({"settled": true, "resolution": "Explored with the case group."}),
        )
        .await?
        .expect(204)?;
    let listed = chronology(&cast.team, &r).await?;
    assert!(listed["discrepancies"][0]["resolvedAt"].is_i64());
    assert_eq!(
        listed["discrepancies"][0]["resolution"],
        "Explored with the case group."
    );
    assert_eq!(
        cast.team
            .api
            .patch(&format!("{marks}/nope"), json!({"settled": true}))
            .await?
            .status,
        404
    );
    let audit = cast
        .lead
        .api
        .get(&format!("/api/reviews/{r}/audit?limit=50"))
        .await?
        .expect(200)?;
    let actions: Vec<&str> = audit
        .as_array()
        .context("audit")?
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "chronology_entry_corrected",
        "discrepancy_marked",
        "discrepancy_settled",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    Ok(())
}

async fn episodes_keep_their_entries_through_snapshots_and_out_of_the_report(
    backend: Backend,
) -> Result<()> {
    let (_db, server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let r = cast.review.clone();
    three_agencies(&cast).await?;
    let all = entries(&chronology(&cast.team, &r).await?);
    let ids: Vec<String> = all
        .iter()
        .filter(|e| e["date"] == "2025-07-02")
        .filter_map(|e| e["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 3);
    let rita = cast.team.on_board(&server, &r).await?;
    b::add_episode(&rita.doc, "e1", "a0", "Police referral screened", "");
    let linked: Vec<&str> = ids.iter().map(String::as_str).collect();
    b::link_entries(&rita.doc, "e1", &linked);
    eventually("the links are stored", Duration::from_secs(10), || {
        rita.board().is_ok_and(|b| {
            b.episodes
                .first()
                .is_some_and(|e| e.chronology.len() == 3 && !e.reference.is_empty())
        })
    })
    .await?;
    let snapshot = cast
        .lead
        .api
        .post(
            &format!("/api/reviews/{r}/snapshots"),
            json!({"label": "After meeting 1"}),
        )
        .await?
        .expect(201)?;
    let snapshot = snapshot["id"].as_str().unwrap_or_default().to_string();

    // Links removed on the live board come back with the snapshot.
    {
        let mut txn = yrs::Transact::transact_mut(&rita.doc);
        let episodes = yrs::WriteTxn::get_or_insert_map(&mut txn, "episodes");
        if let Some(yrs::Out::YMap(e)) = yrs::Map::get(&episodes, &txn, "e1") {
            yrs::Map::remove(&e, &mut txn, "chronology");
        }
    }
    eventually("the links are gone", Duration::from_secs(10), || {
        rita.board()
            .is_ok_and(|b| b.episodes.first().is_some_and(|e| e.chronology.is_empty()))
    })
    .await?;
    cast.lead
        .api
        .post(
            &format!("/api/reviews/{r}/snapshots/{snapshot}/restore"),
            json!({}),
        )
        .await?
        .expect(200)?;
    eventually("the links are back", Duration::from_secs(10), || {
        rita.board().is_ok_and(|b| {
            b.episodes.first().is_some_and(|e| {
                let mut kept = e.chronology.clone();
                kept.sort();
                let mut wanted = ids.clone();
                wanted.sort();
                kept == wanted
            })
        })
    })
    .await?;

    // The report carries the episode, never the chronology or its entries.
    let report = cast
        .lead
        .api
        .get(&format!(
            "/api/reviews/{r}/snapshots/{snapshot}/export?format=md&confirm=unreviewed&drafts=true"
        ))
        .await?
        .expect(200)?;
    let text = report.as_str().unwrap_or_default();
    assert!(text.contains("Police referral screened"), "{text}");
    for id in &ids {
        assert!(!text.contains(id.as_str()));
    }
    for event in all.iter().filter_map(|e| e["event"].as_str()) {
        assert!(
            !text.contains(event),
            "an entry's words in the report: {event}"
        );
    }
    Ok(())
}
