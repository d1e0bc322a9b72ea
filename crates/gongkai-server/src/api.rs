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
