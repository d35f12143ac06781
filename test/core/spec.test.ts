import { describe, expect, it } from 'vitest'
import { parseSpec, patchSpec, sizeOf, OVERRIDE_BUDGET } from '../../shared/core/spec.js'
import { parseImageReference } from '../../shared/core/image-reference.js'
import { parseDuration } from '../../shared/core/durations.js'
import { normalizeName, generateName } from '../../shared/core/names.js'
import { newContainerId, shortId, isFullId } from '../../shared/core/ids.js'

describe('container spec', () => {
  it('applies defaults', () => {
    const s = parseSpec({ image: 'busybox' })
    expect(s).toMatchObject({ image: 'busybox', env: {}, labels: {}, ports: [], platform: 'linux/amd64', capacity: 'on-demand', restartPolicy: { name: 'no' }, stopTimeout: 10, sizing: 'recommend', tty: false })
    expect(sizeOf(s)).toEqual({ cpu: 256, memory: 512 })
  })

  it('accepts every field of the design', () => {
    const s = parseSpec({
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/fargated/default/app:1.2',
      cmd: ['sh', '-c', 'echo hi'], entrypoint: ['/bin/sh'], env: { FOO: 'bar' }, labels: { app: 'web' },
      workdir: '/tmp', user: '1000:1000', ports: [{ containerPort: 80, hostPort: 8080 }], cpu: 0.5, memory: 1024,
      platform: 'linux/arm64', capacity: 'spot-with-fallback', restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
      stopTimeout: 120, ephemeralStorage: 50, secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:1:secret:db' }],
      idle: { after: '15m' }, maxLifetime: '2h', sizing: 'auto', track: 'v1.*',
    })
    expect(s.idle).toEqual({ after: 900, cpuPercent: 2, networkBytesPerSec: 1024, grace: 60 })
    expect(s.maxLifetime).toBe(7200)
    expect(s.ports).toEqual([{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }])
    expect(sizeOf(s)).toEqual({ cpu: 512, memory: 1024 })
  })

  it('reads policies from fargated.* labels; explicit fields win', () => {
    const s = parseSpec({ image: 'x', labels: { 'fargated.idle': '10s', 'fargated.idle-cpu': '5', 'fargated.max-lifetime': '15s', 'fargated.sizing': 'auto', 'fargated.track': '1.x' } })
    expect(s.idle).toMatchObject({ after: 10, cpuPercent: 5 })
    expect(s.maxLifetime).toBe(15)
    expect(s.sizing).toBe('auto')
    expect(s.track).toBe('1.x')
    expect(parseSpec({ image: 'x', sizing: 'fixed', labels: { 'fargated.sizing': 'auto' } }).sizing).toBe('fixed')
  })

  it.each([
    [{ image: 'x', labels: { 'fargated.idle': 'soon' } }, /fargated\.\* label.*duration such as 90s/],
    [{ image: 'x', labels: { 'fargated.sizing': 'magic' } }, /sizing/],
    [{ image: 'x', env: { '1BAD': 'v' } }, /invalid env name "1BAD"/],
    [{ image: 'x', env: { 'A-B': 'v' } }, /invalid env name/],
    [{ image: 'x', ports: [{ containerPort: 70000 }] }, /containerPort must be 1-65535/],
    [{ image: 'x', ports: [{ containerPort: 80 }, { containerPort: 80 }] }, /listed twice/],
    [{ image: 'x', cpu: 32 }, /at most 16 vCPU/],
    [{ image: 'x', memory: 999999 }, /at most 122880 MiB/],
    [{ image: 'x', stopTimeout: 300 }, /at most 120 seconds/],
    [{ image: 'x', ephemeralStorage: 10 }, /21-200 GiB/],
    [{ image: 'x', bogus: 1 }, /unknown field bogus/],
    [{ image: 'UPPER/case' }, /invalid image reference/],
    [{ image: 'x', labels: { k: 'v'.repeat(5000) } }, /longer than 4096/],
    [{ image: 'x', env: { BIG: 'x'.repeat(OVERRIDE_BUDGET) } }, /Fargate allows 8192/],
    [{}, /image/],
  ])('rejects %j with a message that says what to fix', (input, message) => {
    expect(() => parseSpec(input)).toThrow(message)
  })

  it('patches resources and clears policies with null', () => {
    const s = parseSpec({ image: 'x', idle: { after: 60 }, cpu: 1 })
    const p = patchSpec(s, { cpu: 2, idle: null, maxLifetime: '1h' })
    expect(p.cpu).toBe(2)
    expect(p.idle).toBeUndefined()
    expect(p.maxLifetime).toBe(3600)
    expect(() => patchSpec(s, { image: 'y' })).toThrow(/unknown field image/)
  })
})

describe('image references', () => {
  it.each([
    ['busybox', { repository: 'busybox' }],
    ['busybox:1.36', { repository: 'busybox', tag: '1.36' }],
    ['localhost:5000/team/app:v1', { registry: 'localhost:5000', repository: 'team/app', tag: 'v1' }],
    ['ghcr.io/o/app@sha256:' + 'a'.repeat(64), { registry: 'ghcr.io', repository: 'o/app', digest: 'sha256:' + 'a'.repeat(64) }],
  ])('parses %s', (ref, want) => {
    expect(parseImageReference(ref)).toEqual(want)
  })
  it.each(['', 'a//b', 'app:', 'app@sha256:xyz', 'App'])('rejects %j', (ref) => {
    expect(() => parseImageReference(ref)).toThrow(/invalid image reference/)
  })
})

describe('durations, names and ids', () => {
  it('parses Docker-style durations', () => {
    expect(parseDuration('1h30m', 'x')).toBe(5400)
    expect(parseDuration('90', 'x')).toBe(90)
    expect(parseDuration(5, 'x')).toBe(5)
    expect(() => parseDuration('5 minutes', 'idle')).toThrow(/idle must be a duration/)
  })
  it('checks names like Docker and generates valid ones', () => {
    expect(normalizeName('/web')).toBe('web')
    expect(() => normalizeName('-bad')).toThrow(/Invalid container name/)
    for (let i = 0; i < 50; i++) expect(() => normalizeName(generateName())).not.toThrow()
  })
  it('makes 64-hex ids with 12-char short ids', () => {
    const id = newContainerId()
    expect(isFullId(id)).toBe(true)
    expect(shortId(id)).toHaveLength(12)
  })
})

describe('secret references', () => {
  it('only names secrets under the namespace prefix', async () => {
    const { checkSecretRefs } = await import('../../shared/core/secret-refs.js')
    const ok = parseSpec({ image: 'x', secrets: [
      { name: 'DB', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:fargated/namespaces/team-a/db-AbCdEf' },
      { name: 'TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/fargated/namespaces/team-a/token' },
    ] })
    expect(() => checkSecretRefs(ok, 'team-a')).not.toThrow()
    expect(() => checkSecretRefs(ok, 'team-b')).toThrow(/fargated\/namespaces\/team-b\//)
    const admin = parseSpec({ image: 'x', secrets: [{ name: 'K', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:fargated/Fargated/admin-api-key' }] })
    expect(() => checkSecretRefs(admin, 'team-a')).toThrow(/valueFrom must be/)
  })
})
