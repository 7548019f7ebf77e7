from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from cadres.selectors import cadres_for


@login_required
def cadre_list(request):
    page = Paginator(cadres_for(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cadres/cadre_list.html", {"page_obj": page})
