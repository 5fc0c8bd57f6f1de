// The server as one bundle (issue 14: the start, and so the reconnect storm after a restart).
// Unbundled, Node's module loader read, resolved and instantiated about 700 files at every
// start: a third of its 0.7 s, and more while 10,000 clients knock at the closed port
// (docs/BENCHMARKS.md, "The start as one bundle"). esbuild bundles what tsc emitted, with every
// package, into dist/server/bundle/; what the server loads only on demand (PostgreSQL, Redis, the
// feed parsers, migrate-to-postgres) stays in chunks of its own, loaded on demand as before.
// dist/server/cli.js, the entry every doc and script names, becomes one line that imports it.
//
// The tsc tree stays beside it and is still used: the journal fold's worker thread runs
// dist/server/store/lowdb/foldWorker.js, and the blog's static files are in
// dist/server/web/static/. Modules that find those through `import.meta.url` keep doing so: in
// the bundle, each of Tidings' own modules reads `import.meta.url` as its own file's URL
// (keepModuleUrls), not the chunk's.
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';

/** Bundles `<dist>/server/cli.js` and replaces it with an import of the bundle. */
export async function bundleServer(dist) {
  const root = resolve(dist);
  const serverDir = join(root, 'server');
  const bundleDir = join(serverDir, 'bundle');
  const { metafile } = await build({
    entryPoints: { cli: join(serverDir, 'cli.js') },
    outdir: bundleDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    // CommonJS packages in an ES module bundle still require() Node's own modules; esbuild's
    // shim for it calls a `require` when one is in scope.
    banner: {
      js: "import { createRequire as tidingsCreateRequire } from 'node:module'; const require = tidingsCreateRequire(import.meta.url);",
    },
    // esbuild builds the fold worker only when the server runs from TypeScript (foldRunner.ts);
    // the others are optional native add-ons their packages load if present.
    external: ['esbuild', 'bufferutil', 'utf-8-validate', 'pg-native'],
    plugins: [keepModuleUrls(root, bundleDir)],
    metafile: true,
    logLevel: 'warning',
  });
  await writeFile(
    join(serverDir, 'cli.js'),
    '// The server and its packages, bundled by scripts/bundleServer.mjs.\n' +
      "import './bundle/cli.js';\n",
  );
  await writeFile(
    join(bundleDir, 'packages.json'),
    `${JSON.stringify(packagesByFile(metafile, bundleDir), null, 1)}\n`,
  );
}

/** `import.meta.url` in each of Tidings' own modules: its own file's URL, from the bundle's. */
function keepModuleUrls(root, bundleDir) {
  return {
    name: 'keep-module-urls',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /\.js$/ }, async ({ path }) => {
        if (!path.startsWith(root + sep)) return undefined;
        // Read once here and handed to esbuild, which would otherwise read the file again.
        const source = await readFile(path, 'utf8');
        // Every output file is in bundleDir, so one relative URL holds in whichever it lands.
        const url = `new URL(${JSON.stringify(urlPath(bundleDir, path))}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'js' };
      });
    },
  };
}

/**
 * Which packages each output file holds, for test/server/lazyModules.test.ts: the bundle leaves
 * no package name for a module hook to see, so the test maps the files loaded to these.
 */
function packagesByFile(metafile, bundleDir) {
  const byFile = {};
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    const packages = new Set();
    for (const input of Object.keys(inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) packages.add(match[1]);
    }
    byFile[urlPath(bundleDir, resolve(output))] = [...packages].sort();
  }
  return byFile;
}

/** `to` relative to the folder `from`, with `/` between its parts as in a URL. */
function urlPath(from, to) {
  return relative(from, to).split(sep).join('/');
}
