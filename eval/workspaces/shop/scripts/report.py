from collections import defaultdict


def group_by_month(orders):
    """Buckets orders by the month they were placed in (YYYY-MM)."""
    buckets = defaultdict(list)
    for order in orders:
        buckets[order.placed_at.strftime("%Y-%m")].append(order)
    return buckets


def monthly_revenue_report(orders, currency="EUR"):
    """Total revenue per month, in cents."""
    return {month: sum(o.total_cents for o in items) for month, items in group_by_month(orders).items()}
