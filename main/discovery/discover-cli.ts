import { parseArgs } from 'node:util';
import { findMeetings, type FoundMeeting } from './finder';

// `node dist/main/discover.js [--seconds N]`: lists the meetings announced on
// this network, as JSON lines (one list each time it changes), for N seconds.

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' } } });
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
  console.error('--seconds must be between 0 and 600');
  process.exit(2);
}
let last: FoundMeeting[] = [];
const stop = findMeetings((meetings) => {
  last = meetings;
  console.log(JSON.stringify(meetings));
});
setTimeout(() => {
  stop();
  if (!last.length) console.error('no meeting found on this network');
  process.exit(0);
}, seconds * 1000);
