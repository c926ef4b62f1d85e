import { useMemo } from 'react';
import { create } from 'qrcode';

/** Modules of white around the code, as scanners expect. */
const QUIET_ZONE = 4;

/**
 * `text` as a QR code, drawn here as SVG (the qrcode package's encoder, no
 * network): dark modules on white whatever the theme, so phones can scan it.
 */
export function QrCode({ text, size, label }: { text: string; size: number; label: string }) {
  const { path, extent } = useMemo(() => {
    const { modules } = create(text, { errorCorrectionLevel: 'M' });
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      for (let column = 0; column < modules.size; column++) {
        if (modules.get(row, column)) d += `M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
      }
    }
    return { path: d, extent: modules.size + 2 * QUIET_ZONE };
  }, [text]);
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${extent} ${extent}`}
      width={size}
      height={size}
      shapeRendering="crispEdges"
    >
      <rect width={extent} height={extent} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
