//! Address ranges a user may log in from (`10.0.0.0/8`, `2001:db8::/32`, or a
//! bare address meaning one host), parsed with `std::net` only.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An IPv4 or IPv6 network: an address whose bits right of the prefix are
/// zero, and the prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// Why an address range was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CidrError {
    /// The part before `/` is not an IP address.
    #[error("not an IPv4 or IPv6 address")]
    Address,
    /// The prefix length is missing, malformed or too long.
    #[error("prefix length is not 0..=32 (IPv4) or 0..=128 (IPv6)")]
    Prefix,
    /// The address has bits set right of the prefix (`10.0.0.1/8`).
    #[error("address has bits set right of the prefix")]
    HostBits,
}

impl Cidr {
    /// 0.0.0.0/32: matches no real peer. Stands in for a stored list none
    /// of whose entries parse, so such a list fails closed.
    pub(crate) const NOTHING: Cidr = Cidr {
        network: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        prefix: 32,
    };

    /// The network address.
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// The prefix length in bits.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Whether `addr` lies in this network. IPv4-mapped IPv6 peers
    /// (`::ffff:a.b.c.d`, seen on dual-stack sockets) match IPv4 networks.
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.network, addr.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = mask_u32(self.prefix);
                u32::from(a) & mask == u32::from(net)
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = mask_u128(self.prefix);
                u128::from(a) & mask == u128::from(net)
            }
            _ => false,
        }
    }
}

fn mask_u32(prefix: u8) -> u32 {
    // checked_shl returns None for a shift of 32 (prefix 0).
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn mask_u128(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Self, CidrError> {
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = addr.parse().map_err(|_| CidrError::Address)?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().map_err(|_| CidrError::Prefix)?
            }
            Some(_) => return Err(CidrError::Prefix),
        };
        if prefix > max {
            return Err(CidrError::Prefix);
        }
        let host_bits_clear = match network {
            IpAddr::V4(a) => u32::from(a) & !mask_u32(prefix) == 0,
            IpAddr::V6(a) => u128::from(a) & !mask_u128(prefix) == 0,
        };
        if !host_bits_clear {
            return Err(CidrError::HostBits);
        }
        Ok(Cidr { network, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The rule behind [`crate::users::UserRecord::address_allowed`]: an empty
/// list allows every peer; otherwise the peer must have an address inside
/// one of the ranges, so a Unix-socket peer (`None`) is refused.
pub(crate) fn allowed(ranges: &[Cidr], peer: Option<IpAddr>) -> bool {
    if ranges.is_empty() {
        return true;
    }
    peer.is_some_and(|addr| ranges.iter().any(|r| r.contains(addr)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn cidr(s: &str) -> Cidr {
        s.parse().unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn accepts_v4_networks_and_hosts() {
        let net = cidr("10.1.0.0/16");
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        let host = cidr("192.168.1.5");
        assert_eq!(host.prefix(), 32);
        assert!(host.contains(ip("192.168.1.5")));
        assert!(!host.contains(ip("192.168.1.6")));
        assert!(cidr("0.0.0.0/0").contains(ip("203.0.113.9")));
    }

    #[test]
    fn accepts_v6_networks_and_mapped_v4_peers() {
        let net = cidr("2001:db8::/32");
        assert!(net.contains(ip("2001:db8:1::42")));
        assert!(!net.contains(ip("2001:db9::1")));
        assert!(cidr("::/0").contains(ip("::1")));
        assert!(cidr("127.0.0.0/8").contains(ip("::ffff:127.0.0.1")));
        assert!(!cidr("::/0").contains(ip("127.0.0.1")));
        assert!(!cidr("0.0.0.0/0").contains(ip("2001:db8::1")));
    }

    #[test]
    fn rejects_malformed_ranges() {
        for (text, err) in [
            ("", CidrError::Address),
            ("10.0.0/8", CidrError::Address),
            ("example.com", CidrError::Address),
            ("10.0.0.0/33", CidrError::Prefix),
            ("10.0.0.0/", CidrError::Prefix),
            ("10.0.0.0/+8", CidrError::Prefix),
            ("10.0.0.0/0008", CidrError::Prefix),
            ("::/129", CidrError::Prefix),
            ("10.0.0.1/8", CidrError::HostBits),
            ("2001:db8::1/32", CidrError::HostBits),
        ] {
            assert_eq!(text.parse::<Cidr>(), Err(err), "{text:?}");
        }
    }

    #[test]
    fn displays_canonically() {
        assert_eq!(cidr("10.0.0.0/8").to_string(), "10.0.0.0/8");
        assert_eq!(cidr("2001:0db8::").to_string(), "2001:db8::/128");
    }

    #[test]
    fn empty_list_allows_everyone_including_unix_sockets() {
        assert!(allowed(&[], None));
        assert!(allowed(&[], Some(ip("203.0.113.1"))));
    }

    #[test]
    fn nonempty_list_refuses_unix_sockets_and_outsiders() {
        let ranges = [cidr("10.0.0.0/8"), cidr("fd00::/8")];
        assert!(!allowed(&ranges, None));
        assert!(allowed(&ranges, Some(ip("10.9.9.9"))));
        assert!(allowed(&ranges, Some(ip("fd12::1"))));
        assert!(!allowed(&ranges, Some(ip("11.0.0.1"))));
    }
}
