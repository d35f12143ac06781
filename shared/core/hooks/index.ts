/** CI hooks: management (HookService) and the receiver's rules (DeliveryService). */
export { HookService, type CreatedHook } from './hook-service.js'
export { DeliveryService, SCHEMES, type DeliveryDeps } from './delivery-service.js'
export { filterMismatch } from './hook-filters.js'
export { createHookExtras, type HookExtras } from './hook-extras.js'
export { triggerEnv } from './hook-actions.js'
export type { IncomingDelivery, Trigger, Interpretation } from './delivery-types.js'
export {
  CreateHookSchema, HookFiltersSchema, HookActionSchema, HOOK_KINDS, MAX_WEBHOOK_BODY_BYTES, ROTATION_GRACE_S, toHookView,
  type Hook, type HookView, type HookKind, type DeliveryRecord, type CreateHookInput,
} from './hook-model.js'
