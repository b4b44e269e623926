import { buildUserData } from '../user-data'
import { fbcFromUrl } from '../user-data/fbc'
import { buildAppData } from './app-data'
import { buildCustomData, withoutUndefined } from './custom-data'
import { resolveEventTime } from './event-time'
import { ACTION_SOURCES, MAX_CUSTOM_EVENT_NAME_LENGTH } from '../contract/meta-constants'
import { firstRuleViolation } from './rules'
import type { BuildOptions, BuildResult, Diagnostic, EventInput, LimitedDataUse, ServerEvent } from './types'

function resolveActionSource(given: string | undefined, fallback: string): string | undefined {
  const source = (given ?? fallback).trim().toLowerCase()
  return (ACTION_SOURCES as readonly string[]).includes(source) ? source : undefined
}

function limitedDataUseFields(input: EventInput, setting: LimitedDataUse): Partial<ServerEvent> {
  const enabled = input.data_processing_options ?? setting.enabled
  if (!enabled) return {}
  return {
    data_processing_options: ['LDU'],
    data_processing_options_country: input.data_processing_options_country ?? setting.country,
    data_processing_options_state: input.data_processing_options_state ?? setting.state
  }
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}

/**
 * Turns one mapped event into the server event Meta receives, or says why it cannot be sent.
 * Everything Meta would reject is refused here, per event, because Meta rejects a whole request for one bad event.
 */
export function buildServerEvent(input: EventInput, options: BuildOptions): BuildResult {
  const eventName = input.event_name?.trim()
  if (!eventName) return { ok: false, error: 'event_name is empty' }
  if (eventName.length > MAX_CUSTOM_EVENT_NAME_LENGTH) {
    return { ok: false, error: `event_name is longer than Meta's ${MAX_CUSTOM_EVENT_NAME_LENGTH} characters` }
  }
  const actionSource = resolveActionSource(input.action_source, options.defaultActionSource)
  if (!actionSource) return { ok: false, error: `action_source must be one of ${ACTION_SOURCES.join(', ')}` }
  const time = resolveEventTime(input.event_time, actionSource, options.nowMs)
  if (!time.ok) return time

  const eventSourceUrl = blankToUndefined(input.event_source_url)
  const { userData, dropped } = buildUserData(input.user_data ?? {}, {
    defaultCountryCallingCode: options.defaultCountryCallingCode
  })
  const diagnostics: Diagnostic[] = dropped.map(({ key, reason }) => ({ field: `user_data.${key}`, reason }))
  if (!userData.fbc && eventSourceUrl) {
    // The fbclid was first seen when this page was viewed, which is the event's own time.
    const fbc = fbcFromUrl(eventSourceUrl, time.ms)
    if (fbc) {
      userData.fbc = fbc
      for (const diagnostic of diagnostics) {
        if (diagnostic.field === 'user_data.fbc') diagnostic.reason += "; rebuilt from the page URL's fbclid"
      }
    }
  }
  const customData = buildCustomData(eventName, input, options.defaultCurrency)
  if (!customData.ok) return customData
  diagnostics.push(...customData.diagnostics)
  const appData = actionSource === 'app' ? buildAppData(input.app_data) : undefined
  if (appData && !appData.ok) return appData

  const event = withoutUndefined({
    event_name: eventName,
    event_time: time.seconds,
    event_id: blankToUndefined(input.event_id),
    action_source: actionSource,
    event_source_url: eventSourceUrl,
    referrer_url: blankToUndefined(input.referrer_url),
    opt_out: input.opt_out,
    user_data: userData,
    custom_data: customData.customData,
    app_data: appData?.appData,
    ...limitedDataUseFields(input, options.limitedDataUse)
  }) as ServerEvent
  const violation = firstRuleViolation(event)
  return violation ? { ok: false, error: violation } : { ok: true, event, diagnostics }
}
