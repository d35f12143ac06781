/**
 * The one build of the Lambda functions: esbuild's JS API, local, offline (never Docker).
 * FargatedFunction bundles with it (through bundle-cli.ts, since CDK's local bundling hook is
 * synchronous and esbuild plugins need the asynchronous API) and bench/bundle measures it, so
 * the bench measures exactly what ships.
 *
 * Output: one file, `index.mjs`, minified ESM for Node.js 24 with the AWS SDK bundled. What
 * the functions import dynamically stays in that file, evaluated on first use (module init
 * stays small). Not code splitting: esbuild's splitting does not keep the evaluation order of
 * modules across chunks, and the API then fails at its first request (zod-openapi's
 * extension of zod runs after schemas that need it are built).
 */
import { build, type BuildOptions, type Metafile } from 'esbuild'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { awsSdkNamedImports, sdkPackageVersionOnly, zodEnglishOnly } from './bundle-plugins.js'

/** The repository root (infra/..), where package.json and functions/ live. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url))

/** The Node.js version the bundles target (the functions' runtime, FUNCTION_RUNTIME). */
export const BUNDLE_TARGET = 'node24'

/**
 * ESM output needs `require` for CommonJS dependencies that call it (esbuild keeps their
 * `require('…')` calls); createRequire provides one bound to the bundle's own URL.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

/** The handler module of a bundle (Lambda handler `index.handler`). */
export const BUNDLE_ENTRY_FILE = 'index.mjs'

/** The esbuild options of one function: `entry` is a file name under functions/ (e.g. 'api.ts'). */
export function functionBuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { index: join(PROJECT_ROOT, 'functions', entry) },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: BUNDLE_TARGET,
    // ESM builds of dependencies first: they tree-shake, CommonJS builds do not.
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: false,
    banner: { js: ESM_REQUIRE_BANNER },
    // No externals: the AWS SDK is bundled too (pinned versions, not whatever the runtime ships).
    plugins: [awsSdkNamedImports(), zodEnglishOnly(), sdkPackageVersionOnly()],
    metafile: true,
    logLevel: 'warning',
  }
}

/** Bundles one function into `outdir`; returns esbuild's metafile (inputs and outputs). */
export async function bundleFunction(entry: string, outdir: string): Promise<Metafile> {
  const result = await build(functionBuildOptions(entry, outdir))
  if (!result.metafile) throw new Error('esbuild returned no metafile')
  return result.metafile
}

/**
 * bundleFunction in a child process (bundle-cli.ts under tsx), for callers that must be
 * synchronous (CDK's `local.tryBundle`). Throws with esbuild's output when the build fails.
 */
export function bundleFunctionSync(entry: string, outdir: string): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'infra', 'bundle-cli.ts'), entry, outdir], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (child.error) throw new Error(`cannot run the bundler for functions/${entry}: ${child.error.message}`)
  if (child.status !== 0) {
    throw new Error(`bundling functions/${entry} failed (exit ${child.status ?? child.signal}):\n${child.stderr}${child.stdout}`)
  }
}
