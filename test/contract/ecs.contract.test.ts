import { defineLifecycleContract } from './lifecycle.contract.js'
import { startEcsEnv } from './ecs-env.js'

defineLifecycleContract('ecs (EcsBackend + simulated ECS)', () => startEcsEnv())
