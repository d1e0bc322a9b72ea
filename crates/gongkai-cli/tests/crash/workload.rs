//! The clients of the crash harness: what they send, and the ledger of what was sent and what
//! was acknowledged (a 2xx or a redirect received before the kill).

use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::http::{self, Answer, Request};
use crate::server::Server;

/// What the harness knows of the demo county and its two signed-in users.
pub struct Session {
    /// `demo-agency` (clerk and approver of the agency).
    pub agency_token: String,
    /// `demo-office` (office reviewer).
    pub office_token: String,
    pub agency: i64,
    pub office: i64,
    /// A published report as Markdown, the base of every collected upload.
    pub base_md: String,
    /// The fingerprint of a finding of the office's collected documents, to review.
    pub fingerprint: String,
}

/// One register import: its sequence number (its register numbers are `CR-{seq}-{k}`), rows.
#[derive(Clone, Debug)]
pub struct Import {
    pub seq: u64,
    pub rows: usize,
    pub acknowledged: bool,
}

/// What an acknowledged upload answered.
#[derive(Clone, Debug)]
pub enum Uploaded {
    /// Read before the answer (200): the documents read (`done`).
    Read(Vec<i64>),
    /// Accepted (202): the batch of read jobs.
    Queued(i64),
}

/// Everything sent, and what was acknowledged.
#[derive(Debug, Default)]
pub struct Ledger {
    pub next_seq: u64,
    pub imports: Vec<Import>,
    /// Versions of the agency's report for [`YEAR`] acknowledged.
    pub published: Vec<i64>,
    pub uploads: Vec<Uploaded>,
    /// Notes of acknowledged review decisions.
    pub reviews: Vec<String>,
    /// Answers no client should get from a live server (5xx, refusals).
    pub unexpected: Vec<String>,
    /// Requests sent, requests cut short by a kill.
    pub sent: u64,
    pub cut: u64,
}

impl Ledger {
    pub fn summary(&self) -> String {
        format!(
            "{} requests sent, {} cut short by a kill; acknowledged: {} imports ({} sent), {} \
             publications, {} uploads, {} review decisions",
            self.sent,
            self.cut,
            self.imports.iter().filter(|i| i.acknowledged).count(),
            self.imports.len(),
            self.published.len(),
            self.uploads.len(),
            self.reviews.len()
        )
    }
}

/// The year published again and again (its draft is seeded by the demo).
pub const YEAR: i16 = 2025;

fn expect_ok(answer: std::io::Result<Answer>, what: &str) -> Answer {
    match answer {
        Ok(a) if a.acknowledged() => a,
        Ok(a) => panic!("{what}: {} {}", a.status, a.text()),
        Err(e) => panic!("{what}: {e}"),
    }
}

impl Session {
    /// Signs the demo users in and finds the agency and office.
    pub fn open(addr: SocketAddr, password: &str) -> Session {
        let login = |user: &str| {
            let body = serde_json::json!({ "username": user, "password": password }).to_string();
            let a = expect_ok(
                http::send(addr, &Request::post("/api/v1/login", "application/json", body.into())),
                "login",
            );
            let v: serde_json::Value = serde_json::from_slice(&a.body).expect("JSON");
            v["token"].as_str().expect("a token").to_owned()
        };
        let agency_token = login("demo-agency");
        let office_token = login("demo-office");
        let a = expect_ok(http::send(addr, &Request::get("/api/v1/agencies")), "agencies");
        let list: serde_json::Value = serde_json::from_slice(&a.body).expect("JSON");
        let found = list
            .as_array()
            .expect("a list")
            .iter()
            .find(|o| o["name"] == gongkai_server::demo::AGENCY)
            .expect("the demo agency");
        let agency = found["id"].as_i64().expect("id");
        let office = found["office_id"].as_i64().expect("office id");
        let path = format!("/api/v1/agencies/{agency}/reports/{}/download?format=md", YEAR - 1);
        let base_md = expect_ok(http::send(addr, &Request::get(&path)), "report").text();
        Session { agency_token, office_token, agency, office, base_md, fingerprint: String::new() }
    }

    /// Before the first kill: publishes the first version (later ones are corrections with a
    /// reason), uploads one document and picks a finding to review.
    pub fn prepare(&mut self, addr: SocketAddr, ledger: &mut Ledger) {
        let a = expect_ok(self.publish(addr, None), "first publication");
        ledger.published.push(version_of(&a).expect("a version"));
        let a = expect_ok(self.upload(addr, 0), "first upload");
        ledger.uploads.push(uploaded(&a).expect("an upload answer"));
        let path = format!("/api/v1/offices/{}/findings", self.office);
        let a = expect_ok(http::send(addr, &Request::get(&path).bearer(&self.office_token)), "f");
        let list: serde_json::Value = serde_json::from_slice(&a.body).expect("JSON");
        self.fingerprint = list[0]["fingerprint"].as_str().expect("a finding").to_owned();
    }

    fn publish(&self, addr: SocketAddr, seq: Option<u64>) -> std::io::Result<Answer> {
        let path = format!("/agencies/{}/reports/publish", self.agency);
        let body = match seq {
            Some(seq) => format!("year={YEAR}&reason=crash+harness+correction+{seq}"),
            None => format!("year={YEAR}"),
        };
        let request = Request::post(&path, "application/x-www-form-urlencoded", body.into())
            .bearer(&self.agency_token);
        http::send(addr, &request)
    }

    /// Publishes a correction of [`YEAR`]: the version, when acknowledged.
    pub fn publish_correction(&self, addr: SocketAddr, seq: u64) -> Option<i64> {
        self.publish(addr, Some(seq)).ok().filter(Answer::acknowledged).and_then(|a| version_of(&a))
    }

    /// A publication of a correction, as answered.
    pub fn publish_answer(&self, addr: SocketAddr, seq: u64) -> std::io::Result<Answer> {
        self.publish(addr, Some(seq))
    }

    /// A review decision (dismissed, with `note`), as answered.
    pub fn review_answer(&self, addr: SocketAddr, note: &str) -> std::io::Result<Answer> {
        self.review(addr, note, false)
    }

    fn import(&self, addr: SocketAddr, seq: u64, rows: usize) -> std::io::Result<Answer> {
        let csv = import_csv(seq, rows);
        let (content_type, body) =
            http::multipart(&[("mode", "append")], &[("file", "applications.csv", &csv)]);
        let path = format!("/agencies/{}/registers/import", self.agency);
        http::send(addr, &Request::post(&path, &content_type, body).bearer(&self.agency_token))
    }

    fn upload(&self, addr: SocketAddr, seq: u64) -> std::io::Result<Answer> {
        let md = format!("{}\n注：崩溃测试上传 {seq}\n", self.base_md);
        let name = format!("crash-{seq}.md");
        let (content_type, body) = http::multipart(&[], &[("file", &name, md.as_bytes())]);
        let path = format!("/api/v1/offices/{}/documents", self.office);
        http::send(addr, &Request::post(&path, &content_type, body).bearer(&self.office_token))
    }

    fn review(&self, addr: SocketAddr, note: &str, confirm: bool) -> std::io::Result<Answer> {
        let decision = if confirm { "confirmed" } else { "dismissed" };
        let body = serde_json::json!({ "office": self.office, "decision": decision, "note": note });
        let path = format!("/api/v1/findings/{}/review", self.fingerprint);
        let request = Request::post(&path, "application/json", body.to_string().into())
            .bearer(&self.office_token);
        http::send(addr, &request)
    }
}

/// An applications sheet of `rows` closed applications received in November 2026 (after every
/// locked year), register numbers `CR-{seq}-{k}`.
pub fn import_csv(seq: u64, rows: usize) -> Vec<u8> {
    let mut csv = String::from(
        "登记编号*,申请人类型*,申请人编号,申请人姓名或名称,联系方式,提交方式*,到达日期*,确认日期,\
         申请内容,补正告知日期,补正期限,补正收到日期,延期批准日期,延期批准人,延期工作日数,\
         延期告知日期,征求意见对象类型,征求意见对象,征求意见日期,意见答复日期,答复意见,\
         收费通知日期,收费金额（元）,收费方式,缴费日期,要求说明理由日期,认可理由日期,\
         延迟答复期限,办结日期,办理结果\n",
    );
    for k in 0..rows {
        csv.push_str(&format!(
            "CR-{seq}-{k},自然人,A9{seq},,,互联网,2026-11-02,2026-11-02,申请公开崩溃测试相关政府信息,\
             ,,,,,,,,,,,,,,,,,,,2026-11-10,部分公开\n"
        ));
    }
    csv.into_bytes()
}

/// The version a publication redirected to (`…?version=N`).
fn version_of(a: &Answer) -> Option<i64> {
    a.header("location")?.rsplit_once("version=")?.1.parse().ok()
}

fn uploaded(a: &Answer) -> Option<Uploaded> {
    let v: serde_json::Value = serde_json::from_slice(&a.body).ok()?;
    if a.status == 202 {
        return v["job"].as_i64().map(Uploaded::Queued);
    }
    let read = v
        .as_array()?
        .iter()
        .filter(|f| f["status"] == "done")
        .filter_map(|f| f["document_id"].as_i64())
        .collect();
    Some(Uploaded::Read(read))
}

/// The four clients, each sending one request after another until the server is killed after
/// `delay`; what each was acknowledged goes to the ledger.
pub fn run_until_killed(server: Server, session: &Session, ledger: &mut Ledger, delay: Duration) {
    let addr = server.addr;
    let stop = AtomicBool::new(false);
    let seq = AtomicU64::new(ledger.next_seq);
    let shared = Mutex::new(std::mem::take(ledger));
    std::thread::scope(|s| {
        let client = |kind: usize| {
            let (stop, seq, shared) = (&stop, &seq, &shared);
            move || {
                let mut n = 0u64;
                while !stop.load(Ordering::SeqCst) {
                    let seq = seq.fetch_add(1, Ordering::SeqCst);
                    let rows = usize::try_from(seq % 7 + 1).unwrap_or(1);
                    if kind == 0 {
                        shared.lock().unwrap().imports.push(Import {
                            seq,
                            rows,
                            acknowledged: false,
                        });
                    }
                    let note = format!("crash-review-{seq}");
                    let answer = match kind {
                        0 => session.import(addr, seq, rows),
                        1 => session.publish(addr, Some(seq)),
                        2 => session.upload(addr, seq),
                        _ => session.review(addr, &note, n.is_multiple_of(2)),
                    };
                    n += 1;
                    let mut l = shared.lock().unwrap();
                    l.sent += 1;
                    let a = match answer {
                        Ok(a) => a,
                        Err(e) => {
                            l.cut += 1;
                            if !stop.load(Ordering::SeqCst) {
                                l.unexpected.push(format!("client {kind}: {e} while serving"));
                                drop(l);
                                std::thread::sleep(Duration::from_millis(50));
                            }
                            continue;
                        }
                    };
                    let done = match kind {
                        0 if a.acknowledged() && a.text().contains("已导入") => {
                            if let Some(i) = l.imports.iter_mut().find(|i| i.seq == seq) {
                                i.acknowledged = true;
                            }
                            true
                        }
                        1 => version_of(&a).map(|v| l.published.push(v)).is_some(),
                        2 if a.acknowledged() => uploaded(&a).map(|u| l.uploads.push(u)).is_some(),
                        3 if a.acknowledged() => {
                            l.reviews.push(note);
                            true
                        }
                        _ => false,
                    };
                    if !done {
                        let text = a.text();
                        let head = text.chars().take(300).collect::<String>();
                        l.unexpected.push(format!("client {kind}: {} {head}", a.status));
                    }
                }
            }
        };
        let handles: Vec<_> = (0..4).map(|k| s.spawn(client(k))).collect();
        std::thread::sleep(delay);
        stop.store(true, Ordering::SeqCst);
        server.kill();
        for h in handles {
            h.join().expect("a client");
        }
    });
    *ledger = shared.into_inner().unwrap();
    ledger.next_seq = seq.into_inner();
}
