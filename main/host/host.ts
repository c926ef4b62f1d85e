import { randomBytes } from 'node:crypto';
import type { Server as HttpsServer } from 'node:https';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Presence } from '../presence/presence';
import { RestDoor } from '../rest-api/rest-door';
import { RoomRegistry } from '../sfu/rooms';
import { WorkerPool } from '../sfu/worker-pool';
import { ClientDoor } from '../signaling/client-door';
import { ServiceApi } from '../signaling/services';
import { SessionRegistry } from '../signaling/session';
import { lockDataDir } from '../storage/data-dir-lock';
import { openDatabase } from '../storage/database';
import { securePrivateDir, tightenFiles } from '../storage/private-dir';
import { HubStore, type Hub } from '../storage/hub-store';
import type { HostConfig } from './config';
import type { Knock } from '../../shared/protocol/moderation';
import { createLogger, type Logger } from './logger';
import { lanAddresses, localName } from './network';
import { Advertiser } from '../discovery/advertiser';
import { CertificateKeeper } from './certificate-keeper';
import { closeServer } from './close-server';
import { createHttpServer } from './http-server';
import { findFfmpeg } from '../recording/ffmpeg';
import { Recordings } from '../recording/recordings';

export interface RunningHost {
  /** Base URLs people open, LAN addresses first. */
  urls: string[];
  /** The same by the name the host answers to over multicast DNS (https://alices-laptop.local:8443/), when it announces itself. */
  localUrl: string | undefined;
  /** The meeting's name on the network and on the join page. */
  meetingName: string;
  port: number;
  /** SHA-256 fingerprint of the HTTPS certificate (as it is now: it is renewed before it expires); undefined with --insecure-http. */
  readonly fingerprint: string | undefined;
  /** The host's hub as it is now (its invite secret changes when an admin makes a new link). */
  readonly hub: Hub;
  /** Links that let someone join the host's hub: as a member (the current invite), or as its owner. */
  readonly inviteUrl: string;
  readonly ownerUrl: string;
  /** Bearer token for the REST API (seed 002). */
  apiToken: string;
  /** "udp 192.168.1.20:40000", ...: what a firewall must let through. */
  mediaSockets: string[];
  store: HubStore;
  rooms: RoomRegistry;
  pool: WorkerPool;
  recordings: Recordings;
  /**
   * Stops the host. By default the meeting ends for everyone, on purpose:
   * clients are told the host ended it. `{ restarting: true }` (a supervisor
   * restarts the host) says nothing, so clients rejoin once it is back.
   */
  close(options?: { restarting?: boolean }): Promise<void>;
}

export interface HostEvents {
  /** The host can no longer carry media (no mediasoup worker can start): exit non-zero so a supervisor restarts it. */
  onFatal?(error: Error): void;
  /** Someone asks to join a locked meeting (the desktop app shows a notification). */
  onKnock?(knock: Knock): void;
  /** An admin made a new invite link: the old one no longer works. */
  onInviteRotated?(inviteUrl: string): void;
}

/** How often the host forgets accounts that stayed away too long. */
const FORGET_SWEEP_MS = 60 * 60_000;

/**
 * The meeting host: mediasoup workers, the rooms, storage and presence, and
 * the HTTP(S) server with the client door. The desktop app and `npm run host`
 * both run this.
 */
export async function startHost(
  config: HostConfig,
  log: Logger = createLogger(config.logLevel),
  events: HostEvents = {},
): Promise<RunningHost> {
  await securePrivateDir(config.dataDir, log);
  // One host per data directory; a host that fails to start lets go of it.
  const unlock = lockDataDir(config.dataDir, log);
  try {
    return await startLockedHost(config, log, events, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function startLockedHost(
  config: HostConfig,
  log: Logger,
  events: HostEvents,
  unlock: () => void,
): Promise<RunningHost> {
  const db = openDatabase(join(config.dataDir, 'roundtable.db'), log);
  // A new database file (and its -wal and -shm, which SQLite gives the database's mode) is private too.
  await tightenFiles(config.dataDir);
  const store = new HubStore(db, { forgetAbsentAfterMs: config.forgetAbsentAfterMs });
  store.resetOnlineStatuses();
  const defaultHub = store.defaultHub();
  const hubId = defaultHub.id;
  const meetingName = config.meetingName ?? `Roundtable on ${hostname()}`;
  if (defaultHub.name !== meetingName) {
    try {
      store.renameHub(hubId, meetingName);
    } catch (error) {
      log.warn({ err: error }, 'could not store the meeting name now');
    }
  }
  const forgetAbsent = () => {
    try {
      const forgotten = store.forgetAbsent();
      if (forgotten) log.info({ forgotten }, 'forgot accounts that stayed away too long');
    } catch (error) {
      log.warn({ err: error }, 'could not forget absent accounts now; trying again later');
    }
  };
  forgetAbsent();
  const forgetTimer = setInterval(forgetAbsent, FORGET_SWEEP_MS);
  forgetTimer.unref();
  const addresses = config.announcedIps.length ? config.announcedIps : lanAddresses();
  const certificates = config.insecureHttp
    ? undefined
    : await CertificateKeeper.load(
        {
          dataDir: config.dataDir,
          addresses,
          names: [localName()],
          certFile: config.certFile,
          keyFile: config.keyFile,
        },
        log,
      );
  const certificate = certificates?.current;
  if (certificate) await tightenFiles(config.dataDir);

  const pool = await WorkerPool.create(
    { count: config.workers, rtcPort: config.rtcPort, addresses, workerBin: config.workerBin },
    log,
  );
  pool.on('fatal', (error) => {
    log.fatal({ err: error }, 'no mediasoup worker can run: the host cannot carry media');
    events.onFatal?.(error);
  });
  const rooms = new RoomRegistry(pool, config.peersPerRouter);
  const recordings = await Recordings.open(config.dataDir, log, {
    tool: await findFfmpeg(
      config.ffmpegPath ? { ROUNDTABLE_FFMPEG: config.ffmpegPath } : undefined,
    ),
  });
  const sessions = new SessionRegistry();
  // Presence publishes through the door, which is created right after it.
  const presence = new Presence(
    store,
    (hubId, userId, online) => door.publishPresence(hubId, userId, online),
    { log },
  );
  const door = new ClientDoor({
    store,
    rooms,
    sessions,
    presence,
    log,
    recordings,
    limits: config.socketLimits,
    timings: config.membershipTimings,
    onKnock: (knock) => events.onKnock?.(knock),
  });
  const services = new ServiceApi({
    store,
    rooms,
    sessions,
    presence,
    log,
    recordings,
    guestSignUps: config.guestSignUps,
    onRevoked: (_hubId, userId, message) => door.revoke(userId, message),
    onInviteRotated: () => events.onInviteRotated?.(joinLink(currentHub().inviteSecret)),
  });
  const apiToken = config.apiToken ?? store.getSetting('api_token') ?? newApiToken(store);

  const app = await createHttpServer({
    log,
    certificate,
    clientDoor: { services, door },
    extraOrigins: config.extraOrigins,
    restApi: {
      door: new RestDoor(rooms, hubId),
      apiToken,
      recording: {
        recordings,
        rooms,
        hubId,
        meetingRoomId: () => store.roomIdFor(hubId, 'meeting'),
      },
    },
    webClientDir: config.webClientDir,
  });

  let advertiser: Advertiser | undefined;
  const closeAll = async ({ restarting = false } = {}) => {
    clearInterval(forgetTimer);
    // While media still flows, so every track file is finished properly.
    await recordings.close();
    await advertiser?.stop();
    certificates?.stop();
    await door.closeAll(!restarting);
    await closeServer(app);
    rooms.closeAll(restarting ? 'media_restarted' : 'host_ended');
    pool.close();
    presence.close();
    db.close();
    unlock();
  };
  try {
    await app.listen({ port: config.port, host: config.listenIp });
  } catch (error) {
    await closeAll();
    throw error;
  }
  const port = (app.server.address() as { port: number }).port;
  certificates?.watch(app.server as HttpsServer);
  // Announced on the LAN only: a host on loopback alone has nobody to tell.
  const lanAddress = addresses.find((ip) => !ip.startsWith('127.') && ip !== '::1');
  if (config.discovery && lanAddress)
    advertiser = Advertiser.start(
      {
        name: meetingName,
        port,
        hostName: localName(),
        fingerprint: certificates?.current.fingerprint,
        interfaceAddress: lanAddress,
      },
      log,
    );
  const scheme = certificate ? 'https' : 'http';
  const urls = addresses.map((ip) => `${scheme}://${ip}:${port}/`);
  const localUrl = advertiser ? `${scheme}://${localName()}:${port}/` : undefined;
  function joinLink(secret: string): string {
    // The fingerprint as it is now: a long-running host renews its certificate.
    const fingerprint = certificates?.current.fingerprint;
    return (
      `${urls[0]}#/join?hub=${hubId}&invite=${encodeURIComponent(secret)}` +
      // The fingerprint as people read it: colons are fine in a URL fragment.
      (fingerprint ? `&fp=${fingerprint}` : '')
    );
  }
  // Read when asked: an admin may have made a new invite since the host started.
  let lastHub = store.getHub(hubId)!;
  function currentHub(): Hub {
    try {
      lastHub = store.getHub(hubId) ?? lastHub;
    } catch {
      // Storage unavailable: the last one read.
    }
    return lastHub;
  }

  return {
    urls,
    localUrl,
    meetingName,
    port,
    get fingerprint() {
      return certificates?.current.fingerprint;
    },
    get hub() {
      return currentHub();
    },
    apiToken,
    get inviteUrl() {
      return joinLink(currentHub().inviteSecret);
    },
    get ownerUrl() {
      return joinLink(currentHub().ownerKey);
    },
    mediaSockets: await pool.mediaSockets(),
    store,
    rooms,
    pool,
    recordings,
    close: closeAll,
  };
}

/** The REST API's secret, made on first run and kept with the host's data. */
function newApiToken(store: HubStore): string {
  const token = randomBytes(24).toString('base64url');
  store.setSetting('api_token', token);
  return token;
}
