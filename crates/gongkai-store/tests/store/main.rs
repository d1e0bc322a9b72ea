//! The store's tests: every story runs twice, on SQLite (a temporary file) and on PostgreSQL (a
//! database of its own on the test cluster; see `support.rs`), through the same public API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod collected;
mod column;
mod documents;
mod drafts;
mod findings;
mod listing;
mod operations;
mod property;
mod public;
mod registers;
mod stories;
mod subtree;
mod support;

/// Declares one test per story and backend: `sqlite::<story>` and `postgres::<story>`.
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let fresh = crate::support::sqlite().await;
                    crate::stories::$story(&fresh).await;
                    fresh.store.close().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let fresh = crate::support::postgres().await;
                    crate::stories::$story(&fresh).await;
                    fresh.store.close().await;
                }
            )*
        }
    };
}

on_both_backends!(
    migrations_run_once,
    organisations_form_a_tree,
    users_passwords_and_roles,
    sessions_and_tokens,
    stale_appends_conflict,
    concurrent_appends_never_lose_one,
    imports_are_all_or_nothing,
    personal_data_only_for_the_owning_agency,
    history_is_append_only_in_the_database,
    concurrent_writers_all_succeed,
    changed_or_newer_schemas_are_refused,
    published_reports_are_immutable_versions,
    backups_are_consistent_copies,
    case_state_lists_by_due_date,
    registers_import_and_load,
    drafts_and_year_locks,
    documents_are_content_addressed,
    concurrent_uploads_make_one_document,
    findings_keep_their_reviews,
    subtrees_reach_every_level,
    latest_reports_of_a_subtree,
    collected_reports_are_read_through_a_queue,
    collected_files_are_stored_with_their_jobs,
    drafts_of_a_subtree,
    public_queries_see_the_whole_tree,
    selected_reports_by_years_subtree_agency_and_region,
    the_column_shows_only_public_items,
);
