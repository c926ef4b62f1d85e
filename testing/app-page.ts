import type { Page } from '@playwright/test';

// Reading a page of the real web client (renderer/) from a test or benchmark:
// the client exposes `window.roundtable.videoStats()` (renderer/main.tsx).

export type VideoStats = Record<string, { framesDecoded: number; bytesReceived: number }>;

/** Decoded frames and received bytes of each remote video the page receives, by producer id. */
export function videoStats(page: Page): Promise<VideoStats> {
  return page.evaluate(() =>
    (
      window as unknown as { roundtable: { videoStats(): Promise<VideoStats> } }
    ).roundtable.videoStats(),
  );
}

/** Bytes received of each remote audio the page receives, by producer id. */
export function audioBytes(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const stats = await (
      window as unknown as { roundtable: { audioStats(): Promise<VideoStats> } }
    ).roundtable.audioStats();
    return Object.fromEntries(
      Object.entries(stats).map(([id, entry]) => [id, entry.bytesReceived]),
    );
  });
}

/** Producer ids of the remote videos the page has decoded frames of. */
export async function decodingProducers(page: Page): Promise<string[]> {
  return Object.entries(await videoStats(page))
    .filter(([, entry]) => entry.framesDecoded > 0)
    .map(([id]) => id);
}

/** What the page's connection carries now, and the people and tracks it knows of (a failed test prints it). */
export function pageDiagnostics(page: Page): Promise<unknown> {
  return page.evaluate(() =>
    (
      window as unknown as { roundtable: { diagnostics(): Promise<unknown> } }
    ).roundtable.diagnostics(),
  );
}
