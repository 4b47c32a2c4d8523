from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import access
from hotline.forms import ImportForm
from hotline.services.imports import ImportFailed, import_orders as run_import, template_xlsx


@login_required
def import_orders(request):
    access.require_perm(request.user, "hotline.intake")
    if request.GET.get("template"):
        response = HttpResponse(template_xlsx(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="hotline-import-template.xlsx"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = run_import(request.user, form.cleaned_data["file"])
        except ImportFailed as exc:
            form.add_error("file", exc.messages[0] + _(" 整个文件未导入。"))
        else:
            messages.success(request, _("已导入 %(n)s 张工单,均在待派单队列。") % {"n": len(created)})
            return redirect("hotline:queue", name="dispatch")
    return render(request, "hotline/import.html", {"form": form})
