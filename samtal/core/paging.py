from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

# Counting stops here: "fler än 10 000" is all a reader needs, and counting every row of a
# region's archive would cost more than the rest of the page.
COUNT_CAP = 10_000


def page_number(request, param="sida"):
    try:
        return max(1, int(request.GET.get(param, 1)))
    except (TypeError, ValueError):
        return 1


def thousands(n):
    return f"{n:,}".replace(",", "\u00a0")  # 10 000


class CountedPaginator(Paginator):
    """A paginator told its count: exact, or (`count_exact` False) only roughly known, with
    `count_label` saying how ("fler än 10 000", "omkring 35 000")."""

    def __init__(self, count, per_page, exact=True, label=""):
        super().__init__([], per_page)
        self.count = count
        self.count_exact = exact
        self.count_label = label


def capped_paginator(queryset, per_page, cap=None):
    """Counts no further than cap + 1 (COUNT_CAP unless told)."""
    cap = COUNT_CAP if cap is None else cap
    count = queryset.order_by().values("pk")[: cap + 1].count()
    if count > cap:
        return CountedPaginator(
            count, per_page, exact=False, label=_("fler än %(n)s") % {"n": thousands(cap)}
        )
    return CountedPaginator(count, per_page)


def paginate_by_id(request, ordered, rows_for_ids, per_page, param="sida", counted=None):
    """A page of `ordered`: a capped COUNT, the page's ids, then the page's rows with their
    costly annotations (`rows_for_ids`). Three queries whatever the data size.

    PostgreSQL computes select-list subqueries for every row it sorts or skips; asking only
    for ids keeps deep pages, Swedish sorting and ranked search cheap. `counted` (the ranked
    search, samtal/archive/search.py) brings its own count and ids_for_page(start, stop).
    """
    if counted is not None:
        paginator = CountedPaginator(
            counted.count, per_page, exact=counted.exact, label=counted.label
        )
    else:
        paginator = capped_paginator(ordered, per_page)
    number = min(page_number(request, param), paginator.num_pages)
    start = (number - 1) * per_page
    if not paginator.count:
        ids = []
    elif counted is not None:
        ids = counted.ids_for_page(start, start + per_page)
    else:
        ids = list(ordered.values_list("id", flat=True)[start : start + per_page])
    by_id = {row.id: row for row in rows_for_ids(ids)} if ids else {}
    return Page([by_id[i] for i in ids if i in by_id], number, paginator)
