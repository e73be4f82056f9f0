//! An answer as the form holds it: the question's kind in words, the fixed
//! shuffle its options are shown in, and how picking an item for a slot
//! changes an order or bucket answer.

use scalesim::grade::Question;

/// The kind in a few words, for the legend.
pub fn kind_word(q: &Question) -> &'static str {
    match q {
        Question::Choice(c) if c.multiple => "pick every right option",
        Question::Choice(_) => "pick one",
        Question::Numeric(_) => "a number",
        Question::Order(o) if o.buckets.is_empty() => "put in order",
        Question::Order(_) => "sort into buckets",
        Question::Configure(_) => "configure and run",
        Question::Explain(_) => "explain",
        Question::Drill(_) => "drill",
    }
}

/// A fixed shuffle of `n` items for question `id` (never the identity for
/// n > 1): an FNV hash of the id seeds a Fisher-Yates shuffle.
pub fn display_order(id: &str, n: usize) -> Vec<usize> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        h ^= h << 13;
        h ^= h >> 7;
        h ^= h << 17;
        order.swap(i, (h % (i as u64 + 1)) as usize);
    }
    if n > 1 && order.iter().enumerate().all(|(i, v)| i == *v) {
        order.rotate_left(1);
    }
    order
}

/// Writes `value` at `slot`: in a sequence an item moves to a position (the
/// item there, if any, takes the moved item's old place); a bucket is set.
pub fn place(order: &mut [usize], slot: usize, value: usize, sequence: bool) {
    if slot >= order.len() {
        return;
    }
    if sequence {
        if let Some(from) = order.iter().position(|i| *i == value) {
            order.swap(from, slot);
            return;
        }
    }
    order[slot] = value;
}
