/** Models with every optional field set, so a round trip shows any field the store drops. */
import { randomUUID } from 'node:crypto'
import { newContainerId } from '../../shared/core/ids.js'
import type { Container, Run } from '../../shared/core/model.js'

export const uniqueNamespace = () => `ns-${randomUUID().slice(0, 8)}`

export function fullContainer(overrides: Partial<Container> = {}): Container {
  const id = overrides.id ?? newContainerId()
  return {
    id,
    namespace: 'team-a',
    name: `web-${id.slice(0, 6)}`,
    spec: {
      image: 'nginx:1.27',
      cmd: ['nginx', '-g', 'daemon off;'],
      entrypoint: ['/docker-entrypoint.sh'],
      env: { MODE: 'prod', EMPTY: '', UNICODE: 'grüße ✓' },
      labels: { 'com.example.team': 'a', 'fargated.idle': '15m', flag: '' },
      workdir: '/srv',
      user: '1000:1000',
      tty: true,
      ports: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }, { containerPort: 53, protocol: 'udp' }],
      cpu: 0.5,
      memory: 1024,
      platform: 'linux/arm64',
      capacity: 'spot-with-fallback',
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
      stopTimeout: 30,
      ephemeralStorage: 40,
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' }],
      healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost/'], interval: 30, timeout: 5, retries: 3, startPeriod: 0 },
      idle: { after: 900, cpuPercent: 2, networkBytesPerSec: 1024, grace: 60 },
      maxLifetime: 86_400,
      sizing: 'auto',
      track: 'team-a/web:latest',
    },
    size: { cpu: 512, memory: 1024 },
    state: {
      status: 'exited',
      detail: 'Exited (137)',
      running: false,
      exitCode: null,
      startedAt: '2025-01-01T00:00:00.123456789Z',
      finishedAt: '2025-01-01T01:00:00Z',
      oomKilled: true,
      stopCause: 'oom',
      stopReason: 'OutOfMemoryError: Container killed due to memory usage',
      error: 'boom',
    },
    createdAt: '2024-12-31T23:59:59.999Z',
    imageDigest: 'sha256:' + 'ab'.repeat(32),
    runNumber: 7,
    restartCount: 2,
    stoppedByUser: true,
    recommendation: {
      size: { cpu: 256, memory: 512 },
      current: { cpu: 512, memory: 1024 },
      basis: { samples: 288, p95CpuUnits: 41.5, peakMemoryMiB: 310.25, lookbackSeconds: 86_400 },
      monthlyCostCurrent: 18.0243,
      monthlyCostRecommended: 9.01215,
      updatedAt: '2025-01-01T02:00:00Z',
      reason: 'p95 CPU 8% of reserved',
    },
    usageHistory: { firstSampleAt: '2024-12-31T23:59:59.999Z', dailyPeakMemoryMiB: { '2024-12-31': 310.25, '2025-01-01': 512 } },
    costToDate: 0.1 + 0.2,
    version: 1,
    ...overrides,
  }
}

export function fullRun(overrides: Partial<Run> = {}): Run {
  return {
    containerId: newContainerId(),
    namespace: 'team-a',
    number: 1,
    backend: 'ecs',
    ref: `arn:aws:ecs:us-east-1:123456789012:task/fargated/${randomUUID().replaceAll('-', '')}`,
    size: { cpu: 1024, memory: 2048 },
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team-a/web@sha256:' + 'cd'.repeat(32),
    imageDigest: 'sha256:' + 'cd'.repeat(32),
    capacity: 'spot',
    lastStatus: 'STOPPED',
    createdAt: '2025-01-01T00:00:00Z',
    startedAt: '2025-01-01T00:00:30Z',
    stoppingAt: '2025-01-01T00:10:00Z',
    stoppedAt: '2025-01-01T00:10:05Z',
    exitCode: 137,
    stopCode: 'SpotInterruption',
    stoppedReason: 'Your Spot Task was interrupted.',
    stopCause: 'spot',
    oomKilled: false,
    eventVersion: 5,
    ...overrides,
  }
}
