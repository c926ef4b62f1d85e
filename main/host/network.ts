import { networkInterfaces } from 'node:os';

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
