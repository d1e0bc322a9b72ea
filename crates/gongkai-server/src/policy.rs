//! Who may do what: ONE table `(role, action, reach) → allow`, consulted before a handler
//! touches the store.
//!
//! A handler asks [`agency`] (or [`office`]) for the scope it works in; the answer is an
//! [`AgencyScope`] / [`OfficeScope`] that only this module can build, so a handler that holds
//! one was authorised. The store functions a handler calls take the scope's id.
//!
//! **No existence leak.** An id the actor has no role to see answers [`AppError::NotFound`],
//! exactly like an id that does not exist; only an actor who may see the organisation learns
//! that an action is refused ([`AppError::Forbidden`]).
//!
//! To add an action: add it to [`Action`] (with [`Action::ALL`]) and its rows to [`TABLE`].

use gongkai_store::{Org, OrgId, OrgKind, Role};

use crate::auth::Actor;
use crate::error::AppError;
use crate::state::AppState;

/// Something a user does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// See an agency's dashboard (open applications, counts, report status).
    ViewDashboard,
    /// See an agency's applications (without the applicants' personal data).
    ViewCases,
    /// Register applications and record their events.
    EditCases,
    /// See applicants' personal data.
    ViewPersonal,
    /// See and generate the letters (文书) of applications.
    EditLetters,
    /// See an agency's other registers (台账).
    ViewRegisters,
    /// Edit and import the registers.
    EditRegisters,
    /// See the annual report's draft and its check.
    ViewDraft,
    /// Edit the draft's prose.
    EditDraft,
    /// Publish (or correct) the annual report.
    PublishReport,
    /// See an office's overview of its agencies.
    ViewOffice,
    /// Collect reports published elsewhere for the office's subtree: upload, read, match.
    CollectReports,
    /// Review the findings of the reports an office collected: confirm or dismiss with a note.
    ReviewFindings,
}

impl Action {
    /// Every action (for the matrix tests).
    pub const ALL: [Action; 13] = [
        Action::ViewDashboard,
        Action::ViewCases,
        Action::EditCases,
        Action::ViewPersonal,
        Action::EditLetters,
        Action::ViewRegisters,
        Action::EditRegisters,
        Action::ViewDraft,
        Action::EditDraft,
        Action::PublishReport,
        Action::ViewOffice,
        Action::CollectReports,
        Action::ReviewFindings,
    ];
}

/// How the organisation acted on relates to the organisation of the membership.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reach {
    /// The membership's own organisation.
    Own,
    /// An organisation below the membership's office, at any depth (an office reviewer is
    /// scoped to the office's whole subtree: a city office sees the county offices under it and
    /// their agencies).
    Subordinate,
}

use Action as A;
use Reach::{Own, Subordinate};
use Role::{Admin, Approver, Clerk, OfficeReviewer};

/// The policy: every allowed `(role, action, reach)`; anything not listed is refused.
pub const TABLE: &[(Role, Action, Reach)] = &[
    // 经办人: the casework of their agency.
    (Clerk, A::ViewDashboard, Own),
    (Clerk, A::ViewCases, Own),
    (Clerk, A::EditCases, Own),
    (Clerk, A::ViewPersonal, Own),
    (Clerk, A::EditLetters, Own),
    (Clerk, A::ViewRegisters, Own),
    (Clerk, A::EditRegisters, Own),
    (Clerk, A::ViewDraft, Own),
    (Clerk, A::EditDraft, Own),
    // 审核人: sees everything of their agency, edits the draft, publishes.
    (Approver, A::ViewDashboard, Own),
    (Approver, A::ViewCases, Own),
    (Approver, A::ViewPersonal, Own),
    (Approver, A::ViewRegisters, Own),
    (Approver, A::ViewDraft, Own),
    (Approver, A::EditDraft, Own),
    (Approver, A::PublishReport, Own),
    // 政务公开办: oversees its agencies, without applicants' personal data.
    (OfficeReviewer, A::ViewOffice, Own),
    (OfficeReviewer, A::ViewDashboard, Subordinate),
    (OfficeReviewer, A::ViewCases, Subordinate),
    (OfficeReviewer, A::ViewRegisters, Subordinate),
    (OfficeReviewer, A::ViewDraft, Subordinate),
    (OfficeReviewer, A::ViewOffice, Subordinate),
    // Administrators manage accounts (on the command line today); they see the office overview.
    (Admin, A::ViewOffice, Own),
    // 政务公开办 collects the reports of its own office and of every office below it.
    (OfficeReviewer, A::CollectReports, Own),
    (OfficeReviewer, A::CollectReports, Subordinate),
    // … and reviews the findings of what it collected (its own and its offices below).
    (OfficeReviewer, A::ReviewFindings, Own),
    (OfficeReviewer, A::ReviewFindings, Subordinate),
];

/// Whether the table allows `role` to do `action` at `reach`.
pub fn allows(role: Role, action: Action, reach: Reach) -> bool {
    TABLE.iter().any(|&(r, a, x)| r == role && a == action && x == reach)
}

/// An agency the actor may act on for one action. Only [`agency`] builds one.
#[derive(Clone, Debug)]
pub struct AgencyScope {
    org: Org,
    action: Action,
}

impl AgencyScope {
    /// The agency's id (to pass to the store).
    pub fn id(&self) -> OrgId {
        self.org.id
    }

    /// The agency.
    pub fn org(&self) -> &Org {
        &self.org
    }

    /// The action it was authorised for.
    pub fn action(&self) -> Action {
        self.action
    }
}

/// An office the actor may act on for one action. Only [`office`] builds one.
#[derive(Clone, Debug)]
pub struct OfficeScope {
    org: Org,
}

impl OfficeScope {
    /// The office's id.
    pub fn id(&self) -> OrgId {
        self.org.id
    }

    /// The office.
    pub fn org(&self) -> &Org {
        &self.org
    }
}

/// How `org` relates to each of the actor's memberships: the roles that reach it, and how.
/// `above` are the organisations above `org` (its parent first).
fn reaches(actor: &Actor, org: &Org, above: &[OrgId]) -> Vec<(Role, Reach)> {
    actor
        .memberships
        .iter()
        .filter_map(|m| {
            let reach = if m.org == org.id {
                Own
            } else if above.contains(&m.org) {
                Subordinate
            } else {
                return None;
            };
            Some((m.role, reach))
        })
        .collect()
}

/// The deepest office chain walked (a guard against a corrupt tree; real trees have ≤ 5 levels).
const MAX_DEPTH: usize = 32;

/// The organisations above `org`, parent first — walked only as far as needed: not at all when
/// the actor holds no office role outside `org` and its parent (an agency's staff, the common
/// case, costs no query).
async fn above(state: &AppState, actor: &Actor, org: &Org) -> Result<Vec<OrgId>, AppError> {
    let mut chain: Vec<OrgId> = org.parent.into_iter().collect();
    let farther = |chain: &[OrgId]| {
        actor
            .memberships
            .iter()
            .any(|m| m.role.fits(OrgKind::Office) && m.org != org.id && !chain.contains(&m.org))
    };
    while let Some(&last) = chain.last() {
        if !farther(&chain) || chain.len() >= MAX_DEPTH {
            break;
        }
        match state.store.org(last).await?.and_then(|o| o.parent) {
            Some(next) if !chain.contains(&next) => chain.push(next),
            _ => break,
        }
    }
    Ok(chain)
}

/// Authorises `action` on organisation `id` of `kind`.
async fn authorise(
    state: &AppState,
    actor: &Actor,
    action: Action,
    id: OrgId,
    kind: OrgKind,
) -> Result<Org, AppError> {
    let org = state.store.org(id).await?.filter(|o| o.kind == kind).ok_or(AppError::NotFound)?;
    let above = above(state, actor, &org).await?;
    let reaches = reaches(actor, &org, &above);
    if reaches.iter().any(|&(role, reach)| allows(role, action, reach)) {
        return Ok(org);
    }
    // Someone who may see the organisation at all learns that this action is refused; anyone
    // else gets the answer of an id that does not exist.
    let sees = reaches.iter().any(|&(role, reach)| {
        allows(role, A::ViewDashboard, reach) || allows(role, A::ViewOffice, reach)
    });
    Err(if sees { AppError::Forbidden } else { AppError::NotFound })
}

/// The scope of `action` on agency `id`, or the refusal.
///
/// # Errors
/// [`AppError::NotFound`] when the agency does not exist or the actor may not see it;
/// [`AppError::Forbidden`] when the actor sees it but may not do `action`.
pub async fn agency(
    state: &AppState,
    actor: &Actor,
    action: Action,
    id: OrgId,
) -> Result<AgencyScope, AppError> {
    let org = authorise(state, actor, action, id, OrgKind::Agency).await?;
    Ok(AgencyScope { org, action })
}

/// The scope of `action` on office `id`, or the refusal (as [`agency`]).
///
/// # Errors
/// As [`agency`].
pub async fn office(
    state: &AppState,
    actor: &Actor,
    action: Action,
    id: OrgId,
) -> Result<OfficeScope, AppError> {
    let org = authorise(state, actor, action, id, OrgKind::Office).await?;
    Ok(OfficeScope { org })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_allowed_to_someone_and_no_row_is_repeated() {
        for action in Action::ALL {
            assert!(TABLE.iter().any(|&(_, a, _)| a == action), "{action:?} is allowed to no one");
        }
        for (i, row) in TABLE.iter().enumerate() {
            assert!(!TABLE[i + 1..].contains(row), "{row:?} is listed twice");
        }
    }

    #[test]
    fn only_the_agency_itself_sees_personal_data_and_only_approvers_publish() {
        for role in Role::ALL {
            assert!(!allows(role, A::ViewPersonal, Subordinate), "{role:?}");
            assert_eq!(allows(role, A::PublishReport, Own), role == Approver, "{role:?}");
        }
    }
}
