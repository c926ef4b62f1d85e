import { useId } from 'react';
import { fingerprintRows } from '../../shared/format/fingerprint';

/**
 * The host's certificate fingerprint for comparing by eye: four rows of eight
 * bytes, as the host's terminal and the browsers' certificate viewers show
 * them, never broken inside a byte.
 */
export function Fingerprint({ fingerprint }: { fingerprint: string }) {
  const labelId = useId();
  return (
    <div className="fingerprint">
      <span id={labelId} className="muted">
        Certificate fingerprint (SHA-256), as the host shows it:
      </span>
      <code aria-labelledby={labelId} data-fingerprint={fingerprint.toUpperCase()}>
        {fingerprintRows(fingerprint).map((row) => (
          <span key={row} className="fingerprint-row">
            {row}
          </span>
        ))}
      </code>
    </div>
  );
}
