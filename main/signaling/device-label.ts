/**
 * A short, human name for the device behind a connection, from its
 * User-Agent: "Chrome on Android", "Safari on iPhone", "Roundtable app on
 * macOS". Admins see it beside a knock's name, so two people called Bob can
 * be told apart before either is let in. It is a hint, not an identity: any
 * client can send any User-Agent.
 */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  if (!browser && !system) return 'an unknown device';
  if (!browser) return `a browser on ${system}`;
  return system ? `${browser} on ${system}` : browser;
}

// Order matters: the first match wins (an iPhone's UA also says "Mac OS X",
// Android's says "Linux", Edge's and Chromium apps' also say "Chrome").
const SYSTEMS: Array<[RegExp, string]> = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux|X11/, 'Linux'],
];

const BROWSERS: Array<[RegExp, string]> = [
  // The desktop app is Electron: its UA says "Electron/" beside Chrome.
  [/Electron\//, 'Roundtable app'],
  [/Edg\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
