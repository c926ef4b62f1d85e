import { hostname, networkInterfaces } from 'node:os';

/**
 * The addresses people on the LAN can reach this machine at: every non-internal
 * IPv4 address, then loopback (for clients on this machine and for tests).
 */
export function lanAddresses(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && info.family === 'IPv4' && !info.internal)
    .map((info) => info!.address);
  return [...new Set([...addresses, '127.0.0.1'])];
}

/**
 * The name this machine answers to on the LAN over multicast DNS:
 * "alices-laptop.local" (the host name, lower case, with anything but
 * letters, digits and hyphens made a hyphen).
 */
export function localName(name = hostname()): string {
  const label = name
    .split('.')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${label || 'roundtable'}.local`;
}
