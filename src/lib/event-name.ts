/**
 * Apps spell one event many ways ("Order Completed", "order completed", "order_completed", "order-completed",
 * "OrderCompleted", "ORDER_COMPLETED"); names that differ only in case and separators are one event.
 */
export function eventNameKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '')
}
