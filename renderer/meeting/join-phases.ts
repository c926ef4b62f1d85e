/**
 * Marks on the page's performance timeline for each step of a join
 * (`roundtable:join:<phase>`), so a benchmark or the browser's own profiler
 * can show where the time goes. Each attempt's marks replace the last one's.
 */
export const JOIN_PHASES = [
  'start',
  /** A credential for the hub, and the socket open. */
  'signed-in',
  /** room.get and yp.bind_socket answered. */
  'bound',
  /** downstream-access-granted (after the lobby, when there is one). */
  'access-granted',
  /** mediasoup-client's Device loaded, transports made. */
  'device-ready',
  'entered',
  /** Consumers for everyone listed when we entered were made (and resumed). */
  'consumed',
  'published',
] as const;
export type JoinPhase = (typeof JOIN_PHASES)[number];

export const JOIN_MARK_PREFIX = 'roundtable:join:';

export function joinPhase(phase: JoinPhase): void {
  if (typeof performance === 'undefined' || !performance.mark) return;
  if (phase === 'start')
    for (const each of JOIN_PHASES) performance.clearMarks(JOIN_MARK_PREFIX + each);
  performance.mark(JOIN_MARK_PREFIX + phase);
}
