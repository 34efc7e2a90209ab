//! Pagination: bounded page sizes so no list request can ask for everything at once.

use serde::{Deserialize, Serialize};

use crate::validation::ValidationErrors;

/// Default rows per page.
pub const DEFAULT_PER_PAGE: u32 = 25;
/// Largest page a client may request.
pub const MAX_PER_PAGE: u32 = 200;
/// Highest page number a client may request.
pub const MAX_PAGE: u32 = 1_000_000;

/// A requested page (1-based), clamped to sane bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct PageRequest {
    /// 1-based page number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl PageRequest {
    /// Builds a request; missing values get defaults, out-of-range values are clamped.
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Self {
        Self {
            page: page.unwrap_or(1).clamp(1, 1_000_000),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
        }
    }

    /// A page as a client asked for it (API and list pages): missing values get defaults
    /// (`default_per_page` rows), but a page outside `1..=MAX_PAGE` (`error-page`) or a page
    /// size outside `1..=MAX_PER_PAGE` (`error-per-page`) is refused instead of clamped, so a
    /// client never receives fewer rows than it asked for without being told.
    pub fn checked(
        page: Option<u32>,
        per_page: Option<u32>,
        default_per_page: u32,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let page = page.unwrap_or(1);
        if !(1..=MAX_PAGE).contains(&page) {
            errors.add("page", "error-page");
        }
        let per_page = per_page.unwrap_or(default_per_page);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            errors.add("per_page", "error-per-page");
        }
        errors.into_result(Self { page, per_page })
    }

    /// SQL `OFFSET`.
    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// SQL `LIMIT`.
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

/// One page of results with the total count.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// 1-based page number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
    /// Rows over all pages.
    pub total: i64,
}

impl<T> Page<T> {
    /// Number of pages (at least 1).
    pub fn pages(&self) -> u32 {
        let per = i64::from(self.per_page.max(1));
        u32::try_from(((self.total + per - 1) / per).max(1)).unwrap_or(u32::MAX)
    }

    /// Whether a next page exists.
    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }

    /// Maps the rows, keeping the paging data.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_request_clamps() {
        assert_eq!(
            PageRequest::new(Some(0), Some(10_000)),
            PageRequest {
                page: 1,
                per_page: MAX_PER_PAGE
            }
        );
        assert_eq!(PageRequest::new(Some(3), Some(20)).offset(), 40);
    }

    #[test]
    fn checked_page_request_takes_defaults_and_bounds() {
        assert_eq!(
            PageRequest::checked(None, None, 50),
            Ok(PageRequest {
                page: 1,
                per_page: 50
            })
        );
        assert_eq!(
            PageRequest::checked(Some(MAX_PAGE), Some(MAX_PER_PAGE), 25),
            Ok(PageRequest {
                page: MAX_PAGE,
                per_page: MAX_PER_PAGE
            })
        );
    }

    #[test]
    fn checked_page_request_refuses_out_of_range_values() {
        let codes = |r: Result<PageRequest, ValidationErrors>| {
            r.unwrap_err()
                .0
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(PageRequest::checked(Some(1), Some(MAX_PER_PAGE + 1), 25)),
            vec![("per_page".to_owned(), "error-per-page".to_owned())]
        );
        assert_eq!(
            codes(PageRequest::checked(Some(0), Some(0), 25)),
            vec![
                ("page".to_owned(), "error-page".to_owned()),
                ("per_page".to_owned(), "error-per-page".to_owned())
            ]
        );
        assert_eq!(
            codes(PageRequest::checked(Some(MAX_PAGE + 1), None, 25)),
            vec![("page".to_owned(), "error-page".to_owned())]
        );
    }

    #[test]
    fn page_counts_round_up() {
        let p = Page {
            items: vec![1],
            page: 2,
            per_page: 25,
            total: 51,
        };
        assert_eq!(p.pages(), 3);
        assert!(p.has_next());
        let empty: Page<i32> = Page {
            items: vec![],
            page: 1,
            per_page: 25,
            total: 0,
        };
        assert_eq!(empty.pages(), 1);
        assert!(!empty.has_next());
    }
}
