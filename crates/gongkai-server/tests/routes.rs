//! The route table against the OpenAPI document: every API route is documented, every
//! documented path is routed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeSet;

use gongkai_server::routes;

#[test]
fn the_openapi_paths_are_the_api_routes() {
    let doc = routes::openapi();
    let mut documented = BTreeSet::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (m, present) in methods {
            if present {
                documented.insert(format!("{m} {path}"));
            }
        }
    }
    let routed: BTreeSet<String> = routes::table()
        .iter()
        .filter(|r| r.api)
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(documented, routed);
    assert!(routed.contains("POST /api/v1/login"));
}

#[test]
fn the_document_is_openapi_3_1() {
    let json = serde_json::to_value(routes::openapi()).unwrap();
    assert!(json["openapi"].as_str().unwrap().starts_with("3.1"), "{}", json["openapi"]);
}

#[test]
fn no_route_is_declared_twice() {
    let table = routes::table();
    let mut seen = BTreeSet::new();
    for r in &table {
        assert!(seen.insert(format!("{} {}", r.method, r.path)), "{r:?} twice");
    }
}

/// A full or read-only data directory answers 503 `storage_unavailable` (tests/crash in
/// gongkai-cli): every operation documents it, with the one error body (`/healthz` documents its own
/// 503, the health report saying the database does not answer).
#[test]
fn every_operation_documents_the_storage_refusal() {
    let json = serde_json::to_value(routes::openapi()).unwrap();
    let mut operations = 0;
    for (path, item) in json["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let answer = &op["responses"]["503"];
            assert!(answer.is_object(), "{method} {path} does not document 503");
            let schema = &answer["content"]["application/json"]["schema"]["$ref"];
            let body = if path == "/healthz" { "Health" } else { "ErrorBody" };
            assert_eq!(schema, &format!("#/components/schemas/{body}"), "{method} {path}");
            operations += 1;
        }
    }
    assert!(operations >= 29, "{operations} operations");
}
