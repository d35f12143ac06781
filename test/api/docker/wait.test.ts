import { request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ROOT_KEY } from '../../support/api-harness.js'
import { dockerCreate, dockerRun, finishTask, startDockerHarness } from './docker-harness.js'

let h: Awaited<ReturnType<typeof startDockerHarness>>
beforeAll(async () => {
  h = await startDockerHarness()
})
afterAll(async () => h.close())

describe('POST /containers/{id}/wait', () => {
  it('returns the response before the container exits, and the status code when it does (run -d order)', async () => {
    const id = await dockerCreate(h, 'w1')
    const res = await h.request(`/v1.44/containers/${id}/wait?condition=next-exit`, { method: 'POST' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    // The CLI sends start only now, once it has the headers.
    expect((await h.request(`/v1.44/containers/${id}/start`, { method: 'POST' })).status).toBe(204)
    const ref = (await h.store.getRun(id, 1))!.ref!
    expect((await h.containers.resolve('default', id)).state.running).toBe(true)
    await finishTask(h, ref, 3)
    expect(await res.json()).toEqual({ StatusCode: 3, Error: null })
  })

  it('without a condition returns at once for a container that is not running', async () => {
    const id = await dockerCreate(h, 'w2')
    expect(await (await h.request(`/v1.44/containers/${id}/wait`, { method: 'POST' })).json()).toEqual({ StatusCode: 0, Error: null })
  })

  it('condition=removed ends when --rm removes the container', async () => {
    const { id, ref } = await dockerRun(h, 'w3', { HostConfig: { AutoRemove: true } })
    const res = await h.request(`/v1.44/containers/${id}/wait?condition=removed`, { method: 'POST' })
    expect(res.status).toBe(200)
    await finishTask(h, ref, 0)
    expect(await res.json()).toEqual({ StatusCode: 0, Error: null })
    expect(await h.store.getContainer('default', id)).toBeUndefined()
  })

  it('answers 404 for a missing container and 400 for an unknown condition, as JSON errors', async () => {
    expect((await h.request('/v1.44/containers/nope/wait', { method: 'POST' })).status).toBe(404)
    const id = await dockerCreate(h, 'w4')
    const res = await h.request(`/v1.44/containers/${id}/wait?condition=whenever`, { method: 'POST' })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/json')
  })

  it('stops polling when the client goes away', async () => {
    const { id } = await dockerRun(h, 'w5')
    const spy = vi.spyOn(h.store, 'getContainer')
    const res = await h.request(`/v1.44/containers/${id}/wait?condition=next-exit`, { method: 'POST' })
    const reader = res.body!.getReader()
    const pending = reader.read()
    await vi.waitFor(() => expect(spy.mock.calls.length).toBeGreaterThan(2))
    await reader.cancel()
    expect((await pending).done).toBe(true)
    await new Promise((r) => setTimeout(r, 60))
    const after = spy.mock.calls.length
    await new Promise((r) => setTimeout(r, 100))
    expect(spy.mock.calls.length).toBe(after)
    spy.mockRestore()
  })
})

describe('wait through @hono/node-server (what the CLI talks to)', () => {
  let server: Server
  let port: number
  beforeAll(async () => {
    server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }) as Server
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('flushes the 200 headers before the container has even started', async () => {
    const id = await dockerCreate(h, 'w-node')
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `/v1.44/containers/${id}/wait?condition=next-exit`, headers: { authorization: `Bearer ${ROOT_KEY}` } }, resolve)
      req.on('error', reject)
      req.end()
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['transfer-encoding']).toBe('chunked')
    expect((await h.containers.resolve('default', id)).state.status).toBe('created')
    let body = ''
    response.on('data', (d: Buffer) => (body += d.toString()))
    const ended = new Promise((resolve) => response.on('end', resolve))
    await h.request(`/v1.44/containers/${id}/start`, { method: 'POST' })
    await finishTask(h, (await h.store.getRun(id, 1))!.ref!, 5)
    await ended
    expect(JSON.parse(body)).toEqual({ StatusCode: 5, Error: null })
  })
})
