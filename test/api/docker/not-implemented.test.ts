import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dockerRun, startDockerHarness } from './docker-harness.js'

let h: Awaited<ReturnType<typeof startDockerHarness>>
beforeAll(async () => {
  h = await startDockerHarness()
  await dockerRun(h, 'c1')
})
afterAll(async () => h.close())

const message = async (res: Response) => ((await res.json()) as { message: string }).message

describe('operations Fargate cannot do', () => {
  it.each([
    ['POST', '/containers/c1/exec', /ECS Exec/],
    ['POST', '/containers/c1/pause', /cannot freeze a task/],
    ['POST', '/containers/c1/unpause', /cannot freeze a task/],
    ['POST', '/commit?container=c1', /docker commit/],
    ['GET', '/containers/c1/archive?path=/etc', /docker cp/],
    ['PUT', '/containers/c1/archive?path=/tmp', /docker cp/],
    ['GET', '/containers/c1/export', /docker export/],
    ['POST', '/build', /docker build/],
    ['GET', '/images/busybox/history', /docker history/],
    ['POST', '/networks/create', /awsvpc/],
  ])('%s %s → 501 JSON with the reason', async (method, path, reason) => {
    const res = await h.request(`/v1.44${path}`, { method })
    expect(res.status).toBe(501)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await message(res)).toMatch(reason)
  })
})

describe('docker inspect fall-through on an unknown name', () => {
  it('answers 404 JSON at every step, and /info in between', async () => {
    const steps: [string, number][] = [
      ['/containers/ghost/json', 404],
      ['/images/ghost/json', 404],
      ['/networks/ghost', 404],
      ['/volumes/ghost', 404],
      ['/info', 200],
      ['/plugins/ghost/json', 404],
    ]
    for (const [path, status] of steps) {
      const res = await h.request(`/v1.44${path}`)
      expect(res.status, path).toBe(status)
      expect(res.headers.get('content-type'), path).toBe('application/json')
    }
  })

  it('lists no networks and no volumes', async () => {
    expect(await (await h.request('/v1.44/networks')).json()).toEqual([])
    expect(await (await h.request('/v1.44/volumes')).json()).toEqual({ Volumes: [], Warnings: null })
  })

  it('has no exec instances', async () => {
    expect((await h.request('/v1.44/exec/abc/json')).status).toBe(404)
  })
})
