//! The other registers of an agency, beside its applications: proactive items (先审后发),
//! normative documents, administrative decision tallies, administrative fees collected, and
//! reconsideration and litigation cases — the types of [`gongkai_cases::registers`].
//!
//! Each entry is kept as its JSON in the register file's shape, with its place in its sheet, the
//! year it counts toward and its register number (when the sheet has one). An import
//! ([`Store::import_register`]) replaces the sheets it carries, or appends to them, and adds its
//! applications, in one transaction: whole or not at all. [`Store::load_register`] assembles the
//! agency's [`Register`] — the case records and these entries — from which the annual tables are
//! computed ([`gongkai_cases::tables::annual`]).
//!
//! Applications are never replaced (their history is append-only): an imported application the
//! agency has already is left as it is when its record is the stored one, gets the new events
//! when the stored record is the start of it, and makes the import fail otherwise.

use std::collections::BTreeMap;

use gongkai_cases::registers::{DecisionTally, Dispute, FeeCollected, NormativeDoc, ProactiveItem};
use gongkai_cases::{CaseEvent, CaseId, Register};
use gongkai_model::Msg;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Action};
use crate::cases::{NewCase, StoredCase};
use crate::drafts::{self, Corrected};
use crate::orgs::{OrgId, agency_in};
use crate::{Ctx, Store, StoreError};

/// A sheet of the other registers. Declared once; stored by [`RegisterSheet::key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegisterSheet {
    /// 主动公开 ([`ProactiveItem`]).
    Proactive,
    /// 规章和规范性文件 ([`NormativeDoc`]).
    Documents,
    /// 行政许可处罚强制 ([`DecisionTally`]).
    Decisions,
    /// 行政事业性收费 ([`FeeCollected`]).
    FeesCollected,
    /// 复议诉讼 ([`Dispute`]).
    Disputes,
}

impl RegisterSheet {
    /// Every sheet, in the register file's order.
    pub const ALL: [RegisterSheet; 5] = [
        RegisterSheet::Proactive,
        RegisterSheet::Documents,
        RegisterSheet::Decisions,
        RegisterSheet::FeesCollected,
        RegisterSheet::Disputes,
    ];

    /// The stored key (the field name of the register file).
    pub const fn key(self) -> &'static str {
        match self {
            RegisterSheet::Proactive => "proactive",
            RegisterSheet::Documents => "documents",
            RegisterSheet::Decisions => "decisions",
            RegisterSheet::FeesCollected => "fees_collected",
            RegisterSheet::Disputes => "disputes",
        }
    }

    /// The sheet of a stored key.
    pub fn from_key(key: &str) -> Option<RegisterSheet> {
        RegisterSheet::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Whether an import replaces the sheets it carries or adds to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportMode {
    /// Each sheet the import carries replaces the agency's entries of that sheet (what
    /// `gongkai register import` does by default).
    Replace,
    /// The entries are added after those already stored (`--append`).
    Append,
}

/// An import of a register file: which sheets it carries, their entries (the other fields of
/// `register`), and its applications with the states the caller derived.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegisterImport {
    /// Replace or append.
    pub mode: ImportMode,
    /// The sheets the file carried (replaced in [`ImportMode::Replace`] even when empty).
    pub sheets: Vec<RegisterSheet>,
    /// The entries of those sheets (its `cases` and `personal` are not read: see `cases`).
    pub register: Register,
    /// The applications, with personal data and derived state.
    pub cases: Vec<NewCase>,
    /// Why an import that alters a published year is made ([`RegisterImport::with_correction`]).
    pub correction: Option<String>,
}

impl RegisterImport {
    /// An import.
    pub fn new(
        mode: ImportMode,
        sheets: Vec<RegisterSheet>,
        register: Register,
        cases: Vec<NewCase>,
    ) -> RegisterImport {
        RegisterImport { mode, sheets, register, cases, correction: None }
    }

    /// The same import as a correction of published years, with its reason: needed when it
    /// changes an entry or an application of a year whose report is published (re-importing
    /// entries unchanged needs none).
    #[must_use]
    pub fn with_correction(mut self, reason: impl Into<String>) -> RegisterImport {
        self.correction = Some(reason.into());
        self
    }
}

/// What an import did to one sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SheetCount {
    /// The sheet.
    pub sheet: RegisterSheet,
    /// Entries before the import.
    pub before: u64,
    /// Entries read from the import.
    pub read: u64,
    /// Entries after the import.
    pub after: u64,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterImported {
    /// Per sheet carried, in the order given.
    pub sheets: Vec<SheetCount>,
    /// Applications new to the store.
    pub cases_created: u64,
    /// Applications stored before that received new events.
    pub cases_extended: u64,
    /// Applications stored before exactly as imported.
    pub cases_unchanged: u64,
}

/// One entry of a sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterEntry {
    /// A proactive item.
    Proactive(ProactiveItem),
    /// A regulation or normative document.
    Document(NormativeDoc),
    /// A decision tally.
    Decision(DecisionTally),
    /// An administrative fee collected.
    Fee(FeeCollected),
    /// A reconsideration or litigation case.
    Dispute(Dispute),
}

impl RegisterEntry {
    /// Its sheet.
    pub fn sheet(&self) -> RegisterSheet {
        match self {
            RegisterEntry::Proactive(_) => RegisterSheet::Proactive,
            RegisterEntry::Document(_) => RegisterSheet::Documents,
            RegisterEntry::Decision(_) => RegisterSheet::Decisions,
            RegisterEntry::Fee(_) => RegisterSheet::FeesCollected,
            RegisterEntry::Dispute(_) => RegisterSheet::Disputes,
        }
    }

    /// The year it counts toward: the day created, issued, decided, collected or filed.
    pub fn year(&self) -> i16 {
        match self {
            RegisterEntry::Proactive(p) => p.created.year(),
            RegisterEntry::Document(d) => d.issued.year(),
            RegisterEntry::Decision(d) => d.date.year(),
            RegisterEntry::Fee(f) => f.date.year(),
            RegisterEntry::Dispute(d) => d.filed.year(),
        }
    }

    /// Its register number, when its sheet has one.
    pub fn key(&self) -> Option<&str> {
        match self {
            RegisterEntry::Proactive(p) => Some(&p.id),
            RegisterEntry::Document(d) => Some(&d.id),
            RegisterEntry::Dispute(d) => Some(&d.id),
            RegisterEntry::Decision(_) | RegisterEntry::Fee(_) => None,
        }
    }

    fn json(&self) -> Result<String, StoreError> {
        match self {
            RegisterEntry::Proactive(x) => to_json(x),
            RegisterEntry::Document(x) => to_json(x),
            RegisterEntry::Decision(x) => to_json(x),
            RegisterEntry::Fee(x) => to_json(x),
            RegisterEntry::Dispute(x) => to_json(x),
        }
    }

    fn parse(sheet: RegisterSheet, json: &str) -> Result<RegisterEntry, StoreError> {
        Ok(match sheet {
            RegisterSheet::Proactive => RegisterEntry::Proactive(from_json(json)?),
            RegisterSheet::Documents => RegisterEntry::Document(from_json(json)?),
            RegisterSheet::Decisions => RegisterEntry::Decision(from_json(json)?),
            RegisterSheet::FeesCollected => RegisterEntry::Fee(from_json(json)?),
            RegisterSheet::Disputes => RegisterEntry::Dispute(from_json(json)?),
        })
    }

    /// Puts the entry into its field of `register`.
    fn push_into(self, register: &mut Register) {
        match self {
            RegisterEntry::Proactive(x) => register.proactive.push(x),
            RegisterEntry::Document(x) => register.documents.push(x),
            RegisterEntry::Decision(x) => register.decisions.push(x),
            RegisterEntry::Fee(x) => register.fees_collected.push(x),
            RegisterEntry::Dispute(x) => register.disputes.push(x),
        }
    }
}

/// The entries of one sheet of a register, in order.
fn entries_of(register: &Register, sheet: RegisterSheet) -> Vec<RegisterEntry> {
    match sheet {
        RegisterSheet::Proactive => {
            register.proactive.iter().cloned().map(RegisterEntry::Proactive).collect()
        }
        RegisterSheet::Documents => {
            register.documents.iter().cloned().map(RegisterEntry::Document).collect()
        }
        RegisterSheet::Decisions => {
            register.decisions.iter().cloned().map(RegisterEntry::Decision).collect()
        }
        RegisterSheet::FeesCollected => {
            register.fees_collected.iter().cloned().map(RegisterEntry::Fee).collect()
        }
        RegisterSheet::Disputes => {
            register.disputes.iter().cloned().map(RegisterEntry::Dispute).collect()
        }
    }
}

impl Store {
    /// Imports a register file into `agency`'s registers: every sheet it carries replaced (or
    /// appended to), its applications added or extended, with one audit entry — all in one
    /// transaction, so that an import with any error changes nothing.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `agency` is not an agency; [`StoreError::Invalid`] for an
    /// application whose stored history the import would change, or personal data naming another
    /// case; a sheet named twice.
    pub async fn import_register(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        import: &RegisterImport,
    ) -> Result<RegisterImported, StoreError> {
        check_sheets(&import.sheets)?;
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        let mut done = RegisterImported::default();
        for &sheet in &import.sheets {
            let entries = entries_of(&import.register, sheet);
            let how = (import.mode, import.correction.as_deref());
            let count = put_sheet(&mut tx, ctx, agency, sheet, &entries, how).await?;
            done.sheets.push(count);
        }
        if import.sheets.contains(&RegisterSheet::Proactive) {
            crate::column::rebuild(&mut tx, self.backend(), agency).await?;
        }
        for new in &import.cases {
            match crate::cases::load(&mut tx, agency, &new.record.intake.id).await? {
                None => {
                    let why = import.correction.as_deref();
                    crate::cases::insert_new(&mut tx, ctx, agency, new, why).await?;
                    done.cases_created += 1;
                }
                Some(stored) => match extension(&stored, new)? {
                    [] => done.cases_unchanged += 1,
                    events => {
                        let how = (&new.state, import.correction.as_deref());
                        crate::cases::extend(&mut tx, ctx, agency, &stored, events, how).await?;
                        done.cases_extended += 1;
                    }
                },
            }
        }
        let subject = format!(
            "{} sheets, {} cases",
            import.sheets.len(),
            done.cases_created + done.cases_extended
        );
        audit::record(&mut tx, ctx, Some(agency), Action::RegisterImported, &subject).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// The entries of one sheet of `agency`, in order; only those counting toward `year` when
    /// given.
    ///
    /// # Errors
    /// Database errors, or a stored entry that cannot be read back.
    pub async fn register_entries(
        &self,
        agency: OrgId,
        sheet: RegisterSheet,
        year: Option<i16>,
    ) -> Result<Vec<RegisterEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT entry FROM register_entries WHERE agency_id = $1 AND sheet = $2 \
             AND ($3 = 0 OR year = $3) ORDER BY seq",
        )
        .bind(agency.0)
        .bind(sheet.key())
        .bind(year.map_or(0, i64::from))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| RegisterEntry::parse(sheet, &r.try_get::<String, _>(0)?)).collect()
    }

    /// `agency`'s whole register, as the annual tables are computed from it: its name, its case
    /// records (by case id) and every entry of the other registers (in order). Applicants'
    /// personal data is not included (`personal` is empty): see [`Store::personal_data`].
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `agency` is not an agency; database errors, or a stored
    /// record that cannot be read back.
    pub async fn load_register(&self, agency: OrgId) -> Result<Register, StoreError> {
        let mut tx = self.pool().begin().await?;
        let org = agency_in(&mut tx, agency).await?;
        let cases = crate::cases::load_all(&mut tx, agency).await?;
        let mut register = Register::new(org.name);
        read_sheets(&mut tx, agency, &RegisterSheet::ALL, &mut register).await?;
        tx.commit().await?;
        register.cases = cases.into_iter().map(|(_, c)| c.record).collect();
        Ok(register)
    }
}

impl Store {
    /// The entries of `sheets` of `agency`'s register, as a [`Register`] holding nothing else
    /// (no case record, no personal data, no other sheet): what a public page that traces a
    /// published table to the records it counts may read.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `agency` is not an agency; database errors, or a stored
    /// entry that cannot be read back.
    pub async fn register_sheets(
        &self,
        agency: OrgId,
        sheets: &[RegisterSheet],
    ) -> Result<Register, StoreError> {
        let mut tx = self.pool().begin().await?;
        let org = agency_in(&mut tx, agency).await?;
        let mut register = Register::new(org.name);
        read_sheets(&mut tx, agency, sheets, &mut register).await?;
        tx.commit().await?;
        Ok(register)
    }
}

/// Adds the entries of `sheets` of `agency` to `register`, in each sheet's order.
async fn read_sheets(
    tx: &mut Transaction<'_, Any>,
    agency: OrgId,
    sheets: &[RegisterSheet],
    register: &mut Register,
) -> Result<(), StoreError> {
    let rows = sqlx::query(
        "SELECT sheet, entry FROM register_entries WHERE agency_id = $1 ORDER BY sheet, seq",
    )
    .bind(agency.0)
    .fetch_all(&mut **tx)
    .await?;
    for row in rows {
        let key: String = row.try_get(0)?;
        let sheet = RegisterSheet::from_key(&key)
            .ok_or(StoreError::Corrupt { what: "register sheet", detail: key })?;
        if sheets.contains(&sheet) {
            RegisterEntry::parse(sheet, &row.try_get::<String, _>(1)?)?.push_into(register);
        }
    }
    Ok(())
}

/// Each sheet at most once.
fn check_sheets(sheets: &[RegisterSheet]) -> Result<(), StoreError> {
    let mut seen = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        if seen.contains(sheet) {
            return Err(StoreError::Invalid(Msg::new(
                format!("导入中工作表重复：{}", sheet.key()),
                format!("a sheet appears twice in the import: {}", sheet.key()),
            )));
        }
        seen.push(*sheet);
    }
    Ok(())
}

/// Replaces or appends to one sheet of `agency`.
async fn put_sheet(
    tx: &mut Transaction<'_, Any>,
    ctx: &Ctx,
    agency: OrgId,
    sheet: RegisterSheet,
    entries: &[RegisterEntry],
    (mode, correction): (ImportMode, Option<&str>),
) -> Result<SheetCount, StoreError> {
    let old =
        sqlx::query("SELECT year, entry FROM register_entries WHERE agency_id = $1 AND sheet = $2")
            .bind(agency.0)
            .bind(sheet.key())
            .fetch_all(&mut **tx)
            .await?;
    let before = old.len() as u64;
    let mut was: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for row in old {
        was.entry(row.try_get(0)?).or_default().push(row.try_get(1)?);
    }
    let mut now: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for entry in entries {
        now.entry(i64::from(entry.year())).or_default().push(entry.json()?);
    }
    if let Some(year) = first_changed_year(was, now, mode) {
        let year = i16::try_from(year).unwrap_or(i16::MIN);
        if let Some(locked) = drafts::check(tx, agency, year, correction).await?
            && let Some(reason) = correction
        {
            let done = Corrected::Sheet(sheet.key());
            drafts::record_correction(tx, ctx, agency, locked, done, reason).await?;
        }
    }
    if mode == ImportMode::Replace {
        sqlx::query("DELETE FROM register_entries WHERE agency_id = $1 AND sheet = $2")
            .bind(agency.0)
            .bind(sheet.key())
            .execute(&mut **tx)
            .await?;
    }
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT max(seq) FROM register_entries WHERE agency_id = $1 AND sheet = $2",
    )
    .bind(agency.0)
    .bind(sheet.key())
    .fetch_one(&mut **tx)
    .await?;
    let mut seq = last.unwrap_or(0);
    for entry in entries {
        seq += 1;
        sqlx::query(
            "INSERT INTO register_entries (agency_id, sheet, seq, year, entry_key, entry) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(agency.0)
        .bind(sheet.key())
        .bind(seq)
        .bind(i64::from(entry.year()))
        .bind(entry.key())
        .bind(entry.json()?)
        .execute(&mut **tx)
        .await?;
    }
    let read = entries.len() as u64;
    let after = if mode == ImportMode::Replace { read } else { before + read };
    Ok(SheetCount { sheet, before, read, after })
}

/// The earliest year whose entries an import changes: any year it adds to when appending; when
/// replacing, a year whose entries (as a multiset) differ.
fn first_changed_year(
    mut was: BTreeMap<i64, Vec<String>>,
    mut now: BTreeMap<i64, Vec<String>>,
    mode: ImportMode,
) -> Option<i64> {
    if mode == ImportMode::Append {
        return now.keys().next().copied();
    }
    let years: std::collections::BTreeSet<i64> = was.keys().chain(now.keys()).copied().collect();
    years.into_iter().find(|y| {
        let mut a = was.remove(y).unwrap_or_default();
        let mut b = now.remove(y).unwrap_or_default();
        a.sort();
        b.sort();
        a != b
    })
}

/// The events an imported application adds to the stored one: none when they are the same,
/// the rest when the stored record is the start of the imported one.
///
/// # Errors
/// [`StoreError::Invalid`] when the import would change the stored intake or history.
fn extension<'a>(stored: &StoredCase, new: &'a NewCase) -> Result<&'a [CaseEvent], StoreError> {
    let old = &stored.record;
    let rec = &new.record;
    if old.intake == rec.intake
        && let Some(rest) = rec.events.strip_prefix(old.events.as_slice())
    {
        return Ok(rest);
    }
    let id: &CaseId = &rec.intake.id;
    Err(StoreError::Invalid(Msg::new(
        format!(
            "申请 {id} 已登记，导入的记录与已登记的办理过程不一致（已登记的记录只能追加，不能修改）"
        ),
        format!(
            "application {id} is registered already and the import differs from its recorded history (a recorded history can only be added to, never changed)"
        ),
    )))
}

fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Corrupt { what: "register entry", detail: e.to_string() })
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt { what: "register entry", detail: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_keys_are_the_register_file_fields() {
        let empty = serde_json::to_value(Register::new("x")).unwrap_or_default();
        for sheet in RegisterSheet::ALL {
            assert!(empty.get(sheet.key()).is_some(), "{sheet:?}");
            assert_eq!(RegisterSheet::from_key(sheet.key()), Some(sheet));
        }
        assert_eq!(RegisterSheet::from_key("cases"), None);
    }

    #[test]
    fn a_sheet_named_twice_is_refused() {
        let twice = [RegisterSheet::Documents, RegisterSheet::Proactive, RegisterSheet::Documents];
        assert!(matches!(check_sheets(&twice), Err(StoreError::Invalid(_))));
        assert!(check_sheets(&RegisterSheet::ALL).is_ok());
    }
}
