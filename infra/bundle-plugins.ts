/**
 * esbuild plugins of the Lambda bundles (infra/bundle.ts). Each one removes code the functions
 * can never run, and fails the build if the package it targets changed shape, so a dependency
 * upgrade cannot silently bring the weight back.
 */
import type { Plugin } from 'esbuild'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * zod 4 exports every locale (`z.locales`, ~260 KB minified) from a namespace esbuild cannot
 * tree-shake; fargated only uses English, the default zod registers itself. The locales index
 * is replaced, for zod's own imports of it, by one that exports `en` only.
 */
export function zodEnglishOnly(): Plugin {
  return {
    name: 'zod-english-only',
    setup(build) {
      let replaced = 0
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
        if (!/[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)) return undefined
        const english = join(args.resolveDir, '..', 'locales', 'en.js')
        if (!existsSync(english)) return { errors: [{ text: `zod-english-only: ${english} is missing; zod's layout changed` }] }
        replaced += 1
        return { path: english, namespace: 'zod-english-only' }
      })
      build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(args.path)}`,
        resolveDir: dirname(args.path),
      }))
      build.onEnd((result) => {
        const bundlesZod = Object.keys(result.metafile?.inputs ?? {}).some((p) => /node_modules[\\/]zod[\\/]/.test(p))
        if (bundlesZod && replaced === 0) return { errors: [{ text: "zod-english-only: zod is bundled but its locales import was not found; zod's layout changed" }] }
        return undefined
      })
    },
  }
}

/**
 * Every AWS SDK v3 client imports its whole package.json (2–4 KB each) to read `version` for
 * the user agent; only `{ version }` is bundled instead.
 */
export function sdkPackageVersionOnly(): Plugin {
  return {
    name: 'sdk-package-version-only',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ }, (args) => {
        const { version } = JSON.parse(readFileSync(args.path, 'utf8')) as { version?: unknown }
        if (typeof version !== 'string') return { errors: [{ text: `sdk-package-version-only: ${args.path} has no version` }] }
        return { contents: JSON.stringify({ version }), loader: 'json' }
      })
    },
  }
}

/** Packages whose barrels awsSdkNamedImports bypasses. */
const SDK_BARREL = /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)$/
const DECLARATION = /^export (?:async )?(?:function\*?|class|const|let|var) ([\w$]+)/gm
const LOCAL_EXPORT_LIST = /^export \{([^}]*)\};?$/gm

/** Where each name a package directory declares lives (barrels and non-Node runtime configs excluded). */
function declarations(dir: string, cache: Map<string, Map<string, string[]>>): Map<string, string[]> {
  const cached = cache.get(dir)
  if (cached) return cached
  const found = new Map<string, string[]>()
  const add = (name: string, file: string) => found.set(name, [...(found.get(name) ?? []), file])
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js') || entry.name === 'index.js' || /^runtimeConfig\.(browser|native)\.js$/.test(entry.name)) continue
    const file = join(entry.parentPath, entry.name)
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(DECLARATION)) add(m[1], file)
    for (const m of text.matchAll(LOCAL_EXPORT_LIST)) for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()
      if (name) add(name, file)
    }
  }
  cache.set(dir, found)
  return found
}

/** The value names `source` imports (or re-exports) from `specifier`, or undefined if it uses the package otherwise too. */
function namedImports(source: string, specifier: string): string[] | undefined {
  const quoted = `['"]${specifier.replace(/[/-]/g, '\\$&')}['"]`
  const statements = [...source.matchAll(new RegExp(`(?:import|export)\\s+(type\\s+)?\\{([^}]*)\\}\\s*from\\s*${quoted}`, 'g'))]
  const mentions = source.match(new RegExp(quoted, 'g'))?.length ?? 0
  if (statements.length === 0 || statements.length !== mentions) return undefined
  const names = new Set<string>()
  for (const [, typeOnly, list] of statements) {
    if (typeOnly) continue
    for (const part of list.split(',')) {
      const item = part.trim()
      if (item && !item.startsWith('type ')) names.add(item.split(/\s+as\s+/)[0].trim())
    }
  }
  return [...names].sort()
}

/**
 * A dynamic `import()` inside one bundle makes esbuild wrap the imported module and all its
 * dependencies for lazy evaluation, and a wrapped barrel (`export * from './commands'`) keeps
 * everything it re-exports: an AWS SDK client's barrel then brings every command of the service
 * and its schema, and the aggregated client (`new ECS()`), despite `sideEffects: false`. So an
 * import of named values from `@aws-sdk/client-*` or `@aws-sdk/lib-dynamodb` (by fargated or
 * by another SDK package) is resolved to a module that re-exports those names straight from
 * the files that declare them. Names no file declares are types and are left out; a value
 * that is not found fails the build ("No matching export"). Any other use of the package
 * (namespace, default or dynamic import) keeps its barrel.
 */
export function awsSdkNamedImports(): Plugin {
  return {
    name: 'aws-sdk-named-imports',
    setup(build) {
      const cache = new Map<string, Map<string, string[]>>()
      build.onResolve({ filter: SDK_BARREL }, async (args) => {
        if (args.pluginData === 'barrel' || args.namespace !== 'file' || !existsSync(args.importer)) return undefined
        const names = namedImports(readFileSync(args.importer, 'utf8'), args.path)
        if (!names) return undefined
        const barrel = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'barrel' })
        if (barrel.errors.length > 0) return { errors: barrel.errors }
        const declared = declarations(dirname(barrel.path), cache)
        const lines: string[] = []
        for (const name of names) {
          const files = declared.get(name)
          if (!files) continue
          if (files.length > 1) return { errors: [{ text: `aws-sdk-named-imports: ${args.path} declares ${name} in ${files.length} files` }] }
          lines.push(`export { ${name} } from ${JSON.stringify(files[0])}`)
        }
        return { path: `${barrel.path}?${names.join(',')}`, namespace: 'aws-sdk-named-imports', pluginData: { contents: lines.join('\n'), resolveDir: dirname(barrel.path) } }
      })
      build.onLoad({ filter: /.*/, namespace: 'aws-sdk-named-imports' }, (args) => {
        const { contents, resolveDir } = args.pluginData as { contents: string; resolveDir: string }
        return { contents, resolveDir, loader: 'js' }
      })
    },
  }
}
