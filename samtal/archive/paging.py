from django.core.paginator import Paginator


def paginate_by_id(request, ordered, rows_for_ids, per_page, param="sida"):
    """Paginate on ids first, then load the page's rows with their (costly) annotations.

    PostgreSQL computes select-list subqueries for every row it sorts or skips; asking only
    for ids keeps deep pages and Swedish sorting cheap, and the annotations are computed for
    the page's rows only. Two queries plus the count, whatever the data size.
    """
    page = Paginator(ordered.values_list("id", flat=True), per_page).get_page(
        request.GET.get(param)
    )
    ids = list(page.object_list)
    by_id = {row.id: row for row in rows_for_ids(ids)} if ids else {}
    page.object_list = [by_id[i] for i in ids if i in by_id]
    return page
