//! Hostile answer imports: a real export whose sheet is padded with 200 MB of whitespace
//! (a decompression bomb of about 200 KB) is refused through the API and the page within a
//! second, changes nothing, and costs the server little memory.

use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};

use super::{own_assessment, start_all};
use crate::both;
use crate::helpers::{Backend, TestApp};

const MIB: usize = 1024 * 1024;

/// The workbook with `padding` spaces before the end of its answer sheet's data, written in
/// 1 MiB pieces (the bomb is never in memory unpacked).
fn padded(xlsx: &[u8], padding: usize) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        out.start_file(name.as_str(), opts).unwrap();
        match text.split_once("</sheetData>") {
            Some((data, rest)) if name == "xl/worksheets/sheet1.xml" => {
                out.write_all(data.as_bytes()).unwrap();
                let spaces = vec![b' '; MIB];
                for _ in 0..padding / MIB {
                    out.write_all(&spaces).unwrap();
                }
                out.write_all(b"</sheetData>").unwrap();
                out.write_all(rest.as_bytes()).unwrap();
            }
            _ => out.write_all(text.as_bytes()).unwrap(),
        }
    }
    out.finish().unwrap().into_inner()
}

/// The coordinator's token, its assessment and a bomb made from the assessment's export.
async fn bomb(app: &TestApp) -> (String, i64, Vec<u8>) {
    let isb = app.token("isb@verbund.example").await;
    start_all(app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(app, &coord).await;
    let (status, _, xlsx) = app
        .api_file(&format!("/assessments/{id}/export"), &coord)
        .await;
    assert_eq!(status, StatusCode::OK);
    let bomb = padded(&xlsx, 200 * MIB);
    assert!(bomb.len() < MIB, "the bomb is {} bytes", bomb.len());
    (coord, id, bomb)
}

async fn a_decompression_bomb_is_refused_quickly_and_changes_nothing(app: TestApp) {
    let (coord, id, bomb) = bomb(&app).await;
    let (_, before) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;

    let started = Instant::now();
    let (status, body) = app
        .api_upload(&format!("/assessments/{id}/import"), &coord, bomb.clone())
        .await;
    let took = started.elapsed();

    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(took < Duration::from_secs(1), "the API took {took:?}");
    assert_eq!(body["error"]["code"], "error-import-too-large");
    assert_eq!(
        body["error"]["message"],
        "Die Datei überschreitet eine Grenze für Importe und wurde nicht übernommen; es wurde \
         nichts geändert."
    );
    assert_eq!(
        body["error"]["detail"],
        "Der Teil „xl/worksheets/sheet1.xml“ der Datei ist entpackt größer als 64 MB (Grenze \
         für Uploads)."
    );

    let mut page = app.login("koordination@nauheim.example").await;
    let started = Instant::now();
    let (status, html) = page
        .post_file(
            &app,
            &format!("/assessments/{id}/import"),
            "bewertung.xlsx",
            &bomb,
            &[],
        )
        .await;
    let took = started.elapsed();

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(took < Duration::from_secs(1), "the page took {took:?}");
    assert!(
        html.contains("Die Datei überschreitet eine Grenze für Importe")
            && html.contains("ist entpackt größer als 64 MB"),
        "{html}"
    );
    let (_, after) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert_eq!(after, before, "nothing changed");
}

both!(a_decompression_bomb_is_refused_quickly_and_changes_nothing);

/// A figure of `/proc/self/status` in KiB, e.g. `VmHWM` (peak resident memory).
fn status_kib(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {key} in /proc/self/status"))
}

/// The measurement itself; only meaningful alone in its process, see below.
async fn measure_bomb_memory() {
    let app = TestApp::new(Backend::Sqlite).await;
    let (coord, id, bomb) = bomb(&app).await;
    // Start the peak afresh (Linux: writing 5 to clear_refs resets VmHWM to VmRSS).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let idle = status_kib("VmHWM");

    let started = Instant::now();
    let (status, _) = app
        .api_upload(&format!("/assessments/{id}/import"), &coord, bomb)
        .await;
    let took = started.elapsed();

    let growth = status_kib("VmHWM").saturating_sub(idle);
    println!(
        "BOMB status={} took_ms={} rss_before_kib={idle} peak_growth_kib={growth}",
        status.as_u16(),
        took.as_millis()
    );
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(growth < 100 * 1024, "peak memory grew by {growth} KiB");
}

/// Peak memory is per process and the other tests run beside this one, so the test runs
/// itself again in a process of its own (`VERBUND_MEASURE_BOMB=1`) and checks that run.
#[test]
fn a_decompression_bomb_costs_the_server_less_than_100_mb() {
    if std::env::var_os("VERBUND_MEASURE_BOMB").is_some() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(measure_bomb_memory());
        return;
    }
    // Test names are module paths without the crate's own name.
    let module = module_path!().split_once("::").unwrap().1;
    let name = format!("{module}::a_decompression_bomb_costs_the_server_less_than_100_mb");
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env("VERBUND_MEASURE_BOMB", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // libtest prints the test's name on the same line before its output.
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("BOMB ").map(|(_, figures)| figures))
        .unwrap_or("");
    println!("bomb through the API: {line}");
    assert!(
        out.status.success() && !line.is_empty(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
