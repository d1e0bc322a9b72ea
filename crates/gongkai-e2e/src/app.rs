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

    /// Fetches `url` without a session (what anyone on the network gets): status and body.
    ///
    /// # Errors
    /// When the server does not answer.
    pub async fn fetch(&self, url: &str) -> anyhow::Result<(u16, Vec<u8>)> {
        use http_body_util::BodyExt as _;
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http::<http_body_util::Empty<bytes::Bytes>>();
        let response = client.get(url.parse()?).await.with_context(|| format!("GET {url}"))?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await?.to_bytes().to_vec();
        Ok((status, body))
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
