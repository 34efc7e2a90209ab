//! The binary's administration commands, run as a user would run them (one test binary, a
//! module per group of commands).

mod admin;
mod audit;
mod backup;
mod costs;

use std::process::Command;

fn verbund(args: &[&str], db: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_verbund"))
        .args(args)
        .env("VERBUND_DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("binary runs")
}

fn tmp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("verbund-cli-{}-{name}", std::process::id()))
}

fn remove_all(paths: &[&std::path::Path]) {
    for p in paths {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    }
}

fn sqlite(db: &std::path::Path, sql: &str) {
    let conn = Command::new("python3")
        .args(["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()"])
        .arg(db)
        .arg(sql)
        .output()
        .expect("python3 runs");
    assert!(
        conn.status.success(),
        "{}",
        String::from_utf8_lossy(&conn.stderr)
    );
}
