// Moderation's icons, drawn here as strokes (no icon font, nothing fetched).
const SHAPES = {
  shield: (
    <>
      <path d="M12 3 5 6v5c0 4.6 3 8.4 7 10 4-1.6 7-5.4 7-10V6z" />
      <path d="m9 12 2.2 2.2L15.5 10" />
    </>
  ),
  lock: (
    <>
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V8a4 4 0 0 1 8 0v3" />
    </>
  ),
  person: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c.5-4 4-6 8-6s7.5 2 8 6" />
    </>
  ),
} as const;

export type ModerationIconName = keyof typeof SHAPES;

/** A decorative icon: the control it sits in carries the words. */
export function ModerationIcon({ name, size = 18 }: { name: ModerationIconName; size?: number }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width={size}
      height={size}
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {SHAPES[name]}
    </svg>
  );
}
