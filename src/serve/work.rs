//! Database work off the async threads: each blocking thread keeps its own
//! read-only database handle (opening one per request would load the
//! regions each time), every call runs under the request's deadline, and a
//! fixed number run at once so that a flood of slow requests queues rather
//! than starves the machine.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Instant;

use incidents::{Database, Location};
use tokio::sync::Semaphore;

use super::State;
use super::reply::ApiError;

/// Requests that may hold a database handle at once.
const AT_ONCE: usize = 16;

thread_local! {
    static DB: RefCell<Option<Database>> = const { RefCell::new(None) };
}

pub struct Pool {
    slots: Arc<Semaphore>,
}

impl Pool {
    pub fn new() -> Pool {
        Pool {
            slots: Arc::new(Semaphore::new(AT_ONCE)),
        }
    }
}

/// Runs `f` with this thread's database handle, stopping its queries at
/// `deadline`. A handle that failed is dropped, so a lost server
/// connection is opened afresh by the next request.
pub fn with_db<T>(
    location: &Location,
    deadline: Instant,
    f: impl FnOnce(&Database) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    DB.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(Database::open_for_serving(location)?);
        }
        let db = slot.as_ref().expect("opened above");
        db.set_deadline(Some(deadline))?;
        let result = f(db);
        let reset = db.set_deadline(None);
        if matches!(result, Err(ApiError::Failed(_))) || reset.is_err() {
            *slot = None;
        }
        result
    })
    .map_err(|e| match e {
        ApiError::Failed(_) if Instant::now() >= deadline => {
            ApiError::Timeout(0) // the caller names its limit
        }
        other => other,
    })
}

/// Runs `f` on a blocking thread with a database handle and waits for it,
/// at most the server's timeout.
pub async fn run<T: Send + 'static>(
    state: &Arc<State>,
    f: impl FnOnce(&Database) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let secs = state.timeout.as_secs();
    let deadline = Instant::now() + state.timeout;
    let permit = tokio::time::timeout_at(deadline.into(), state.work.slots.clone().acquire_owned())
        .await
        .map_err(|_| ApiError::Timeout(secs))?
        .map_err(|e| ApiError::Failed(e.to_string()))?;
    let location = state.location.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        with_db(&location, deadline, f)
    });
    // The deadline stops the queries; this is the backstop for work that
    // is not a query (drawing, encoding).
    match tokio::time::timeout_at((deadline + state.timeout / 10).into(), task).await {
        Err(_) | Ok(Err(_)) if Instant::now() >= deadline => Err(ApiError::Timeout(secs)),
        Ok(Err(e)) => Err(ApiError::Failed(format!("the request's work failed: {e}"))),
        Err(_) => Err(ApiError::Timeout(secs)),
        Ok(Ok(Err(ApiError::Timeout(_)))) => Err(ApiError::Timeout(secs)),
        Ok(Ok(r)) => r,
    }
}

/// How a streamed answer tells its handler that it starts (or failed
/// before it started): the first word counts, later ones are ignored.
#[derive(Clone)]
pub struct Ready(Arc<std::sync::Mutex<Option<Starts>>>);

/// Where a streamed answer's first word goes.
type Starts = tokio::sync::oneshot::Sender<Result<(), ApiError>>;

impl Ready {
    /// Sends the answer's start or its error; false when one was sent before.
    pub fn send(&self, r: Result<(), ApiError>) -> bool {
        let sender = self.0.lock().ok().and_then(|mut s| s.take());
        match sender {
            Some(tx) => {
                let _ = tx.send(r);
                true
            }
            None => false,
        }
    }
}

/// Like [`run`] for a streamed answer: `f` gets the handle and runs on
/// past the return of this call; the first word it sends through
/// [`Ready`] (an error, or that the stream starts) is returned.
pub async fn start<F>(state: &Arc<State>, f: F) -> Result<(), ApiError>
where
    F: FnOnce(&Database, Ready) -> Result<(), ApiError> + Send + 'static,
{
    let secs = state.timeout.as_secs();
    let deadline = Instant::now() + state.timeout;
    let permit = tokio::time::timeout_at(deadline.into(), state.work.slots.clone().acquire_owned())
        .await
        .map_err(|_| ApiError::Timeout(secs))?
        .map_err(|e| ApiError::Failed(e.to_string()))?;
    let location = state.location.clone();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let ready = Ready(Arc::new(std::sync::Mutex::new(Some(tx))));
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let result = with_db(&location, deadline, |db| f(db, ready.clone()));
        // An error before the stream started is the answer.
        if let Err(e) = result {
            ready.send(Err(e));
        }
    });
    match tokio::time::timeout_at(deadline.into(), rx).await {
        Ok(Ok(Err(ApiError::Timeout(_)))) | Err(_) => Err(ApiError::Timeout(secs)),
        Ok(Ok(r)) => r,
        Ok(Err(_)) => Err(ApiError::Failed("the request's work stopped".into())),
    }
}
