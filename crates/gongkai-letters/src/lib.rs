//! The letters a disclosure clerk sends, built from a case's own facts.
//!
//! - 补正告知书 ([`LetterKind::Correction`], 条例第三十条): what is unclear, the deadline, the
//!   consequence of not correcting;
//! - 延长答复期限告知书 ([`LetterKind::Extension`], 第三十三条): the new reply deadline;
//! - 征求意见函 ([`LetterKind::Consultation`], 第三十二条 / 第三十四条): the 15-working-day window;
//! - 收费通知书 ([`LetterKind::FeeNotice`], 第四十二条 and 国办函〔2020〕109号): the amount, the
//!   standard, the payment window;
//! - 答复书 / 告知书 ([`LetterKind::Reply`]): the outcome of a closed case with the article of its
//!   Table 3 row and the remedies (行政复议, 行政诉讼).
//!
//! Building and rendering are separate steps: [`build`] makes a [`Letter`] (serde, editable —
//! the web page shows its paragraphs in a form), [`render`] writes a possibly edited letter as
//! DOCX or PDF through `gongkai-render`'s official-document writers.
//!
//! The crate decides nothing about casework: a letter documents an event the case has recorded
//! ([`gongkai_cases::Case::apply`] accepted it), and every date it states is the case's own
//! derived date. A letter the case's state does not support is a [`LetterError`] with the reason
//! in Chinese and English.

mod build;
mod consultation;
mod correction;
mod error;
mod extension;
mod fee;
mod kind;
mod letter;
mod reply;
mod text;

pub use build::{Facts, available, build};
pub use error::{LetterError, Refusal};
pub use kind::LetterKind;
pub use letter::{Dates, Letter, render};
pub use text::{PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, format_date};
