//! A failure reason as the page words it: the engine's own words, except that load
//! shedding names the priorities it refused ("shed (priority 1)"), so a learner sees
//! which classes went first.

use scalesim::sim::failure::FailureReason;
use scalesim::sim::snapshot::ClassRefusals;
use std::borrow::Cow;

/// The words of `reason` with this tick's per-class refusals `refusals`
/// ([`class_refusals`](scalesim::sim::snapshot::class_refusals)): "shed (priority 1)"
/// when one priority was shed, "shed (priority 1–2)" for several; otherwise
/// [`FailureReason::words`].
pub fn reason_words(reason: FailureReason, refusals: &[ClassRefusals]) -> Cow<'static, str> {
    if reason != FailureReason::Shed {
        return Cow::Borrowed(reason.words());
    }
    let shed = refusals.iter().filter(|c| c.shed_rps >= 0.05);
    let (lo, hi) = shed.fold((u8::MAX, 0), |(lo, hi), c| {
        (lo.min(c.priority), hi.max(c.priority))
    });
    match (lo, hi) {
        (u8::MAX, _) => Cow::Borrowed(reason.words()),
        (lo, hi) if lo == hi => Cow::Owned(format!("shed (priority {lo})")),
        (lo, hi) => Cow::Owned(format!("shed (priority {lo}\u{2013}{hi})")),
    }
}
