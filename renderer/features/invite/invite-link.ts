import type { JoinTarget } from '../../state/store';

/**
 * Invite links: https://192.168.1.20:8443/#/join?hub=…&invite=…&fp=… (the
 * host prints them; `fp` only over https). Reading one says what is wrong
 * with it in words for people; building one for sharing takes the invite
 * secret the host said to share, never the invite the link was opened with
 * (which may be the owner key).
 */

const EXAMPLE = 'https://192.168.1.20:8443/#/join?hub=…&invite=…';
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/i;
const CUT_OFF = 'It was probably cut off when it was copied: ask the host for the whole link.';

export type JoinLinkReading = { target: JoinTarget } | { problem: string };

/** Whether an address's fragment is (the start of) a join link: `#/join…`, or one cut inside `#/join`. */
export function isJoinHash(hash: string): boolean {
  return hash.startsWith('#/join') || (hash.length > 2 && '#/join'.startsWith(hash));
}

/** Reads an invite link, with or without its scheme: the meeting it names, or what is wrong with it. */
export function readJoinLink(text: string): JoinLinkReading {
  const notALink = {
    problem: `That is not an invite link. It looks like ${EXAMPLE} — ask the host for it.`,
  };
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return notALink;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return notALink;
  if (!isJoinHash(url.hash)) return notALink;
  const query = new URLSearchParams(url.hash.replace(/^#\/join\??/, ''));
  const hubId = query.get('hub');
  const invite = query.get('invite');
  const fingerprint = query.get('fp');
  if (!hubId)
    return { problem: `This invite link is incomplete: it does not say which meeting. ${CUT_OFF}` };
  if (!invite)
    return { problem: `This invite link is incomplete: its invite secret is missing. ${CUT_OFF}` };
  if (fingerprint !== null && !FINGERPRINT.test(fingerprint))
    return {
      problem: `This invite link is incomplete: the host's certificate fingerprint at its end is cut short. ${CUT_OFF}`,
    };
  return { target: { origin: url.origin, hubId, invite, fingerprint } };
}

/**
 * The link to share for a meeting: its host and hub, with `shareInvite`, the
 * invite secret the host gave for sharing (hub.check_invite). The invite the
 * target was opened with is never used: it may be the owner key.
 */
export function inviteLinkFor(
  target: Pick<JoinTarget, 'origin' | 'hubId' | 'fingerprint'>,
  shareInvite: string,
): string {
  return (
    `${target.origin}/#/join?hub=${encodeURIComponent(target.hubId)}` +
    `&invite=${encodeURIComponent(shareInvite)}` +
    // Readable, as the host prints it: colons are fine in a fragment.
    (target.fingerprint ? `&fp=${target.fingerprint}` : '')
  );
}

/**
 * What to open for a meeting on another host: its invite link, or, for one
 * joined without an invite (asking at the lobby), the host's address.
 */
export function addressFor(target: JoinTarget): string {
  return target.invite === null ? `${target.origin}/` : inviteLinkFor(target, target.invite);
}
