import { useEffect, useRef, type RefObject } from 'react';

/** A <video> showing one track. Local views are mirrored, like a mirror. */
export function VideoView({
  track,
  mirrored = false,
  label,
  videoRef,
}: {
  track: MediaStreamTrack;
  mirrored?: boolean;
  label: string;
  videoRef?: RefObject<HTMLVideoElement | null>;
}) {
  const ownRef = useRef<HTMLVideoElement>(null);
  const ref = videoRef ?? ownRef;
  useEffect(() => {
    if (ref.current) ref.current.srcObject = new MediaStream([track]);
  }, [track, ref]);
  return (
    <video
      ref={ref}
      autoPlay
      playsInline
      muted
      aria-label={label}
      className={mirrored ? 'mirrored' : undefined}
    />
  );
}
