// `charter docs serve`: the generated site over HTTP on this machine only. GET and HEAD of files under the site's
// folder, nothing else: no listing, no path out of the folder (encoded or not), no symbolic link out of it.
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { error, UserError } from '../diagnostics/diagnostic.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The file a request path names under `root` (a real path), or undefined when it names nothing there: a path that
 * leaves the folder, a malformed escape, a NUL byte, a dot file. `/` and folders mean their index.html.
 */
export function resolveRequestPath(root: string, url: string): string | undefined {
  const raw = url.split(/[?#]/)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const parts = decoded.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p.startsWith('.'))) return undefined;
  const file = path.join(root, ...parts);
  const inside = path.relative(root, file);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
  return parts.length === 0 || decoded.endsWith('/') ? path.join(file, 'index.html') : file;
}

export interface ServeOptions {
  readonly dir: string;
  readonly port: number;
  readonly host: string;
}

export async function serveDocs(options: ServeOptions): Promise<{ server: Server; url: string }> {
  if (!existsSync(path.join(options.dir, 'index.html'))) {
    throw new UserError([error('cli.usage', `no docs site in ${options.dir}`, { hint: 'run `charter docs generate` first, or pass --dir' })]);
  }
  const root = realpathSync(options.dir);
  const server = createServer((request, response) => {
    const refuse = (status: number, text: string): void => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      response.end(`${text}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
    let file = resolveRequestPath(root, request.url ?? '/');
    if (file && existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file || !existsSync(file)) return refuse(404, 'not found');
    // A symbolic link inside the folder must not lead out of it.
    const real = realpathSync(file);
    if (path.relative(root, real).startsWith('..') || !statSync(real).isFile()) return refuse(404, 'not found');
    response.writeHead(200, {
      'content-type': TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    if (request.method === 'HEAD') return void response.end();
    createReadStream(real).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { server, url: `http://${host}:${port}/` };
}
