from django.core.paginator import Page, Paginator


def page_number(request, param="sida"):
    try:
        return max(1, int(request.GET.get(param, 1)))
    except (TypeError, ValueError):
        return 1


def paginate_by_id(request, ordered, rows_for_ids, per_page, param="sida"):
    """A page of `ordered`: a COUNT, the page's ids, then the page's rows with their costly
    annotations (`rows_for_ids`). Three queries whatever the data size.

    PostgreSQL computes select-list subqueries for every row it sorts or skips; asking only
    for ids keeps deep pages, Swedish sorting and ranked search cheap. (A COUNT(*) OVER ()
    window in the ids query was measured slower: it drags the wide rows through a
    tuplestore that spills to disk.)
    """
    paginator = Paginator([], per_page)
    paginator.count = ordered.count()
    number = min(page_number(request, param), paginator.num_pages)
    start = (number - 1) * per_page
    ids = (
        list(ordered.values_list("id", flat=True)[start : start + per_page])
        if paginator.count
        else []
    )
    by_id = {row.id: row for row in rows_for_ids(ids)} if ids else {}
    return Page([by_id[i] for i in ids if i in by_id], number, paginator)
