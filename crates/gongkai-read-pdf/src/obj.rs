//! Small, total helpers over lopdf objects: every lookup follows references a bounded number of
//! times and answers `None` instead of failing, so hostile object graphs (reference cycles, wrong
//! types) degrade to "not there".

use lopdf::{Dictionary, Document, Object};

/// Most references followed in a chain (`1 0 R` → `2 0 R` → …).
const MAX_DEREF: usize = 32;

/// Largest decoded stream read for fonts and CMaps, in bytes.
pub(crate) const MAX_AUX_STREAM: usize = 16 * 1024 * 1024;

/// Follows references; a dangling or cyclic reference gives `Object::Null`.
pub(crate) fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> &'a Object {
    static NULL: Object = Object::Null;
    for _ in 0..MAX_DEREF {
        match obj {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(o) => obj = o,
                Err(_) => return &NULL,
            },
            _ => return obj,
        }
    }
    &NULL
}

/// The dictionary `obj` is (or a stream's dictionary).
pub(crate) fn dict_of<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, obj) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// The name `obj` is.
pub(crate) fn name_of(doc: &Document, obj: &Object) -> Option<Vec<u8>> {
    match deref(doc, obj) {
        Object::Name(n) => Some(n.clone()),
        _ => None,
    }
}

/// The number `obj` is, if finite.
pub(crate) fn num(doc: &Document, obj: &Object) -> Option<f32> {
    let v = match deref(doc, obj) {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// The decoded content of the stream `obj` is, bounded by [`MAX_AUX_STREAM`].
pub(crate) fn stream_bytes(doc: &Document, obj: &Object) -> Option<Vec<u8>> {
    match deref(doc, obj) {
        Object::Stream(s) => match s.decompressed_content_with_limit(MAX_AUX_STREAM) {
            Ok(b) => Some(b),
            Err(_) if s.dict.get(b"Filter").is_err() && s.content.len() <= MAX_AUX_STREAM => {
                Some(s.content.clone())
            }
            Err(_) => None,
        },
        _ => None,
    }
}

/// Numbers of an array object (`[a b c d]`), if all are numbers.
pub(crate) fn numbers(doc: &Document, obj: &Object) -> Option<Vec<f32>> {
    match deref(doc, obj) {
        Object::Array(a) => a.iter().map(|o| num(doc, o)).collect(),
        _ => None,
    }
}
