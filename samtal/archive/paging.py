from django.core.paginator import Page, Paginator
from django.db.models import Count, Window


def page_number(request, param="sida"):
    try:
        return max(1, int(request.GET.get(param, 1)))
    except (TypeError, ValueError):
        return 1


def paginate_by_id(request, ordered, rows_for_ids, per_page, param="sida", count_in_window=False):
    """A page of `ordered`, loading ids first and the page's rows (with their costly
    annotations) second.

    PostgreSQL computes select-list subqueries for every row it sorts or skips; asking only
    for ids keeps deep pages and Swedish sorting cheap, and the annotations are computed for
    the page's rows only. With count_in_window (for searches, where finding the matches is the
    expensive part) the total comes in the same query as the ids (COUNT(*) OVER ()); otherwise
    a plain COUNT, which an index answers. At most four queries whatever the data size.
    """
    number = page_number(request, param)
    paginator = Paginator([], per_page)

    def ids_for(number):
        start = (number - 1) * per_page
        if count_in_window:
            rows = list(
                ordered.annotate(_total=Window(Count("pk"))).values_list("id", "_total")[
                    start : start + per_page
                ]
            )
            return [row[0] for row in rows], (rows[0][1] if rows else None)
        return list(ordered.values_list("id", flat=True)[start : start + per_page]), None

    if count_in_window:
        ids, total = ids_for(number)
        if total is None:  # past the last page, or nothing at all
            total = ordered.count()
    else:
        total = ordered.count()
        ids = None
    paginator.count = total
    if number > paginator.num_pages:
        number = paginator.num_pages
        ids = None
    if ids is None:
        ids = ids_for(number)[0] if total else []
    by_id = {row.id: row for row in rows_for_ids(ids)} if ids else {}
    return Page([by_id[i] for i in ids if i in by_id], number, paginator)
