//! 信息处理费 (information processing fees): the two progressive methods of 国办函〔2020〕109号.
//!
//! The band parameters are data ([`FeeSchedule`], TOML), not code: the built-in schedule is
//! `data/fees-2020-109.toml`, and a province's implementing rules can be loaded instead.
//!
//! ```
//! use gongkai_cases::fee::{FeeMethod, FeeSchedule};
//! let s = FeeSchedule::official();
//! assert_eq!(s.quote(FeeMethod::PerApplication, 45).total_yuan, 5_500);
//! assert_eq!(s.quote(FeeMethod::PerPage, 250).total_yuan, 4_700);
//! ```

use gongkai_model::{Localized, Msg};
use serde::{Deserialize, Serialize};

/// The two charging methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeMethod {
    /// 按件计收: per application, cumulative per applicant within one calendar month.
    PerApplication,
    /// 按量计收: per page (paper copies, e-mail delivery, copies of electronic data).
    PerPage,
}

impl FeeMethod {
    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            FeeMethod::PerApplication => "按件计收",
            FeeMethod::PerPage => "按量计收",
        }
    }

    /// English name.
    pub const fn en(self) -> &'static str {
        match self {
            FeeMethod::PerApplication => "per application",
            FeeMethod::PerPage => "per page",
        }
    }

    /// English name of the unit counted (plural).
    pub const fn unit_en(self) -> &'static str {
        match self {
            FeeMethod::PerApplication => "applications",
            FeeMethod::PerPage => "pages",
        }
    }
}

/// One band: units `from..=to` (open-ended when `to` is `None`) cost `yuan` each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// First unit of the band (1-based).
    pub from: u64,
    /// Last unit of the band; `None` for an open-ended last band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<u64>,
    /// Price per unit in yuan.
    pub yuan: u64,
}

/// Continues a schedule past its last band: bands of `width` units, the first at `first_yuan`,
/// each further band `step_yuan` dearer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progression {
    /// Units per band.
    pub width: u64,
    /// Price per unit in the first continued band.
    pub first_yuan: u64,
    /// Increase per further band.
    pub step_yuan: u64,
}

/// The bands of one method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    /// The unit's Chinese name (`件`, `页`).
    pub unit: String,
    /// The listed bands, contiguous from 1.
    pub bands: Vec<Band>,
    /// How the progression continues after the last listed band (which must then be closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<Progression>,
}

/// A whole fee schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeSchedule {
    /// The rules the schedule transcribes.
    pub source: String,
    /// Working days the applicant has to pay, counted from the day after receiving the notice.
    pub payment_period_working_days: u32,
    /// 按件计收.
    pub per_application: Bands,
    /// 按量计收.
    pub per_page: Bands,
}

/// Why a fee schedule was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
/// [`Localized::message`] says it in one language; the `Display` form gives both.
#[error("{}", self.bilingual())]
pub struct ScheduleError(pub String);

impl Localized for ScheduleError {
    fn words(&self) -> (Msg, Option<String>) {
        (Msg::new("收费标准有误", "invalid fee schedule"), Some(self.0.clone()))
    }
}

/// One line of a quote: `count` units of a band at `rate` yuan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteLine {
    /// First unit of the band.
    pub from: u64,
    /// Last unit of the band charged here (the quantity when it ends inside the band).
    pub to: u64,
    /// Units charged in this band.
    pub count: u64,
    /// Yuan per unit.
    pub rate_yuan: u64,
    /// `count × rate`.
    pub subtotal_yuan: u64,
}

/// A fee with its band-by-band breakdown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The method.
    pub method: FeeMethod,
    /// Units charged (applications in the month, or pages).
    pub quantity: u64,
    /// The unit's Chinese name.
    pub unit: String,
    /// The bands the quantity reaches, in order (free bands included).
    pub lines: Vec<QuoteLine>,
    /// The total in yuan.
    pub total_yuan: u64,
}

const OFFICIAL: &str = include_str!("../data/fees-2020-109.toml");

impl FeeSchedule {
    /// The national schedule of 国办函〔2020〕109号 (built in).
    pub fn official() -> FeeSchedule {
        match FeeSchedule::from_toml(OFFICIAL) {
            Ok(s) => s,
            // Invariant: the built-in schedule is tested to parse and validate.
            Err(e) => unreachable!("built-in fee schedule is invalid: {e}"),
        }
    }

    /// Parses and validates a schedule.
    ///
    /// # Errors
    /// [`ScheduleError`] when the TOML is malformed or the bands are not contiguous from 1.
    pub fn from_toml(text: &str) -> Result<FeeSchedule, ScheduleError> {
        let s: FeeSchedule = toml::from_str(text).map_err(|e| ScheduleError(e.to_string()))?;
        s.per_application.validate("per_application")?;
        s.per_page.validate("per_page")?;
        Ok(s)
    }

    /// The bands of `method`.
    pub fn bands(&self, method: FeeMethod) -> &Bands {
        match method {
            FeeMethod::PerApplication => &self.per_application,
            FeeMethod::PerPage => &self.per_page,
        }
    }

    /// The fee for `quantity` units by `method`, band by band.
    pub fn quote(&self, method: FeeMethod, quantity: u64) -> Quote {
        let bands = self.bands(method);
        let mut lines = Vec::new();
        for (from, to, rate) in bands.iter() {
            if from > quantity {
                break;
            }
            let end = to.map_or(quantity, |t| t.min(quantity));
            let count = end - from + 1;
            lines.push(QuoteLine {
                from,
                to: end,
                count,
                rate_yuan: rate,
                subtotal_yuan: count * rate,
            });
        }
        let total_yuan = lines.iter().map(|l| l.subtotal_yuan).sum();
        Quote { method, quantity, unit: bands.unit.clone(), lines, total_yuan }
    }

    /// The price of the `n`-th unit (for per-application charging: the applicant's `n`-th
    /// application of the month).
    pub fn marginal_yuan(&self, method: FeeMethod, n: u64) -> u64 {
        self.bands(method)
            .iter()
            .find(|(from, to, _)| *from <= n && to.is_none_or(|t| n <= t))
            .map_or(0, |b| b.2)
    }
}

impl Bands {
    fn validate(&self, what: &str) -> Result<(), ScheduleError> {
        let err = |m: String| Err(ScheduleError(format!("{what}: {m}")));
        let mut next = 1;
        for (i, b) in self.bands.iter().enumerate() {
            if b.from != next {
                return err(format!("band {} starts at {}, expected {next}", i + 1, b.from));
            }
            match b.to {
                Some(t) if t < b.from => {
                    return err(format!("band {} ends before it starts", i + 1));
                }
                Some(t) => next = t + 1,
                None if i + 1 != self.bands.len() => {
                    return err(format!("only the last band may be open-ended (band {})", i + 1));
                }
                None if self.then.is_some() => {
                    return err("an open last band leaves `then` unused".into());
                }
                None => next = u64::MAX,
            }
        }
        if self.bands.is_empty() {
            return err("no bands".into());
        }
        if next != u64::MAX && self.then.is_none() {
            return err("the last band is closed and no `then` continues it".into());
        }
        if self.then.as_ref().is_some_and(|p| p.width == 0) {
            return err("`then.width` must be positive".into());
        }
        Ok(())
    }

    /// Every band as `(from, to, yuan)`, the progression unrolled lazily (endless when it exists).
    fn iter(&self) -> impl Iterator<Item = (u64, Option<u64>, u64)> + '_ {
        let listed = self.bands.iter().map(|b| (b.from, b.to, b.yuan));
        let start = self.bands.last().and_then(|b| b.to).map_or(u64::MAX, |t| t + 1);
        let continued = self.then.iter().flat_map(move |p| {
            (0u64..).map_while(move |k| {
                let from = start.checked_add(k.checked_mul(p.width)?)?;
                let to = from.checked_add(p.width - 1)?;
                let yuan = p.first_yuan.checked_add(k.checked_mul(p.step_yuan)?)?;
                Some((from, Some(to), yuan))
            })
        });
        listed.chain(continued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_examples_of_the_procedure() {
        let s = FeeSchedule::official();
        let q = s.quote(FeeMethod::PerApplication, 45);
        assert_eq!(q.total_yuan, 5_500);
        let parts: Vec<(u64, u64, u64)> =
            q.lines.iter().map(|l| (l.count, l.rate_yuan, l.subtotal_yuan)).collect();
        assert_eq!(parts, [(10, 0, 0), (20, 100, 2_000), (10, 200, 2_000), (5, 300, 1_500)]);
        let q = s.quote(FeeMethod::PerPage, 250);
        assert_eq!(q.total_yuan, 4_700);
        let parts: Vec<(u64, u64)> = q.lines.iter().map(|l| (l.count, l.rate_yuan)).collect();
        assert_eq!(parts, [(30, 0), (70, 10), (100, 20), (50, 40)]);
    }

    #[test]
    fn band_edges() {
        let s = FeeSchedule::official();
        let cases = [
            (FeeMethod::PerApplication, 0, 0),
            (FeeMethod::PerApplication, 10, 0),
            (FeeMethod::PerApplication, 11, 100),
            (FeeMethod::PerApplication, 30, 2_000),
            (FeeMethod::PerApplication, 31, 2_200),
            (FeeMethod::PerApplication, 41, 4_300),
            (FeeMethod::PerApplication, 51, 7_400),
            (FeeMethod::PerPage, 30, 0),
            (FeeMethod::PerPage, 31, 10),
            (FeeMethod::PerPage, 100, 700),
            (FeeMethod::PerPage, 101, 720),
            (FeeMethod::PerPage, 200, 2_700),
            (FeeMethod::PerPage, 201, 2_740),
        ];
        for (m, n, want) in cases {
            assert_eq!(s.quote(m, n).total_yuan, want, "{m:?} {n}");
        }
    }

    #[test]
    fn marginal_prices_sum_to_the_quote() {
        let s = FeeSchedule::official();
        for m in [FeeMethod::PerApplication, FeeMethod::PerPage] {
            for n in [0, 1, 9, 10, 11, 29, 30, 31, 45, 99, 100, 101, 250, 333] {
                let sum: u64 = (1..=n).map(|k| s.marginal_yuan(m, k)).sum();
                assert_eq!(sum, s.quote(m, n).total_yuan, "{m:?} {n}");
            }
        }
    }

    #[test]
    fn malformed_schedules_are_rejected() {
        let bad = OFFICIAL
            .replace("{ from = 11, to = 30, yuan = 100 }", "{ from = 12, to = 30, yuan = 100 }");
        assert!(FeeSchedule::from_toml(&bad).is_err());
        let bad = OFFICIAL.replace("then = { width = 10, first_yuan = 200, step_yuan = 100 }", "");
        assert!(FeeSchedule::from_toml(&bad).is_err());
        assert!(FeeSchedule::from_toml("source = 1").is_err());
    }
}
