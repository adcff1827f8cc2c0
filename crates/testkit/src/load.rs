//! Driving a server with many requests at once, as the benchmarks load it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `call(i)` for every `i` below `count`, `workers` at a time, each worker taking the next `i` as it
/// finishes one.
pub async fn in_flight<F, Fut>(workers: usize, count: usize, call: F)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let call = Arc::new(call);
    let next = Arc::new(AtomicUsize::new(0));
    let running: Vec<_> = (0..workers)
        .map(|_| {
            let (call, next) = (Arc::clone(&call), Arc::clone(&next));
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return;
                    }
                    call(i).await;
                }
            })
        })
        .collect();
    for worker in running {
        worker.await.expect("a load worker");
    }
}
