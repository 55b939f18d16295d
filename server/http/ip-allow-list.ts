import ipaddr from 'ipaddr.js';

/**
 * The admin IP allow-list (개인정보의 안전성 확보조치 기준 제6조①: access to the processing system is restricted by
 * IP). Entries are single addresses or CIDR ranges, IPv4 or IPv6; an IPv4-mapped IPv6 client (::ffff:10.0.0.1, as
 * dual-stack sockets report) is checked as the IPv4 address it is.
 */
export type IpAllowList = { allows: (ip: string | undefined) => boolean; entries: readonly string[] };

/** Parses the entries; a malformed one throws, naming it, so a typo cannot silently open or close the admin area. */
export function parseIpAllowList(entries: readonly string[]): IpAllowList {
  const ranges = entries.map((entry) => {
    try {
      if (entry.includes('/')) {
        const [addr, bits] = ipaddr.parseCIDR(entry);
        return [normalise(addr), bits + (addr.kind() === 'ipv6' && normalise(addr).kind() === 'ipv4' ? -96 : 0)] as const;
      }
      const addr = normalise(ipaddr.parse(entry));
      return [addr, addr.kind() === 'ipv4' ? 32 : 128] as const;
    } catch {
      throw new Error(`ADMIN_ALLOWED_IPS: "${entry}" is not an IP address or CIDR range`);
    }
  });
  return {
    entries,
    allows(ip) {
      if (!ip || !ipaddr.isValid(ip)) return false;
      const addr = normalise(ipaddr.parse(ip));
      return ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
    },
  };
}

function normalise(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}
