//! Uploaded documents, run on both backends by `main.rs`.

use gongkai_store::{Action, StoreError, Upload};

use crate::stories::{county, ctx};
use crate::support::Fresh;

const LIMIT: u64 = 1024;

/// Uploads keep the bytes exactly, once per content; a second upload of the same bytes is the
/// same document; file names are sanitised; the size limit is checked before anything is written.
pub async fn documents_are_content_addressed(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, b) = county(store).await;
    let c = ctx(None);
    // Every byte value, including NUL and invalid UTF-8.
    let bytes: Vec<u8> = (0..=255u8).chain([0xff, 0xfe, 0x00]).collect();
    let up = Upload::new(&bytes, "pdf", "../../年报/2024年政府信息公开工作年度报告.pdf");
    let first = store.upload_document(&c, a.id, &up, LIMIT).await.expect("upload");
    assert!(!first.deduplicated);
    let doc = &first.document;
    assert_eq!(doc.file_name, "2024年政府信息公开工作年度报告.pdf");
    assert_eq!(doc.size, bytes.len() as u64);
    assert_eq!(doc.sha256.len(), 64);
    assert_eq!(store.document_bytes(a.id, doc.id).await.expect("bytes"), Some(bytes.clone()));
    assert_eq!(store.document(a.id, doc.id).await.expect("doc").as_ref(), Some(doc));

    let again = Upload::new(&bytes, "pdf", "copy.pdf");
    let second = store.upload_document(&c, a.id, &again, LIMIT).await.expect("upload");
    assert!(second.deduplicated);
    assert_eq!(&second.document, doc, "the same document, its first name kept");
    assert_eq!(store.documents(a.id).await.expect("list").len(), 1);

    // Another organisation: a document of its own, unreachable from the first.
    let theirs = store.upload_document(&c, b.id, &again, LIMIT).await.expect("upload");
    assert!(!theirs.deduplicated);
    assert_ne!(theirs.document.id, doc.id);
    assert_eq!(theirs.document.sha256, doc.sha256);
    assert_eq!(store.document(a.id, theirs.document.id).await.expect("doc"), None);
    assert_eq!(store.document_bytes(a.id, theirs.document.id).await.expect("bytes"), None);

    let other = Upload::new(b"<html></html>", "html", "");
    let other = store.upload_document(&c, a.id, &other, LIMIT).await.expect("upload");
    assert_eq!(other.document.file_name, "unnamed");
    assert_eq!(store.documents(a.id).await.expect("list").len(), 2);

    let big = vec![7u8; 1025];
    let refused =
        store.upload_document(&c, a.id, &Upload::new(&big, "pdf", "big.pdf"), LIMIT).await;
    assert!(
        matches!(refused, Err(StoreError::TooLarge { size: 1025, limit: 1024 })),
        "{refused:?}"
    );
    let bad = store.upload_document(&c, a.id, &Upload::new(b"x", "../pdf", "x"), LIMIT).await;
    assert!(matches!(bad, Err(StoreError::Invalid(_))), "{bad:?}");
    assert_eq!(store.documents(a.id).await.expect("list").len(), 2, "nothing written");
    let audit = store.audit_log(Some(a.id), 20).await.expect("audit");
    assert_eq!(audit.iter().filter(|e| e.action == Action::DocumentUploaded).count(), 2);
}

/// The same bytes uploaded twice at once by one organisation: one document, both uploads see it.
pub async fn concurrent_uploads_make_one_document(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, _) = county(store).await;
    let c = ctx(None);
    for n in 0..5u8 {
        let bytes = vec![n; 64];
        let up = Upload::new(&bytes, "pdf", "x.pdf");
        let (x, y) = tokio::join!(
            store.upload_document(&c, a.id, &up, LIMIT),
            store.upload_document(&c, a.id, &up, LIMIT)
        );
        let (x, y) = (x.expect("first"), y.expect("second"));
        assert_eq!(x.document, y.document);
        assert!(x.deduplicated != y.deduplicated, "exactly one stored it");
    }
    assert_eq!(store.documents(a.id).await.expect("list").len(), 5);
}
