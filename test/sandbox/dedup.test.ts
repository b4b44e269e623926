import { DEDUP_WINDOW_MS, dedupStatuses, type DedupInput } from '../../src/sandbox/dedup'
import { NOW_MS } from './fixtures'

function event(overrides: Partial<DedupInput> = {}): DedupInput {
  return { pixelId: '123', receivedAt: NOW_MS, eventName: 'Purchase', eventId: 'order-1', ...overrides }
}

describe("dedup by Meta's rule (event_name + event_id, per pixel, 48 h)", () => {
  it('keeps the first event of a name + ID pair and marks the later ones duplicates of it', () => {
    expect(
      dedupStatuses([event(), event({ receivedAt: NOW_MS + 1000 }), event({ receivedAt: NOW_MS + 2000 })])
    ).toEqual([{ status: 'kept' }, { status: 'duplicate', of: 0 }, { status: 'duplicate', of: 0 }])
  })

  it('needs both the same name and the same ID, on the same pixel', () => {
    const statuses = dedupStatuses([
      event(),
      event({ eventName: 'AddToCart' }),
      event({ eventId: 'order-2' }),
      event({ pixelId: '456' })
    ])
    expect(statuses.map((status) => status.status)).toEqual(['kept', 'kept', 'kept', 'kept'])
  })

  it('keeps test-code events apart from live ones, and codes apart from each other', () => {
    const statuses = dedupStatuses([
      event(),
      event({ testEventCode: 'TEST1' }),
      event({ testEventCode: 'TEST2' }),
      event({ testEventCode: 'TEST1' })
    ])
    expect(statuses).toEqual([
      { status: 'kept' },
      { status: 'kept' },
      { status: 'kept' },
      { status: 'duplicate', of: 1 }
    ])
  })

  it('cannot deduplicate an event without event_id', () => {
    expect(dedupStatuses([event({ eventId: '' }), event({ eventId: '' })])).toEqual([
      { status: 'no_event_id' },
      { status: 'no_event_id' }
    ])
  })

  it('counts an event again after the 48-hour window, which then starts anew', () => {
    const statuses = dedupStatuses([
      event(),
      event({ receivedAt: NOW_MS + DEDUP_WINDOW_MS }),
      event({ receivedAt: NOW_MS + DEDUP_WINDOW_MS + 1 }),
      event({ receivedAt: NOW_MS + DEDUP_WINDOW_MS + 2 })
    ])
    expect(statuses).toEqual([
      { status: 'kept' },
      { status: 'duplicate', of: 0 },
      { status: 'kept' },
      { status: 'duplicate', of: 2 }
    ])
  })
})
