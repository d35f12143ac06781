/**
 * `tsx infra/bundle-cli.ts <entry> <outdir>`: bundles functions/<entry> into <outdir> with
 * infra/bundle.ts (what FargatedFunction's synchronous bundling hook runs).
 */
import { bundleFunction } from './bundle.js'

const [entry, outdir] = process.argv.slice(2)
if (!entry || !outdir) {
  console.error('usage: tsx infra/bundle-cli.ts <entry under functions/, e.g. api.ts> <outdir>')
  process.exit(2)
}
try {
  await bundleFunction(entry, outdir)
} catch (err) {
  // esbuild has printed its errors already (logLevel warning).
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
}
