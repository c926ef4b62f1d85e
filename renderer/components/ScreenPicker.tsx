import { useEffect, useState } from 'react';
import { desktopBridge, type ScreenSource } from '../../shared/desktop/bridge';

/** The desktop app's screen and window picker, shown when sharing starts. */
export function ScreenPicker() {
  const desktop = desktopBridge();
  const [sources, setSources] = useState<ScreenSource[] | null>(null);

  useEffect(() => desktop?.onScreenPickerRequest(setSources), [desktop]);

  if (!desktop || !sources) return null;
  const choose = (id: string | null) => {
    desktop.chooseScreen(id);
    setSources(null);
  };
  return (
    <div
      className="picker-backdrop"
      role="dialog"
      aria-modal="true"
      aria-label="Choose what to share"
    >
      <div className="card picker">
        <h2>Choose what to share</h2>
        {(['screen', 'window'] as const).map((kind) => (
          <section key={kind}>
            <h3>{kind === 'screen' ? 'Screens' : 'Windows'}</h3>
            <div className="picker-grid">
              {sources
                .filter((source) => source.kind === kind)
                .map((source) => (
                  <button key={source.id} type="button" onClick={() => choose(source.id)}>
                    <img src={source.thumbnailDataUrl} alt="" />
                    <span>{source.name}</span>
                  </button>
                ))}
            </div>
          </section>
        ))}
        <div className="row">
          <button type="button" onClick={() => choose(null)}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
