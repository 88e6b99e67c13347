"""The product catalogue pages: search and filter all products, and one page per product."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from portal.producten import service
from portal.security import PublicAccess
from portal.templating import current_language, render

router = APIRouter()

# The catalogue is static data, loaded here while the app is built: a broken product file stops
# the start-up with the file and field named, instead of failing for the first visitor.
service.get_catalogue()


@router.get("/producten", name="producten:list")
def product_list(
    request: Request,
    identity: PublicAccess,
    q: str = "",
    doelgroep: str = "",
    online: str = "",
) -> HTMLResponse:
    """Search and filter the products; htmx requests get only the results."""
    query = q.strip()[:200]
    only_online = online == "1"
    chosen_group = doelgroep if doelgroep in service.DOELGROEPEN else ""
    language = current_language()
    found = [
        service.localize_product(p, language)
        for p in service.search_products(query, chosen_group, only_online)
    ]
    context = {
        "identity": identity,
        "query": query,
        "doelgroep": chosen_group,
        "online": only_online,
        "results": found,
        "groups": [] if query else service.group_by_thema(found),
    }
    # Going back in history, htmx asks for the whole page with HX-Request set.
    restoring = request.headers.get("HX-History-Restore-Request") == "true"
    response = render(
        request,
        "producten/list.html",
        context,
        partial=None if restoring else "producten/_list_results.html",
    )
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/producten/{slug}", name="producten:detail")
def product_detail(request: Request, identity: PublicAccess, slug: str) -> HTMLResponse:
    """Everything about one product, and where to apply for it."""
    product = service.get_product(slug)
    if product is None:
        raise HTTPException(status_code=404)
    return render(
        request,
        "producten/detail.html",
        {"identity": identity, "product": service.localize_product(product, current_language())},
    )
