/** The sandbox checks each event as Meta does, with the rules of the contract module (lib/contract/event-rules). */
import { isRecord } from '../lib/is-record'
import { firstBrokenRule, paramPath, SUBCODES } from '../lib/contract/event-rules'
import type { RuleViolation } from './errors'

export { paramPath, SUBCODES }

/** Pure: the first rule the event at `data[index]` breaks, or undefined when Meta would accept it. */
export function validateEvent(event: unknown, index: number, nowMs: number): RuleViolation | undefined {
  if (!isRecord(event)) {
    return {
      subcode: SUBCODES.INVALID_EVENT,
      title: 'Invalid Event',
      message: `The parameter ${paramPath(index)} must be an object.`
    }
  }
  const failure = firstBrokenRule(event, Math.floor(nowMs / 1000))
  return failure && { subcode: failure.subcode, title: failure.title, message: failure.metaMessage(index) }
}
