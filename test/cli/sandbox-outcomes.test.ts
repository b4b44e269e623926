import { outcomeOf, reportOutcomesTo } from '../../src/cli/sandbox-outcomes'
import type { EventResult } from '../../src/runner/engine'
import { startSandbox } from '../../src/sandbox'

const AT = Date.parse('2026-11-22T12:00:00Z')
const SEGMENT = { type: 'track', event: 'Order Completed', messageId: 'm-1', context: { traits: { email: 'a@b.co' } } }
const AMPLITUDE = { event_type: 'Tour Done', insert_id: 'i-1', user_id: 'u', user_properties: { email: 'a@b.co' } }

describe('outcomeOf', () => {
  it('names a delivered event by its CAPI name and ID, and the input by source, name and ID', () => {
    const result = {
      index: 0,
      status: 200,
      event: { event_name: 'Purchase', event_id: 'm-1' }
    } as unknown as EventResult
    expect(outcomeOf(result, SEGMENT, AT)).toEqual({
      status: 'delivered',
      receivedAt: AT,
      source: 'segment',
      inputName: 'Order Completed',
      inputId: 'm-1',
      eventName: 'Purchase',
      eventId: 'm-1'
    })
  })

  it('reports refusals, retryable failures and skips with their reasons, and diagnostics when present', () => {
    const refused = {
      index: 0,
      status: 400,
      error: 'no currency',
      retryable: false,
      diagnostics: [{ field: 'user_data.ph', reason: 'too short' }]
    }
    expect(outcomeOf(refused as EventResult, SEGMENT, AT)).toMatchObject({
      status: 'refused',
      httpStatus: 400,
      reason: 'no currency',
      retryable: false,
      diagnostics: [{ field: 'user_data.ph', reason: 'too short' }]
    })
    expect(outcomeOf({ index: 0, status: 503, error: 'down', retryable: true }, SEGMENT, AT)).toMatchObject({
      status: 'failed'
    })
    expect(outcomeOf({ index: 0, skipped: 'no preset matches' }, AMPLITUDE, AT)).toEqual({
      status: 'skipped',
      receivedAt: AT,
      source: 'amplitude',
      inputName: 'Tour Done',
      inputId: 'i-1',
      reason: 'no preset matches'
    })
  })

  it('never reports customer information from the input', () => {
    const outcome = outcomeOf({ index: 0, skipped: 'x' }, { ...SEGMENT, event: 'x' }, AT)
    expect(JSON.stringify(outcome)).not.toContain('a@b.co')
  })
})

describe('reportOutcomesTo', () => {
  it('records each settled event in the sandbox', async () => {
    const sandbox = await startSandbox()
    try {
      const { onOutcome } = reportOutcomesTo(sandbox, () => AT)
      onOutcome?.({ index: 0, skipped: 'no preset matches track "x"' }, { type: 'track', event: 'x' })
      const view = (await (await fetch(`${sandbox.url}/__sandbox/view`)).json()) as { rows: unknown[] }
      expect(view.rows).toEqual([
        expect.objectContaining({ status: 'skipped', eventName: 'x', reason: 'no preset matches track "x"' })
      ])
    } finally {
      await sandbox.close()
    }
  })
})
