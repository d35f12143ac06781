import { engineAvailable, suiteId } from '../support/engine.js'
import { startDockerEnv } from './docker-env.js'
import { defineLifecycleContract } from './lifecycle.contract.js'

defineLifecycleContract('docker (DockerBackend + engine)', () => startDockerEnv(suiteId('contract')), { skip: !engineAvailable() })
