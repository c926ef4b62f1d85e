/** Whether join and leave sounds play (kept in this browser). */
const SOUND_KEY = 'roundtable.notice-sound.v1';

export function noticeSoundOn(storage: Storage = localStorage): boolean {
  return storage.getItem(SOUND_KEY) !== 'off';
}

export function setNoticeSound(on: boolean, storage: Storage = localStorage): void {
  storage.setItem(SOUND_KEY, on ? 'on' : 'off');
}

let context: AudioContext | undefined;

/** A soft two-note chime: rising for a join, falling for a leave. Silent where audio cannot start. */
export function chime(kind: 'joined' | 'left'): void {
  try {
    context ??= new AudioContext();
    const now = context.currentTime;
    const notes = kind === 'joined' ? [523.25, 659.25] : [659.25, 523.25];
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
