import { Bonjour, type Service } from 'bonjour-service';
import type { Logger } from '../host/logger';

/** The DNS-SD service type meetings are announced as: `_roundtable._tcp.local`. */
export const SERVICE_TYPE = 'roundtable';

export interface Announcement {
  /** The meeting's name, as people pick it from a list ("Design review"). */
  name: string;
  port: number;
  /** The name the host answers to over multicast DNS (alices-laptop.local). */
  hostName: string;
  /** SHA-256 of the HTTPS certificate, so a client can pin it; absent over plain HTTP. */
  fingerprint: string | undefined;
  /** The LAN address whose interface carries the announcements. */
  interfaceAddress: string;
}

/**
 * Announces the host on the LAN with DNS-SD over multicast DNS: the
 * meeting's name, port and certificate fingerprint (never a secret: no
 * invite, no key), and answers for its `.local` name with its addresses, so
 * `https://alices-laptop.local:8443/` works where mDNS resolution does.
 */
export class Advertiser {
  private constructor(
    private readonly bonjour: Bonjour,
    private readonly service: Service,
  ) {}

  static start(announcement: Announcement, log: Logger): Advertiser {
    // Multicast leaves through the LAN interface only; every interface's queries are heard.
    const network = { interface: announcement.interfaceAddress, bind: '0.0.0.0' };
    const bonjour = new Bonjour(network as object, (error: Error) =>
      log.warn(
        { err: error },
        'multicast DNS failed: the meeting may not be listed on the network',
      ),
    );
    const service = bonjour.publish({
      name: announcement.name,
      type: SERVICE_TYPE,
      protocol: 'tcp',
      port: announcement.port,
      host: announcement.hostName,
      // Another meeting with the same name on the LAN: say so rather than answer for it.
      probe: true,
      txt: {
        v: '1',
        ...(announcement.fingerprint ? { fp: announcement.fingerprint } : {}),
      },
    });
    service.on('error', (error: Error) =>
      log.warn(
        { err: error, name: announcement.name },
        'another host on the network announces a meeting with this name: give this one another with --name',
      ),
    );
    return new Advertiser(bonjour, service);
  }

  /** Says goodbye on the network (clients drop it from their lists) and stops answering. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => this.bonjour.destroy(() => resolve());
      if (this.service.published) this.service.stop?.(done);
      else done();
    });
  }
}
