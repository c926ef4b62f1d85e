import { MessageRejectedError } from '../../../shared/client/message-socket';

/** Words for a chat, hand or reaction request the host refused or that could not be sent. */
export function describeToolError(error: unknown): string {
  if (error instanceof MessageRejectedError) {
    if (error.reason === 'rate_limited')
      return 'Slow down: that was a lot in a short time. Try again in a few seconds.';
    return `Not sent: ${error.message}`;
  }
  return 'Not sent: you are not connected to the meeting right now.';
}
