"""Knowledge base (staff search and the public FAQ page) and the 应急响应 switch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import access
from hotline import selectors, services
from hotline.models import EmergencyResponse, KnowledgeEntry
from hotline.services.emergency import LEVELS


@login_required
def knowledge_list(request):
    access.require_perm(request.user, "hotline.view")
    q = request.GET.get("q", "").strip()
    entries = selectors.knowledge_search(q, limit=50) if q else KnowledgeEntry.objects.all()[:100]
    return render(request, "hotline/knowledge.html", {"entries": entries, "q": q})


def faq(request):
    """Public, no login: the answers in force marked public (宣传、解释)."""
    q = request.GET.get("q", "").strip()
    entries = selectors.knowledge_search(q, public_only=True, limit=100)
    return render(request, "hotline/faq.html", {"entries": entries, "q": q})


@login_required
def emergency(request):
    access.require_perm(request.user, "hotline.emergency")
    if request.method == "POST":
        try:
            services.switch_emergency(request.user, on=request.POST.get("on") == "1",
                                      level=request.POST.get("level", ""), note=request.POST.get("note", ""))
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        else:
            messages.success(request, _("应急响应状态已更新。"))
        return redirect("hotline:emergency")
    return render(request, "hotline/emergency.html", {
        "current": services.current_emergency(), "levels": LEVELS,
        "history": EmergencyResponse.objects.select_related("started_by", "ended_by")[:20],
    })
