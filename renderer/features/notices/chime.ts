/** Whether join and leave sounds play (kept in this browser). */
const SOUND_KEY = 'roundtable.notice-sound.v1';

export function noticeSoundOn(storage: Storage = localStorage): boolean {
  return storage.getItem(SOUND_KEY) !== 'off';
}

export function setNoticeSound(on: boolean, storage: Storage = localStorage): void {
  storage.setItem(SOUND_KEY, on ? 'on' : 'off');
}

let context: AudioContext | undefined;

/** The notes of each chime: rising for a join, falling for a leave, a rising triple for a knock. */
const NOTES = {
  joined: [523.25, 659.25],
  left: [659.25, 523.25],
  knock: [587.33, 739.99, 880],
} as const;

/** A soft chime for a join, a leave or someone asking to join. Silent where audio cannot start. */
export function chime(kind: keyof typeof NOTES): void {
  try {
    context ??= new AudioContext();
    const now = context.currentTime;
    const notes = NOTES[kind];
    notes.forEach((frequency, i) => {
      const oscillator = context!.createOscillator();
      const gain = context!.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      const start = now + i * 0.12;
      gain.gain.setValueAtTime(0, start);
      gain.gain.linearRampToValueAtTime(0.06, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
      oscillator.connect(gain).connect(context!.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.3);
    });
  } catch {
    // No audio output (or not allowed yet): the toast and the announcement still tell.
  }
}
