//! Which code encrypts a batch of blocks, chosen once at run time.
//!
//! ```text
//!  Rc6Backend   batch   kernel              compiled for
//!  Portable       4     encrypt_portable    the build's baseline
//!  Avx2          32     encrypt_avx2        x86-64 + AVX2
//!  Avx512        32     encrypt_avx512      x86-64 + AVX-512 (Ice Lake's set)
//! ```
//!
//! The batch sizes are the fastest RC6-GCM on 64 KiB records measured on
//! an AVX-512 Zen 4 (`examples/rc6_speed.rs`): with 2 or 3 scalar blocks
//! the units wait on the multiply-rotate chains, 6 or 8 only spill more
//! registers than 4; AVX2 gains about a fifth from 16 to 32 blocks;
//! AVX-512 at 64 encrypts faster alone but not inside GCM, which is then
//! bound by GHASH.
//!
//! Each SIMD kernel is one `#[multiversion]` function: the same source
//! compiled twice, once with the target features and once without, and
//! called through a dispatcher that checks the CPU. A backend forced on a
//! CPU without its features therefore still gives the right bytes, only
//! slowly. The binary needs no `-C target-cpu`.

use std::marker::PhantomData;
use std::sync::OnceLock;

use cipher::array::ArraySize;
use cipher::consts::{U8, U16, U32, U64};
use cipher::{BlockCipherEncBackend, BlockSizeUser, InOut, InOutBuf, ParBlocks, ParBlocksSizeUser};
use multiversion::multiversion;
use multiversion::target::match_target;

use super::Block;
use super::key::RoundKeys;
use super::lanes;

/// Set to `1` to make new ciphers use [`Rc6Backend::Portable`] even where
/// the CPU has SIMD; read once, at the first cipher's creation.
pub const PORTABLE_ENV: &str = "COR4_RC6_PORTABLE";

/// The code that encrypts many blocks at once.
///
/// Decryption, and encryption of a lone block, always run the same
/// single-block code; backends differ only in batches. Every backend gives
/// the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rc6Backend {
    /// Four blocks interleaved in plain code, for any CPU.
    Portable,
    /// Thirty-two blocks in AVX2 vectors (x86-64).
    Avx2,
    /// Thirty-two blocks in AVX-512 vectors (x86-64 with Ice Lake's
    /// AVX-512 extensions, as on Zen 4).
    Avx512,
}

impl Rc6Backend {
    /// Every backend, the portable one first.
    pub const ALL: [Rc6Backend; 3] = [Rc6Backend::Portable, Rc6Backend::Avx2, Rc6Backend::Avx512];

    /// Whether this CPU runs the backend's own SIMD code rather than its
    /// fallback.
    pub fn is_supported(self) -> bool {
        match self {
            Rc6Backend::Portable => true,
            Rc6Backend::Avx2 => Rc6Backend::fastest() != Rc6Backend::Portable,
            Rc6Backend::Avx512 => Rc6Backend::fastest() == Rc6Backend::Avx512,
        }
    }

    /// The fastest backend this CPU supports.
    pub fn fastest() -> Self {
        fastest_detected()
    }

    /// The backend [`KeyInit::new`](cipher::KeyInit::new) uses:
    /// [`fastest`](Self::fastest), or `Portable` when [`PORTABLE_ENV`] is
    /// `1`.
    pub fn auto() -> Self {
        static AUTO: OnceLock<Rc6Backend> = OnceLock::new();
        *AUTO.get_or_init(|| {
            if std::env::var_os(PORTABLE_ENV).is_some_and(|v| v == "1") {
                Rc6Backend::Portable
            } else {
                Rc6Backend::fastest()
            }
        })
    }
}

/// Asks multiversion which of the kernels' targets this CPU gets, so the
/// answer matches the kernels' own dispatchers. (multiversion 0.9 selects
/// an AVX-512 target only with Ice Lake's extensions as well, e.g. VBMI2;
/// older AVX-512 CPUs get AVX2.)
#[multiversion(targets("x86_64+avx512f+avx512vl", "x86_64+avx2"))]
fn fastest_detected() -> Rc6Backend {
    match_target! {
        "x86_64+avx512f+avx512vl" => Rc6Backend::Avx512,
        "x86_64+avx2" => Rc6Backend::Avx2,
        _ => Rc6Backend::Portable,
    }
}

fn encrypt_portable(keys: &RoundKeys, blocks: &mut [Block; 8]) {
    lanes::encrypt(keys, blocks);
}

#[multiversion(targets("x86_64+avx2"))]
fn encrypt_avx2(keys: &RoundKeys, blocks: &mut [Block; 32]) {
    lanes::encrypt(keys, blocks);
}

#[multiversion(targets("x86_64+avx512f+avx512vl"))]
fn encrypt_avx512(keys: &RoundKeys, blocks: &mut [Block; 64]) {
    lanes::encrypt(keys, blocks);
}

/// A batch size and the kernel that encrypts one batch.
trait Kernel {
    /// Blocks per batch.
    type Lanes: ArraySize<ArrayType<Block>: Copy>;
    /// The fewest leftover blocks worth a zero-padded batch. Measured on
    /// Zen 4, a batch of 4 portable lanes cost about 2 single blocks and one
    /// of 32 SIMD lanes 3 to 4; the batches of 8 and 64 lanes, about 15%
    /// faster per block, cost about twice that, less 15%.
    const PAD_TAIL_FROM: usize;
    /// Encrypts one batch in place.
    fn encrypt(keys: &RoundKeys, blocks: &mut cipher::Array<Block, Self::Lanes>);
}

struct PortableX8;
struct Avx2X32;
struct Avx512X64;

impl Kernel for PortableX8 {
    type Lanes = U8;
    const PAD_TAIL_FROM: usize = 4;
    fn encrypt(keys: &RoundKeys, blocks: &mut cipher::Array<Block, U8>) {
        encrypt_portable(keys, &mut blocks.0);
    }
}

impl Kernel for Avx2X32 {
    type Lanes = U32;
    const PAD_TAIL_FROM: usize = 4;
    fn encrypt(keys: &RoundKeys, blocks: &mut cipher::Array<Block, U32>) {
        encrypt_avx2(keys, &mut blocks.0);
    }
}

impl Kernel for Avx512X64 {
    type Lanes = U64;
    const PAD_TAIL_FROM: usize = 7;
    fn encrypt(keys: &RoundKeys, blocks: &mut cipher::Array<Block, U64>) {
        encrypt_avx512(keys, &mut blocks.0);
    }
}

/// Hands `f` the encryption backend for `backend`.
pub(super) fn encrypt_with(
    backend: Rc6Backend,
    keys: &RoundKeys,
    f: impl cipher::BlockCipherEncClosure<BlockSize = U16>,
) {
    match backend {
        Rc6Backend::Portable => f.call(&Batches::<PortableX8>::new(keys)),
        Rc6Backend::Avx2 => f.call(&Batches::<Avx2X32>::new(keys)),
        Rc6Backend::Avx512 => f.call(&Batches::<Avx512X64>::new(keys)),
    }
}

/// The `cipher` encryption backend: lone blocks in single-block code,
/// batches in kernel `K`.
struct Batches<'a, K> {
    keys: &'a RoundKeys,
    kernel: PhantomData<K>,
}

impl<'a, K> Batches<'a, K> {
    fn new(keys: &'a RoundKeys) -> Self {
        Batches {
            keys,
            kernel: PhantomData,
        }
    }
}

impl<K> BlockSizeUser for Batches<'_, K> {
    type BlockSize = U16;
}

impl<K: Kernel> ParBlocksSizeUser for Batches<'_, K> {
    type ParBlocksSize = K::Lanes;
}

impl<K: Kernel> BlockCipherEncBackend for Batches<'_, K> {
    #[inline]
    fn encrypt_block(&self, block: InOut<'_, '_, Block>) {
        lanes::encrypt(
            self.keys,
            core::array::from_mut(block.into_out_with_copied_in()),
        );
    }

    #[inline]
    fn encrypt_par_blocks(&self, blocks: InOut<'_, '_, ParBlocks<Self>>) {
        K::encrypt(self.keys, blocks.into_out_with_copied_in());
    }

    /// Leftover blocks (fewer than a batch) go one by one, or through the
    /// kernel in one zero-padded batch when there are enough of them.
    /// (Counter mode does not call this: `ctr` 0.10 encrypts its leftover
    /// blocks one by one.)
    fn encrypt_tail_blocks(&self, mut blocks: InOutBuf<'_, '_, Block>) {
        let n = blocks.len();
        if n < K::PAD_TAIL_FROM {
            for block in blocks {
                self.encrypt_block(block);
            }
            return;
        }
        let mut batch = ParBlocks::<Self>::default();
        batch[..n].copy_from_slice(blocks.get_in());
        K::encrypt(self.keys, &mut batch);
        blocks.get_out().copy_from_slice(&batch[..n]);
    }
}
