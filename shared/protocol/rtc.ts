import { z } from 'zod';

// Shapes of the mediasoup parameters carried by WebSocket messages. They are
// checked here only as far as the host relies on them; mediasoup validates
// the details itself and its errors are reported back to the client.

export const dtlsParametersSchema = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(z.looseObject({ algorithm: z.string().min(1), value: z.string().min(1) }))
    .min(1),
});

export const rtpParametersSchema = z.looseObject({
  mid: z.string().optional(),
  codecs: z
    .array(
      z.looseObject({
        mimeType: z.string().min(1),
        payloadType: z.number().int().min(0).max(127),
        clockRate: z.number().int().positive(),
      }),
    )
    .min(1),
  encodings: z.array(z.looseObject({})).optional(),
  headerExtensions: z.array(z.looseObject({})).optional(),
  rtcp: z.looseObject({}).optional(),
});

export const rtpCapabilitiesSchema = z.looseObject({
  codecs: z
    .array(z.looseObject({ mimeType: z.string(), kind: z.enum(['audio', 'video']) }))
    .optional(),
  headerExtensions: z.array(z.looseObject({})).optional(),
});

export const mediaKindSchema = z.enum(['audio', 'video']);

/** What a producer carries, so clients can lay it out (a screen share is shown large). */
export const mediaSourceSchema = z.enum(['microphone', 'camera', 'screen', 'screen-audio']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;
