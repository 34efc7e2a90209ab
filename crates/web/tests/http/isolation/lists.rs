//! What a member may see in a list or overview: nothing of any other member. Every response the
//! matrix marks `List` or `OwnPart` is searched for every other member's name, e-mail domain and
//! id (the other eleven towns and the Kreis), not only the target's.
//!
//! Allowed, and why:
//! - the office's own name and the federation's name: shown to everyone in the page header and
//!   on statements. Both contain "Kreis Groß-Gerau" (the Kreis member) and "Groß-Gerau" (a
//!   town), so an occurrence of a foreign name counts only beyond those inside allowed names;
//! - the actor's own member;
//! - catalogs, the heatmap and the cost pages carry no member names for members (the heatmap
//!   is anonymised unless the office switches on the named comparison, which the negative runs
//!   leave off), so the same rule holds for them.
//!
//! IDs are only looked for where they are unambiguous: in JSON under keys that name an
//! organisation or a user, and in HTML in links and query parameters (`/orgs/7"`, `org=7`).

use serde_json::Value;
use verbund_domain::authz::Scope;
use verbund_domain::page::PageRequest;

use crate::helpers::{TEST_ACCESS, TestApp};

/// Everything that identifies a member other than the actor's own.
pub struct Foreigners {
    /// Names that may appear (office, federation, the actor's own member).
    allowed: Vec<String>,
    /// Other members: (name, id, e-mail domain `@slug.example`).
    members: Vec<(String, i64, String)>,
    /// Users of other members (by e-mail domain), by id.
    users: Vec<i64>,
}

impl Foreigners {
    /// Every member except `own` (by name); the office is allowed.
    pub async fn of(app: &TestApp, own: &str) -> Self {
        let scope = Scope::system(&TEST_ACCESS);
        let fed = app.store.federation().await.unwrap().unwrap();
        let orgs = app
            .store
            .list_orgs(&scope, None, PageRequest::new(Some(1), Some(100)))
            .await
            .unwrap()
            .items;
        let office = orgs.iter().find(|o| o.id == fed.office_org_id).unwrap();
        let members: Vec<(String, i64, String)> = orgs
            .iter()
            .filter(|o| o.id != fed.office_org_id && o.name != own)
            .map(|o| {
                let domain = format!("@{}.example", verbund_app::file::slug(&o.name));
                (o.name.clone(), o.id.0, domain)
            })
            .collect();
        assert_eq!(members.len(), 12, "eleven other towns and the Kreis");
        let users = app
            .store
            .list_users(&scope, None, PageRequest::new(Some(1), Some(200)))
            .await
            .unwrap()
            .items
            .into_iter()
            .filter(|u| {
                members
                    .iter()
                    .any(|(_, _, d)| u.email.ends_with(d.as_str()))
            })
            .map(|u| u.id.0)
            .collect();
        Self {
            allowed: vec![fed.name, office.name.clone(), own.to_owned()],
            members,
            users,
        }
    }

    /// Panics if `body` names or links any other member or its users.
    pub fn assert_absent(&self, body: &str, what: &str) {
        let found = self.found(body);
        assert!(found.is_empty(), "{what}: {}", found.join("; "));
    }

    /// The other members `body` names, shows a user of, or links (one line each).
    pub fn found(&self, body: &str) -> Vec<String> {
        let mut found = Vec::new();
        let json: Option<Value> = serde_json::from_str(body).ok();
        for (name, id, domain) in &self.members {
            let explained: usize = self
                .allowed
                .iter()
                .filter(|a| a.contains(name.as_str()))
                .map(|a| body.matches(a.as_str()).count() * a.matches(name.as_str()).count())
                .sum();
            if body.matches(name.as_str()).count() > explained {
                found.push(format!("names {name}"));
            }
            if body.contains(domain.as_str()) {
                found.push(format!("shows a user of {name} ({domain})"));
            }
            match &json {
                Some(v) => ids_in(v, *id, ORG_KEYS, &mut found),
                None => links_in(body, *id, ORG_LINKS, &mut found),
            }
        }
        for id in &self.users {
            match &json {
                Some(v) => ids_in(v, *id, USER_KEYS, &mut found),
                None => links_in(body, *id, USER_LINKS, &mut found),
            }
        }
        found
    }

    /// The other members' names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(n, _, _)| n.as_str())
    }
}

const ORG_KEYS: &[&str] = &["org_id", "organisation_id", "member_id", "org", "member"];
const USER_KEYS: &[&str] = &["user_id", "actor_id"];
const ORG_LINKS: &[&str] = &[
    "/orgs/{}\"",
    "/orgs/{}/",
    "org={}\"",
    "org={}&",
    "member={}\"",
    "member={}&",
];
const USER_LINKS: &[&str] = &["/users/{}\"", "/users/{}/"];

fn links_in(body: &str, id: i64, patterns: &[&str], found: &mut Vec<String>) {
    for p in patterns {
        let needle = p.replace("{}", &id.to_string());
        if body.contains(&needle) {
            found.push(format!("links {needle}"));
        }
    }
}

fn ids_in(v: &Value, id: i64, keys: &[&str], found: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            // An organisation or user object itself: its `id`.
            let own_id = (m.contains_key("ags") && keys == ORG_KEYS)
                || (m.contains_key("email") && keys == USER_KEYS);
            for (k, x) in m {
                let keyed = keys.contains(&k.as_str()) || (own_id && k == "id");
                if keyed && x.as_i64() == Some(id) {
                    found.push(format!("carries id {id} in `{k}`"));
                }
                ids_in(x, id, keys, found);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| ids_in(x, id, keys, found)),
        _ => {}
    }
}
