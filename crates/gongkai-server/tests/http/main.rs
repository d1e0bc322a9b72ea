//! HTTP tests through the real router (tower `oneshot`): every story runs on SQLite and, when
//! on PostgreSQL (a new database per test on `GONGKAI_TEST_POSTGRES_URL`, or on a
//! throw-away cluster the harness starts, as the store's tests do).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod applications;
mod authz_matrix;
mod collect;
mod column;
mod corrections;
mod findings;
mod letters;
mod office_status;
mod open_data;
mod portal;
mod privacy;
mod published;
mod registers;
mod reports;
mod rollup;
mod security;
mod sources;
mod stories;
mod support;

/// Declares, for each story of `module` (a function `crate::module::story(&App)`), one test per
/// backend: `<story>::sqlite` and `<story>::postgres`.
macro_rules! stories_of {
    ($module:ident: $($story:ident),* $(,)?) => {
        $(
            mod $story {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = crate::support::sqlite().await;
                    crate::$module::$story(&app).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let app = crate::support::postgres().await;
                    crate::$module::$story(&app).await;
                }
            }
        )*
    };
}

/// Declares one test per story and backend: `sqlite::<story>` and `postgres::<story>`.
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let app = crate::support::sqlite().await;
                    crate::stories::$story(&app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let app = crate::support::postgres().await;
                    crate::stories::$story(&app).await;
                }
            )*
        }
    };
}

on_both_backends!(
    health_answers_when_the_store_does,
    login_answers_alike_for_unknown_user_and_wrong_password,
    the_login_limit_answers_alike_too,
    an_api_token_opens_the_same_doors,
    forms_without_the_csrf_token_are_refused,
    nothing_but_public_routes_without_credentials,
    another_agencys_id_answers_like_a_missing_one,
    the_public_agency_list,
    the_dashboard_shows_deadlines_in_colour,
    security_headers_on_every_response,
    the_demo_county_seeds_once,
    the_scaled_county_seeds_once_and_its_pending_agency_publishes,
    every_role_gets_what_the_policy_table_says,
);

mod snapshots {
    use insta::assert_snapshot;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn login_page() {
        let app = crate::support::sqlite().await;
        assert_snapshot!(app.get("/login", "").await.redacted());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dashboard() {
        let app = crate::support::sqlite().await;
        let browser = app.login("clerk-a").await;
        let page = app.get(&format!("/agencies/{}", app.a.id), &browser.cookies).await;
        assert_snapshot!(page.redacted());
    }
}

/// The public report page's stories (`published.rs`): `published_stories::<story>::{sqlite, postgres}`.
mod published_stories {
    stories_of!(
        published:
        the_page_has_the_layout_the_downloads_and_the_log,
        hostile_names_and_reasons_are_escaped,
        an_older_version_shows_the_notice,
        the_pdf_download_is_a_pdf,
        a_published_version_is_not_modified,
    );
}

/// The annual report stories (`reports.rs`): `report_stories::<story>::{sqlite, postgres}`.
mod report_stories {
    stories_of!(
        reports:
        draft_check_publish_download_and_read_back,
        publishing_with_errors_is_refused_with_the_list,
        the_drill_down_lists_what_a_cell_counts,
        another_agencys_report_is_nonexistent,
        a_saved_draft_survives_a_reload_and_is_what_publish_publishes,
        a_stale_save_is_a_conflict_showing_the_current_text,
    );

    mod snapshots {
        use insta::assert_snapshot;

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn report_draft_page() {
            let app = crate::support::sqlite().await;
            let approver = crate::reports::with_register(&app).await;
            let path = format!("/agencies/{}/reports/draft?year=2024", app.a.id);
            let page = app.get(&path, &approver.cookies).await;
            let a = format!("/agencies/{}", app.a.id);
            assert_snapshot!(page.redacted().replace(&a, "/agencies/[a]"));
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn report_draft_conflict() {
            let app = crate::support::sqlite().await;
            let approver = crate::reports::with_register(&app).await;
            let page = crate::reports::stale_save(&app, &approver).await;
            let a = format!("/agencies/{}", app.a.id);
            assert_snapshot!(page.redacted().replace(&a, "/agencies/[a]"));
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn public_report_page() {
            let app = crate::support::sqlite().await;
            let approver = crate::reports::with_register(&app).await;
            let a = app.a.id;
            let form = format!("csrf={}&year=2024", approver.csrf);
            let r = app
                .post_form(&format!("/agencies/{a}/reports/publish"), &approver.cookies, &form)
                .await;
            assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
            let page = app.get(&format!("/agencies/{a}/reports/2024"), "").await;
            assert_snapshot!(page.body.replace(&format!("/agencies/{a}/"), "/agencies/[a]/"));
        }
    }
}

/// The office's status board (`office_status.rs`): `office_status_stories::<story>::{sqlite, postgres}`.
mod office_status_stories {
    stories_of!(
        office_status:
        the_board_shows_every_agency_of_the_subtree,
        filters_and_exports,
        the_unpublished_list_is_ready_to_send,
        only_the_office_and_the_offices_above_see_it,
    );

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn board_csv_snapshot() {
        let app = crate::support::sqlite().await;
        insta::assert_snapshot!(crate::office_status::board_csv(&app).await);
    }
}

/// Collecting reports published elsewhere (`collect.rs`): `collect_stories::<story>::{sqlite, postgres}`.
mod collect_stories {
    stories_of!(
        collect:
        many_files_are_read_and_matched,
        collected_reports_are_checked_across_years,
        a_bad_file_in_a_zip_blocks_nothing,
        an_ambiguous_name_is_proposed_then_confirmed,
        a_restart_resumes_the_jobs,
        only_the_office_and_those_above_collect,
        the_dev_corpus_reads_as_check_does,
    );

    mod snapshots {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn collection_and_document_pages() {
            let app = crate::support::sqlite().await;
            let (list, document) = crate::collect::pages_after_an_upload(&app).await;
            insta::assert_snapshot!("collection_page", list);
            insta::assert_snapshot!("document_page_en", document);
        }
    }
}

/// The office's roll-up stories (`rollup.rs`): `rollup_stories::<story>::{sqlite, postgres}`.
mod rollup_stories {
    stories_of!(
        rollup:
        the_api_sums_every_agency_of_the_subtree,
        a_missing_report_is_a_cause_on_the_page_and_in_the_api,
        only_the_office_sees_its_rollup,
        the_office_compares_its_agencies,
        an_agency_over_the_years_is_public,
    );

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn api_json_snapshot() {
        let app = crate::support::sqlite().await;
        insta::assert_snapshot!(crate::rollup::api_json_with_causes(&app).await);
    }
}

/// The findings queue of collected reports (`findings.rs`): `findings_stories::<story>::{sqlite, postgres}`.
mod findings_stories {
    stories_of!(
        findings:
        the_queue_filters_confirms_and_dismisses,
        decisions_survive_reupload,
        only_the_office_and_those_above_review,
    );

    mod snapshots {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn queue_page() {
            let app = crate::support::sqlite().await;
            insta::assert_snapshot!("findings_queue_page", crate::findings::queue_page(&app).await);
        }
    }
}

/// Nothing private in anything public (`privacy.rs`): `privacy_stories::<story>::{sqlite, postgres}`.
mod privacy_stories {
    stories_of!(privacy: sentinels_never_reach_the_public);
}

/// The public portal (`portal.rs`): `portal_stories::<story>::{sqlite, postgres}`.
mod portal_stories {
    stories_of!(
        portal:
        search_by_name_pinyin_initials_and_region,
        the_agency_page_shows_published_versions_only,
        statistics_sum_the_latest_published_versions,
        offices_unknown_ids_and_agencies_answer_404,
        the_home_page_is_public_and_the_dashboard_stays,
        a_publication_keeps_the_directory_and_a_new_organisation_rebuilds_it,
        readers_are_served_the_data_before_a_publication_while_it_is_recomputed,
        the_server_computes_the_portal_ahead_of_the_first_visitor,
    );

    /// The pages' times over 2,000 agencies (by hand: `-- --ignored --nocapture`).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "a measurement, run by hand"]
    async fn portal_timing() {
        crate::portal::timing(&crate::support::sqlite().await).await;
    }

    /// The visible text of the portal's pages.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn page_snapshots() {
        let app = crate::support::sqlite().await;
        let ids = [
            (format!("/agencies/{}/", app.a.id), "/agencies/[a]/"),
            (format!("/agencies/{}/", app.b.id), "/agencies/[b]/"),
            (format!("/offices/{}/", app.office.id), "/offices/[office]/"),
        ];
        for (name, text) in crate::portal::pages_for_snapshots(&app).await {
            let text = ids.iter().fold(text, |t, (from, to)| t.replace(from.as_str(), to));
            insta::assert_snapshot!(format!("portal_{name}"), text);
        }
    }
}

/// Open data (`open_data.rs`): `open_data_stories::<story>::{sqlite, postgres}`.
mod open_data_stories {
    stories_of!(
        open_data:
        every_format_downloads_the_published_cells,
        filters_select_years_offices_regions_and_agencies,
        nothing_unpublished_is_in_the_open_data,
        csv_guards_formulas_and_offers_a_bom,
        the_zip_is_partitioned_by_year,
        tags_revalidate_and_change_with_a_new_version,
    );

    mod snapshots {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn data_page() {
            let app = crate::support::sqlite().await;
            insta::assert_snapshot!("data_page_zh", crate::open_data::data_page(&app, "zh").await);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn data_page_en() {
            let app = crate::support::sqlite().await;
            insta::assert_snapshot!("data_page_en", crate::open_data::data_page(&app, "en").await);
        }
    }
}

/// The disclosure column, its feed and the guide (`column.rs`): `column_stories::<story>::{sqlite, postgres}`.
mod column_stories {
    stories_of!(
        column:
        only_reviewed_and_published_items_are_public,
        search_and_browse,
        the_feed_is_well_formed_atom,
        the_guide_shows_what_the_agency_saved,
        attachments_are_uploaded_and_downloaded,
        a_published_year_traces_to_the_column,
        the_form_fills_the_catalogue,
    );

    mod snapshots {
        use insta::assert_snapshot;

        /// The pages with agency A's id replaced, for stable snapshots.
        async fn page(app: &crate::support::App, path: &str) -> String {
            let a = app.a.id.0;
            let r = app.get(&path.replace("[a]", &a.to_string()), "").await;
            assert_eq!(r.status, axum::http::StatusCode::OK, "{path}");
            r.body
                .replace(&format!("/agencies/{a}/"), "/agencies/[a]/")
                .replace(&format!("GK110101{a:06}"), "GK110101[a]")
                .replace(&format!("urn:gongkai:agency:{a}:"), "urn:gongkai:agency:[a]:")
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn column_pages() {
            let app = crate::support::sqlite().await;
            crate::column::seed(&app).await;
            assert_snapshot!("column_page", page(&app, "/agencies/[a]/column").await);
            assert_snapshot!(
                "column_page_en",
                page(&app, "/agencies/[a]/column?lang=en&year=2024").await
            );
            assert_snapshot!("column_item", page(&app, "/agencies/[a]/column/ZD-1").await);
            assert_snapshot!("column_feed", page(&app, "/agencies/[a]/column.atom").await);
            assert_snapshot!("guide_page", page(&app, "/agencies/[a]/guide").await);
            assert_snapshot!("guide_page_en", page(&app, "/agencies/[a]/guide?lang=en").await);
        }
    }
}

/// Where a published report's figures come from (`sources.rs`): `sources_stories::<story>::{sqlite, postgres}`.
mod sources_stories {
    stories_of!(
        sources:
        a_report_published_from_the_registers_traces_to_them,
        a_changed_register_shows_the_difference,
        only_published_years_of_agencies,
    );

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sources_page_snapshot() {
        let app = crate::support::sqlite().await;
        let approver = crate::reports::with_register(&app).await;
        let a = app.a.id.0;
        let form = format!("csrf={}&year=2024", approver.csrf);
        let r = app
            .post_form(&format!("/agencies/{a}/reports/publish"), &approver.cookies, &form)
            .await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
        let page = app.get(&format!("/agencies/{a}/reports/2024/sources"), "").await;
        insta::assert_snapshot!(
            "sources_page",
            page.body.replace(&format!("/agencies/{a}/"), "/agencies/[a]/")
        );
    }
}

/// The authorization matrix (`authz_matrix.rs`): `authz_matrix_stories::<story>::{sqlite, postgres}`.
mod authz_matrix_stories {
    stories_of!(authz_matrix: every_route_every_actor_every_side);
}

/// The security stories (`security.rs`): `security_stories::<story>::{sqlite, postgres}`.
mod security_stories {
    stories_of!(
        security:
        a_login_opens_a_new_session_and_logout_ends_it,
        secrets_are_stored_hashed_and_tokens_revocable,
        the_login_forms_limit_answers_alike,
        security_headers_on_every_route,
        bodies_over_the_limits_are_refused,
        a_request_over_the_time_limit_is_answered_408,
        sql_injection_strings_in_every_parameter,
        traversal_and_zip_slip_write_nothing_outside,
        xml_entities_in_docx_and_xlsx_are_inert,
        hostile_names_are_escaped_and_exports_guarded,
    );
}
