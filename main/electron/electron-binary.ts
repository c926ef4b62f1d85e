// Where the Electron executable is, if it was downloaded. Electron fetches it
// on first use (requiring the package starts that download), so this reads
// the package's own record instead of requiring it. Runs directly with
// Node 24 too: `node main/electron/electron-binary.ts` prints the path or fails.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinary(): string | undefined {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const executable = join(
      packageDir,
      'dist',
      readFileSync(join(packageDir, 'path.txt'), 'utf8').trim(),
    );
    return existsSync(executable) ? executable : undefined;
  } catch {
    return undefined;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = electronBinary();
  if (found) console.log(found);
  else process.exit(1);
}
