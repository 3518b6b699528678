from django.core.paginator import Page, Paginator
from django.db.models import Count, Window


def page_number(request, param="sida"):
    try:
        return max(1, int(request.GET.get(param, 1)))
    except (TypeError, ValueError):
        return 1


def paginate_by_id(request, ordered, rows_for_ids, per_page, param="sida"):
    """A page of `ordered`, loading ids first and the page's rows (with their costly
    annotations) second.

    PostgreSQL computes select-list subqueries for every row it sorts or skips; asking only
    for ids keeps deep pages, Swedish sorting and ranked search cheap. The total comes in the
    same query (COUNT(*) OVER ()), so a page costs two queries whatever the data size (three
    when the page number is past the end).
    """
    number = page_number(request, param)

    def ids_and_total(number):
        start = (number - 1) * per_page
        rows = list(
            ordered.annotate(_total=Window(Count("pk"))).values_list("id", "_total")[
                start : start + per_page
            ]
        )
        return [row[0] for row in rows], (rows[0][1] if rows else None)

    ids, total = ids_and_total(number)
    if total is None:
        total = ordered.count()
        paginator = Paginator([], per_page)
        paginator.count = total
        number = paginator.num_pages
        ids, _ = ids_and_total(number) if total else ([], 0)
    paginator = Paginator([], per_page)
    paginator.count = total
    by_id = {row.id: row for row in rows_for_ids(ids)} if ids else {}
    return Page([by_id[i] for i in ids if i in by_id], number, paginator)
