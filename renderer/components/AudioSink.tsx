import { useEffect, useRef } from 'react';
import { routeToSpeaker, useSpeaker } from '../meeting/media';

/** Plays one remote audio track, on the speaker chosen in the device lists. */
export function AudioSink({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLAudioElement>(null);
  const sinkId = useSpeaker((s) => s.sinkId);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = new MediaStream([track]);
  }, [track]);
  useEffect(() => {
    if (ref.current) void routeToSpeaker(ref.current, sinkId);
  }, [sinkId]);
  return <audio ref={ref} autoPlay />;
}
