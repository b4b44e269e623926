/**
 * Event names compared the way people spell them: "Order Completed", "order_completed", "order-completed" and
 * "OrderCompleted" are one event. Case, spaces, underscores and hyphens do not count.
 */
export function eventNameKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '')
}
