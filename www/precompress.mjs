// Trunk post-build hook: writes a gzip (.gz) and a brotli (.br) copy beside every text and
// wasm file of the build, for static hosts that serve pre-compressed files (nginx gzip_static /
// brotli_static, Netlify, Cloudflare Pages). Plain hosts ignore them. Node's own zlib, so no tool
// to install.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(wasm|js|mjs|css|html|json|svg)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (COMPRESSIBLE.test(name)) compress(path);
  }
}

function compress(path) {
  const body = readFileSync(path);
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${path}.br`, brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  }));
}

// Trunk runs hooks with the build's staging directory in TRUNK_STAGING_DIR.
walk(process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist');
