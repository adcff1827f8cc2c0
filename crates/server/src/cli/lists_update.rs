//! `clearance lists update`: brings the lists in the directories into force in the database and runs the
//! list update job here, with a progress bar on a terminal. A server on the same database sees the new
//! version within seconds and takes the lists from its own directories.

use clearance_api::{JobState, JobTrigger};

use crate::cli::ListsUpdateArgs;
use crate::cli::serve::{self, Setup};
use crate::service::list_update;
use crate::store::Durability;

pub fn run(args: &ListsUpdateArgs) -> anyhow::Result<()> {
    let (state, job) = serve::open(&Setup {
        db: &args.db,
        lists: &args.lists,
        data_key_file: &args.data_key_file,
        threshold: args.threshold,
        synchronous: Durability::Full,
        trigger: JobTrigger::Cli,
    })?;
    let version = state.lists.load().version().to_owned();
    let Some(job) = job else {
        eprintln!("lists {version} are in force; no customer needs re-screening");
        return Ok(());
    };
    let bar = indicatif::ProgressBar::new(0);
    let job = list_update::run_here(&state, &job, &|done, of| {
        bar.set_length(of as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    if job.state != JobState::Done {
        anyhow::bail!(
            "the list update job {} ended {}: {}",
            job.id,
            job.state.as_str(),
            job.last_error
                .as_deref()
                .unwrap_or("a newer update took over (a running server took the lists, say)")
        );
    }
    eprintln!(
        "lists {version} in force (job {}): {} entries added, {} removed, {} changed; {} customers \
         re-screened, {} moved to review, {} errors",
        job.id,
        job.delta.added,
        job.delta.removed,
        job.delta.changed,
        job.done,
        job.moved_to_review,
        job.errors,
    );
    Ok(())
}
