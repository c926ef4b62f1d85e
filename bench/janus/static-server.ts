import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Serves `files` (name → content) over HTTP on 127.0.0.1, from a Node
 * process started with `prefix` in front (the benchmark's namespace), so
 * Chromium there loads the Janus page from loopback: a page Playwright
 * routes counts as public to Chromium's Local Network Access and may not
 * reach 127.0.0.1. The server exits with its parent (stdin closes).
 */
export async function startStaticServer(
  prefix: string[],
  files: Record<string, string>,
): Promise<{ origin: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'roundtable-peer-page-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const source = `
    const http = require('node:http'), fs = require('node:fs'), path = require('node:path');
    const dir = ${JSON.stringify(dir)};
    const types = { '.html': 'text/html', '.js': 'text/javascript' };
    const server = http.createServer((request, response) => {
      const name = path.basename(new URL(request.url, 'http://x').pathname) || 'index.html';
      fs.readFile(path.join(dir, name), (error, body) => {
        if (error) return response.writeHead(404).end();
        response.writeHead(200, {
          'content-type': types[path.extname(name)] || 'application/octet-stream',
          'cache-control': 'no-store',
        });
        response.end(body);
      });
    });
    server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
    process.stdin.on('end', () => process.exit(0)).resume();
  `;
  const command = [...prefix, process.execPath, '-e', source];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const port = await new Promise<number | undefined>((done) => {
    const timer = setTimeout(() => done(undefined), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        done(Number(match[1]));
      }
    });
    child.on('exit', () => done(undefined));
  });
  if (port === undefined) {
    stop();
    throw new Error('the page server did not start');
  }
  return { origin: `http://127.0.0.1:${port}`, stop };
}
