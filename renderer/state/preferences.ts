import type { JoinTarget } from './store';

/**
 * What the client remembers between visits, in localStorage: the display
 * name, recent hosts (to rejoin in one click) and the credential each host
 * issued, so a returning person keeps their identity and hub membership.
 */

const KEY = 'roundtable.preferences.v1';
const MAX_RECENT = 6;

export interface Credential {
  auth: string;
  userId: string;
  fullname: string;
  /** The hub privilege it was issued with (PRIVILEGE; 0 a visitor); unknown for ones kept before it was. */
  privilege?: number;
}

export interface Preferences {
  displayName: string;
  recentHosts: (JoinTarget & { lastJoined: number })[];
  credentials: Record<string, Credential>;
}

const EMPTY: Preferences = { displayName: '', recentHosts: [], credentials: {} };

export function loadPreferences(storage: Storage = localStorage): Preferences {
  try {
    const stored = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<Preferences> | null;
    return { ...EMPTY, ...stored };
  } catch {
    return EMPTY;
  }
}

function save(preferences: Preferences, storage: Storage): void {
  storage.setItem(KEY, JSON.stringify(preferences));
}

const credentialKey = (target: Pick<JoinTarget, 'origin' | 'hubId'>) =>
  `${target.origin}|${target.hubId}`;

export function credentialFor(
  target: JoinTarget,
  storage: Storage = localStorage,
): Credential | undefined {
  return loadPreferences(storage).credentials[credentialKey(target)];
}

/**
 * Remembers a successful join: name, credential and the host at the top of
 * the recent list. Joined without an invite (asking at the lobby), the
 * invite an earlier join had is kept for the next time.
 */
export function rememberJoin(
  target: JoinTarget,
  credential: Credential,
  storage: Storage = localStorage,
): void {
  const preferences = loadPreferences(storage);
  const same = (recent: JoinTarget) => credentialKey(recent) === credentialKey(target);
  const invite = target.invite ?? preferences.recentHosts.find(same)?.invite ?? null;
  const others = preferences.recentHosts.filter((recent) => !same(recent));
  save(
    {
      displayName: credential.fullname,
      recentHosts: [{ ...target, invite, lastJoined: Date.now() }, ...others].slice(0, MAX_RECENT),
      credentials: { ...preferences.credentials, [credentialKey(target)]: credential },
    },
    storage,
  );
}

export function forgetCredential(target: JoinTarget, storage: Storage = localStorage): void {
  const preferences = loadPreferences(storage);
  const { [credentialKey(target)]: _forgotten, ...credentials } = preferences.credentials;
  save({ ...preferences, credentials }, storage);
}

/**
 * Reads an invite link (https://host:8443/#/join?hub=…&invite=…&fp=…), with or
 * without its scheme. Returns null when it is not one: the invite secret is
 * what lets someone in, so a bare host address is not enough.
 */
export function parseInvite(text: string): JoinTarget | null {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const query = new URLSearchParams(url.hash.replace(/^#\/join\??/, ''));
  const hubId = query.get('hub');
  const invite = query.get('invite');
  if (!hubId || !invite) return null;
  return { origin: url.origin, hubId, invite, fingerprint: query.get('fp') };
}
