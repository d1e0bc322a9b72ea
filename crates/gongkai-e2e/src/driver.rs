//! chromedriver and a headless Chromium session.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

/// Where Debian's packages put the browser and its driver.
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long chromedriver may take to listen (a cold start on a loaded 2-core machine).
const DRIVER_START: Duration = Duration::from_secs(30);

/// Chromium's flags: headless, no sandbox (CI runs as root), and nothing that reaches for the
/// network on its own.
const FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--window-size=1280,900",
    "--lang=zh-CN",
];

/// A free TCP port on 127.0.0.1 (bound, read, released).
///
/// # Errors
/// When no port can be bound.
pub fn free_port() -> anyhow::Result<u16> {
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("binding a loopback port")?;
    Ok(listener.local_addr()?.port())
}

/// A running chromedriver, killed when dropped.
pub struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    /// Starts chromedriver on a free loopback port and waits until it listens.
    ///
    /// # Errors
    /// When Chromium or chromedriver is not installed, or the driver does not listen in time.
    pub fn start() -> anyhow::Result<Chromedriver> {
        for path in [CHROMIUM, CHROMEDRIVER] {
            if !Path::new(path).exists() {
                bail!(
                    "{path} is missing: run scripts/install-deps (packages chromium, chromium-driver)"
                );
            }
        }
        let port = free_port()?;
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver")?;
        let driver = Chromedriver { child, port };
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let start = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if start.elapsed() > DRIVER_START {
                bail!("chromedriver did not listen on {addr} within {DRIVER_START:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One headless Chromium session with its own empty profile.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Opens a session through `driver`.
    ///
    /// # Errors
    /// When the session cannot be created (Chromium fails to start).
    pub async fn open(driver: &Chromedriver) -> anyhow::Result<Browser> {
        let profile = tempfile::tempdir().context("creating a Chromium profile directory")?;
        let mut args: Vec<String> = FLAGS.iter().map(|f| (*f).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".to_owned(),
            serde_json::json!({ "binary": CHROMIUM, "args": args }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url())
            .await
            .context("opening a Chromium session through chromedriver")?;
        Ok(Browser { client, _profile: profile })
    }

    /// Saves a PNG screenshot of the current page.
    ///
    /// # Errors
    /// When the screenshot cannot be taken or written.
    pub async fn screenshot(&self, path: &Path) -> anyhow::Result<()> {
        let png = self.client.screenshot().await.context("taking a screenshot")?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// Ends the session (Chromium exits).
    ///
    /// # Errors
    /// When the driver does not answer.
    pub async fn close(self) -> anyhow::Result<()> {
        self.client.close().await.context("closing the Chromium session")
    }
}
