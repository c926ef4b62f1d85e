import { createContext, useContext } from 'react';
import type { MeetingClient } from './meeting-client';

/** The meeting client for the component tree; tests provide their own. */
export const MeetingClientContext = createContext<MeetingClient | null>(null);

export function useMeetingClient(): MeetingClient {
  const client = useContext(MeetingClientContext);
  if (!client) throw new Error('MeetingClientContext is not provided');
  return client;
}
