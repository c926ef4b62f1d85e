// The soak's bounds: every wait in it is bounded, by one of these. One table
// for the host control, the visitors, the departures and the cycle loop.

export const LIMITS = {
  hostStartMs: 30_000,
  hostProbeMs: 15_000,
  /** Join to video decoded in every direction involving the newcomer. */
  mediaFlowMs: 20_000,
  /** One whole cycle, page included. */
  cycleMs: 60_000,
  /** One call into a steady participant's page. */
  steadyCallMs: 15_000,
  /** A departed peer still in the room after this counts as stuck (the figure shows it). */
  stuckMs: 60_000,
  /** Departures not yet seen by the room before a cycle waits for them. */
  maxInFlightDepartures: 20,
  consecutiveFailures: 5,
};
