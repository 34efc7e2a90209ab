//! Issuing a statement without surprises: the draft shows exactly what would be issued (year,
//! key version, every member's amount, payment reference, due date, bank account, signer),
//! the office may change references and the due date, and issuing refuses if the figures
//! changed after the draft was shown (its fingerprint).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::costs::payment::{
    DEFAULT_PATTERN, ReferenceValues, check_reference, format_german_date, parse_due_date,
};
use verbund_domain::costs::{
    BankAccount, Iban, MemberPayment, PaymentTerms, ReferencePattern, Signer,
};
use verbund_domain::settings::FederationSettings;
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{CostKeyId, OrgId};
use verbund_store::{AuditActor, StoredStatement};

use super::{Preview, YearInputs, preview_with, year_inputs};
use crate::Services;
use crate::costs::federation;
use crate::error::{Error, Result};

/// One member in a draft.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DraftMember {
    /// Member.
    #[schema(value_type = i64)]
    pub member: OrgId,
    /// Name.
    pub name: String,
    /// AGS, if it has one.
    pub ags: Option<String>,
    /// Amount payable, cents.
    pub payable_cents: i64,
    /// Payment reference (Kassenzeichen): from the settings' pattern, or as overridden.
    pub reference: String,
    /// Postal address printed on the letter (line breaks separate lines).
    pub address: Option<String>,
}

/// What issuing would store: check it, then issue with the same fingerprint.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IssueDraft {
    /// Year.
    pub year: i32,
    /// Key version's ID.
    #[schema(value_type = i64)]
    pub key_id: CostKeyId,
    /// Key name.
    pub key_name: String,
    /// Key version.
    pub key_version: i64,
    /// Whether the key version is already used by an issued statement.
    pub locked: bool,
    /// Amount split among the members, cents.
    pub shared_total_cents: i64,
    /// Sum of the amounts payable, cents.
    pub total_payable_cents: i64,
    /// Due date (ISO `YYYY-MM-DD`).
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    /// The office's account printed on the letters, if set in the settings.
    #[schema(value_type = Option<Object>)]
    pub account: Option<BankAccount>,
    /// Who signs the letters, if set in the settings.
    #[schema(value_type = Option<Object>)]
    pub signer: Option<Signer>,
    /// Every member's amount and payment details, in statement order.
    pub members: Vec<DraftMember>,
    /// Identifies the figures shown: issuing with it fails if they changed since.
    pub fingerprint: String,
    /// What is missing for a complete letter: `warn-no-account`, `warn-no-signer`,
    /// `warn-no-address` (translation keys).
    pub warnings: Vec<String>,
}

/// What the office may change before issuing.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueOptions {
    /// Due date, `31.03.2027` or `2027-03-31`; default: today plus the settings' payment days.
    #[serde(default)]
    pub due_on: Option<String>,
    /// Payment references replacing the pattern's, by member ID.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, String>)]
    pub references: BTreeMap<OrgId, String>,
    /// The draft's fingerprint: issuing fails with 409 if the figures changed since.
    #[serde(default)]
    pub fingerprint: Option<String>,
}

fn today(st: &Services) -> Date {
    let now = st.clock.now_ms();
    time::OffsetDateTime::from_unix_timestamp(now / 1000)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN)
}

/// Identifies the figures and the printed terms a draft shows (not what the office typed
/// into it): amounts, key version, standalone costs, account, signer and reference pattern.
fn fingerprint(p: &Preview, year: i32, terms: &str) -> String {
    let d = &p.document;
    let mut h = Sha256::new();
    h.update(terms);
    h.update(format!(
        "{year}/{}/{}/{}",
        p.key_id, d.key_version, d.statement.shared_total.0
    ));
    for b in &d.statement.bills {
        h.update(format!(";{}={}", b.member, b.payable.0));
    }
    if let Some(s) = &d.savings {
        h.update(format!(";s={}", s.total_standalone.0));
    }
    hex::encode(&h.finalize()[..12])
}

fn account(s: &FederationSettings, office_name: &str) -> Option<BankAccount> {
    let iban = Iban::parse(s.bank_iban.as_deref()?).ok()?;
    Some(BankAccount {
        holder: s
            .bank_holder
            .clone()
            .unwrap_or_else(|| office_name.to_owned()),
        iban,
        bic: s.bank_bic.clone(),
        bank: s.bank_name.clone(),
    })
}

fn signer(s: &FederationSettings) -> Option<Signer> {
    Some(Signer {
        name: s.signer_name.clone()?,
        role: s.signer_role.clone(),
    })
}

/// The draft for `inputs` and the preview, with `opts` applied; field errors for a bad due
/// date (`due_on`) or reference (`ref-<member>`), duplicates included.
async fn build(
    st: &Services,
    inputs: &YearInputs,
    p: &Preview,
    year: i32,
    opts: &IssueOptions,
) -> Result<IssueDraft> {
    let fed = crate::federation(&st.store).await?;
    let settings = st.store.settings(fed.id).await?;
    let letterhead = crate::settings::letterhead(st, &fed).await?;
    let pattern = ReferencePattern::parse(
        settings
            .payment_reference_pattern
            .as_deref()
            .unwrap_or(DEFAULT_PATTERN),
    )
    .map_err(|c| ValidationErrors::single("payment_reference_pattern", c))?;
    let seq = st
        .store
        .statements(
            &verbund_domain::authz::Scope::system(
                &verbund_domain::authz::SystemAccess::for_reason("counting a year's statements"),
            ),
            fed.id,
            Some(year),
        )
        .await?
        .len();
    let seq = u32::try_from(seq).unwrap_or(u32::MAX - 1) + 1;
    let mut e = ValidationErrors::default();
    let due_on = match opts.due_on.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => e.check("due_on", parse_due_date(t)),
        _ => today(st).checked_add(time::Duration::days(i64::from(settings.payment_days))),
    };
    let members: Vec<DraftMember> = p
        .document
        .statement
        .bills
        .iter()
        .map(|b| {
            let org = inputs.orgs.get(&b.member);
            let ags = org.and_then(|o| o.ags.as_ref().map(|a| a.as_str().to_owned()));
            let reference = match opts.references.get(&b.member) {
                Some(r) => e
                    .check(&format!("ref-{}", b.member), check_reference(r))
                    .unwrap_or_else(|| r.clone()),
                None => pattern.render(ReferenceValues {
                    year,
                    ags: ags.as_deref(),
                    member: b.member,
                    seq,
                }),
            };
            DraftMember {
                member: b.member,
                name: b.name.clone(),
                ags,
                payable_cents: b.payable.0,
                reference,
                address: org.and_then(|o| o.address.clone()),
            }
        })
        .collect();
    for m in &members {
        if check_reference(&m.reference).is_err() && !opts.references.contains_key(&m.member) {
            e.add(&format!("ref-{}", m.member), "error-reference");
        }
    }
    let terms = terms_of(&members, due_on.unwrap_or(Date::MIN), None, None);
    for m in terms.duplicate_references() {
        e.add(&format!("ref-{m}"), "error-reference-duplicate");
    }
    if !e.0.is_empty() {
        return Err(e.into());
    }
    let account = account(&settings, &letterhead.office_name);
    let signer = signer(&settings);
    let mut warnings = Vec::new();
    if account.is_none() {
        warnings.push("warn-no-account".to_owned());
    }
    if signer.is_none() {
        warnings.push("warn-no-signer".to_owned());
    }
    if members.iter().any(|m| m.address.is_none()) {
        warnings.push("warn-no-address".to_owned());
    }
    let fingerprint = fingerprint(
        p,
        year,
        &format!("{account:?}|{signer:?}|{}", pattern.as_str()),
    );
    let d = &p.document;
    Ok(IssueDraft {
        year,
        key_id: p.key_id,
        key_name: d.key_name.clone(),
        key_version: d.key_version,
        locked: p.locked,
        shared_total_cents: d.statement.shared_total.0,
        total_payable_cents: d.statement.bills.iter().map(|b| b.payable.0).sum(),
        due_on: due_on.unwrap_or(Date::MIN),
        account,
        signer,
        members,
        fingerprint,
        warnings,
    })
}

fn terms_of(
    members: &[DraftMember],
    due_on: Date,
    account: Option<BankAccount>,
    signer: Option<Signer>,
) -> PaymentTerms {
    PaymentTerms {
        due_on,
        account,
        signer,
        members: members
            .iter()
            .map(|m| MemberPayment {
                member: m.member,
                reference: m.reference.clone(),
                address: m.address.clone(),
            })
            .collect(),
    }
}

async fn preview_and_inputs(
    st: &Services,
    actor: &Actor,
    year: i32,
    key_id: CostKeyId,
) -> Result<(YearInputs, Preview)> {
    let fed = federation(st).await?;
    let key = st.store.cost_key(fed, key_id).await?;
    let inputs = year_inputs(st, &actor.scope(Permission::ReadCosts), fed, year).await?;
    let p = preview_with(&inputs, key)?;
    Ok((inputs, p))
}

/// What issuing the statement of `year` with key version `key_id` would store, with the
/// office's changes in `opts` (office, federation management). Field errors for a bad due
/// date or reference.
pub async fn draft(
    st: &Services,
    actor: &Actor,
    year: i32,
    key_id: CostKeyId,
    opts: &IssueOptions,
) -> Result<IssueDraft> {
    actor.check_office(Permission::ManageFederation)?;
    let (inputs, p) = preview_and_inputs(st, actor, year, key_id).await?;
    build(st, &inputs, &p, year, opts).await
}

/// Issues the statement of `year` with key version `key_id`: stores inputs, results and
/// payment terms unchangeably and locks the key version (office). With a fingerprint from a
/// draft, fails with `Stale` if the figures changed since it was shown.
pub async fn issue(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    year: i32,
    key_id: CostKeyId,
    opts: &IssueOptions,
) -> Result<StoredStatement> {
    actor.check_office(Permission::ManageFederation)?;
    let (inputs, mut p) = preview_and_inputs(st, actor, year, key_id).await?;
    let draft = build(st, &inputs, &p, year, opts).await?;
    if opts
        .fingerprint
        .as_deref()
        .is_some_and(|f| f != draft.fingerprint)
    {
        return Err(Error::Stale);
    }
    p.document.payment = Some(terms_of(
        &draft.members,
        draft.due_on,
        draft.account,
        draft.signer,
    ));
    Ok(st
        .store
        .issue_statement(by, federation(st).await?, year, key_id, &p.document)
        .await?)
}

/// The due date as printed: `31.03.2027`.
pub fn due_text(d: Date) -> String {
    format_german_date(d)
}
