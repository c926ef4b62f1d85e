import { useState } from 'react';
import { noticeSoundOn, setNoticeSound } from './chime';

/** The setting for the join and leave chime, kept in this browser. */
export function NoticeSoundToggle() {
  const [on, setOn] = useState(() => noticeSoundOn());
  return (
    <label className="notice-sound-toggle">
      <input
        type="checkbox"
        checked={on}
        onChange={(event) => {
          setNoticeSound(event.target.checked);
          setOn(event.target.checked);
        }}
      />
      Play a sound when people join or leave
    </label>
  );
}
