//! The two backends of the store tests, each a fresh, empty database per test: a temporary SQLite
//! file, or a new database on the test PostgreSQL cluster.
//!
//! The cluster is `gongkai_testkit::postgres`'s: `GONGKAI_TEST_POSTGRES_URL` when set, else one
//! started for this test process; never a silent pass.

use gongkai_store::Store;
use tempfile::TempDir;

/// A fresh store and what keeps it alive.
pub struct Fresh {
    /// The store.
    pub store: Store,
    /// Its URL (to open it again, or to look underneath the API).
    pub url: String,
    _dir: Option<TempDir>,
}

/// A store on a new SQLite file in a temporary data directory.
pub async fn sqlite() -> Fresh {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_data_dir(dir.path()).await.expect("open SQLite store");
    let url = format!("sqlite://{}?mode=rw", dir.path().join(gongkai_store::SQLITE_FILE).display());
    Fresh { store, url, _dir: Some(dir) }
}

/// A store on a new database of the test cluster.
pub async fn postgres() -> Fresh {
    let url = gongkai_testkit::postgres::new_database("gk_test").await;
    let store = Store::open(&url).await.expect("open PostgreSQL store");
    Fresh { store, url, _dir: None }
}
