import type { types } from 'mediasoup-client';

// What a connection carries, read from its PeerConnections' own stats: for
// someone asking why a tile stays black (window.roundtable.diagnostics), and
// printed by the end-to-end tests when media does not arrive.

/** One transport: its state, the candidate pair in use, and its streams. */
export interface TransportReport {
  connectionState: string;
  /** The selected pair ("succeeded udp 10.77.1.2 → 10.77.1.1:40000"), or why there is none. */
  pair: string;
  /** One line per RTP stream ("video in mid 1: 812 packets, 40 frames decoded, 0 lost"). */
  streams: string[];
}

interface StatsEntry {
  type: string;
  id: string;
  [key: string]: unknown;
}

const num = (value: unknown) => (typeof value === 'number' ? value : 0);

function describePair(stats: Map<string, StatsEntry>): string {
  const transport = [...stats.values()].find((entry) => entry.type === 'transport');
  const pair = stats.get(String(transport?.selectedCandidatePairId ?? ''));
  if (!pair) return 'no candidate pair selected';
  const local = stats.get(String(pair.localCandidateId));
  const remote = stats.get(String(pair.remoteCandidateId));
  return (
    `${String(pair.state)} ${String(local?.protocol ?? '?')} ${String(local?.address ?? '?')} → ` +
    `${String(remote?.address ?? '?')}:${String(remote?.port ?? '?')}, ` +
    `${num(pair.bytesReceived)} B in, ${num(pair.bytesSent)} B out`
  );
}

function describeStream(entry: StatsEntry): string | undefined {
  const where = `${String(entry.kind)} ${entry.type === 'inbound-rtp' ? 'in' : 'out'} mid ${String(entry.mid ?? '?')}`;
  if (entry.type === 'inbound-rtp')
    return (
      `${where}: ${num(entry.packetsReceived)} packets, ${num(entry.packetsLost)} lost, ` +
      `${num(entry.framesDecoded)} frames decoded, ${num(entry.keyFramesDecoded)} key, ` +
      `${num(entry.pliCount)} PLI sent`
    );
  if (entry.type === 'outbound-rtp')
    return (
      `${where}${entry.rid ? ` rid ${String(entry.rid)}` : ''}: ${num(entry.packetsSent)} packets, ` +
      `${num(entry.framesEncoded)} frames encoded, ${num(entry.pliCount)} PLI received` +
      (entry.qualityLimitationReason && entry.qualityLimitationReason !== 'none'
        ? `, limited by ${String(entry.qualityLimitationReason)}`
        : '')
    );
  return undefined;
}

/** The transport as its PeerConnection sees it now. */
export async function transportReport(transport: types.Transport): Promise<TransportReport> {
  const report = await transport.getStats().catch(() => undefined);
  const stats = new Map<string, StatsEntry>();
  report?.forEach((entry: StatsEntry) => stats.set(entry.id, entry));
  return {
    connectionState: transport.closed ? 'closed' : transport.connectionState,
    pair: report ? describePair(stats) : 'no stats (closed)',
    streams: [...stats.values()].flatMap((entry) => describeStream(entry) ?? []),
  };
}
