import { useEffect } from 'react';
import { create } from 'zustand';
import { ServiceClient } from '../../../shared/client/service-client';
import { checkInvite, type InviteCheck } from '../../meeting/hub-access';
import type { JoinTarget } from '../../state/store';

/** A host that does not answer a check in this long is reported as unreachable. */
const CHECK_TIMEOUT_MS = 10_000;

const NO_INVITE: InviteCheck = { state: 'none' };

const keyOf = (target: JoinTarget) => `${target.origin}|${target.hubId}|${target.invite}`;

/**
 * What the host said about each invite this page opened (hub.check_invite):
 * the pre-join screen asks as soon as it opens, the room's invite card reuses
 * the answer for the link to share.
 */
const useChecks = create<{ checks: Record<string, InviteCheck> }>()(() => ({ checks: {} }));

function setCheck(key: string, check: InviteCheck) {
  useChecks.setState((s) => ({ checks: { ...s.checks, [key]: check } }));
}

/** Asks the host about `target`'s invite (again, after `force`); answers land in the store. */
export function requestInviteCheck(target: JoinTarget, force = false): void {
  // Nothing to ask about without an invite (someone asking at the lobby).
  if (target.invite === null) return;
  const key = keyOf(target);
  const known = useChecks.getState().checks[key];
  if (known && !force && (known.state === 'checking' || known.state === 'valid')) return;
  setCheck(key, { state: 'checking' });
  const services = new ServiceClient(target.origin, (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) }),
  );
  void checkInvite(target, services).then((check) => setCheck(key, check));
}

/**
 * The host's word on `target`'s invite, asked for when first needed (and
 * again on mount when it could not be had). `retry` asks again.
 */
export function useInviteCheck(target: JoinTarget | null): {
  check: InviteCheck;
  retry(): void;
} {
  const key = target ? keyOf(target) : null;
  const check = useChecks((s) => (key ? s.checks[key] : undefined));
  useEffect(() => {
    if (target) requestInviteCheck(target);
    // The key names the target: a new object for the same meeting asks nothing new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return {
    check: target?.invite === null ? NO_INVITE : (check ?? { state: 'checking' }),
    retry: () => {
      if (target) requestInviteCheck(target, true);
    },
  };
}
