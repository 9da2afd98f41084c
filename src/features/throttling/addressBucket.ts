import net from 'node:net';

/**
 * The unit a per-address limit counts. An IPv4 address is itself; an IPv6 address is its /64
 * network, because one home or phone is normally given a whole /64 and can pick any address in
 * it, so counting single IPv6 addresses would let one device escape every limit. IPv4-mapped
 * IPv6 (`::ffff:192.0.2.1`) is the IPv4 address it carries. The result is only ever hashed.
 */
export function addressBucket(address: string): string {
  const plain = address
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped?.[1]) return mapped[1];
  if (net.isIPv6(plain)) return `${expandIpv6(plain).slice(0, 4).join(':')}::/64`;
  return plain;
}

/** The eight groups of an IPv6 address, each as a lower-case number without leading zeros. */
function expandIpv6(address: string): string[] {
  let text = address.toLowerCase();
  // A trailing dotted IPv4 part (::1.2.3.4) is two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16).toString(16));
}
