import type { types } from 'mediasoup';
import { HostError } from '../host/host-error';
import type { Peer, ProducerAppData } from './peer';
import type { RoomRouters } from './room-routers';

export interface ConsumePeerOptions {
  /** The receive transport to use; the peer's mediasoup-form one when not given. */
  recv?: types.WebRtcTransport;
  /** The spatial layer video starts on. */
  spatialLayer?: number;
}

export interface ConsumeOptions {
  rtpCapabilities: types.RtpCapabilities;
  paused: boolean;
  mid?: string;
  spatialLayer?: number;
}

/**
 * How a room makes consumers: one peer receiving another's producers, piped
 * first to the receiver's router when the two live on different ones.
 */
export class RoomConsumers {
  constructor(
    private readonly routers: RoomRouters,
    /** A consumer went away because its producer did; `peer` is the consumer's owner. */
    private readonly onProducerClosed: (peer: Peer, consumerId: string, producerId: string) => void,
  ) {}

  /**
   * Consumers on `consumerPeer`'s receive transport (or `recv`) for every producer of
   * `producerPeer` it does not consume yet (mediasoup form), made side by side.
   * They start paused: the client resumes each once its track is wired up, so
   * no keyframe is lost. Video starts on `spatialLayer` when given.
   */
  async consumePeer(
    consumerPeer: Peer,
    producerPeer: Peer,
    options: ConsumePeerOptions = {},
  ): Promise<types.Consumer[]> {
    const rtpCapabilities = consumerPeer.rtpCapabilities;
    if (!consumerPeer.entered || !rtpCapabilities) {
      throw new HostError(
        'out_of_order',
        consumerPeer.entered
          ? 'this peer entered without rtpCapabilities: send downstream-offer with an sdpOffer (seed form)'
          : 'enter the room (upstream-peer-enter) before asking for streams',
      );
    }
    const recv =
      options.recv ??
      [...consumerPeer.transports.values()].find(
        (t) => t.appData.direction === 'recv' && !t.appData.sdp,
      );
    if (!recv) throw new HostError('out_of_order', 'no receive transport');
    const consumed = new Set(
      [...consumerPeer.consumers.values()].map((consumer) => consumer.producerId),
    );
    const wanted = [...producerPeer.producers.values()].filter((p) => !consumed.has(p.id));
    const made = await Promise.allSettled(
      wanted.map((producer) =>
        this.consume(consumerPeer, producerPeer, producer, recv, {
          rtpCapabilities,
          paused: true,
          spatialLayer: options.spatialLayer,
        }),
      ),
    );
    const consumers = made.flatMap((result) =>
      result.status === 'fulfilled' && result.value ? [result.value] : [],
    );
    const failed = made.find((result) => result.status === 'rejected');
    if (failed) {
      // All or nothing, as when they were made one by one: no consumer the client never hears of.
      for (const consumer of consumers) consumer.close();
      throw failed.reason;
    }
    return consumers;
  }

  /**
   * One consumer of `producer` on `recv`, one of `consumerPeer`'s transports;
   * undefined when the receiver cannot decode any of its codecs.
   */
  async consume(
    consumerPeer: Peer,
    producerPeer: Peer,
    producer: types.Producer<ProducerAppData>,
    recv: types.WebRtcTransport,
    options: ConsumeOptions,
  ): Promise<types.Consumer | undefined> {
    await this.routers.bringTo(producer, producerPeer.placement, consumerPeer.placement);
    const { rtpCapabilities } = options;
    if (!consumerPeer.placement.router.canConsume({ producerId: producer.id, rtpCapabilities }))
      return undefined;
    const consumer = await recv.consume({
      producerId: producer.id,
      rtpCapabilities,
      paused: options.paused,
      ...(options.mid !== undefined ? { mid: options.mid } : {}),
      ...(options.spatialLayer !== undefined && producer.kind === 'video'
        ? { preferredLayers: { spatialLayer: options.spatialLayer } }
        : {}),
      appData: { source: producer.appData.source },
    });
    consumerPeer.consumers.set(consumer.id, consumer);
    consumer.observer.on('close', () => consumerPeer.consumers.delete(consumer.id));
    consumer.on('producerclose', () =>
      this.onProducerClosed(consumerPeer, consumer.id, consumer.producerId),
    );
    return consumer;
  }
}
