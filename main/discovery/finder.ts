import { Bonjour, type Service } from 'bonjour-service';
import type { FoundMeeting } from '../../shared/desktop/bridge';
import { SERVICE_TYPE } from './advertiser';

export type { FoundMeeting };

/**
 * Watches the LAN for meetings (`_roundtable._tcp`): calls `changed` with
 * the whole list whenever a meeting appears, changes or says goodbye.
 * Returns the function that stops watching.
 */
export function findMeetings(changed: (meetings: FoundMeeting[]) => void): () => void {
  const bonjour = new Bonjour();
  const browser = bonjour.find({ type: SERVICE_TYPE, protocol: 'tcp' });
  const report = () => changed(browser.services.map(toMeeting));
  browser.on('up', report);
  browser.on('down', report);
  browser.on('txt-update', report);
  browser.on('srv-update', report);
  return () => {
    browser.stop();
    bonjour.destroy();
  };
}

function toMeeting(service: Service): FoundMeeting {
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  const fingerprint = typeof txt.fp === 'string' ? txt.fp : null;
  const scheme = fingerprint ? 'https' : 'http';
  const addresses = (service.addresses ?? []).filter((address) => !address.includes(':'));
  return {
    name: service.name,
    urls: addresses.map((address) => `${scheme}://${address}:${service.port}/`),
    fingerprint,
    hostName: service.host,
  };
}
