//! One `gongkai serve` process of the crash harness: started on a free port of 127.0.0.1 over a
//! data directory (SQLite) or a database URL (PostgreSQL), killed with SIGKILL.

use std::fs::File;
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Where the store is.
#[derive(Clone, Debug)]
pub enum Db {
    /// A data directory (SQLite).
    Data(std::path::PathBuf),
    /// A PostgreSQL URL.
    Url(String),
}

impl Db {
    /// The URL the checks open (sqlx).
    pub fn url(&self) -> String {
        match self {
            Db::Data(dir) => format!("sqlite://{}", dir.join("gongkai.sqlite3").display()),
            Db::Url(url) => url.clone(),
        }
    }
}

/// A running server.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `gongkai serve` (with the demo county and `password` when `demo`), logging its
    /// standard error to `log`, and waits until it listens.
    pub fn start(db: &Db, demo: Option<&str>, log: &Path) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        cmd.args(["serve", "--listen", "127.0.0.1:0"]);
        match db {
            Db::Data(dir) => cmd.arg("--data").arg(dir),
            Db::Url(url) => cmd.args(["--db", url]),
        };
        if let Some(password) = demo {
            cmd.args(["--demo", "--demo-password", password]);
        }
        let err = File::options().create(true).append(true).open(log).expect("log file");
        let mut child = cmd
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(err))
            .spawn()
            .expect("gongkai serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let Some(Ok(line)) = lines.next() else {
                let status = child.wait();
                panic!("gongkai serve ended before listening ({status:?}); see {}", log.display());
            };
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                let addr = url.trim_start_matches("http://").trim_end_matches('/');
                break addr.parse().expect("a socket address");
            }
        };
        // Keep the pipe drained so that the server never blocks on its standard output.
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr }
    }

    /// SIGKILL, and waits for the process to be gone.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
