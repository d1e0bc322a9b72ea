//! End-to-end tests of the web application in a real Chromium.
//!
//! The harness starts Debian's `chromedriver` on a free loopback port and opens a headless
//! Chromium session through it ([`Browser`]); each session has its own empty profile directory
//! and runs with the flags that keep Chromium off the network (this machine, like a government
//! intranet, has none): no background networking, no component updates, no first-run pages.
//!
//! Nothing here is mocked: the tests drive the same binary a user runs, over HTTP on 127.0.0.1.
//! `scripts/install-deps` installs `chromium` and `chromium-driver`; without them every test in
//! this crate fails with a message that says so.

mod app;
mod driver;
pub mod shots;
mod steps;

pub use app::{App, PASSWORD};
pub use driver::{Browser, Chromedriver, free_port};
