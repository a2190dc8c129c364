//! The progress display of a long build on a terminal: the stage, then the
//! pages rendered of the total with an estimate of the time left. Shown
//! only once a build has run for [`SHOW_AFTER`], so a quick build prints
//! nothing more than before; never shown when stderr is not a terminal.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chronicle::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A build shorter than this shows no progress.
const SHOW_AFTER: Duration = Duration::from_millis(1500);

/// indicatif's bar, drawn on stderr once the build has taken
/// [`SHOW_AFTER`].
pub struct Bar {
    bar: ProgressBar,
    started: Instant,
    /// Whether the bar is drawn yet.
    shown: Mutex<bool>,
}

impl Bar {
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(stage_style());
        Bar {
            bar,
            started: Instant::now(),
            shown: Mutex::new(false),
        }
    }

    /// Draws the bar from now on, once the build has run long enough.
    fn show_when_due(&self) {
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        if !*shown && self.started.elapsed() >= SHOW_AFTER {
            *shown = true;
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
    }

    /// Clears the bar, before the summary is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn stage_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn pages_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} pages, {eta} left")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

impl Progress for Bar {
    fn stage(&self, name: &str) {
        self.bar.set_message(name.to_string());
        self.show_when_due();
    }

    fn expect_pages(&self, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
        self.bar.reset_eta();
        self.bar.set_style(pages_style());
        self.show_when_due();
    }

    fn page_done(&self) {
        self.bar.inc(1);
        if self.bar.position().is_multiple_of(64) {
            self.show_when_due();
        }
    }
}
