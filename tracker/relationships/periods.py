"""Look-back windows counted in calendar months ("the last 12 months").

Reading chosen: a window of N months that ends today runs from today − N months
(relativedelta, so 29 Feb − 12 months = 28 Feb) to today, both days included. Items
dated after today have not happened yet and fall outside every window.
"""

from datetime import date

from dateutil.relativedelta import relativedelta


def window_start(today: date, months: int) -> date:
    """Return the first day of the `months`-month window that ends today."""
    return today - relativedelta(months=months)
