//! The web application under test: `gongkai serve --demo` in this process, on a loopback port.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::Context as _;
use gongkai_server::{AppState, Clock, Config, demo};
use gongkai_store::Store;
use jiff::Timestamp;

/// The demo users' password in every end-to-end test.
pub const PASSWORD: &str = "e2e-demo-password";

/// A running application over a fresh SQLite store seeded with the demo county.
pub struct App {
    addr: SocketAddr,
    _data: tempfile::TempDir,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl App {
    /// Seeds the demo county into a new data directory and serves it on 127.0.0.1 with the
    /// clock fixed at `now` (so that the pages' dates do not depend on the day the test runs).
    ///
    /// # Errors
    /// When the store cannot be created or seeded, or no port can be bound.
    pub async fn start(now: Timestamp) -> anyhow::Result<App> {
        let data = tempfile::tempdir().context("creating the data directory")?;
        let store = Store::open_data_dir(data.path()).await.context("opening the store")?;
        let state = AppState::new(store, Config::default()).with_clock(Clock::Fixed(now));
        demo::seed(&state, PASSWORD).await.context("seeding the demo county")?;
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .context("binding a loopback port")?;
        let addr = listener.local_addr()?;
        let server = tokio::spawn(gongkai_server::serve(listener, state));
        Ok(App { addr, _data: data, server })
    }

    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.server.abort();
    }
}
