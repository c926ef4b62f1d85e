import * as sdpTransform from 'sdp-transform';
import type { SessionDescription } from 'sdp-transform';
import { HostError } from '../../host/host-error';

// The first step of reading a remote SDP (an offer or an answer, from either
// door): refuse, before anything is made for the request, what mediasoup would
// refuse half-way or take ambiguously. Every refusal is invalid_sdp with a
// message saying what is wrong.

/** More m-sections than one publisher sends (camera, microphone, a screen or two): refused, so one request stays cheap. */
export const MAX_MEDIA_SECTIONS = 16;

export const invalid = (message: string) => new HostError('invalid_sdp', message);

/** Parses a remote SDP, refusing (invalid_sdp) what breaks the rules below. */
export function parseValidSdp(sdp: string): SessionDescription {
  if (typeof sdp !== 'string' || !sdp.startsWith('v=0'))
    throw invalid('not an SDP (it must start with v=0)');
  let session: SessionDescription;
  try {
    session = sdpTransform.parse(sdp);
  } catch {
    throw invalid('the SDP could not be parsed');
  }
  if (!session.media?.length) throw invalid('the SDP has no media sections');
  if (session.media.length > MAX_MEDIA_SECTIONS)
    throw invalid(`the SDP has more than ${MAX_MEDIA_SECTIONS} media sections`);
  checkShape(sdp, session);
  return session;
}

/** RFC 5888 identification-tag: a token; short, as it travels in every RTP packet's MID extension. */
const MID = /^[!#$%&'*+\-.^_`{|}~0-9A-Za-z]{1,32}$/;
const isSsrc = (n: number) => Number.isInteger(n) && n > 0 && n <= 0xffffffff;

/**
 * What mediasoup would otherwise refuse half-way through a request (after
 * transports and producers exist) or take ambiguously: every m-line well
 * formed with exactly one a=mid, MIDs unique in the session, SSRCs valid and
 * each owned by one m-section, no SSRC twice in a group, no RID twice.
 */
function checkShape(sdp: string, session: SessionDescription): void {
  // sdp-transform keeps the last of repeated single-valued lines: count a=mid in the text.
  const midLines = sdp
    .split(/\r?\n/)
    .reduce<number[]>(
      (counts, line) =>
        line.startsWith('m=')
          ? [...counts, 0]
          : line.startsWith('a=mid:') && counts.length
            ? [...counts.slice(0, -1), counts.at(-1)! + 1]
            : counts,
      [],
    );
  const mids = new Set<string>();
  const ssrcOwner = new Map<number, number>();
  session.media.forEach((media, index) => {
    const where = `m-section ${index + 1}`;
    if (typeof media.type !== 'string' || typeof media.port !== 'number' || !media.protocol)
      throw invalid(`${where}: the m= line is malformed`);
    if ((midLines[index] ?? 0) > 1) throw invalid(`${where} has more than one a=mid`);
    if (media.mid !== undefined) {
      const mid = String(media.mid);
      if (!MID.test(mid)) throw invalid(`${where}: a=mid must be 1 to 32 token characters`);
      if (mids.has(mid)) throw invalid(`a=mid:${mid} is used by more than one m-section`);
      mids.add(mid);
    }

    const own = new Set<number>();
    const attributes = new Set<string>();
    for (const { id, attribute } of media.ssrcs ?? []) {
      const ssrc = Number(id);
      if (!isSsrc(ssrc)) throw invalid(`${where}: a=ssrc:${id} is not a valid SSRC`);
      if (attributes.has(`${ssrc} ${attribute}`))
        throw invalid(`${where}: a=ssrc:${ssrc} ${attribute} is given twice`);
      attributes.add(`${ssrc} ${attribute}`);
      own.add(ssrc);
    }
    const grouped = new Map<string, Set<number>>();
    for (const group of media.ssrcGroups ?? []) {
      const members = group.ssrcs.trim().split(/\s+/).map(Number);
      const inSemantics = grouped.get(group.semantics) ?? new Set<number>();
      grouped.set(group.semantics, inSemantics);
      for (const ssrc of members) {
        if (!isSsrc(ssrc))
          throw invalid(`${where}: a=ssrc-group:${group.semantics} has an invalid SSRC`);
        if (inSemantics.has(ssrc))
          throw invalid(`${where}: SSRC ${ssrc} appears twice in a=ssrc-group:${group.semantics}`);
        inSemantics.add(ssrc);
        own.add(ssrc);
      }
    }
    for (const ssrc of own) {
      const owner = ssrcOwner.get(ssrc);
      if (owner !== undefined)
        throw invalid(`SSRC ${ssrc} is used by m-sections ${owner + 1} and ${index + 1}`);
      ssrcOwner.set(ssrc, index);
    }

    const rids = new Set<string>();
    for (const { id } of media.rids ?? []) {
      if (rids.has(String(id))) throw invalid(`${where}: a=rid:${id} is given twice`);
      rids.add(String(id));
    }
  });
}
