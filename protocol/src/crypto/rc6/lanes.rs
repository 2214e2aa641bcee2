//! The RC6 rounds on N independent blocks at once.
//!
//! The blocks are held word by word — `a[j]` is word A of block `j` — and
//! every step is a loop over the N lanes of fixed-size arrays. Interleaving
//! independent blocks lets one block's multiply and rotates run while
//! another's wait, and the same loops become vector code (`vpmulld`,
//! `vprolvd` or `vpsllvd`/`vpsrlvd`) when the caller is compiled with SIMD
//! target features. Every function here is `#[inline(always)]` so it is
//! compiled inside that caller, with its features.
//!
//! With N = 1 this is plain single-block RC6.

use super::Block;
use super::key::{ROUND_KEYS, ROUNDS, RoundKeys};

/// Round keys for four rounds: (S[2i], S[2i+1]) for each.
const KEYS_PER_4_ROUNDS: usize = 8;

/// f(x) = x(2x + 1) <<< lg w, the quadratic that drives the rotations.
#[inline(always)]
fn f(x: u32) -> u32 {
    x.wrapping_mul(x.wrapping_mul(2).wrapping_add(1))
        .rotate_left(5)
}

/// One round on every lane: A = ((A ⊕ t) <<< u) + S[2i], C = ((C ⊕ u) <<< t)
/// + S[2i+1], with t = f(B), u = f(D). The caller rotates the roles.
#[inline(always)]
fn round<const N: usize>(
    a: &mut [u32; N],
    b: &[u32; N],
    c: &mut [u32; N],
    d: &[u32; N],
    k: (u32, u32),
) {
    for (((a, &b), c), &d) in a.iter_mut().zip(b).zip(c.iter_mut()).zip(d) {
        let t = f(b);
        let u = f(d);
        *a = (*a ^ t).rotate_left(u).wrapping_add(k.0);
        *c = (*c ^ u).rotate_left(t).wrapping_add(k.1);
    }
}

/// [`round`] undone: A = ((A − S[2i]) >>> u) ⊕ t, C = ((C − S[2i+1]) >>> t) ⊕ u.
#[inline(always)]
fn unround<const N: usize>(
    a: &mut [u32; N],
    b: &[u32; N],
    c: &mut [u32; N],
    d: &[u32; N],
    k: (u32, u32),
) {
    for (((a, &b), c), &d) in a.iter_mut().zip(b).zip(c.iter_mut()).zip(d) {
        let t = f(b);
        let u = f(d);
        *a = a.wrapping_sub(k.0).rotate_right(u) ^ t;
        *c = c.wrapping_sub(k.1).rotate_right(t) ^ u;
    }
}

/// Adds `k` to every lane.
#[inline(always)]
fn add<const N: usize>(x: &mut [u32; N], k: u32) {
    for x in x {
        *x = x.wrapping_add(k);
    }
}

/// Subtracts `k` from every lane.
#[inline(always)]
fn sub<const N: usize>(x: &mut [u32; N], k: u32) {
    for x in x {
        *x = x.wrapping_sub(k);
    }
}

/// Splits N blocks into their four little-endian words, word-major.
#[inline(always)]
fn load<const N: usize>(blocks: &[Block; N]) -> [[u32; N]; 4] {
    let mut words = [[0u32; N]; 4];
    for (j, block) in blocks.iter().enumerate() {
        for (k, bytes) in block.chunks_exact(4).enumerate() {
            words[k][j] = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
    }
    words
}

/// [`load`] undone.
#[inline(always)]
fn store<const N: usize>(blocks: &mut [Block; N], words: &[[u32; N]; 4]) {
    for (j, block) in blocks.iter_mut().enumerate() {
        for (k, bytes) in block.chunks_exact_mut(4).enumerate() {
            bytes.copy_from_slice(&words[k][j].to_le_bytes());
        }
    }
}

/// Encrypts N blocks in place.
#[inline(always)]
pub(super) fn encrypt<const N: usize>(keys: &RoundKeys, blocks: &mut [Block; N]) {
    let s = &keys.0;
    let [mut a, mut b, mut c, mut d] = load(blocks);
    add(&mut b, s[0]);
    add(&mut d, s[1]);
    // Four rounds per step, so the roles of A, B, C, D come back around
    // instead of the words being moved.
    for k in s[2..ROUND_KEYS - 2].chunks_exact(KEYS_PER_4_ROUNDS) {
        round(&mut a, &b, &mut c, &d, (k[0], k[1]));
        round(&mut b, &c, &mut d, &a, (k[2], k[3]));
        round(&mut c, &d, &mut a, &b, (k[4], k[5]));
        round(&mut d, &a, &mut b, &c, (k[6], k[7]));
    }
    add(&mut a, s[2 * ROUNDS + 2]);
    add(&mut c, s[2 * ROUNDS + 3]);
    store(blocks, &[a, b, c, d]);
}

/// Decrypts N blocks in place.
#[inline(always)]
pub(super) fn decrypt<const N: usize>(keys: &RoundKeys, blocks: &mut [Block; N]) {
    let s = &keys.0;
    let [mut a, mut b, mut c, mut d] = load(blocks);
    sub(&mut c, s[2 * ROUNDS + 3]);
    sub(&mut a, s[2 * ROUNDS + 2]);
    for k in s[2..ROUND_KEYS - 2].chunks_exact(KEYS_PER_4_ROUNDS).rev() {
        unround(&mut d, &a, &mut b, &c, (k[6], k[7]));
        unround(&mut c, &d, &mut a, &b, (k[4], k[5]));
        unround(&mut b, &c, &mut d, &a, (k[2], k[3]));
        unround(&mut a, &b, &mut c, &d, (k[0], k[1]));
    }
    sub(&mut d, s[1]);
    sub(&mut b, s[0]);
    store(blocks, &[a, b, c, d]);
}
