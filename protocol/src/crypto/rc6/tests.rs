//! RC6-32/20/16 against the paper's vectors (R. Rivest, M. Robshaw, R.
//! Sidney, Y. L. Yin, "The RC6 Block Cipher", v1.1, 1998, appendix "Test
//! vectors", the two with b = 16) and against RustCrypto's `rc6` crate, on
//! every backend; then RC6-GCM against RC6-GCM built on that crate.
//!
//! Backends the CPU lacks run too: they must still give the same bytes
//! (through their dispatchers' fallback code).

use super::*;
use aes_gcm::AesGcm;
use aes_gcm::aead::AeadInOut;
use aes_gcm::aead::consts::{U12, U20};

type Reference = rc6::RC6<u32, U20, U16>;
type Gcm<C> = AesGcm<C, U12>;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn random_key() -> [u8; 16] {
    let mut key = [0u8; 16];
    rand::fill(&mut key);
    key
}

fn random_blocks(n: usize) -> Vec<Block> {
    let mut bytes = vec![0u8; 16 * n];
    rand::fill(&mut bytes[..]);
    bytes
        .chunks_exact(16)
        .map(|c| Block::try_from(c).unwrap())
        .collect()
}

/// Each paper vector, on every backend: one block both ways, and the
/// plaintext repeated through a multi-block call of 100 blocks.
macro_rules! paper_vector {
    ($name:ident, $key:expr, $pt:expr, $ct:expr) => {
        #[test]
        fn $name() {
            let key: [u8; 16] = unhex($key).try_into().unwrap();
            let pt = Block::try_from(&unhex($pt)[..]).unwrap();
            let ct = Block::try_from(&unhex($ct)[..]).unwrap();
            for backend in Rc6Backend::ALL {
                let cipher = Rc6::with_backend(&key, backend);
                let mut block = pt;
                cipher.encrypt_block(&mut block);
                assert_eq!(block, ct, "{backend:?} encrypt");
                cipher.decrypt_block(&mut block);
                assert_eq!(block, pt, "{backend:?} decrypt");
                let mut blocks = vec![pt; 100];
                cipher.encrypt_blocks(&mut blocks);
                assert!(blocks.iter().all(|b| *b == ct), "{backend:?} batch");
            }
        }
    };
}

paper_vector!(
    paper_vector_zero_key,
    "00000000000000000000000000000000",
    "00000000000000000000000000000000",
    "8fc3a53656b1f778c129df4e9848a41e"
);
paper_vector!(
    paper_vector_key_16,
    "0123456789abcdef0112233445566778",
    "02132435465768798a9bacbdcedfe0f1",
    "524e192f4715c6231f51f6367ea43f18"
);

#[test]
fn single_blocks_match_reference() {
    for _ in 0..200 {
        let key = random_key();
        let reference = <Reference as KeyInit>::new(&key.into());
        let [pt] = random_blocks(1)[..] else {
            unreachable!()
        };
        let mut want = pt;
        reference.encrypt_block(&mut want);
        for backend in Rc6Backend::ALL {
            let cipher = Rc6::with_backend(&key, backend);
            let mut got = Block::default();
            cipher.encrypt_block_b2b(&pt, &mut got);
            assert_eq!(got, want, "{backend:?} encrypt");
            cipher.decrypt_block(&mut got);
            assert_eq!(got, pt, "{backend:?} decrypt");
        }
    }
}

#[test]
fn batches_of_1_to_100_blocks_match_reference() {
    for n in 1..=100 {
        let key = random_key();
        let reference = <Reference as KeyInit>::new(&key.into());
        let pt = random_blocks(n);
        let mut want = pt.clone();
        for block in &mut want {
            reference.encrypt_block(block);
        }
        for backend in Rc6Backend::ALL {
            let cipher = Rc6::with_backend(&key, backend);
            let mut in_place = pt.clone();
            cipher.encrypt_blocks(&mut in_place);
            assert_eq!(in_place, want, "{backend:?} in place, {n} blocks");
            let mut out = vec![Block::default(); n];
            cipher.encrypt_blocks_b2b(&pt, &mut out).unwrap();
            assert_eq!(out, want, "{backend:?} buffer to buffer, {n} blocks");
            cipher.decrypt_blocks(&mut out);
            assert_eq!(out, pt, "{backend:?} decrypt, {n} blocks");
        }
    }
}

/// Seals `len` random bytes with RC6-GCM on every backend and with RC6-GCM
/// on the reference cipher; all must agree, and each must open its record.
fn gcm_agrees_with_reference(len: usize) {
    let key = random_key();
    let mut nonce = [0u8; 12];
    rand::fill(&mut nonce);
    let nonce = nonce.into();
    let aad = [0x5a; 4];
    let mut pt = vec![0u8; len];
    rand::fill(&mut pt[..]);

    let reference = Gcm::<Reference>::new(&key.into());
    let mut want = pt.clone();
    let want_tag = reference
        .encrypt_inout_detached(&nonce, &aad, want.as_mut_slice().into())
        .unwrap();
    for backend in Rc6Backend::ALL {
        let gcm = Gcm::from(Rc6::with_backend(&key, backend));
        let mut got = pt.clone();
        let tag = gcm
            .encrypt_inout_detached(&nonce, &aad, got.as_mut_slice().into())
            .unwrap();
        assert!(got == want, "{backend:?} ciphertext, {len} bytes");
        assert_eq!(tag, want_tag, "{backend:?} tag, {len} bytes");
        gcm.decrypt_inout_detached(&nonce, &aad, got.as_mut_slice().into(), &tag)
            .unwrap();
        assert!(got == pt, "{backend:?} open, {len} bytes");
    }
}

#[test]
fn gcm_matches_reference_for_0_to_2000_bytes() {
    for len in 0..2000 {
        gcm_agrees_with_reference(len);
    }
}

#[test]
fn gcm_matches_reference_for_64_kib_records() {
    for len in [65_535, 65_536, 65_537, 65_536 - 16 * 31 - 5] {
        gcm_agrees_with_reference(len);
    }
}

#[test]
fn key_init_uses_auto_backend() {
    let key = random_key();
    assert_eq!(Rc6::new(&key.into()).backend(), Rc6Backend::auto());
    let mut block = Block::default();
    Rc6::new(&key.into()).encrypt_block(&mut block);
    let mut want = Block::default();
    <Reference as KeyInit>::new(&key.into()).encrypt_block(&mut want);
    assert_eq!(block, want);
}

#[test]
fn fastest_backend_is_supported() {
    assert!(Rc6Backend::fastest().is_supported());
    assert!(Rc6Backend::Portable.is_supported());
    if Rc6Backend::Avx512.is_supported() {
        assert!(Rc6Backend::Avx2.is_supported());
    }
}

/// `COR4_RC6_PORTABLE=1` is read once per process, so the check runs this
/// test again in a child process with the variable set.
#[test]
fn portable_env_forces_portable_backend() {
    if std::env::var_os(PORTABLE_ENV).is_some_and(|v| v == "1") {
        assert_eq!(Rc6Backend::auto(), Rc6Backend::Portable);
        return;
    }
    let module = module_path!()
        .split_once("::")
        .map_or(module_path!(), |(_crate, rest)| rest);
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            &format!("{module}::portable_env_forces_portable_backend"),
        ])
        .env(PORTABLE_ENV, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert!(child.status.success(), "{stdout}");
    // A filter that matched nothing would pass too.
    assert!(stdout.contains("1 passed"), "{stdout}");
}
