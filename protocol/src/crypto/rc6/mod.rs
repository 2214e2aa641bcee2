//! RC6-32/20/16 — 32-bit words, 20 rounds, 16-byte key — behind the
//! RustCrypto `cipher` traits, encrypting many blocks at once.
//!
//! The algorithm is R. Rivest, M. Robshaw, R. Sidney, Y. L. Yin, "The RC6
//! Block Cipher", v1.1 (1998); the tests check the paper's appendix vectors
//! for b = 16 and compare every backend with RustCrypto's `rc6` crate.
//!
//! ```text
//!  Rc6 { round keys, backend }
//!    encrypt_with_backend ──► Batches<kernel>   ParBlocksSize = 8 / 32 / 64
//!                               ├─ one block ──► lanes::encrypt::<1>
//!                               └─ a batch ────► kernel ──► lanes::encrypt::<N>
//!    decrypt_with_backend ──► one block at a time ──► lanes::decrypt::<1>
//! ```
//!
//! GCM's counter mode hands the backend whole batches, so
//! `AesGcm<Rc6, U12>` runs the wide kernels unchanged.

mod backend;
mod key;
mod lanes;

use cipher::consts::{U1, U16};
use cipher::{
    AlgorithmName, Array, BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherDecrypt,
    BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser, InOut, Key, KeyInit, KeySizeUser,
    ParBlocksSizeUser,
};

pub use backend::{PORTABLE_ENV, Rc6Backend};
use key::RoundKeys;

/// One 16-byte block.
type Block = Array<u8, U16>;

/// RC6-32/20/16: 32-bit words, 20 rounds, 16-byte key.
///
/// [`KeyInit::new`] picks the backend with [`Rc6Backend::auto`]; the round
/// keys are wiped on drop.
#[derive(Clone)]
pub struct Rc6 {
    keys: RoundKeys,
    backend: Rc6Backend,
}

impl Rc6 {
    /// A cipher that encrypts batches with `backend`.
    pub fn with_backend(key: &[u8; 16], backend: Rc6Backend) -> Self {
        Rc6 {
            keys: RoundKeys::expand(key),
            backend,
        }
    }

    /// The backend that encrypts batches.
    pub fn backend(&self) -> Rc6Backend {
        self.backend
    }
}

impl KeySizeUser for Rc6 {
    type KeySize = U16;
}

impl KeyInit for Rc6 {
    fn new(key: &Key<Self>) -> Self {
        Rc6::with_backend(&key.0, Rc6Backend::auto())
    }
}

impl BlockSizeUser for Rc6 {
    type BlockSize = U16;
}

impl BlockCipherEncrypt for Rc6 {
    fn encrypt_with_backend(&self, f: impl BlockCipherEncClosure<BlockSize = U16>) {
        backend::encrypt_with(self.backend, &self.keys, f);
    }
}

impl BlockCipherDecrypt for Rc6 {
    fn decrypt_with_backend(&self, f: impl BlockCipherDecClosure<BlockSize = U16>) {
        f.call(&Decrypter(&self.keys));
    }
}

/// The `cipher` decryption backend: one block at a time.
struct Decrypter<'a>(&'a RoundKeys);

impl BlockSizeUser for Decrypter<'_> {
    type BlockSize = U16;
}

impl ParBlocksSizeUser for Decrypter<'_> {
    type ParBlocksSize = U1;
}

impl BlockCipherDecBackend for Decrypter<'_> {
    #[inline]
    fn decrypt_block(&self, block: InOut<'_, '_, Block>) {
        lanes::decrypt(
            self.0,
            core::array::from_mut(block.into_out_with_copied_in()),
        );
    }
}

impl AlgorithmName for Rc6 {
    fn write_alg_name(f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RC6-32/20/16")
    }
}

impl std::fmt::Debug for Rc6 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rc6")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

// The round keys wipe themselves on drop (`RoundKeys: Drop`).
impl zeroize::ZeroizeOnDrop for Rc6 {}

#[cfg(test)]
mod tests;
