//! `verbund serve`: the web server until Ctrl-C or SIGTERM.

use anyhow::Context;
use verbund_store::Store;
use verbund_web::{AppState, WebConfig};

use crate::config::Config;

pub async fn serve(store: Store, cfg: &Config) -> anyhow::Result<()> {
    let web = WebConfig {
        base_url: cfg.base_url.clone(),
        trust_proxy: cfg.trust_proxy,
        metrics_token: cfg.metrics_token.clone(),
        ..WebConfig::default()
    };
    // Without a token nobody may read the metrics, so none are recorded.
    let record = web.metrics_token.is_some();
    let mut state = AppState::new(store, web);
    if record {
        state.metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
            .install_recorder()
            .ok();
    }
    crate::mail::start_runner(state.app.clone(), cfg.smtp.resolve()?, &cfg.base_url);
    let app = verbund_web::app(state);
    let listener = tokio::net::TcpListener::bind(&cfg.bind)
        .await
        .with_context(|| format!("binding {}", cfg.bind))?;
    tracing::info!(addr = %cfg.bind, url = %cfg.base_url, "listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Ends on Ctrl-C or SIGTERM; in-flight requests are finished first.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
