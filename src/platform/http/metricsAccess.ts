import crypto from 'node:crypto';
import net from 'node:net';
import type { FastifyRequest } from 'fastify';

export interface MetricsAccessRule {
  /** Addresses or CIDR blocks admitted without a token. */
  allow: readonly string[];
  token: string | undefined;
}

/**
 * Who may read /metrics: a caller from an allowed address, or one presenting
 * the token (`Authorization: Bearer …`, compared in constant time). With no
 * rule configured nobody may: metrics are off by default.
 */
export function metricsGate(rule: MetricsAccessRule | undefined): (request: FastifyRequest) => boolean {
  if (!rule) return () => false;
  const blocks = new net.BlockList();
  for (const entry of rule.allow) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) blocks.addAddress(address, family);
    else blocks.addSubnet(address, Number(prefix), family);
  }
  const expected = rule.token ? crypto.createHash('sha256').update(rule.token).digest() : undefined;
  return (request) => {
    const presented = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (expected && presented) {
      // Digests of equal length, so the comparison takes the same time whatever was sent.
      return crypto.timingSafeEqual(crypto.createHash('sha256').update(presented).digest(), expected);
    }
    const ip = request.ip.startsWith('::ffff:') && net.isIPv4(request.ip.slice(7)) ? request.ip.slice(7) : request.ip;
    const family = net.isIPv6(ip) ? 'ipv6' : net.isIPv4(ip) ? 'ipv4' : undefined;
    return family !== undefined && blocks.check(ip, family);
  };
}
