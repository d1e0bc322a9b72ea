//! The disclosure column (migration 0009), run on both backends by `main.rs`.

use gongkai_cases::Register;
use gongkai_cases::registers::{Category, ProactiveItem, PublishChannel, Validity};
use gongkai_store::{ColumnQuery, Guide, ImportMode, RegisterImport, RegisterSheet, StoreError};
use jiff::civil::{Date, date};

use crate::stories::{county, ctx};
use crate::support::Fresh;

/// An item reviewed and published on `on`, with the catalogue's fields.
pub fn public_item(id: &str, title: &str, on: Date, subject: &str) -> ProactiveItem {
    let created = on.checked_sub(jiff::Span::new().days(3)).expect("date");
    let item = ProactiveItem {
        subject: Some(subject.into()),
        number: Some(format!("示发〔{}〕1号", on.year())),
        validity: Some(Validity::InForce),
        text: Some(format!("{title}的正文。")),
        ..ProactiveItem::new(id, title, Category::Art20(1), created)
    };
    item.reviewed(created, "保密审查员")
        .and_then(|i| i.publish(on, PublishChannel::Portal))
        .expect("reviewed, then published")
}

fn import(items: Vec<ProactiveItem>) -> RegisterImport {
    let mut register = Register::new("县政府办公室");
    register.proactive = items;
    RegisterImport::new(ImportMode::Replace, vec![RegisterSheet::Proactive], register, vec![])
}

fn q(text: &str) -> ColumnQuery {
    ColumnQuery { q: text.into(), ..ColumnQuery::default() }
}

/// Only reviewed and published items are in the column; the 索引号 serials are given once and
/// kept; search finds a two-character word; browsing by year and 主题分类 pages.
pub async fn the_column_shows_only_public_items(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, b) = county(store).await;
    let c = ctx(None);
    let unreviewed =
        ProactiveItem::new("ZD-9", "未审查的内部预算草稿", Category::Art20(1), date(2024, 5, 6));
    let reviewed_only =
        ProactiveItem::new("ZD-8", "已审未发的预算说明", Category::Art20(1), date(2024, 5, 6))
            .reviewed(date(2024, 5, 7), "审查员")
            .expect("reviewed");
    let items = vec![
        public_item("ZD-1", "2024年部门预算公开", date(2024, 3, 1), "财政预决算"),
        unreviewed.clone(),
        public_item("ZD-2", "关于做好2024年招生工作的通知", date(2024, 6, 3), "教育"),
        reviewed_only,
        public_item("ZD-3", "2023年部门决算公开", date(2023, 8, 1), "财政预决算"),
    ];
    store.import_register(&c, a.id, &import(items.clone())).await.expect("import");

    let all = store.column(a.id, &ColumnQuery::default()).await.expect("column");
    let keys: Vec<&str> = all.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["ZD-2", "ZD-1", "ZD-3"], "newest first, only public items");
    assert_eq!(all.total, 3);
    assert_eq!(all.years, [(2024, 2), (2023, 1)]);
    assert_eq!(all.subjects, [("教育".to_owned(), 1), ("财政预决算".to_owned(), 2)]);
    let code = format!("GK330106{:06}", a.id.0);
    let index: Vec<&str> = all.items.iter().map(|i| i.index_no.as_str()).collect();
    assert_eq!(
        index,
        [format!("{code}/2024-00002"), format!("{code}/2024-00001"), format!("{code}/2023-00001")]
    );
    for hidden in ["ZD-8", "ZD-9"] {
        assert_eq!(store.column_item(a.id, hidden).await.expect("item"), None, "{hidden}");
    }
    assert_eq!(store.column_item(b.id, "ZD-1").await.expect("item"), None, "another agency's");

    // Search: a two-character query finds the title; tokens of hidden items find nothing.
    let found = store.column(a.id, &q("预算")).await.expect("search");
    assert_eq!(found.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["ZD-1"]);
    let wide = store.column(a.id, &q("２０２３ 决算")).await.expect("search");
    assert_eq!(wide.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["ZD-3"]);
    assert_eq!(store.column(a.id, &q("草稿")).await.expect("search").total, 0);
    assert_eq!(store.column(a.id, &q("说明")).await.expect("search").total, 0);
    assert_eq!(store.column(a.id, &q("正文")).await.expect("search").total, 3, "full text");
    assert_eq!(store.column(a.id, &q("\"' OR 1=1 --")).await.expect("hostile").total, 0);
    assert_eq!(store.column(a.id, &q("！")).await.expect("nothing to search").total, 3);

    // Browse by year and subject; pages.
    let y2024 = ColumnQuery { year: Some(2024), ..ColumnQuery::default() };
    assert_eq!(store.column(a.id, &y2024).await.expect("year").total, 2);
    let fin = ColumnQuery {
        subject: Some("财政预决算".into()),
        year: Some(2023),
        ..ColumnQuery::default()
    };
    let fin = store.column(a.id, &fin).await.expect("subject");
    assert_eq!(fin.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["ZD-3"]);
    let page2 = ColumnQuery { page: 2, per_page: 2, ..ColumnQuery::default() };
    let page2 = store.column(a.id, &page2).await.expect("page 2");
    assert_eq!((page2.total, page2.items.len()), (3, 1));

    // Publishing the reviewed item and re-importing: it gets the next serial, the others keep theirs.
    let mut again = items;
    again[3] = again[3].clone().publish(date(2024, 7, 1), PublishChannel::Wechat).expect("publish");
    again.remove(0);
    store.import_register(&c, a.id, &import(again.clone())).await.expect("re-import");
    let item = store.column_item(a.id, "ZD-8").await.expect("item").expect("now public");
    assert_eq!(item.index_no, format!("{code}/2024-00003"));
    assert_eq!(store.column_item(a.id, "ZD-1").await.expect("item"), None, "left the register");
    let two = store.column_item(a.id, "ZD-2").await.expect("item").expect("still public");
    assert_eq!(two.index_no, format!("{code}/2024-00002"));

    // The guide's code replaces the derived one.
    let guide = Guide {
        code: "11330100002493123X".into(),
        phone: "0571-1234567".into(),
        ..Guide::default()
    };
    store.save_guide(&c, a.id, &guide).await.expect("guide");
    assert_eq!(store.guide(a.id).await.expect("guide"), guide);
    let two = store.column_item(a.id, "ZD-2").await.expect("item").expect("public");
    assert_eq!(two.index_no, "11330100002493123X/2024-00002");
    let bad = Guide { website: "javascript:alert(1)".into(), ..Guide::default() };
    assert!(matches!(store.save_guide(&c, a.id, &bad).await, Err(StoreError::Invalid(_))));
    assert_eq!(store.guide(b.id).await.expect("empty guide"), Guide::default());

    // Attachments: stored once per content, shown only while the item is public.
    let pdf = b"%PDF-1.4 attachment";
    let att = store
        .attach(&c, a.id, "ZD-2", ("通知.pdf", "application/pdf", pdf), 1024)
        .await
        .expect("attach");
    assert_eq!((att.file_name.as_str(), att.size), ("通知.pdf", pdf.len() as u64));
    let (got, bytes) = store.column_attachment(a.id, "ZD-2").await.expect("read").expect("public");
    assert_eq!((got, bytes.as_slice()), (att, pdf.as_slice()));
    store
        .attach(&c, a.id, "ZD-9", ("草稿.pdf", "application/pdf", b"secret"), 1024)
        .await
        .expect("an unpublished item may have one");
    assert_eq!(store.column_attachment(a.id, "ZD-9").await.expect("read"), None);
    assert!(matches!(
        store.attach(&c, a.id, "ZD-404", ("x.pdf", "application/pdf", b"x"), 1024).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.attach(&c, a.id, "ZD-2", ("x.pdf", "application/pdf", &[0; 2000]), 1024).await,
        Err(StoreError::TooLarge { .. })
    ));
    let listed = store.column(a.id, &ColumnQuery::default()).await.expect("column");
    let with: Vec<bool> = listed.items.iter().map(|i| i.attachment.is_some()).collect();
    assert_eq!(with, [false, true, false], "ZD-8, ZD-2, ZD-3: {listed:?}");
}
