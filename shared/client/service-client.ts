import {
  AUTH_HEADER,
  type ServiceErrorReason,
  type ServiceName,
  type ServiceRequest,
  type ServiceResponse,
  type ServiceResponseData,
} from '../protocol/services';

/** A service call the host answered with `__status__: "error"`. */
export class ServiceCallError extends Error {
  constructor(
    readonly service: string,
    readonly reason: ServiceErrorReason,
    message: string,
    readonly httpStatus: number,
  ) {
    super(`${service}: ${message}`);
  }
}

/**
 * Calls the host's services (`POST /-/svc/<name>`). Works in browsers and in
 * Node (global fetch); `baseUrl` is the host's origin, e.g. https://192.168.1.20:8443.
 */
export class ServiceClient {
  auth: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  async call<S extends ServiceName>(
    service: S,
    params: Omit<ServiceRequest<S>, 'service'>,
  ): Promise<ServiceResponseData[S]> {
    const response = await this.fetchImpl(new URL(`/-/svc/${service}`, this.baseUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.auth ? { [AUTH_HEADER]: this.auth } : {}),
      },
      body: JSON.stringify({ service, ...params }),
    });
    const envelope = (await response.json()) as ServiceResponse<S>;
    if (envelope.__status__ === 'error') {
      throw new ServiceCallError(
        service,
        envelope.data.reason,
        envelope.data.message,
        response.status,
      );
    }
    return envelope.data;
  }
}
