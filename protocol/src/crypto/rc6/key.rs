//! The RC6 key schedule for w = 32, r = 20, b = 16 (paper §2.3, "Key
//! schedule"): the 16 key bytes become the 44 round keys S[0..44].

use zeroize::Zeroize;

/// Rounds of RC6-32/20/16.
pub(super) const ROUNDS: usize = 20;
/// Round keys: two per round plus two before and two after the rounds.
pub(super) const ROUND_KEYS: usize = 2 * ROUNDS + 4;
/// Key words: 16 key bytes as little-endian 32-bit words.
const KEY_WORDS: usize = 4;

/// P32 = Odd((e − 2)·2³²), the table's start.
const P32: u32 = 0xb7e1_5163;
/// Q32 = Odd((φ − 1)·2³²), the table's step.
const Q32: u32 = 0x9e37_79b9;

/// The expanded key S[0..44], wiped on drop.
#[derive(Clone)]
pub(super) struct RoundKeys(pub(super) [u32; ROUND_KEYS]);

impl RoundKeys {
    /// Expands a 16-byte key.
    pub(super) fn expand(key: &[u8; 16]) -> Self {
        let mut l = [0u32; KEY_WORDS];
        for (word, bytes) in l.iter_mut().zip(key.chunks_exact(4)) {
            *word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        let mut s = [0u32; ROUND_KEYS];
        let mut next = P32;
        for word in &mut s {
            *word = next;
            next = next.wrapping_add(Q32);
        }
        let (mut a, mut b) = (0u32, 0u32);
        let (mut i, mut j) = (0usize, 0usize);
        for _ in 0..3 * ROUND_KEYS {
            a = s[i].wrapping_add(a).wrapping_add(b).rotate_left(3);
            s[i] = a;
            let ab = a.wrapping_add(b);
            b = l[j].wrapping_add(ab).rotate_left(ab);
            l[j] = b;
            i = (i + 1) % ROUND_KEYS;
            j = (j + 1) % KEY_WORDS;
        }
        l.zeroize();
        a.zeroize();
        b.zeroize();
        RoundKeys(s)
    }
}

impl Drop for RoundKeys {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}
