// The REST API's types, generated from the server's OpenAPI document by
// `npm run gen:api` (scripts/gen-api.mjs). Do not edit: change the server, then regenerate.
// src/api/client.ts names them for the app.

export interface paths {
    "/api/accounts/{user}/library-role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * `PUT /api/accounts/{user}/library-role`: an administrator gives a person a library
         *     role (`reader` or `analyst`) or takes it away.
         */
        put: operations["set_library_role"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/audit`: an administrator reads what belongs to no review: sign-ins, failed
         *     sign-ins, lockouts, sign-outs, password changes, accounts created. Newest first.
         */
        get: operations["account_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/invitations/accept`: joins the review. Signed in, the invitation joins
         *     that account; otherwise it creates an account (and signs it in).
         */
        post: operations["accept_invitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invitations/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/invitations/preview`: what an open invitation is for (the secret is the
         *     credential, so it travels in the body, never in a URL that logs keep). Used or
         *     expired invitations are not found.
         */
        post: operations["invitation_preview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/library`: what the caller may do in the library, and what it covers. */
        get: operations["library_info"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/codebook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/library/codebook`: the codes findings are coded with, and their meanings. */
        get: operations["library_codebook"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/library/export?format=csv|json`: the findings matching a search, with
         *     their codes and their reviews' kind, variant and year, for analysts. Held to the
         *     small-number rule like every listing (403 below it, unless the analyst is in every
         *     review it would hold), and recorded in the audit trail.
         */
        get: operations["library_export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/facets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/library/facets`: for each facet, how many distinct reviews carry each of
         *     its values among the findings matching the other choices (a review with three
         *     findings in one category counts once), each count below the threshold given as
         *     "fewer than N".
         */
        get: operations["library_facets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/findings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/library/findings`: published findings matching words and facets, best
         *     first. A search that matches fewer reviews than the threshold lists nothing, unless
         *     the caller is in every one of those reviews.
         */
        get: operations["library_findings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/matrix": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/library/matrix?rows=&columns=`: how many distinct reviews have a finding
         *     carrying each pair of codes (typology × factor level, typology × recommendation
         *     type, agency × typology, factor type × factor type, ...), among the findings matching
         *     the other choices; each count below the threshold is "fewer than N".
         */
        get: operations["library_matrix"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/persistent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/library/persistent`: the typology categories and factor types seen in at
         *     least N reviews over at least M years: the patterns that persist.
         */
        get: operations["library_persistent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/themes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/library/themes`: the partnership's themes. */
        get: operations["library_themes"];
        put?: never;
        /** `POST /api/library/themes`: an analyst makes a theme. */
        post: operations["create_library_theme"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/themes/{theme}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/library/themes/{theme}`: a theme with its findings (held to the
         *     small-number rule like every listing).
         */
        get: operations["library_theme"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** `PATCH /api/library/themes/{theme}`: an analyst renames a theme or rewrites its memo. */
        patch: operations["update_library_theme"];
        trace?: never;
    };
    "/api/library/themes/{theme}/findings/{finding}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * `PUT /api/library/themes/{theme}/findings/{finding}`: an analyst puts a published
         *     finding in a theme.
         */
        put: operations["add_to_library_theme"];
        post?: never;
        /**
         * `DELETE /api/library/themes/{theme}/findings/{finding}`: an analyst takes a finding
         *     out of a theme.
         */
        delete: operations["remove_from_library_theme"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/themes/{theme}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/library/themes/{theme}/summary?format=docx|md`: the theme's thematic
         *     summary for the board's annual report (analysts; held to the small-number rule;
         *     audited).
         */
        get: operations["library_theme_summary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/library/trend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/library/trend`: for each period of the library, how many reviews have a
         *     finding matching the choices, out of that period's reviews (normalised: a period
         *     with more reviews does not look like one with more of the pattern). Years are
         *     grouped into periods of at least the threshold of reviews ([`query::periods`]), so
         *     a partnership's few reviews a year still show a trend; and where one period's
         *     count is hidden, the next smallest is too, as the parts of a total shown elsewhere.
         */
        get: operations["library_trend"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/me`: who the caller is. */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * `PUT /api/me/password`: changes the caller's password and ends their other sessions.
         *     Guessing the current password here is held to the same limits as signing in: the
         *     address's rate limit, and the account's failure count and lockout.
         */
        put: operations["change_password"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews`: the reviews the caller belongs to. */
        get: operations["list_reviews"];
        put?: never;
        /** `POST /api/reviews`: an administrator creates a review and becomes its lead reviewer. */
        post: operations["create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}`: a review's details, the caller's role and documents. */
        get: operations["show_review"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** `PATCH /api/reviews/{review}`: a lead changes the review's details. */
        patch: operations["update"];
        trace?: never;
    };
    "/api/reviews/{review}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/audit`: a lead reads the review's audit trail, newest first. */
        get: operations["audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/bin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/bin`: what was deleted from the board and is not back. */
        get: operations["list_bin"];
        put?: never;
        post?: never;
        /**
         * `DELETE /api/reviews/{review}/bin`: a lead empties the bin; what was in it is gone
         *     for good (snapshots still hold what they held).
         */
        delete: operations["empty_bin"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/bin/{item}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/reviews/{review}/bin/{item}/restore`: puts one deleted item back on the
         *     board, with its links whose other end is still there and its map position.
         */
        post: operations["restore_from_bin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/board": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/board`: the live board as JSON, as it is stored now (the
         *     same shape as a snapshot's board).
         */
        get: operations["live_board"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/chronology": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/chronology`: the merged chronology. */
        get: operations["chronology"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/chronology/discrepancies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/reviews/{review}/chronology/discrepancies`: marks entries as a
         *     discrepancy to explore in the conversations.
         */
        post: operations["mark_discrepancy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/chronology/discrepancies/{discrepancy}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * `PATCH /api/reviews/{review}/chronology/discrepancies/{discrepancy}`: settles a
         *     discrepancy with what was found, or reopens it.
         */
        patch: operations["settle_discrepancy"];
        trace?: never;
    };
    "/api/reviews/{review}/chronology/entries/{entry}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/chronology/entries/{entry}`: every version of an entry. */
        get: operations["chronology_entry_versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * `PATCH /api/reviews/{review}/chronology/entries/{entry}`: corrects an entry; the
         *     correction is its next version, the imported one kept.
         */
        patch: operations["correct_chronology_entry"];
        trace?: never;
    };
    "/api/reviews/{review}/chronology/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/reviews/{review}/chronology/imports`: reads a file by the columns chosen.
         *     Without `confirm` it only says what would be stored and which rows are bad; with it,
         *     the entries are stored (the bad rows kept with the import, listed).
         */
        post: operations["import_chronology"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/chronology/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/reviews/{review}/chronology/preview`: reads a file (the body, as sent)
         *     and shows its first rows with a mapping to start from. Stores nothing.
         */
        post: operations["preview_chronology_file"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/comments`: every comment of the review, with what is new
         *     to the caller.
         */
        get: operations["list_comments"];
        put?: never;
        /**
         * `POST /api/reviews/{review}/comments`: starts a thread on a board item or replies
         *     in one.
         */
        post: operations["add_comment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/comments/{comment}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * `DELETE /api/reviews/{review}/comments/{comment}`: its author, or a lead, deletes a
         *     comment's words (the thread keeps its place).
         */
        delete: operations["delete_comment"];
        options?: never;
        head?: never;
        /**
         * `PATCH /api/reviews/{review}/comments/{comment}`: resolves or reopens the thread
         *     that `comment` starts.
         */
        patch: operations["resolve_thread"];
        trace?: never;
    };
    "/api/reviews/{review}/comments/seen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/reviews/{review}/comments/seen`: the caller has read the review's
         *     comments up to `upTo` (nothing for an access token, which has no one to tell).
         */
        post: operations["mark_comments_seen"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/compare?from=A&to=B`: what changed from A to B (snapshot
         *     ids, or `live`): rows, factors, links and findings added, removed or changed, with
         *     word-level changes in texts and re-classified findings.
         */
        get: operations["compare"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/documents`: the documents the caller may open. */
        get: operations["documents"];
        put?: never;
        /**
         * `POST /api/reviews/{review}/documents`: a lead creates restricted notes (e.g. an
         *     individual conversation's) that only the participants and the leads may open.
         */
        post: operations["create_document"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/findings/{finding}/seen-before": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/findings/{finding}/seen-before`: published findings of
         *     other reviews like this finding as it stands on the live board (its statement and
         *     why it is underlying, its categories, effect and agencies), best first. For the
         *     review's leads and review team, signed in: the library's findings are the
         *     partnership's, never a token's.
         */
        get: operations["seen_before"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/history?entity=ID`: who changed an entity, newest first. */
        get: operations["history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/history/texts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/history/texts?entity=ID`: the words before and after each
         *     run of changes to the entity's texts (board entities only), oldest first; without
         *     `entity`, the newest runs of the whole board, for a lead's audit trail.
         */
        get: operations["history_texts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/invitations`: a lead lists invitations (never secrets). */
        get: operations["invitations"];
        put?: never;
        /**
         * `POST /api/reviews/{review}/invitations`: a lead invites a person with a role, by a
         *     single-use, expiring link.
         */
        post: operations["invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/invitations/{invitation}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * `DELETE /api/reviews/{review}/invitations/{invitation}`: a lead withdraws an unused
         *     invitation.
         */
        delete: operations["withdraw_invitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/library": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/library`: what the review published to the library. */
        get: operations["review_library"];
        put?: never;
        /**
         * `POST /api/reviews/{review}/library`: a lead publishes the agreed findings of a
         *     snapshot to the library, pseudonymised through the review's register; refused
         *     (409) while the check of exactly those texts is not clean. Replaces what the review
         *     published before (kept, marked replaced).
         */
        post: operations["publish_to_library"];
        /**
         * `DELETE /api/reviews/{review}/library`: a lead withdraws the review's findings from
         *     the library (kept in its history, no longer found).
         */
        delete: operations["withdraw_from_library"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/meetings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/meetings`: the review's meeting timeline. */
        get: operations["meetings"];
        put?: never;
        /** `POST /api/reviews/{review}/meetings`: a lead adds a meeting at the end. */
        post: operations["add_meeting"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/meetings/{meeting}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** `DELETE /api/reviews/{review}/meetings/{meeting}`: a lead removes a meeting. */
        delete: operations["delete_meeting"];
        options?: never;
        head?: never;
        /** `PATCH /api/reviews/{review}/meetings/{meeting}`: a lead edits or closes a meeting. */
        patch: operations["update_meeting"];
        trace?: never;
    };
    "/api/reviews/{review}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/members`: the people in a review and their roles. */
        get: operations["members"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/members/{user}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** `PUT /api/reviews/{review}/members/{user}`: a lead changes someone's role. */
        put: operations["set_role"];
        post?: never;
        /** `DELETE /api/reviews/{review}/members/{user}`: a lead removes someone from the review. */
        delete: operations["remove_member"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/notes/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * `PUT /api/reviews/{review}/notes/{slug}`: a lead renames restricted notes and sets who
         *     may open them. People taken off lose access at once (their open connection closes).
         */
        put: operations["update_notes"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/register`: the pseudonymisation register (leads only). */
        get: operations["register"];
        put?: never;
        /**
         * `POST /api/reviews/{review}/register`: a lead adds a real name with its pseudonym, or
         *     a term to flag.
         */
        post: operations["add_register_entry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/register/{entry}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** `DELETE /api/reviews/{review}/register/{entry}`: a lead removes a register entry. */
        delete: operations["remove_register_entry"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/safe-terms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/safe-terms`: the terms a lead marked safe to publish
         *     (leads only).
         */
        get: operations["safe_terms"];
        put?: never;
        /**
         * `POST /api/reviews/{review}/safe-terms`: a lead marks a term the check listed as safe
         *     to publish; the check no longer lists it.
         */
        post: operations["add_safe_term"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/safe-terms/{term}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** `DELETE /api/reviews/{review}/safe-terms/{term}`: a lead withdraws a safe term. */
        delete: operations["remove_safe_term"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/search/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/search/notes?q=`: matches in the restricted notes the
         *     caller may open (none of any other), with their context.
         */
        get: operations["search_notes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/snapshots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/snapshots`: the review's snapshots, newest first. */
        get: operations["list_snapshots"];
        put?: never;
        /**
         * `POST /api/reviews/{review}/snapshots`: a lead records the board as it is now. The
         *     snapshot holds everything stored up to that moment, even while others edit.
         */
        post: operations["take"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/snapshots/{snapshot}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/snapshots/{snapshot}`: a snapshot and its board as JSON. */
        get: operations["show_snapshot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/snapshots/{snapshot}/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/snapshots/{snapshot}/check`: the pre-publication check of
         *     exactly the texts the snapshot's export contains: what the register replaced, any
         *     registered or flagged term that still appears, and anything else that looks like a
         *     personal name or identifying detail (names, streets, dates of birth, postcodes, phone
         *     and NHS numbers) that is neither registered nor marked safe. Lead reviewers only (it
         *     names real names).
         */
        get: operations["check"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/snapshots/{snapshot}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/snapshots/{snapshot}/export?format=docx|html|md|json`: the
         *     review report of a snapshot, with every registered name replaced by its pseudonym.
         *     Refused (409) while the pre-publication check is not clean, unless a lead confirms
         *     with `confirm=unreviewed` (recorded in the audit trail).
         */
        get: operations["export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/snapshots/{snapshot}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/reviews/{review}/snapshots/{snapshot}/restore`: a lead brings the live
         *     board back to the snapshot's content, as one forward change every connected client
         *     receives like any edit (undone by restoring another snapshot).
         */
        post: operations["restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/snapshots/{snapshot}/restore-item": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/reviews/{review}/snapshots/{snapshot}/restore-item`: a lead brings one
         *     item, or one field of it, back to what the snapshot holds, leaving the rest of the
         *     board as it is.
         */
        post: operations["restore_item"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/snapshots/{snapshot}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/reviews/{review}/snapshots/{snapshot}/state`: the snapshot as one Yjs update
         *     (lib0 v1), to open read-only in the board's own screens.
         */
        get: operations["state"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/reviews/{review}/tokens`: a lead lists the review's access tokens. */
        get: operations["tokens"];
        put?: never;
        /** `POST /api/reviews/{review}/tokens`: a lead mints a token for one role in the review. */
        post: operations["mint_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/{review}/tokens/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** `DELETE /api/reviews/{review}/tokens/{token}`: a lead revokes a token. */
        delete: operations["revoke_token"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/session`: who is signed in on this browser, answered for anyone (`user`
         *     null when nobody is), so that a page shown signed out makes no failing request.
         *     Only a session cookie counts; an access token is for scripts, which ask `/api/me`.
         */
        get: operations["session_state"];
        put?: never;
        /**
         * `POST /api/session`: signs in with email and password.
         * @description An unknown email, a wrong password and a locked account answer alike (401, the same
         *     body) after the same work (one argon2 check and the same queries), so sign-in does
         *     not tell which emails have accounts.
         */
        post: operations["login"];
        /** `DELETE /api/session`: signs out (ends this session). */
        delete: operations["logout"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/setup` */
        get: operations["setup_status"];
        put?: never;
        /** `POST /api/setup`: creates the first administrator and signs them in. */
        post: operations["setup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Accepted: {
            review_id: string;
            role: components["schemas"]["Role"];
            user: components["schemas"]["User"];
        };
        AcceptInvitation: {
            agency?: string;
            email?: string;
            job_title?: string;
            /** @description For a new account: defaults to the invitation's. */
            name?: string;
            /** @description For a new account. Leave out when signed in: the invitation joins that account. */
            password?: string;
            /** @description The invitation's secret, from its link. */
            secret: string;
        };
        /** @description An access token's record (never its secret). */
        AccessToken: {
            /** Format: int64 */
            created_at: number;
            /** Format: int64 */
            expires_at: number;
            id: string;
            label: string;
            review_id: string;
            /** Format: int64 */
            revoked_at?: number | null;
            role: components["schemas"]["Role"];
        };
        /**
         * @description What an audit event records. Stored as its text; the API sends the same text.
         * @enum {string}
         */
        AuditAction: "edit" | "review_created" | "review_updated" | "invitation_created" | "invitation_withdrawn" | "invitation_accepted" | "role_changed" | "member_removed" | "token_created" | "token_revoked" | "meeting_added" | "meeting_updated" | "meeting_removed" | "document_created" | "document_participants_changed" | "snapshot_taken" | "snapshot_restored" | "item_restored_from_bin" | "item_restored_from_snapshot" | "bin_emptied" | "comment_added" | "comment_resolved" | "comment_reopened" | "comment_deleted" | "report_exported" | "library_published" | "library_withdrawn" | "library_role_changed" | "library_exported" | "library_theme_created" | "chronology_imported" | "chronology_entry_corrected" | "discrepancy_marked" | "discrepancy_settled" | "discrepancy_reopened" | "register_entry_added" | "register_entry_removed" | "unreviewed_export_confirmed" | "safe_term_added" | "safe_term_removed" | "login" | "logout" | "login_failed" | "login_refused_locked" | "password_changed" | "password_change_failed" | "password_change_refused_locked" | "administrator_created" | "account_created";
        /** @description One row of the audit trail. */
        AuditEvent: {
            action: components["schemas"]["AuditAction"];
            actor: components["schemas"]["Author"];
            /** Format: int64 */
            at_ms: number;
            detail: string;
            document: string;
            entity: string;
            entity_kind: string;
            field: string;
            review_id: string;
            /** Format: int64 */
            seq?: number | null;
        };
        /** @description How the audit trail names whoever made a change. */
        Author: {
            agency: string;
            id: string;
            /** @description "user", "token" or "system". */
            kind: string;
            name: string;
        };
        Axis: {
            code: string;
            label: string;
        };
        /** @description A row that is not an entry, and why. */
        BadRow: {
            /** @description The column's name in the header (or its letter when there is none). */
            column: string;
            reason: string;
            row: number;
            value: string;
        };
        /** @description One entry of the bin. */
        BinEntryView: {
            /** Format: int64 */
            deletedAt: number;
            deletedBy: components["schemas"]["DeletedBy"];
            /** @description The entity's id on the board. */
            entity: string;
            /** @description The entity as it was (docs/board-schema.md field names). */
            entityFields: Record<string, never>;
            id: string;
            /** @description "episode", "factor", "finding" or "link". */
            kind: string;
            label: string;
            /** @description Links that went with it (those whose other end is still on the board come back). */
            links: number;
            /** @description False when it cannot come back (a link whose end is gone). */
            restorable: boolean;
        };
        ChangedEntity: {
            fields: components["schemas"]["FieldChange"][];
            id: string;
            label: string;
            parent?: string | null;
        };
        /** @description The merged chronology as the caller may see it. */
        ChronologyView: {
            /** @description The one agency whose entries the caller sees, when they see one only. */
            agencyOnly?: string | null;
            /** @description The caller may import files (leads). */
            canImport: boolean;
            /** @description The caller may correct entries and mark discrepancies (review team and leads). */
            canInterpret: boolean;
            /** @description For the review team and leads; empty for others. */
            discrepancies: components["schemas"]["DiscrepancyView"][];
            /** @description Every agency's entries in time order (only the caller's agency's for the case group). */
            entries: components["schemas"]["EntryView"][];
            imports: components["schemas"]["ImportView"][];
        };
        Code: {
            description?: string | null;
            label: string;
            /** Format: int64 */
            order: number;
            shortLabel?: string | null;
        };
        /** @description The codebook of one version. */
        Codebook: {
            effects: {
                [key: string]: components["schemas"]["Code"];
            };
            factorLevels: {
                [key: string]: components["schemas"]["Code"];
            };
            factorTypes: {
                [key: string]: components["schemas"]["Code"];
            };
            /**
             * @description Where the board is with a recommendation: proposed, accepted, not accepted, in
             *     progress, done.
             */
            recommendationStatuses: {
                [key: string]: components["schemas"]["Code"];
            };
            recommendationTypes: {
                [key: string]: components["schemas"]["Code"];
            };
            typology: {
                [key: string]: components["schemas"]["Code"];
            };
            version: string;
        };
        /** @description Who wrote a comment. */
        CommentAuthor: {
            agency: string;
            /** @description "user" or "token". */
            kind: string;
            name: string;
        };
        /** @description A review's comments for the caller. */
        CommentsView: {
            /** @description The caller may write comments (read-only roles read them). */
            canComment: boolean;
            /** @description Oldest first. */
            comments: components["schemas"]["CommentView"][];
            /** @description New comments on threads or items the caller is linked to. */
            newForYou: number;
            /**
             * Format: int64
             * @description When the caller last marked the comments read (0 if never).
             */
            seenAt: number;
        };
        /** @description One comment, as the caller sees it. */
        CommentView: {
            author: components["schemas"]["CommentAuthor"];
            /** @description Empty for a deleted comment. */
            body: string;
            /** @description The caller may delete it. */
            canDelete: boolean;
            /** @description On a thread's first comment: the caller may resolve or reopen the thread. */
            canResolve: boolean;
            /** Format: int64 */
            createdAt: number;
            deleted: boolean;
            /**
             * @description On a thread or item the caller is linked to: they wrote in the thread, are
             *     mentioned in it, or changed the item.
             */
            forYou: boolean;
            id: string;
            itemId: string;
            /** @description "episode", "factor", "finding" or "link". */
            itemKind: string;
            /** @description The item's title as the board has it now (empty when it is off the board). */
            itemLabel: string;
            /** @description The item's reference (episode E7, finding F3), when it has one. */
            itemRef: string;
            mentions: components["schemas"]["Mention"][];
            /** @description The caller wrote it. */
            mine: boolean;
            /** @description Written by someone else since the caller last read the comments. */
            new: boolean;
            onBoard: boolean;
            /**
             * Format: int64
             * @description On a thread's first comment: when the thread was resolved, if it is.
             */
            resolvedAt?: number | null;
            resolvedBy: string;
            /** @description The thread's first comment (this comment's own id when it starts the thread). */
            threadId: string;
        };
        Comparison: {
            /** @description Added, removed and changed entities, all kinds together. */
            added: number;
            changed: number;
            episodes: components["schemas"]["EntityChanges"];
            factors: components["schemas"]["EntityChanges"];
            findings: components["schemas"]["EntityChanges"];
            links: components["schemas"]["EntityChanges"];
            /** @description Entities whose position on the factor map changed (or was set or cleared). */
            moved_on_map: string[];
            /** @description Findings whose typology category changed. */
            reclassified: components["schemas"]["Reclassified"][];
            /** @description Recommendations of every finding; `parent` is the finding's id. */
            recommendations: components["schemas"]["EntityChanges"];
            removed: number;
        };
        CreateDocument: {
            /** @description User ids of the people (besides the leads) who may open it. */
            participants?: string[];
            /** @description Letters, digits, '-' and '_': the document becomes `notes/{slug}`. */
            slug: string;
            title: string;
        };
        CreateReview: {
            case_ref?: string;
            /** @description Defaults to `lcspr`. */
            kind?: string;
            title: string;
            /** @description Defaults to `full`; sets the starting meeting timeline. */
            variant?: string;
        };
        /** @description Who took an item off the board. */
        DeletedBy: {
            agency: string;
            /** @description "user", "token" or "system". */
            kind: string;
            name: string;
        };
        /** @description Settling or reopening a discrepancy. */
        DiscrepancyState: {
            /** @description What the conversations found (when settling). */
            resolution?: string;
            settled: boolean;
        };
        /** @description Entries that disagree, to explore in the conversations. */
        DiscrepancyView: {
            /** Format: int64 */
            createdAt: number;
            createdBy: string;
            /** @description The entries concerned (ids across versions). */
            entries: string[];
            id: string;
            note: string;
            resolution: string;
            /**
             * Format: int64
             * @description When it was settled, if it is, and how.
             */
            resolvedAt?: number | null;
        };
        /**
         * @description What a caller may do with one document.
         * @enum {string}
         */
        DocumentAccess: "read" | "edit" | "edit_except_agreed";
        /** @description A document of a review the caller may open. */
        DocumentView: {
            access: components["schemas"]["DocumentAccess"];
            /** @description The full document name for `/sync/{document}`. */
            document: string;
            /** @description The name inside the review: `board`, or `notes/...` for restricted notes. */
            name: string;
            /** @description For a lead reviewer, who (besides the leads) may open a restricted document. */
            participants?: string[] | null;
            restricted: boolean;
            title: string;
        };
        /** @description How many entries emptying the bin deleted for good. */
        Emptied: {
            /** Format: int64 */
            deleted: number;
        };
        EntityChanges: {
            added: components["schemas"]["EntitySummary"][];
            changed: components["schemas"]["ChangedEntity"][];
            removed: components["schemas"]["EntitySummary"][];
        };
        EntitySummary: {
            id: string;
            /** @description Its title (a finding's statement, a recommendation's text, a link's ends). */
            label: string;
            /** @description The finding a recommendation belongs to. */
            parent?: string | null;
        };
        /** @description A correction: the entry as it should read, and why. */
        EntryCorrection: {
            agency: string;
            /** @description As a person writes it: "02/07/2025", "July 2025", "about 2024". */
            date: string;
            event: string;
            /** @description Why it is corrected. */
            note?: string;
            role?: string;
            source?: string;
            time?: string;
            /**
             * Format: int64
             * @description The version corrected (a correction of an older one is refused: 409).
             */
            version: number;
        };
        /** @description An entry's versions, oldest first. */
        EntryVersions: {
            versions: components["schemas"]["EntryView"][];
        };
        /** @description One entry as the caller sees it (its current version). */
        EntryView: {
            agency: string;
            approximate: boolean;
            /** Format: int64 */
            changedAt: number;
            /** @description Who made this version, and when (the import, or the correction). */
            changedBy: string;
            /** @description ISO of its precision: "2025-07-02", "2025-07" or "2025". */
            date: string;
            event: string;
            /** @description The entry's id across its versions. */
            id: string;
            /** @description The file it came from, and its row there. */
            importId: string;
            /** @description Why it was corrected (empty for the imported version). */
            note: string;
            role: string;
            /** Format: int64 */
            row: number;
            source: string;
            /** @description "HH:MM", or empty. */
            time: string;
            /** Format: int64 */
            version: number;
        };
        /** @description The body of every error response. */
        ErrorBody: {
            /**
             * @description A stable code: unauthenticated, bad_credentials, not_found, forbidden,
             *     bad_request, conflict, too_many_attempts, cross_site, unavailable, internal.
             */
            error: string;
            /** @description What went wrong, in words for people. */
            message: string;
        };
        /** @description The answer to an export whose pre-publication check is not clean. */
        ExportRefused: {
            /** @description Always `check_not_clean`. */
            error: string;
            message: string;
            /** @description Possible names or identifying details nobody registered or marked safe. */
            possible: components["schemas"]["Possible"][];
            /** @description Register entries or flagged terms still in the export. */
            remaining: components["schemas"]["Remaining"][];
        };
        FacetValue: {
            code: string;
            count: components["schemas"]["ReviewCount"];
            description?: string | null;
            label: string;
        };
        FieldChange: {
            after: string;
            before: string;
            /** @description The schema's field name (`appraisal`, `status`, `order` for a move, ...). */
            field: string;
            /** @description For texts: the words kept, removed and added, in order. */
            words?: components["schemas"]["WordChange"][] | null;
        };
        /** @description A file's first rows, to choose its columns by. */
        FilePreview: {
            /** @description Each column's label: its letter, and its name in the first row ("B · Date"). */
            columns: string[];
            /** @description "csv" or "xlsx". */
            fileKind: string;
            /**
             * @description The columns last used for this agency's files, when they fit this file; otherwise
             *     a guess from the first row.
             */
            mapping: components["schemas"]["Mapping"];
            /** @description The mapping is the one last used for this agency. */
            remembered: boolean;
            /** @description Rows with anything in them (blank rows are not counted). */
            rowCount: number;
            /** @description The first rows as read. */
            rows: components["schemas"]["PreviewRow"][];
            /** @description The sheet read, for a workbook. */
            sheet: string;
            /** @description Columns in the widest row. */
            width: number;
        };
        /** @description What a file comes to by a mapping, and whether it was stored. */
        ImportCheck: {
            badCount: number;
            /** @description Rows that are not entries, with why (the first thousand; `badCount` counts all). */
            badRows: components["schemas"]["BadRow"][];
            /** @description The first entries read, as they would be stored. */
            entries: components["schemas"]["RowEntry"][];
            /** @description Entries read. */
            entryCount: number;
            import?: components["schemas"]["ImportView"] | null;
        };
        /** @description One imported file. */
        ImportView: {
            agency: string;
            /** @description The rows left out, with why. */
            badRows: components["schemas"]["BadRow"][];
            /** Format: int64 */
            entryCount: number;
            /** @description "csv" or "xlsx". */
            fileKind: string;
            fileName: string;
            id: string;
            /** Format: int64 */
            importedAt: number;
            importedBy: string;
        };
        /** @description An invitation to a review (never its secret). */
        Invitation: {
            /** Format: int64 */
            accepted_at?: number | null;
            agency: string;
            /** Format: int64 */
            created_at: number;
            email: string;
            /** Format: int64 */
            expires_at: number;
            id: string;
            job_title: string;
            name: string;
            review_id: string;
            role: components["schemas"]["Role"];
            /** Format: int64 */
            withdrawn_at?: number | null;
        };
        InvitationCreated: {
            invitation: components["schemas"]["Invitation"];
            /** @description Where the invited person goes: this path on the board's address. */
            path: string;
            /** @description The single-use secret; shown once, stored only as a hash. */
            secret: string;
        };
        InvitationPreview: {
            agency: string;
            case_ref: string;
            email: string;
            /** Format: int64 */
            expires_at: number;
            job_title: string;
            name: string;
            review_title: string;
            role: components["schemas"]["Role"];
        };
        InvitationSecret: {
            /** @description The invitation's secret, from its link. */
            secret: string;
        };
        InviteRequest: {
            agency?: string;
            email?: string;
            /**
             * Format: int32
             * @description How long the link works; default 7 days (168 hours), at most 30 days.
             */
            expires_in_hours?: number | null;
            job_title?: string;
            name?: string;
            role: string;
        };
        LibraryAccess: {
            /** @description Whether the caller may export and manage themes. */
            analyst: boolean;
            /** @description `reader`, `analyst` or `lead_reviewer` (a lead of any review reads the library). */
            role: string;
        };
        LibraryFacets: {
            /**
             * @description Each facet's values with their number of distinct reviews, among the findings
             *     matching every other choice: `category`, `effect`, `level`, `factor_type`,
             *     `agency`, `recommendation_type`, `kind`, `variant`, `year`.
             */
            facets: {
                [key: string]: components["schemas"]["FacetValue"][];
            };
            matched: components["schemas"]["ReviewCount"];
        };
        LibraryFindings: {
            /** @description The findings, best first; empty when they are withheld. */
            findings: components["schemas"]["LibraryHit"][];
            /** @description How many reviews the matching findings come from. */
            matched: components["schemas"]["ReviewCount"];
            message?: string;
            /**
             * @description True when the choices would single out fewer reviews than the threshold (and the
             *     caller is not in all of them), so no finding is listed.
             */
            withheld: boolean;
        };
        /**
         * @description A published finding as a search finds it, with the review it came from (by the name
         *     the case goes by, never the review's id).
         */
        LibraryHit: components["schemas"]["PublishedFinding"] & {
            caseName: string;
            id: string;
            partnership: string;
            reviewKind: string;
            setId: string;
            variant: string;
            /** Format: int64 */
            year: number;
        };
        LibraryInfo: {
            access: components["schemas"]["LibraryAccess"];
            /** @description What the library covers, and what it does not. */
            coverage: string;
            /** @description How many reviews have findings in the library. */
            reviews: components["schemas"]["ReviewCount"];
            /**
             * Format: int64
             * @description Counts of fewer reviews than this are shown as "fewer than N".
             */
            threshold: number;
        };
        LibraryMatrix: {
            /** @description `cells[r][c]`: the distinct reviews with a finding carrying both codes. */
            cells: components["schemas"]["ReviewCount"][][];
            columns: components["schemas"]["Axis"][];
            matched: components["schemas"]["ReviewCount"];
            rows: components["schemas"]["Axis"][];
        };
        /** @description One publication of a review's findings to the library. */
        LibrarySet: {
            caseName: string;
            /** Format: int64 */
            findingCount: number;
            id: string;
            partnership: string;
            /** Format: int64 */
            publishedAt: number;
            publishedBy: string;
            replacedBy?: string | null;
            reviewKind: string;
            snapshotId: string;
            variant: string;
            /** Format: int64 */
            version: number;
            /** Format: int64 */
            withdrawnAt?: number | null;
            withdrawnBy?: string | null;
            /** Format: int64 */
            year: number;
        };
        LibraryTheme: {
            /** Format: int64 */
            createdAt: number;
            createdBy: string;
            id: string;
            memo: string;
            name: string;
            /** Format: int64 */
            updatedAt: number;
        };
        LoginRequest: {
            email: string;
            password: string;
        };
        /** @description Which column (from 0) holds what. Date and event are needed; the rest may be absent. */
        Mapping: {
            /** @description When absent (or blank in a row), the entry is the importing agency's. */
            agency?: number | null;
            date?: number | null;
            event?: number | null;
            /** @description The first row names the columns (and is not an entry). */
            header?: boolean;
            role?: number | null;
            source?: number | null;
            time?: number | null;
        };
        Me: {
            /** @description For an access token: the one review it opens, and its role there. */
            token_review?: string | null;
            token_role?: components["schemas"]["Role"] | null;
            user?: components["schemas"]["User"] | null;
        };
        /** @description One meeting of a review's timeline. */
        Meeting: {
            /** @description User ids of the people who attend. */
            attendees: string[];
            closed: boolean;
            id: string;
            kind: string;
            /** @description `in_person`, `remote` or `hybrid`. */
            mode: string;
            /** Format: int64 */
            position: number;
            review_id: string;
            /** @description ISO 8601 date or date-time; empty while unscheduled. */
            scheduled_at: string;
            title: string;
        };
        MeetingFields: {
            attendees?: string[] | null;
            closed?: boolean | null;
            kind?: string | null;
            mode?: string | null;
            /** Format: int64 */
            position?: number | null;
            scheduled_at?: string | null;
            title?: string | null;
        };
        /** @description A person in a review. */
        Member: {
            agency: string;
            email: string;
            job_title: string;
            name: string;
            role: components["schemas"]["Role"];
            user_id: string;
        };
        /** @description Someone mentioned in a comment. */
        Mention: {
            name: string;
            userId: string;
        };
        MintToken: {
            /**
             * Format: int32
             * @description Default 30 days, at most 365.
             */
            expires_in_days?: number | null;
            label?: string;
            role: string;
        };
        /** @description A new comment: on an item (starting a thread) or a reply in a thread. */
        NewCommentBody: {
            body: string;
            itemId?: string | null;
            /** @description With `itemId`, starts a thread on that board item. */
            itemKind?: string | null;
            /** @description User ids of review members mentioned (@name in the text). */
            mentions?: string[];
            /** @description Replies in this thread (its first comment's id) instead. */
            threadId?: string | null;
        };
        /** @description Entries to mark as a discrepancy, and what to explore. */
        NewDiscrepancy: {
            /** @description One entry (an event no other agency records) or several that disagree. */
            entries: string[];
            note: string;
        };
        NewRegisterEntry: {
            note?: string;
            /** @description What exports say instead; leave empty to only flag the term. */
            pseudonym?: string;
            /** @description The real name or identifying detail. */
            term: string;
        };
        NewSafeTerm: {
            /** @description An agency, a role, a place or another term that is safe to publish. */
            term: string;
        };
        NewTheme: {
            memo?: string;
            name: string;
        };
        /** @description One match in restricted notes. */
        NotesHit: {
            after: string;
            /** @description The words before the match, the match as written, and the words after. */
            before: string;
            match: string;
            /** @description The notes' name in the review (`notes/{slug}`). */
            name: string;
            title: string;
        };
        PasswordChange: {
            current_password: string;
            new_password: string;
        };
        PersistentPattern: {
            code: string;
            /** @description `category` (a typology category) or `factor_type` (a contributory factor type). */
            facet: string;
            label: string;
            reviews: components["schemas"]["ReviewCount"];
            /** Format: int64 */
            years: number;
        };
        Possible: {
            count: number;
            /** @description `name`, `address`, `date_of_birth`, `postcode`, `phone` or `nhs_number`. */
            kind: string;
            /** @description The report sections it appears in. */
            places: string[];
            /** @description The text as it appears in the export. */
            text: string;
        };
        PreviewRow: {
            cells: string[];
            row: number;
        };
        PublicationCheck: {
            /**
             * @description True only when no registered or flagged term remains and nothing else in the
             *     export looks like a name or identifying detail still to review.
             */
            ok: boolean;
            /**
             * @description What looks like a personal name or identifying detail that is neither in the
             *     register nor marked safe: register it or mark it safe.
             */
            possible: components["schemas"]["Possible"][];
            /** @description Register entries or flagged terms that still appear, and where. */
            remaining: components["schemas"]["Remaining"][];
            /** @description Register entries and how many times each was replaced. */
            replaced: components["schemas"]["Replaced"][];
            /**
             * @description What was checked and what was found, in one sentence ("Checked the 42 texts of
             *     the export against 3 register entries: no registered name remains; 3 possible
             *     names or identifying details to review.").
             */
            summary: string;
            /** @description How many texts the export has; the check read every one. */
            texts_checked: number;
        };
        PublishedFactor: {
            /** @description A factor level code, or empty. */
            level: string;
            title: string;
            /** @description A factor type code, or empty. */
            type: string;
        };
        PublishedFinding: {
            agencies: string[];
            /** @description Typology codes (empty when not coded). */
            category: string;
            /** @description `supports` or `hinders`, or empty. */
            effect: string;
            factors: components["schemas"]["PublishedFactor"][];
            inCase: string;
            matters: string;
            questions: string;
            recommendations: components["schemas"]["PublishedRecommendation"][];
            reference: string;
            secondaryCategory: string;
            statement: string;
            underlying: string;
            widespread: string;
        };
        PublishedRecommendation: {
            /** @description Where the board was with it when published (a codebook status), or empty. */
            status?: string;
            text: string;
            /** @description A recommendation type code, or empty. */
            type: string;
        };
        PublishRequest: {
            /** @description The snapshot whose agreed findings are published. */
            snapshot: string;
        };
        /** @description What a put-back did. */
        PutBack: {
            entity: string;
            kind: string;
        };
        Reclassified: {
            after: string;
            after_label: string;
            before: string;
            /** @description The categories' labels from the boards' typologies. */
            before_label: string;
            id: string;
            label: string;
        };
        /** @description One entry of a review's pseudonymisation register. */
        RegisterEntry: {
            /** Format: int64 */
            created_at: number;
            id: string;
            note: string;
            /** @description What exports say instead; empty for a flagged term that is only checked. */
            pseudonym: string;
            review_id: string;
            /** @description The real name or identifying detail. */
            term: string;
        };
        Remaining: {
            count: number;
            /** @description `register` (a name that should have been replaced) or `flagged`. */
            kind: string;
            /** @description The report sections it appears in. */
            places: string[];
            term: string;
        };
        Replaced: {
            count: number;
            pseudonym: string;
            term: string;
        };
        Restored: {
            /** @description What the restore changed on the live board, in the comparison's terms. */
            changes: components["schemas"]["Comparison"];
            snapshot: string;
        };
        /** @description Which item of a snapshot to restore, and optionally which one of its fields. */
        RestoreItem: {
            /** @description A field's name (docs/board-schema.md); the whole item when absent. */
            field?: string | null;
            /** @description The entity's id. */
            id: string;
            /** @description "episode", "factor", "finding" or "link". */
            kind: string;
        };
        /** @description A restricted document of a review, with the people who may open it besides the leads. */
        RestrictedDocument: {
            /** @description The name inside the review, e.g. `notes/conversation-sw1`. */
            name: string;
            participants: string[];
            title: string;
        };
        /** @description A review and its details. */
        Review: {
            /** @description The pseudonymised case reference, e.g. "Child A". */
            case_ref: string;
            /** Format: int64 */
            created_at: number;
            id: string;
            kind: string;
            period_end: string;
            period_start: string;
            phase: string;
            /** @description The review questions, one per line. */
            questions: string;
            terms_of_reference: string;
            title: string;
            /** @description The Learning Together variant. */
            variant: string;
        };
        /**
         * @description A count of distinct reviews as it may leave the library: the number, or "fewer
         *     than N" when it is below the small-number threshold (never 1, 2, ...).
         */
        ReviewCount: {
            /**
             * Format: int64
             * @description The threshold, when the number is below it.
             */
            fewerThan?: number | null;
            /**
             * Format: int64
             * @description The number of reviews; absent when it is below the threshold.
             */
            reviews?: number | null;
            /** @description In words: "7 reviews", "fewer than 5 reviews", "no reviews". */
            text: string;
        };
        ReviewDetail: {
            /** @description The documents the caller may open. */
            documents: components["schemas"]["DocumentView"][];
            review: components["schemas"]["Review"];
            role: components["schemas"]["Role"];
        };
        ReviewLibrary: {
            current?: components["schemas"]["LibrarySet"] | null;
            /** @description Every set published, newest first (withdrawn and replaced ones kept). */
            sets: components["schemas"]["LibrarySet"][];
        };
        ReviewSummary: {
            review: components["schemas"]["Review"];
            /** @description The caller's role in the review. */
            role: components["schemas"]["Role"];
        };
        /**
         * @description A person's role in one review (domain model §2 and §11.4).
         * @enum {string}
         */
        Role: "lead_reviewer" | "review_team_member" | "case_group_member" | "board_member" | "observer";
        /** @description One entry read from a row. */
        RowEntry: {
            agency: string;
            approximate: boolean;
            /** @description ISO of its precision: "2025-07-02", "2025-07" or "2025". */
            date: string;
            event: string;
            role: string;
            /** @description The row's number in the file. */
            row: number;
            source: string;
            /** @description "HH:MM", or empty. */
            time: string;
        };
        /** @description A term a lead marked safe to publish: the pre-publication check does not list it. */
        SafeTerm: {
            /** Format: int64 */
            created_at: number;
            id: string;
            review_id: string;
            term: string;
        };
        /** @description How far the caller has read. */
        Seen: {
            /**
             * Format: int64
             * @description The newest comment's `createdAt` the caller was shown (never later than now).
             */
            upTo: number;
        };
        SeenBeforeAnswer: {
            /** @description How many reviews the findings looked at come from. */
            matched: components["schemas"]["ReviewCount"];
            /** @description Why nothing is listed, in words; empty otherwise. */
            message: string;
            /** @description Best first; empty when nothing is alike, or when the lookup is withheld. */
            suggestions: components["schemas"]["Suggestion"][];
            /**
             * @description True when they come from fewer reviews than the threshold, none of them the
             *     caller's: nothing is listed, so that no review is singled out.
             */
            withheld: boolean;
        };
        /** @description Who is signed in on this browser: the person, or nobody. */
        SessionState: {
            user?: components["schemas"]["User"] | null;
        };
        SetLibraryRole: {
            /** @description `reader`, `analyst`, or null to take the role away. */
            role?: string | null;
        };
        SetRole: {
            role: string;
        };
        SetupRequest: {
            agency?: string;
            /** @description The one-time code from the server's log. */
            code: string;
            email: string;
            job_title?: string;
            name: string;
            password: string;
        };
        SetupStatus: {
            /**
             * @description True while the board has no account: the first administrator must be created,
             *     with the one-time link printed in the server's log (or `board user create`).
             */
            needed: boolean;
        };
        SnapshotContent: {
            /** @description The board as JSON (docs/board-schema.md; the same shape as the web app's plain reading). */
            board: Record<string, never>;
            snapshot: components["schemas"]["SnapshotInfo"];
        };
        /** @description A snapshot's record (its state is read separately). */
        SnapshotInfo: {
            /** @description SHA-256 of the state, hex. */
            content_hash: string;
            document: string;
            id: string;
            label: string;
            meeting_id?: string | null;
            review_id: string;
            /** Format: int64 */
            seq: number;
            /** Format: int64 */
            taken_at: number;
            taken_by_id: string;
            taken_by_kind: string;
            taken_by_name: string;
        };
        /**
         * @description A suggestion, best first, with what it has in common with the draft: only what the
         *     panel shows and a link keeps (the review team need not be library readers).
         */
        Suggestion: {
            caseName: string;
            category: string;
            effect: string;
            /** @description The library finding's id. */
            id: string;
            reference: string;
            /**
             * Format: double
             * @description From 0 to 1: how close it is, words and codes together.
             */
            score: number;
            secondaryCategory: string;
            /** @description What it shares with the draft, in words: "the same category", "reads alike". */
            shared: string[];
            statement: string;
            /** Format: int64 */
            year: number;
        };
        TakeSnapshot: {
            /** @description e.g. "Analysis meeting 2: agreed findings". */
            label: string;
            /** @description The meeting of the timeline this records, if any. */
            meeting_id?: string | null;
        };
        /** @description One run of one person's changes to a text: its words before and after. */
        TextRun: {
            /** @description What the next run began with, or the text as it is now. */
            after: string;
            /** Format: int64 */
            atMs: number;
            before: string;
            entity: string;
            field: string;
            /**
             * Format: int64
             * @description The update that began the run (the history's `seq`): the run covers the field's
             *     changes from it up to the next run of the same field.
             */
            seq: number;
            /** @description The words kept, removed and added, in order. */
            words: components["schemas"]["WordChange"][];
        };
        ThemeChange: {
            memo?: string | null;
            name?: string | null;
        };
        ThemeView: {
            findings: components["schemas"]["LibraryHit"][];
            matched: components["schemas"]["ReviewCount"];
            theme: components["schemas"]["LibraryTheme"];
            /**
             * @description True when the theme's findings come from fewer reviews than the threshold (and
             *     the caller is not in all of them), so none is listed.
             */
            withheld: boolean;
        };
        /** @description Resolving or reopening a thread. */
        ThreadState: {
            resolved: boolean;
        };
        TokenCreated: {
            /** @description The bearer secret; shown once, stored only as a hash. */
            secret: string;
            token: components["schemas"]["AccessToken"];
        };
        TrendYear: {
            /** @description Reviews of the period with a matching finding. */
            matched: components["schemas"]["ReviewCount"];
            /** @description Reviews of the period in the library. */
            reviews: components["schemas"]["ReviewCount"];
            /**
             * Format: double
             * @description `matched` as a share of `reviews` (0 to 1); absent when either count is hidden,
             *     since a share would give the small number away.
             */
            share?: number | null;
            /**
             * Format: int64
             * @description Its last year (the same as `year` for a year alone).
             */
            until: number;
            /**
             * Format: int64
             * @description The period's first year.
             */
            year: number;
        };
        UpdateNotes: {
            /** @description User ids of the people (besides the leads) who may open the notes. */
            participants: string[];
            title: string;
        };
        UpdateReview: {
            case_ref?: string | null;
            kind?: string | null;
            period_end?: string | null;
            period_start?: string | null;
            phase?: string | null;
            questions?: string | null;
            terms_of_reference?: string | null;
            title?: string | null;
            variant?: string | null;
        };
        /** @description A signed-in person, as the audit trail and presence name them. */
        User: {
            agency: string;
            email: string;
            id: string;
            is_admin: boolean;
            job_title: string;
            name: string;
        };
        WordChange: {
            /** @description `same`, `removed` or `added`. */
            op: string;
            text: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    set_library_role: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The person's account id */
                user: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetLibraryRole"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    account_audit: {
        parameters: {
            query?: {
                /** @description Most events returned (default 500, at most 5000). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEvent"][];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    accept_invitation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AcceptInvitation"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Accepted"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    invitation_preview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationSecret"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationPreview"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_info: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibraryInfo"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller may not see the library */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_codebook: {
        parameters: {
            query?: {
                /** @description `json` (the default) or `csv`. */
                format?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The codebook (JSON, or CSV with format=csv) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Codebook"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller may not see the library */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_export: {
        parameters: {
            query: {
                /** @description An agency involved. */
                agency?: string;
                /** @description A typology code (first or second category). */
                category?: string;
                /** @description `supports` or `hinders`. */
                effect?: string;
                /** @description A factor type code of one of its contributory factors. */
                factor_type?: string;
                /** @description `csv` or `json`. */
                format: string;
                /** @description The kind of review (`lcspr`, `sar`, ...). */
                kind?: string;
                /** @description A factor level code of one of its contributory factors. */
                level?: string;
                /** @description Words to find (English stemming: "referral" finds "referrals"). */
                q?: string;
                /**
                 * @description Where the board is with one of its recommendations (`proposed`, `accepted`,
                 *     `not_accepted`, `in_progress`, `done`).
                 */
                recommendation_status?: string;
                /** @description A recommendation type code of one of its recommendations. */
                recommendation_type?: string;
                /**
                 * @description With `year`, the last year of a period (a trend's bar of several years): the
                 *     reviews of `year` to `until`.
                 */
                until?: number;
                /** @description The Learning Together variant. */
                variant?: string;
                year?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The findings as CSV or JSON */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an analyst, or the search matches too few reviews */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller may not see the library */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_facets: {
        parameters: {
            query?: {
                /** @description An agency involved. */
                agency?: string;
                /** @description A typology code (first or second category). */
                category?: string;
                /** @description `supports` or `hinders`. */
                effect?: string;
                /** @description A factor type code of one of its contributory factors. */
                factor_type?: string;
                /** @description The kind of review (`lcspr`, `sar`, ...). */
                kind?: string;
                /** @description A factor level code of one of its contributory factors. */
                level?: string;
                /** @description Words to find (English stemming: "referral" finds "referrals"). */
                q?: string;
                /**
                 * @description Where the board is with one of its recommendations (`proposed`, `accepted`,
                 *     `not_accepted`, `in_progress`, `done`).
                 */
                recommendation_status?: string;
                /** @description A recommendation type code of one of its recommendations. */
                recommendation_type?: string;
                /**
                 * @description With `year`, the last year of a period (a trend's bar of several years): the
                 *     reviews of `year` to `until`.
                 */
                until?: number;
                /** @description The Learning Together variant. */
                variant?: string;
                year?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibraryFacets"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller may not see the library */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_findings: {
        parameters: {
            query?: {
                /** @description An agency involved. */
                agency?: string;
                /** @description A typology code (first or second category). */
                category?: string;
                /** @description `supports` or `hinders`. */
                effect?: string;
                /** @description A factor type code of one of its contributory factors. */
                factor_type?: string;
                /** @description The kind of review (`lcspr`, `sar`, ...). */
                kind?: string;
                /** @description A factor level code of one of its contributory factors. */
                level?: string;
                /** @description At most this many findings (default 50, at most 200). */
                limit?: number;
                /** @description Words to find (English stemming: "referral" finds "referrals"). */
                q?: string;
                /**
                 * @description Where the board is with one of its recommendations (`proposed`, `accepted`,
                 *     `not_accepted`, `in_progress`, `done`).
                 */
                recommendation_status?: string;
                /** @description A recommendation type code of one of its recommendations. */
                recommendation_type?: string;
                /**
                 * @description With `year`, the last year of a period (a trend's bar of several years): the
                 *     reviews of `year` to `until`.
                 */
                until?: number;
                /** @description The Learning Together variant. */
                variant?: string;
                year?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibraryFindings"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller may not see the library */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_matrix: {
        parameters: {
            query: {
                /** @description An agency involved. */
                agency?: string;
                /** @description A typology code (first or second category). */
                category?: string;
                /** @description The facet of the columns (the same list; the same facet crosses it with itself). */
                columns: string;
                /** @description `supports` or `hinders`. */
                effect?: string;
                /** @description A factor type code of one of its contributory factors. */
                factor_type?: string;
                /** @description The kind of review (`lcspr`, `sar`, ...). */
                kind?: string;
                /** @description A factor level code of one of its contributory factors. */
                level?: string;
                /** @description Words to find (English stemming: "referral" finds "referrals"). */
                q?: string;
                /**
                 * @description Where the board is with one of its recommendations (`proposed`, `accepted`,
                 *     `not_accepted`, `in_progress`, `done`).
                 */
                recommendation_status?: string;
                /** @description A recommendation type code of one of its recommendations. */
                recommendation_type?: string;
                /**
                 * @description The facet of the rows: `category`, `effect`, `level`, `factor_type`, `agency` or
                 *     `recommendation_type`.
                 */
                rows: string;
                /**
                 * @description With `year`, the last year of a period (a trend's bar of several years): the
                 *     reviews of `year` to `until`.
                 */
                until?: number;
                /** @description The Learning Together variant. */
                variant?: string;
                year?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibraryMatrix"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller may not see the library */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_persistent: {
        parameters: {
            query?: {
                /** @description Seen in at least this many distinct reviews (never fewer than the threshold). */
                reviews?: number;
                /** @description Over at least this many distinct years (default 3). */
                years?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersistentPattern"][];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller may not see the library */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_themes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibraryTheme"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller may not see the library */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_library_theme: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewTheme"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibraryTheme"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_theme: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The theme's id */
                theme: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThemeView"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_library_theme: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The theme's id */
                theme: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ThemeChange"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibraryTheme"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    add_to_library_theme: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A library finding's id */
                finding: string;
                /** @description The theme's id */
                theme: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such theme or current finding */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    remove_from_library_theme: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A library finding's id */
                finding: string;
                /** @description The theme's id */
                theme: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_theme_summary: {
        parameters: {
            query?: {
                /** @description `json` (the default) or `csv`. */
                format?: string;
            };
            header?: never;
            path: {
                /** @description The theme's id */
                theme: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary as Word or Markdown */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an analyst, or the theme's findings come from too few reviews */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    library_trend: {
        parameters: {
            query?: {
                /** @description An agency involved. */
                agency?: string;
                /** @description A typology code (first or second category). */
                category?: string;
                /** @description `supports` or `hinders`. */
                effect?: string;
                /** @description A factor type code of one of its contributory factors. */
                factor_type?: string;
                /** @description The kind of review (`lcspr`, `sar`, ...). */
                kind?: string;
                /** @description A factor level code of one of its contributory factors. */
                level?: string;
                /** @description Words to find (English stemming: "referral" finds "referrals"). */
                q?: string;
                /**
                 * @description Where the board is with one of its recommendations (`proposed`, `accepted`,
                 *     `not_accepted`, `in_progress`, `done`).
                 */
                recommendation_status?: string;
                /** @description A recommendation type code of one of its recommendations. */
                recommendation_type?: string;
                /**
                 * @description With `year`, the last year of a period (a trend's bar of several years): the
                 *     reviews of `year` to `until`.
                 */
                until?: number;
                /** @description The Learning Together variant. */
                variant?: string;
                year?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrendYear"][];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    change_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many attempts from this address, or the account is locked for a while */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many passwords being checked at once; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_reviews: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReviewSummary"][];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateReview"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Review"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    show_review: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReviewDetail"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateReview"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Review"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    audit: {
        parameters: {
            query?: {
                /** @description Most events returned (default 500, at most 5000). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEvent"][];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_bin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BinEntryView"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    empty_bin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Emptied"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    restore_from_bin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The bin entry's id */
                item: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PutBack"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    live_board: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The board (docs/board-schema.md) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    chronology: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChronologyView"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    mark_discrepancy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewDiscrepancy"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscrepancyView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    settle_discrepancy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The discrepancy's id */
                discrepancy: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DiscrepancyState"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    chronology_entry_versions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The entry's id */
                entry: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryVersions"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    correct_chronology_entry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The entry's id */
                entry: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EntryCorrection"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    import_chronology: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The agency the file comes from (entries without an agency column are its). */
                agency: string;
                agency_column: number | null;
                /**
                 * @description Store the entries read (leaving out the bad rows listed). Without it nothing is
                 *     stored: the answer says what would be.
                 */
                confirm: boolean | null;
                /** @description Column numbers, from 0: the date and the event are needed. */
                date: number | null;
                event: number | null;
                /** @description The first row names the columns (default true). */
                header: boolean | null;
                /** @description The file's name as sent. */
                name: string;
                /** @description The review's id */
                review: string;
                role: number | null;
                source: number | null;
                time: number | null;
            };
            cookie?: never;
        };
        /** @description The file, as the agency sent it */
        requestBody: {
            content: {
                "application/octet-stream": number[];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportCheck"];
                };
            };
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportCheck"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    preview_chronology_file: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The agency the file comes from. */
                agency: string;
                /**
                 * @description The file's name as sent ("police.xlsx"): .xlsx is read as a workbook, anything
                 *     else as CSV.
                 */
                name: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        /** @description The file, as the agency sent it */
        requestBody: {
            content: {
                "application/octet-stream": number[];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FilePreview"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_comments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommentsView"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    add_comment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewCommentBody"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommentView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_comment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The comment's id */
                comment: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    resolve_thread: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread's first comment */
                comment: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ThreadState"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    mark_comments_seen: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Seen"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    compare: {
        parameters: {
            query: {
                /** @description A snapshot id, or `live` for the board as it is now. */
                from: string;
                /** @description A snapshot id, or `live` for the board as it is now. */
                to: string;
            };
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comparison"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    documents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentView"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_document: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDocument"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestrictedDocument"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    seen_before: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The finding's id on the board */
                finding: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SeenBeforeAnswer"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such review or finding */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    history: {
        parameters: {
            query: {
                /** @description The document inside the review; default `board`. */
                document?: string;
                /** @description The entity id (a row, factor, finding or link). */
                entity: string;
            };
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEvent"][];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    history_texts: {
        parameters: {
            query?: {
                /** @description The document inside the review; default `board`. */
                document?: string;
                /**
                 * @description One entity's runs; without it, the newest runs of the whole board (leads only,
                 *     for the audit trail).
                 */
                entity?: string;
            };
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TextRun"][];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    invitations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invitation"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    invite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InviteRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationCreated"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    withdraw_invitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invitation's id */
                invitation: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    review_library: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReviewLibrary"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    publish_to_library: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PublishRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibrarySet"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The check is not clean, or another publication of the review won a race */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportRefused"];
                };
            };
        };
    };
    withdraw_from_library: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Nothing is published */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    meetings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Meeting"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    add_meeting: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MeetingFields"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Meeting"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_meeting: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The meeting's id */
                meeting: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_meeting: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The meeting's id */
                meeting: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MeetingFields"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Meeting"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    members: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    set_role: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The person's user id */
                user: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetRole"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    remove_member: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The person's user id */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_notes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The notes' slug: the document is notes/{slug} */
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateNotes"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestrictedDocument"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterEntry"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    add_register_entry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewRegisterEntry"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterEntry"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    remove_register_entry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The entry's id */
                entry: string;
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    safe_terms: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SafeTerm"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    add_safe_term: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewSafeTerm"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SafeTerm"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    remove_safe_term: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The safe term's id */
                term: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    search_notes: {
        parameters: {
            query: {
                /** @description What to look for: 2 to 200 characters, matched ignoring case and accents. */
                q: string;
            };
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotesHit"][];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_snapshots: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SnapshotInfo"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    take: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TakeSnapshot"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SnapshotInfo"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    show_snapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The snapshot's id */
                snapshot: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SnapshotContent"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    check: {
        parameters: {
            query?: {
                /**
                 * @description Check the report with candidate episodes and draft findings included (as an
                 *     export with `drafts=true` holds them).
                 */
                drafts?: boolean;
                /** @description Check the report with the people named (as an export with `names=true`). */
                names?: boolean;
            };
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The snapshot's id */
                snapshot: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicationCheck"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    export: {
        parameters: {
            query: {
                /**
                 * @description A lead's explicit confirmation to export although the pre-publication check is
                 *     not clean: `unreviewed`. Recorded in the audit trail.
                 */
                confirm?: string;
                /**
                 * @description Include candidate episodes and draft findings, each marked as not yet agreed
                 *     (leads only). Without it the report holds agreed work only.
                 */
                drafts?: boolean;
                /** @description `docx`, `pdf`, `html`, `md` or `json`. */
                format: string;
                /**
                 * @description Name the lead reviewers, the review team and the case group (leads only).
                 *     Without it they are listed by role and agency.
                 */
                names?: boolean;
            };
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The snapshot's id */
                snapshot: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report in the asked format (Word, PDF, HTML, Markdown or JSON) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The pre-publication check is not clean and no lead confirmed the export */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportRefused"];
                };
            };
            /** @description A PDF was asked for and the server cannot print one */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    restore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The snapshot's id */
                snapshot: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Restored"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    restore_item: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The snapshot's id */
                snapshot: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RestoreItem"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PutBack"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    state: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The snapshot's id */
                snapshot: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": number[];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    tokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessToken"][];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    mint_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MintToken"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenCreated"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revoke_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The review's id */
                review: string;
                /** @description The token's id */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid session or token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    session_state: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionState"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Signed in; the session cookie is set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The request body or query string is not what this route takes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Wrong email or password, or the account is locked for a while */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many attempts from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Too many passwords being checked at once; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out; the cookie is cleared */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    setup_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SetupStatus"];
                };
            };
        };
    };
    setup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetupRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
