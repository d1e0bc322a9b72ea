//! What every handler shares: the store, the calendar, the configuration, the clock and the
//! login limiter. Cheap to clone (everything behind `Arc` or already shared).

use std::sync::Arc;
use std::time::Duration;

use gongkai_calendar::Calendar;
use gongkai_cases::Policy;
use gongkai_store::Store;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use crate::auth::LoginLimiter;

/// How the server runs: what `gongkai serve` decides from its flags.
#[derive(Clone, Debug)]
pub struct Config {
    /// Whether cookies carry `Secure` (served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// How long a browser session lasts.
    pub session_ttl: SignedDuration,
    /// The largest request body accepted, in bytes (file uploads excepted).
    pub body_limit: usize,
    /// The largest body of a file upload (register import, collected reports), in bytes.
    pub upload_limit: usize,
    /// How long one request may take before it is answered 408.
    pub request_timeout: Duration,
    /// Failed logins allowed per username, and per client address, within [`Config::login_window`].
    pub login_failures_per_user: u32,
    /// Failed logins allowed per client address within [`Config::login_window`].
    pub login_failures_per_ip: u32,
    /// The window of the login limits.
    pub login_window: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            secure_cookies: false,
            session_ttl: SignedDuration::from_hours(12),
            body_limit: 2 * 1024 * 1024,
            upload_limit: 64 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            login_failures_per_user: 10,
            login_failures_per_ip: 50,
            login_window: Duration::from_secs(15 * 60),
        }
    }
}

/// Where "now" comes from: the system clock, or a fixed instant (tests, snapshots).
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    /// The system clock.
    System,
    /// Always this instant.
    Fixed(Timestamp),
}

/// China Standard Time (UTC+8, no daylight saving): the day in which deadlines are counted.
const CHINA: Offset = Offset::constant(8);

impl Clock {
    /// The current instant.
    pub fn now(self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => t,
        }
    }

    /// Today's date in China (deadlines are counted in Chinese calendar days).
    pub fn today(self) -> Date {
        self.now().to_zoned(TimeZone::fixed(CHINA)).date()
    }
}

/// The state every handler receives.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// The working-day calendar.
    pub calendar: Arc<Calendar>,
    /// The case policy (due-soon margin and the like).
    pub policy: Arc<Policy>,
    /// The configuration.
    pub config: Arc<Config>,
    /// The clock.
    pub clock: Clock,
    /// Failed-login counters (in memory).
    pub limiter: Arc<LoginLimiter>,
    /// The background reader of collected files ([`crate::collect`]).
    pub reads: Arc<crate::collect::Reads>,
    /// What the public portal keeps in memory ([`crate::portal`]).
    pub portal: Arc<crate::portal::Portal>,
}

/// Working days ahead within which a deadline shows amber on the dashboard.
pub const DUE_SOON_WORKING_DAYS: u32 = 5;

impl AppState {
    /// The state over a store, with the official calendar, the system clock and `config`.
    pub fn new(store: Store, config: Config) -> AppState {
        let limiter = LoginLimiter::new(&config);
        AppState {
            store,
            calendar: Arc::new(Calendar::official()),
            policy: Arc::new(Policy {
                due_soon_working_days: DUE_SOON_WORKING_DAYS,
                ..Policy::CONSERVATIVE
            }),
            config: Arc::new(config),
            clock: Clock::System,
            limiter: Arc::new(limiter),
            reads: Arc::new(crate::collect::Reads::default()),
            portal: Arc::new(crate::portal::Portal::default()),
        }
    }

    /// The same state with a fixed clock.
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> AppState {
        self.clock = clock;
        self
    }

    /// The calendar and policy, as the domain crate wants them.
    pub fn env(&self) -> gongkai_cases::Env<'_> {
        gongkai_cases::Env { calendar: &self.calendar, policy: &self.policy }
    }
}
