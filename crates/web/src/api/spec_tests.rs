//! Structural checks of the generated OpenAPI document, so a handler annotation that drifts
//! from the router (a query parameter declared in the path, a repeated operationId, an
//! undocumented error answer) fails `cargo test` instead of a client.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

fn doc() -> Value {
    serde_json::to_value(super::openapi()).expect("the OpenAPI document serialises")
}

/// Every operation as `(method, path, operation)`.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                out.push((method.clone(), path.clone(), op.clone()));
            }
        }
    }
    assert!(!out.is_empty());
    out
}

fn params<'a>(op: &'a Value, place: &str) -> Vec<&'a Value> {
    op["parameters"]
        .as_array()
        .map(|ps| ps.iter().filter(|p| p["in"] == place).collect())
        .unwrap_or_default()
}

fn template_names(path: &str) -> BTreeSet<String> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn operation_ids_are_present_and_unique() {
    let doc = doc();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"))
            .to_owned();
        if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
            panic!("operationId {id} is used by {other} and {method} {path}");
        }
    }
}

#[test]
fn path_parameters_match_the_path_template() {
    let doc = doc();
    for (method, path, op) in operations(&doc) {
        let declared: BTreeSet<String> = params(&op, "path")
            .iter()
            .map(|p| {
                assert_eq!(
                    p["required"], true,
                    "{method} {path}: path parameters are required"
                );
                p["name"].as_str().expect("name").to_owned()
            })
            .collect();
        assert_eq!(
            declared,
            template_names(&path),
            "{method} {path}: declared path parameters differ from the path's placeholders"
        );
    }
}

#[test]
fn list_routes_document_the_page_size_bounds() {
    let doc = doc();
    let mut lists = 0;
    for (method, path, op) in operations(&doc) {
        for p in params(&op, "query") {
            let schema = &p["schema"];
            match p["name"].as_str() {
                Some("per_page") => {
                    lists += 1;
                    assert_eq!(schema["minimum"], 1, "{method} {path}: per_page minimum");
                    assert_eq!(schema["maximum"], 200, "{method} {path}: per_page maximum");
                    assert!(
                        op["responses"]["422"].is_object(),
                        "{method} {path}: a page size out of range answers 422"
                    );
                }
                Some("page") => {
                    assert_eq!(schema["minimum"], 1, "{method} {path}: page minimum");
                    assert_eq!(
                        schema["maximum"], 1_000_000,
                        "{method} {path}: page maximum"
                    );
                }
                _ => {}
            }
            assert_ne!(
                p["required"],
                Value::Null,
                "{method} {path}: required is explicit"
            );
        }
    }
    assert!(
        lists >= 5,
        "organisations, users, audit, assessments, answers, heatmap"
    );
}

#[test]
fn every_operation_documents_its_error_answers_with_the_error_body() {
    let doc = doc();
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    for (method, path, op) in operations(&doc) {
        let responses = op["responses"].as_object().expect("responses");
        let has = |status: &str| responses.contains_key(status);
        assert!(has("401"), "{method} {path}: 401 without a valid token");
        if !template_names(&path).is_empty() {
            assert!(has("404"), "{method} {path}: 404 for an unknown id");
        }
        if !params(&op, "query").is_empty() || op["requestBody"].is_object() {
            assert!(has("400"), "{method} {path}: 400 for a malformed request");
        }
        if op["requestBody"]["content"]["application/json"].is_object() {
            for status in ["413", "415", "422"] {
                assert!(has(status), "{method} {path}: {status} for a JSON body");
            }
        }
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {path}: a success answer"
        );
        for (status, response) in responses {
            assert!(
                response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{method} {path}: {status} is described (OpenAPI requires it)"
            );
        }
        for (status, response) in responses {
            if status.starts_with('4') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path}: {status} carries the error body"
                );
            }
        }
    }
}

#[test]
fn the_document_and_the_router_list_the_same_operations() {
    let doc = doc();
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(m, p, _)| (m.to_uppercase(), p))
        .collect();
    let (_, api) = crate::route_table();
    let routed: BTreeSet<(String, String)> = api
        .into_iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    assert_eq!(documented, routed);
}

#[test]
fn file_downloads_declare_their_content_types() {
    let doc = doc();
    let ok = |path: &str| doc["paths"][path]["get"]["responses"]["200"]["content"].clone();
    assert!(ok("/costs/statements/{id}/pdf")["application/pdf"].is_object());
    assert!(
        ok("/costs/statements/{id}/xlsx")
            ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
            .is_object()
    );
    let export = ok("/assessments/{id}/export");
    assert!(
        export["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"].is_object()
    );
    assert!(export["text/csv"].is_object());
    let binary = &doc["components"]["schemas"]["Binary"];
    assert_eq!(binary["format"], "binary");
    for (_, content) in ok("/evidence/{id}").as_object().expect("evidence content") {
        assert_eq!(content["schema"]["$ref"], "#/components/schemas/Binary");
    }
}

#[test]
fn list_answers_are_arrays_in_the_schema() {
    let doc = doc();
    for (method, path) in [
        ("get", "/tokens"),
        ("get", "/catalogs"),
        ("get", "/organisations/{id}/memberships"),
        ("get", "/assessments/{id}/snapshots"),
        ("get", "/answers/{id}/evidence"),
        ("post", "/assessments/{id}/answers/bulk"),
        ("get", "/costs/subsidies"),
        ("get", "/costs/keys"),
        ("get", "/costs/statements"),
        ("get", "/costs/compare"),
    ] {
        let schema = &doc["paths"][path][method]["responses"]
            .as_object()
            .and_then(|r| r.iter().find(|(s, _)| s.starts_with('2')))
            .map(|(_, r)| r["content"]["application/json"]["schema"].clone())
            .unwrap_or_default();
        assert_eq!(schema["type"], "array", "{method} {path} answers an array");
    }
}

#[test]
fn the_bearer_token_is_the_security_scheme() {
    let doc = doc();
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    assert_eq!(doc["security"][0]["bearer"], serde_json::json!([]));
}
