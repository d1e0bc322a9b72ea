//! Disclosure casework (政府信息公开工作台账) and the annual tables computed from it.
//!
//! - [`intake`]: an application as it arrives — applicant type, channel and receipt date
//!   (第三十一条), the request; personal data kept apart in [`PersonalData`];
//! - [`event`] and [`case`]: what happens to an application, and the one transition function
//!   [`Case::apply`] with the derived deadlines (reply, correction, consultation, fee);
//! - [`fee`]: 信息处理费 by both progressive methods, bands as data;
//! - [`registers`]: proactive disclosure (先审后发), normative documents, decisions, fees, disputes;
//! - [`register`]: an agency's whole register, serialisable;
//! - [`deadlines`]: the open applications by deadline and the year's late replies, on a day;
//! - [`tables`]: Tables 2, 3 and 4 and the figures of section 一, counted from the records;
//! - [`synth`]: reproducible synthetic registers for examples, benchmarks and property tests.
//!
//! The crate is pure: no I/O, no clock. `today` and the calendar are parameters.

pub mod case;
pub mod deadlines;
pub mod error;
pub mod event;
pub mod fee;
pub mod intake;
pub mod register;
pub mod registers;
pub mod synth;
pub mod tables;
pub mod trace;

pub use case::{
    Case, CaseRecord, Env, Pause, Phase, Policy, ReplyDueBasis, Status, Timeliness, Waiting,
};
pub use deadlines::{Deadlines, DeadlinesError, LateReply, OpenCase, due_report_year, report_due};
pub use error::{Reason, TransitionError};
pub use event::{Answer, CaseEvent, EventKind, Party};
pub use intake::{ApplicantType, CaseId, Channel, Intake, Outcome, PersonalData};
pub use register::Register;
pub use tables::{Annual, Contributor, Figures, Records, annual, contributors};
