import { useEffect, useRef } from 'react';
import { useMeetingClient } from '../meeting/context';
import { VideoView } from './VideoView';

/**
 * A remote video that tells the meeting client where it is: off screen it
 * pauses its consumer, on screen it asks for the simulcast layer its width needs.
 */
export function RemoteVideo({
  track,
  consumerId,
  label,
}: {
  track: MediaStreamTrack;
  consumerId: string;
  label: string;
}) {
  const client = useMeetingClient();
  const videoRef = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let visible = false;
    const report = () =>
      void client.setVideoView(consumerId, {
        visible,
        width: video.clientWidth * (window.devicePixelRatio || 1),
      });
    const intersection = new IntersectionObserver(([entry]) => {
      visible = Boolean(entry?.isIntersecting);
      report();
    });
    const resize = new ResizeObserver(report);
    intersection.observe(video);
    resize.observe(video);
    return () => {
      intersection.disconnect();
      resize.disconnect();
    };
  }, [client, consumerId]);

  return <VideoView track={track} label={label} videoRef={videoRef} />;
}
