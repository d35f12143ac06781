/** The esbuild plugins of the Lambda bundles, on small entries built for real and imported. */
import { build, type Plugin } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../infra/bundle.js'
import { awsSdkNamedImports, sdkPackageVersionOnly, zodEnglishOnly } from '../../infra/bundle-plugins.js'

const dir = mkdtempSync(join(tmpdir(), 'fargated-bundle-plugins-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let n = 0
/** Bundles `source` (resolved from the project root) with `plugins`; returns the module and its size. */
async function bundle(source: string, plugins: Plugin[]): Promise<{ module: Record<string, unknown>; bytes: number }> {
  const outfile = join(dir, `out-${n++}.mjs`)
  const result = await build({
    stdin: { contents: source, resolveDir: PROJECT_ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    mainFields: ['module', 'main'],
    outfile,
    plugins,
    metafile: true,
    logLevel: 'silent',
  })
  return { module: (await import(pathToFileURL(outfile).href)) as Record<string, unknown>, bytes: result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes }
}

const ZOD_ENTRY = `import { z } from 'zod'
export const locales = Object.keys(z.locales).filter((k) => z.locales[k] !== undefined)
export const message = z.string().min(3).safeParse('a').error?.issues[0].message`

describe('zodEnglishOnly', () => {
  it('leaves zod English only, still validating with English messages, in a smaller bundle', async () => {
    const slim = await bundle(ZOD_ENTRY, [zodEnglishOnly()])
    const full = await bundle(ZOD_ENTRY, [])
    expect(slim.module.locales).toEqual(['en'])
    expect(slim.module.message).toBe(full.module.message)
    expect(slim.module.message).toMatch(/too small/i)
    expect((full.module.locales as string[]).length).toBeGreaterThan(10)
    expect(full.bytes - slim.bytes).toBeGreaterThan(100_000)
  })

  it('leaves builds without zod alone', async () => {
    const { module } = await bundle("export const x = 1", [zodEnglishOnly()])
    expect(module.x).toBe(1)
  })
})

describe('sdkPackageVersionOnly', () => {
  it("bundles only the version of an AWS SDK package's package.json", async () => {
    const pkg = join(PROJECT_ROOT, 'node_modules', '@aws-sdk', 'client-sts', 'package.json')
    const { module } = await bundle(`import info from ${JSON.stringify(pkg)}; export default info`, [sdkPackageVersionOnly()])
    const { module: full } = await bundle(`import info from ${JSON.stringify(pkg)}; export default info`, [])
    expect(Object.keys(module.default as object)).toEqual(['version'])
    expect((module.default as { version: string }).version).toBe((full.default as { version: string }).version)
    expect(Object.keys(full.default as object).length).toBeGreaterThan(1)
  })
})

describe('awsSdkNamedImports', () => {
  /** A dynamically imported module using one CloudWatch Logs command, bundled (to dir/out-N.mjs) with `plugins`. */
  async function lazyLogsClient(plugins: Plugin[]) {
    const src = mkdtempSync(join(dir, 'src-'))
    writeFileSync(join(src, 'logs.ts'), "import { CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs'\nexport { CloudWatchLogsClient, GetLogEventsCommand }\nexport type Input = GetLogEventsCommandInput\n")
    writeFileSync(join(src, 'entry.ts'), "export const load = () => import('./logs.js')\n")
    const outfile = join(dir, `out-${n++}.mjs`)
    const result = await build({
      entryPoints: [join(src, 'entry.ts')], bundle: true, format: 'esm', platform: 'node', mainFields: ['module', 'main'],
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      nodePaths: [join(PROJECT_ROOT, 'node_modules')], outfile, plugins, metafile: true, logLevel: 'silent',
    })
    const inputs = Object.values(result.metafile.outputs)[0].inputs
    const bundled = (file: RegExp) => Object.entries(inputs).some(([path, input]) => file.test(path) && input.bytesInOutput > 0)
    return { outfile, bytes: Object.values(result.metafile.outputs)[0].bytes, bundled }
  }

  it('bundles only the commands used, not the aggregated client or the others', async () => {
    const slim = await lazyLogsClient([awsSdkNamedImports()])
    const full = await lazyLogsClient([])
    expect(full.bundled(/client-cloudwatch-logs\/dist-es\/CloudWatchLogs\.js$/)).toBe(true)
    expect(full.bundled(/commands\/PutLogEventsCommand\.js$/)).toBe(true)
    expect(slim.bundled(/client-cloudwatch-logs\/dist-es\/CloudWatchLogs\.js$/)).toBe(false)
    expect(slim.bundled(/commands\/PutLogEventsCommand\.js$/)).toBe(false)
    expect(slim.bundled(/commands\/GetLogEventsCommand\.js$/)).toBe(true)
    expect(full.bytes - slim.bytes).toBeGreaterThan(40_000)
  })

  it('leaves a client that still serializes, sends and parses its command', async () => {
    const { outfile } = await lazyLogsClient([awsSdkNamedImports()])
    const { load } = (await import(pathToFileURL(outfile).href)) as { load: () => Promise<typeof import('@aws-sdk/client-cloudwatch-logs')> }
    const { CloudWatchLogsClient, GetLogEventsCommand } = await load()
    const sent: { target?: string; body?: unknown }[] = []
    const client = new CloudWatchLogsClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: {
        handle: async (request: { headers: Record<string, string>; body: string | Uint8Array }) => {
          const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body)
          sent.push({ target: request.headers['x-amz-target'], body: JSON.parse(text) })
          const body = Readable.from([Buffer.from(JSON.stringify({ events: [{ timestamp: 1, message: 'hello' }], nextForwardToken: 'f/1' }))])
          return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body } }
        },
      },
    })
    const out = await client.send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', startFromHead: true }))
    expect(sent).toEqual([{ target: 'Logs_20140328.GetLogEvents', body: { logGroupName: 'g', logStreamName: 's', startFromHead: true } }])
    expect(out.events).toEqual([{ timestamp: 1, message: 'hello' }])
    expect(out.nextForwardToken).toBe('f/1')
  })

  it('keeps the barrel for a namespace import', async () => {
    const src = mkdtempSync(join(dir, 'src-'))
    writeFileSync(join(src, 'entry.ts'), "import * as logs from '@aws-sdk/client-cloudwatch-logs'\nexport const names = Object.keys(logs).length\n")
    const outfile = join(dir, `out-${n++}.mjs`)
    await build({ entryPoints: [join(src, 'entry.ts')], bundle: true, format: 'esm', platform: 'node', mainFields: ['module', 'main'], nodePaths: [join(PROJECT_ROOT, 'node_modules')], outfile, plugins: [awsSdkNamedImports()], logLevel: 'silent',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } })
    const { names } = (await import(pathToFileURL(outfile).href)) as { names: number }
    expect(names).toBeGreaterThan(100)
  })
})
