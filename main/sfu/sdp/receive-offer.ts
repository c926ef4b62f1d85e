import type { types } from 'mediasoup';
import * as sdpTransform from 'sdp-transform';
import type { SessionDescription } from 'sdp-transform';
import { invalid, parseValidSdp } from './validate';
import { iceUfragOf, remoteDtlsParameters } from './parse';

// A seed-form client's receive offer (downstream-offer with sdpOffer): the
// m-sections it offers to receive on, and what it can decode there, as
// mediasoup RTP capabilities. mediasoup sends a consumer's RTP with the
// router's payload types and header extension ids, and the client decodes
// only its offer's numbers: so the capabilities keep just the codecs and
// extensions the two number alike (Chromium's, see codecs.ts). An RTX codec
// numbered otherwise is left out: NACKed packets are then resent as they were.

type MediaSection = SessionDescription['media'][number];

export interface ReceiveSection {
  mid: string;
  kind: types.MediaKind;
  /** The client can receive here now (not port 0, not send-only or inactive). */
  open: boolean;
  media: MediaSection;
}

export interface ParsedReceiveOffer {
  session: SessionDescription;
  iceUfrag: string | undefined;
  dtlsParameters: types.DtlsParameters;
  /** Audio and video m-sections, in offer order. */
  sections: ReceiveSection[];
  rtpCapabilities: types.RtpCapabilities;
}

const NOT_MEDIA = /^(red|ulpfec|flexfec-03|CN|telephone-event)$/i;

/** What one m-section can decode, as capabilities (payload types as the client numbered them). */
function sectionCapabilities(media: MediaSection, kind: types.MediaKind): types.RtpCapabilities {
  const fmtp = new Map(media.fmtp.map((f) => [f.payload, sdpTransform.parseParams(f.config)]));
  const codecs: types.RtpCodecCapability[] = [];
  for (const rtp of media.rtp) {
    if (NOT_MEDIA.test(rtp.codec)) continue;
    const parameters = (fmtp.get(rtp.payload) ?? {}) as types.RtpCodecCapability['parameters'];
    // An RTX entry counts only with the codec it repairs.
    if (rtp.codec.toLowerCase() === 'rtx' && !media.rtp.some((r) => r.payload === parameters?.apt))
      continue;
    codecs.push({
      kind,
      mimeType: `${kind}/${rtp.codec}`,
      preferredPayloadType: rtp.payload,
      clockRate: rtp.rate ?? 90000,
      ...(kind === 'audio' ? { channels: rtp.encoding ?? 1 } : {}),
      parameters,
      rtcpFeedback: (media.rtcpFb ?? [])
        .filter((fb) => fb.payload === '*' || Number(fb.payload) === rtp.payload)
        .map((fb) => ({ type: fb.type, parameter: fb.subtype ?? '' })),
    });
  }
  const headerExtensions = (media.ext ?? []).map((ext) => ({
    kind,
    uri: ext.uri as types.RtpHeaderExtensionUri,
    preferredId: ext.value,
    direction: 'sendrecv' as const,
  }));
  return { codecs, headerExtensions };
}

/** The router's codec numbered as `codec` is, with the same MIME type (and, for RTX, repairing the same payload type). */
function numberedAlike(codec: types.RtpCodecCapability, router: types.RtpCapabilities): boolean {
  return (router.codecs ?? []).some(
    (own) =>
      own.preferredPayloadType === codec.preferredPayloadType &&
      own.mimeType.toLowerCase() === codec.mimeType.toLowerCase() &&
      (own.parameters?.apt ?? null) === (codec.parameters?.apt ?? null),
  );
}

/** `caps` without what the router numbers otherwise; a message when a kind keeps no codec the router sends. */
function alignWithRouter(
  caps: types.RtpCapabilities,
  router: types.RtpCapabilities,
  kinds: Set<types.MediaKind>,
): types.RtpCapabilities {
  const codecs = (caps.codecs ?? []).filter((codec) => numberedAlike(codec, router));
  for (const kind of kinds) {
    if (codecs.some((codec) => codec.kind === kind && !/\/rtx$/i.test(codec.mimeType))) continue;
    const sent = (router.codecs ?? []).filter(
      (c) => c.kind === kind && !/\/rtx$/i.test(c.mimeType),
    );
    const offered = (caps.codecs ?? []).filter((c) =>
      sent.some((own) => own.mimeType.toLowerCase() === c.mimeType.toLowerCase()),
    );
    throw invalid(
      offered.length
        ? `the offer numbers ${offered.map((c) => `${c.mimeType} as ${c.preferredPayloadType}`).join(', ')}; ` +
            `the host sends ${sent.map((c) => `${c.mimeType} as ${c.preferredPayloadType}`).join(', ')} ` +
            '(routerRtpCapabilities in downstream-access-granted)'
        : `the offer receives no ${kind} codec the host sends (${sent.map((c) => c.mimeType).join(', ')})`,
    );
  }
  const headerExtensions = (caps.headerExtensions ?? []).filter((ext) =>
    router.headerExtensions?.some(
      (own) => own.kind === ext.kind && own.uri === ext.uri && own.preferredId === ext.preferredId,
    ),
  );
  return { codecs, headerExtensions };
}

/**
 * Reads a receive offer. Refuses (invalid_sdp) an SDP that is not an offer,
 * has no audio or video m-section, or where an open m-section's kind has no
 * codec the host sends, numbered as the host numbers it; m-sections of one kind must agree on payload types
 * (as every browser's do), since one consumer set serves them all.
 */
export function parseReceiveOffer(
  sdp: string,
  routerCapabilities: types.RtpCapabilities,
): ParsedReceiveOffer {
  const session = parseValidSdp(sdp);
  const sections: ReceiveSection[] = [];
  const byKind = new Map<types.MediaKind, types.RtpCapabilities>();
  for (const media of session.media) {
    if (media.type !== 'audio' && media.type !== 'video') continue;
    if (media.mid === undefined) throw invalid('every m-section needs a=mid (unified plan)');
    const kind = media.type;
    const open =
      media.port !== 0 &&
      (media.direction === undefined ||
        media.direction === 'recvonly' ||
        media.direction === 'sendrecv');
    sections.push({ mid: String(media.mid), kind, open, media });
    if (!open) continue;
    const caps = sectionCapabilities(media, kind);
    const earlier = byKind.get(kind);
    if (!earlier) byKind.set(kind, caps);
    else if (
      caps.codecs!.some((codec) =>
        earlier.codecs!.some(
          (other) =>
            other.preferredPayloadType === codec.preferredPayloadType &&
            other.mimeType.toLowerCase() !== codec.mimeType.toLowerCase(),
        ),
      )
    )
      throw invalid(`a=mid:${String(media.mid)} numbers its codecs unlike the earlier ${kind}`);
  }
  if (sections.length === 0) throw invalid('the offer has no audio or video m-section');
  const dtlsParameters = remoteDtlsParameters(session, 'offer');
  const rtpCapabilities = alignWithRouter(
    {
      codecs: [...byKind.values()].flatMap((caps) => caps.codecs!),
      headerExtensions: [...byKind.values()].flatMap((caps) => caps.headerExtensions!),
    },
    routerCapabilities,
    new Set(byKind.keys()),
  );
  return { session, iceUfrag: iceUfragOf(session), dtlsParameters, sections, rtpCapabilities };
}
