//! The `clearance` command: screens files of names, measures quality, and serves the API and console.

use anyhow::Context;
use clap::Parser;
use clearance_server::app;
use clearance_server::cli::{self, Cli, ServeArgs};
use clearance_server::listener;

/// mimalloc rather than the system allocator: a request allocates and frees many small buffers (JSON,
/// SQL rows, screening candidates) on several threads, where glibc's allocator took about 7% of the
/// server's CPU under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    cli::run(Cli::parse().command, serve)
}

/// Prepares the state (lists, store), starts the list update job the lists call for, then serves the API
/// and the console on one port.
fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let (state, job) = cli::serve::prepare(&args)?;
    let state = std::sync::Arc::new(state);
    cli::serve::start_background(&state, job);
    let console = args
        .console
        .join("index.html")
        .is_file()
        .then_some(args.console.as_path());
    if console.is_none() {
        tracing::warn!(dir = %args.console.display(), "no built console there; serving the API only");
    }
    if !args.widget.join("clearance_widget_bg.wasm").is_file() {
        tracing::warn!(dir = %args.widget.display(), "no widget build there; the widget's frame will not start");
    }
    let router = app::router(std::sync::Arc::clone(&state), console, &args.widget);

    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("binding {}", args.addr))?;
        // Tests and `make run` read this line to learn the port; keep its shape.
        println!("Clearance listening on http://{}", listener.local_addr()?);
        listener::serve(listener, router, args.limits(), async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await?;
        // A job stopped here resumes at the next start.
        state.jobs.stop();
        Ok::<_, anyhow::Error>(())
    })
}
