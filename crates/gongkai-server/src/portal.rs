//! What the public portal's pages share, kept in memory per store ([`crate::AppState::portal`]):
//! the directory of organisations with their pinyin keys ([`Directory`]), each agency's latest
//! published year, the years published, the latest publications, and the statistics computed
//! (`routes/statistics.rs`). Everything is keyed by [`gongkai_store::Store::public_generation`]
//! — the numbers of organisations and of published versions, two tables that only grow —, so
//! a page asks the store one small question while nothing changed, and a publication or a new
//! organisation is seen by the next request, in this process or from another one (`gongkai
//! admin`).
//!
//! After a change, one request computes the new snapshot or statistics while the others wait
//! for it ([`Portal::one_at_a_time`]) — unless only publications changed and the cache holds the
//! data from before them: then the others are served that data meanwhile (stale while
//! revalidate), so that on the day reports are due, with several publications a second, readers
//! do not queue behind each recomputation. The lists and counts of the portal then lag a
//! publication by one computation (a fraction of a second); a new organisation is never served
//! from before it (its page would be missing).
//!
//! [`Portal::warm`] computes the snapshot and the home page's statistics when the server starts
//! ([`crate::serve`]), so that the first visitor after a restart does not pay for them; a
//! publication through the server computes them again before it answers ([`Portal::refresh`]),
//! so that no reader pays for a publication (one made elsewhere, with `gongkai admin`, is
//! computed by the first request that sees it, as above).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use gongkai_store::{OrgId, ReportVersion};

use crate::error::AppError;
use crate::search::Directory;
use crate::state::AppState;

/// How many publications the snapshot keeps (the home page's list).
pub const RECENT: u32 = 10;

/// The most statistics kept per generation (scopes × years).
const STATS_LIMIT: usize = 512;

/// A generation of the portal's data.
pub type Generation = (i64, i64);

/// The portal's data at one generation.
#[derive(Debug)]
pub struct Snapshot {
    /// The generation it was read at.
    pub generation: Generation,
    /// Every organisation, with its pinyin keys: the costly part (pinyin of every name), shared
    /// with the next snapshot while the organisations stay the same — a publication re-reads
    /// only the small queries below.
    pub directory: Arc<Directory>,
    /// Each agency's latest published year.
    pub latest_years: HashMap<OrgId, i16>,
    /// The years with a published report, oldest first.
    pub published_years: Vec<i16>,
    /// The [`RECENT`] latest publications, newest first.
    pub recent: Vec<(OrgId, ReportVersion)>,
}

/// The statistics computed at one generation, by scope (`None`: everywhere) and year.
type StatsByScope = HashMap<(Option<OrgId>, i16), Arc<crate::routes::statistics::Stats>>;

/// The cache (one per [`AppState`]).
#[derive(Debug, Default)]
pub struct Portal {
    snapshot: Mutex<Option<Arc<Snapshot>>>,
    stats: Mutex<(Generation, StatsByScope)>,
    /// The statistics of the generation before `stats`' (served while they are recomputed).
    previous_stats: Mutex<(Generation, StatsByScope)>,
    /// Held while a snapshot or statistics are computed after a miss: requests that miss at the
    /// same time wait for the one computation instead of each doing it (a cold cache or a new
    /// publication under load would otherwise multiply the work by the requests in flight).
    building: tokio::sync::Mutex<()>,
}

impl Portal {
    /// The snapshot of the store's current generation (read again when it changed).
    ///
    /// # Errors
    /// Store errors.
    pub async fn snapshot(state: &AppState) -> Result<Arc<Snapshot>, AppError> {
        let generation = state.store.public_generation().await?;
        let cached = lock(&state.portal.snapshot)?.clone();
        if let Some(s) = cached.as_ref().filter(|s| s.generation == generation) {
            return Ok(Arc::clone(s));
        }
        let _one = match state.portal.try_one_at_a_time() {
            Some(guard) => guard,
            None => match cached.filter(|s| only_publications_since(s.generation, generation)) {
                Some(stale) => return Ok(stale),
                None => state.portal.one_at_a_time().await,
            },
        };
        Portal::snapshot_computed(state, generation).await
    }

    /// The snapshot of `generation`, computed unless it is cached: for a caller that holds
    /// [`Portal::one_at_a_time`].
    async fn snapshot_computed(
        state: &AppState,
        generation: Generation,
    ) -> Result<Arc<Snapshot>, AppError> {
        if let Some(s) =
            lock(&state.portal.snapshot)?.as_ref().filter(|s| s.generation == generation)
        {
            return Ok(Arc::clone(s));
        }
        let previous = lock(&state.portal.snapshot)?.clone();
        let latest_years = state.store.latest_published_years().await?.into_iter().collect();
        let published_years = state.store.published_years().await?;
        let recent = state.store.recent_publications(RECENT).await?;
        // The organisations' count is the generation's first half: unchanged, the same directory.
        let directory = match previous.filter(|p| p.generation.0 == generation.0) {
            Some(p) => Arc::clone(&p.directory),
            None => {
                let orgs = state.store.orgs().await?;
                tokio::task::spawn_blocking(move || Arc::new(Directory::new(orgs)))
                    .await
                    .map_err(AppError::internal)?
            }
        };
        let snapshot =
            Arc::new(Snapshot { generation, directory, latest_years, published_years, recent });
        *lock(&state.portal.snapshot)? = Some(Arc::clone(&snapshot));
        Ok(snapshot)
    }

    /// Brings the snapshot and the statistics of the home page (everywhere, the latest
    /// published year) — and of year `also` everywhere, when given — up to the store's current
    /// generation, waiting for any computation in progress rather than taking the data from
    /// before it: what a publication does before it answers (`routes/reports.rs`), so that the
    /// public's requests are served the data from before meanwhile and none of them pays for
    /// the computation — on the day reports are due, several a second — while the publisher's
    /// next page shows the publication.
    ///
    /// # Errors
    /// Store errors; a published text that does not read back.
    pub async fn refresh(state: &AppState, also: Option<i16>) -> Result<(), AppError> {
        let _one = state.portal.one_at_a_time().await;
        let generation = state.store.public_generation().await?;
        let snapshot = Portal::snapshot_computed(state, generation).await?;
        let latest = crate::routes::statistics::year_of(state, &snapshot, None);
        crate::routes::statistics::stats_computed(state, &snapshot, None, latest).await?;
        if let Some(year) = also.filter(|&y| y != latest) {
            crate::routes::statistics::stats_computed(state, &snapshot, None, year).await?;
        }
        Ok(())
    }

    /// Computes the snapshot and the home page's statistics (everywhere, for the latest
    /// published year) into the cache, as the first visitor of `/` would.
    ///
    /// # Errors
    /// Store errors; a published text that does not read back.
    pub async fn warm(state: &AppState) -> Result<(), AppError> {
        Portal::refresh(state, None).await
    }

    /// Whether the home page's statistics of the current snapshot are in the cache (what
    /// [`Portal::warm`] puts there).
    ///
    /// # Errors
    /// Store errors.
    pub async fn is_warm(state: &AppState) -> Result<bool, AppError> {
        let generation = state.store.public_generation().await?;
        let Some(snapshot) = lock(&state.portal.snapshot)?.clone() else { return Ok(false) };
        if snapshot.generation != generation {
            return Ok(false);
        }
        let year = crate::routes::statistics::year_of(state, &snapshot, None);
        Ok(state.portal.stats(generation, None, year)?.is_some())
    }

    /// Waits for any snapshot or statistics being computed, and holds others off until the guard
    /// is dropped: what a request that missed the cache holds while it computes (a test holds it
    /// to see what the others are served meanwhile).
    pub async fn one_at_a_time(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.building.lock().await
    }

    /// The guard of [`Portal::one_at_a_time`] if nothing is being computed.
    pub(crate) fn try_one_at_a_time(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        self.building.try_lock().ok()
    }

    /// Statistics of `scope` for `year` kept from before `generation`, if only publications
    /// changed since (to serve while they are recomputed).
    pub(crate) fn stale_stats(
        &self,
        generation: Generation,
        scope: Option<OrgId>,
        year: i16,
    ) -> Result<Option<Arc<crate::routes::statistics::Stats>>, AppError> {
        for kept in [&self.stats, &self.previous_stats] {
            let kept = lock(kept)?;
            if only_publications_since(kept.0, generation)
                && let Some(hit) = kept.1.get(&(scope, year))
            {
                return Ok(Some(Arc::clone(hit)));
            }
        }
        Ok(None)
    }

    /// The statistics of `scope` for `year` kept for `generation`, if any.
    pub(crate) fn stats(
        &self,
        generation: Generation,
        scope: Option<OrgId>,
        year: i16,
    ) -> Result<Option<Arc<crate::routes::statistics::Stats>>, AppError> {
        let stats = lock(&self.stats)?;
        Ok((stats.0 == generation).then(|| stats.1.get(&(scope, year)).cloned()).flatten())
    }

    /// Keeps the statistics of `scope` for `year` computed at `generation`.
    pub(crate) fn keep_stats(
        &self,
        generation: Generation,
        scope: Option<OrgId>,
        year: i16,
        computed: Arc<crate::routes::statistics::Stats>,
    ) -> Result<(), AppError> {
        let mut stats = lock(&self.stats)?;
        // Computed from a snapshot older than what is kept: not kept (the cache never goes back).
        if generation < stats.0 {
            return Ok(());
        }
        if stats.0 != generation {
            let before = std::mem::replace(&mut *stats, (generation, HashMap::new()));
            *lock(&self.previous_stats)? = before;
        } else if stats.1.len() >= STATS_LIMIT {
            stats.1.clear();
        }
        stats.1.insert((scope, year), computed);
        Ok(())
    }
}

/// Whether the portal's data went from `before` to `now` through publications only (the same
/// organisations, no fewer versions): what may be served from before while `now` is computed.
fn only_publications_since(before: Generation, now: Generation) -> bool {
    before.0 == now.0 && before.1 <= now.1
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>, AppError> {
    m.lock().map_err(|_| AppError::internal("portal cache poisoned"))
}
