//! Catalog texts in the reader's language on pages that show requirements and topics outside
//! the catalog page: assessment rows, the answer page, topic names in filters, the topic
//! table and the comparison. Where the catalog carries no translation, the original stands.

use verbund_app::assessments::TopicOut;
use verbund_domain::CatalogId;
use verbund_domain::catalog::texts::LocalizedTexts;
use verbund_store::AnswerRow;

use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;

/// The catalog's texts in the user's language, if it has any besides its own.
pub async fn load(
    st: &AppState,
    cu: &CurrentUser,
    catalog: CatalogId,
) -> AppResult<Option<LocalizedTexts>> {
    Ok(verbund_app::catalogs::texts(st, catalog, cu.ctx.lang.code()).await?)
}

/// Name, text and parent title of each row.
pub fn rows(t: &LocalizedTexts, rows: &mut [AnswerRow]) {
    for r in rows {
        if let Some(n) = t.name(&r.urn) {
            r.name = Some(n.to_owned());
        }
        if let Some(d) = t.description(&r.urn) {
            r.description = Some(d.to_owned());
        }
        if let Some(p) = r.parent_ref_id.as_deref().and_then(|p| t.name_of_ref(p)) {
            r.parent_name = Some(p.to_owned());
        }
    }
}

/// Topic names of an assessment.
pub fn topics(t: &LocalizedTexts, topics: &mut [TopicOut]) {
    for x in topics {
        if let Some(n) = t.topic(x.topic.ref_id.as_deref(), &x.topic.name) {
            x.topic.name = n.to_owned();
        }
    }
}
