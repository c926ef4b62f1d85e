import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App';
import { MeetingClientContext } from './meeting/context';
import { MeetingClient } from './meeting/meeting-client';
import { useMeeting } from './state/store';
import './styles.css';

// The web client runs under a CSP without 'unsafe-eval': zod must not probe for eval (a CSP error in the console).
z.config({ jitless: true });

const meetingClient = new MeetingClient(useMeeting);
// Diagnostics for the curious (and for the end-to-end tests): per-stream receive stats.
Object.assign(window, {
  roundtable: {
    videoStats: () => meetingClient.videoStats(),
    audioStats: () => meetingClient.audioStats(),
    diagnostics: () => meetingClient.diagnostics(),
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MeetingClientContext value={meetingClient}>
      <App />
    </MeetingClientContext>
  </StrictMode>,
);
