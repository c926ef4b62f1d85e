import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * A <video> showing one track. Local views are mirrored, like a mirror. It
 * shows from its first frame on: a tile that moves (to the spotlight and
 * back) gets a new element, which lets the tile show through until then, not black.
 */
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
  const [showing, setShowing] = useState(false);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = new MediaStream([track]);
  }, [track, ref]);
  const classes = [showing ? 'showing' : 'starting'];
  if (mirrored) classes.push('mirrored');
  return (
    <video
      ref={ref}
      autoPlay
      playsInline
      muted
      aria-label={label}
      className={classes.join(' ')}
      onLoadedData={() => setShowing(true)}
    />
  );
}
