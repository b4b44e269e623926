/** Embedded Meta Graph API lookalike for the Conversions API `/{version}/{pixel}/events` edge. */
export { startSandbox } from './server'
export type { Fault, ReceivedEvent, RejectedRequest, Sandbox, SandboxOptions } from './types'
export type { RunnerOutcome } from './outcomes'
