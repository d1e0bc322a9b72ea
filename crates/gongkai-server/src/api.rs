//! The OpenAPI 3.1 document of `/api/v1`: the document's head; every resource adds its paths
//! (see [`crate::routes`]), and a test compares the paths with the route table.

/// The head of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "gongkai",
        description = "政府信息公开工作平台 API / the government information disclosure platform's API"
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail))
)]
pub struct ApiDoc;

/// Adds the answers every operation may give to its documented responses: `400` (a path or query
/// parameter that does not parse, e.g. an id beyond 64 bits, or a body that is not what it should
/// be); `401` for every route of the route table that is not public; and for an operation with a
/// request body `413` (over the body limit), `415` (another content type) and `422` (a body that
/// parses but does not match its schema); and `503` for every operation (code
/// `storage_unavailable`: the data storage is full, read-only or failing, nothing was changed).
/// The framework gives the first ones before a handler runs, with
/// the one [`ErrorBody`] (see [`crate::error::render`]); documenting them once here keeps every
/// operation honest (schemathesis checks that every status received is documented).
///
/// [`ErrorBody`]: crate::error::ErrorBody
pub fn complete(doc: &mut utoipa::openapi::OpenApi, routes: &[crate::routes::Route]) {
    use axum::http::Method;
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let answer = |what: &str| {
        ResponseBuilder::new()
            .description(what)
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
            )
            .build()
    };
    for (path, item) in &mut doc.paths.paths {
        let operations = [
            (Method::GET, &mut item.get),
            (Method::PUT, &mut item.put),
            (Method::POST, &mut item.post),
            (Method::DELETE, &mut item.delete),
            (Method::PATCH, &mut item.patch),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            let signed_in = routes.iter().any(|r| {
                r.path == path && r.method == method && r.access != crate::routes::Access::Public
            });
            let responses = &mut operation.responses.responses;
            let mut add = |status: &str, what: &str| {
                responses.entry(status.to_owned()).or_insert_with(|| answer(what).into());
            };
            add("400", "a malformed request: a parameter or body that does not parse");
            if signed_in {
                add("401", "no credentials, or credentials that are unknown, expired or revoked");
            }
            if operation.request_body.is_some() {
                add("413", "the request body is over the limit");
                add("415", "the request body is not of a documented content type");
                add("422", "the request body does not match its schema");
            }
            add(
                "503",
                "the data storage is full, read-only or failing (code `storage_unavailable`): \
                 nothing was changed, what was stored before is intact; try again later",
            );
        }
    }
}
