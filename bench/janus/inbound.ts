import type { Received } from './side';

/** Sums a page's getStats reports of type inbound-rtp into what bench/peer.ts compares. */
export function sumInbound(reports: Record<string, unknown>[]): Received {
  const total: Received = { bytes: 0, packets: 0, frames: 0, widths: [] };
  for (const report of reports) {
    if (report.type !== 'inbound-rtp') continue;
    total.bytes += Number(report.bytesReceived ?? 0);
    total.packets += Number(report.packetsReceived ?? 0);
    if (report.kind !== 'video') continue;
    total.frames += Number(report.framesDecoded ?? 0);
    if (report.frameWidth !== undefined) total.widths.push(Number(report.frameWidth));
  }
  return total;
}
