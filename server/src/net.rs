//! Where a request came from.

use std::net::IpAddr;

use poem::Request;

/// The client's address: the direct peer, or the last address that a
/// trusted proxy appended to `X-Forwarded-For`. The header is ignored when
/// the peer is not a configured proxy, since anyone can send it.
pub fn client_ip(req: &Request, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip())?;
    if !trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let Some(list) = forwarded else { return Some(peer) };
    list.split(',')
        .rev()
        .map(str::trim)
        .filter_map(|a| a.parse::<IpAddr>().ok())
        .find(|ip| !trusted_proxies.contains(ip))
        .or(Some(peer))
}
