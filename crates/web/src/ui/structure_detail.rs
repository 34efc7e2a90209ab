//! The object page: facts, protection needs per basic value with who set them and the
//! inheritance path in words, the needs form next to the damage-scenario thresholds, links in
//! both directions with the form to add one, and for a provider object the contributions.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use verbund_app::modelling::{self, ObjectModules};
use verbund_app::structure::{self as svc, LinkDraft, NeedDraft};
use verbund_domain::authz::Permission;
use verbund_domain::structure::model::{
    Contribution, Need, ObjectDetail, ObjectRef, OriginKind, PathEntry,
};
use verbund_domain::structure::modelling::Module;
use verbund_domain::structure::needs::ScenarioThreshold;
use verbund_domain::structure::{Category, Deviation, Goal, LinkType};
use verbund_domain::{StructureLinkId, StructureObjectId};

use super::structure::cat_key;
use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use crate::i18n::Lang;

/// One goal's row: the need, its path in sentences and the form's current values.
pub struct NeedView {
    pub goal: &'static str,
    pub need: Need,
    pub set_at: String,
    pub path: Vec<String>,
    pub form_value: String,
    pub form_deviation: String,
    pub form_justification: String,
    pub errors: FormErrors,
}

fn label(o: &ObjectRef) -> String {
    format!("{} „{}“", o.short_id, o.name)
}

/// The inheritance path as sentences, the object first, down to where a person set the need.
fn path_words(lang: Lang, path: &[PathEntry]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, step) in path.iter().enumerate() {
        let value = lang.t(&cat_key(step.effective));
        let me = label(&step.object);
        let next = path.get(i + 1).map(|n| label(&n.object));
        let text = if step.own {
            lang.t_args("structure-path-own", &[("object", me), ("value", value)])
        } else {
            match (step.origin, next) {
                (OriginKind::Unset, _) => lang.t_args("structure-path-unset", &[("object", me)]),
                (OriginKind::Link, Some(from)) => lang.t_args(
                    "structure-path-link",
                    &[
                        ("object", me),
                        ("value", value),
                        ("from", from),
                        (
                            "link",
                            lang.t(&step.link_type.map_or_else(String::new, LinkType::label_key)),
                        ),
                    ],
                ),
                (OriginKind::Cycle, Some(from)) => lang.t_args(
                    "structure-path-cycle",
                    &[("object", me), ("value", value), ("from", from)],
                ),
                (_, None) => {
                    lang.t_args("structure-path-hidden", &[("object", me), ("value", value)])
                }
            }
        };
        out.push(text);
    }
    out
}

#[derive(Template)]
#[template(path = "structure_detail.html")]
pub(super) struct DetailPage {
    l: Layout,
    d: ObjectDetail,
    needs: Vec<NeedView>,
    can_edit: bool,
    categories: &'static [Category],
    deviations: &'static [Deviation],
    link_types: &'static [LinkType],
    thresholds: Vec<ScenarioThreshold>,
    targets: Vec<ObjectRef>,
    link_errors: FormErrors,
    link_form: LinkForm,
    contributions: Vec<Contribution>,
    hints: Vec<String>,
    modules: ObjectModules,
    offer: Vec<Module>,
    module_errors: FormErrors,
    check_rows: Vec<verbund_domain::structure::check::CheckRow>,
}

/// What a failed form brings back to the page.
#[derive(Default)]
pub(super) struct Failed {
    need: Option<(Goal, NeedForm, FormErrors)>,
    link: Option<(LinkForm, FormErrors)>,
    module: Option<FormErrors>,
}

impl Failed {
    /// The module form failed with `errors`.
    pub(super) fn module(errors: FormErrors) -> Self {
        Self {
            module: Some(errors),
            ..Self::default()
        }
    }
}

pub(super) async fn page(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    failed: Failed,
) -> AppResult<DetailPage> {
    let d = svc::detail(st, cu.actor(), StructureObjectId(id)).await?;
    let can_edit = cu
        .actor()
        .check(Permission::EditStructure, d.object.org_id)
        .is_ok();
    let settings = svc::settings(st, cu.actor()).await?;
    let targets = if can_edit {
        svc::link_targets(st, cu.actor(), d.object.org_id)
            .await?
            .into_iter()
            .filter(|t| t.id != d.object.id)
            .collect()
    } else {
        Vec::new()
    };
    let modules = modelling::object_modules(st, cu.actor(), StructureObjectId(id)).await?;
    let offer = if can_edit {
        modelling::catalog_modules(st, cu.actor()).await?
    } else {
        Vec::new()
    };
    let check_rows = verbund_app::check::object_rows(st, cu.actor(), StructureObjectId(id)).await?;
    let lang = cu.ctx.lang;
    let needs = d
        .needs
        .iter()
        .zip(&d.paths)
        .map(|(n, p)| {
            let (form_value, form_deviation, form_justification, errors) = match &failed.need {
                Some((g, f, e)) if *g == n.goal => (
                    f.value.clone(),
                    f.deviation.clone(),
                    f.justification.clone(),
                    FormErrors(e.0.clone()),
                ),
                _ => (
                    n.manual.map(|c| c.code().to_owned()).unwrap_or_default(),
                    n.deviation.map(|c| c.code().to_owned()).unwrap_or_default(),
                    n.justification.clone().unwrap_or_default(),
                    FormErrors::default(),
                ),
            };
            NeedView {
                goal: n.goal.code(),
                need: n.clone(),
                set_at: n.set_at_ms.map(fmt_ms).unwrap_or_default(),
                path: path_words(lang, p),
                form_value,
                form_deviation,
                form_justification,
                errors,
            }
        })
        .collect();
    let (link_form, link_errors) = failed.link.unwrap_or_default();
    Ok(DetailPage {
        l: Layout::user(cu, "structure-object-title", "structure"),
        contributions: d.contributions.clone(),
        hints: d
            .cumulation_hints
            .iter()
            .map(|g| {
                lang.t_args(
                    "structure-cumulation-hint",
                    &[("goal", lang.tf("structure-goal-", g.code()))],
                )
            })
            .collect(),
        d,
        needs,
        can_edit,
        categories: Category::ALL,
        deviations: Deviation::ALL,
        link_types: LinkType::ALL,
        thresholds: settings.thresholds,
        targets,
        link_errors,
        link_form,
        modules,
        offer,
        module_errors: failed.module.unwrap_or_default(),
        check_rows,
    })
}

/// The object page.
pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    Ok(render(&page(&st, &cu, id, Failed::default()).await?))
}

/// The needs form of one goal.
#[derive(Deserialize, Default, Clone)]
pub struct NeedForm {
    #[serde(default)]
    goal: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    deviation: String,
    #[serde(default)]
    justification: String,
}

/// Sets or clears a need; errors show at that goal's form.
pub async fn set_need(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<NeedForm>,
) -> AppResult<Response> {
    let draft = NeedDraft {
        value: Some(f.value.clone()),
        deviation: Some(f.deviation.clone()),
        justification: Some(f.justification.clone()),
    };
    match svc::set_need(
        &st,
        &cu.audit(),
        cu.actor(),
        StructureObjectId(id),
        &f.goal,
        &draft,
    )
    .await
    {
        Ok(n) => Ok(see_other(&format!(
            "/structure/objects/{id}#need-{}",
            n.goal.code()
        ))),
        Err(verbund_app::Error::Invalid(e)) => {
            let goal = Goal::parse(&f.goal).unwrap_or(Goal::Confidentiality);
            let failed = Failed {
                need: Some((goal, f, e.into())),
                ..Failed::default()
            };
            Ok(render_invalid(&page(&st, &cu, id, failed).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// The form to add a link from this object.
#[derive(Deserialize, Default, Clone)]
pub struct LinkForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub link_type: String,
}

/// Adds a link from the object; errors show at the link form.
pub async fn add_link(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<LinkForm>,
) -> AppResult<Response> {
    let draft = LinkDraft {
        from: id,
        to: f.to.trim().parse().unwrap_or(0),
        link_type: f.link_type.clone(),
    };
    match svc::add_link(&st, &cu.audit(), cu.actor(), &draft).await {
        Ok(_) => Ok(see_other(&format!("/structure/objects/{id}#links"))),
        Err(verbund_app::Error::Invalid(e)) => {
            let failed = Failed {
                link: Some((f, e.into())),
                ..Failed::default()
            };
            Ok(render_invalid(&page(&st, &cu, id, failed).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct BackForm {
    #[serde(default)]
    back: Option<i64>,
}

/// Removes a link and returns to the object it was removed from.
pub async fn delete_link(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<BackForm>,
) -> AppResult<Response> {
    let l = svc::remove_link(&st, &cu.audit(), cu.actor(), StructureLinkId(id)).await?;
    let back = f.back.unwrap_or(l.from.id.0);
    Ok(see_other(&format!("/structure/objects/{back}#links")))
}
