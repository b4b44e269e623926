/** Embedded Meta Graph API lookalike for the Conversions API `/{version}/{pixel}/events` edge. */
export { startSandbox } from './server'
export type {
  Fault,
  GraphRequest,
  ReceivedEvent,
  RejectedRequest,
  Sandbox,
  SandboxOptions,
  ScriptedAnswer
} from './types'
export type { RunnerOutcome } from './outcomes'
