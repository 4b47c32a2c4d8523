from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import services
from core.audit import client_info


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
        "locked": _("登录失败次数过多,请 %(minutes)s 分钟后再试,或联系管理员。"),
    }

    def clean(self):
        from django.conf import settings

        username = self.cleaned_data.get("username", "")
        ip, _agent = client_info(self.request)
        if services.login_locked(username, ip):
            raise ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": settings.LOGIN_LOCK_MINUTES}
            )
        try:
            return super().clean()
        except ValidationError:
            services.record_login_failure(username, ip)
            raise


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_login(form.get_user(), client_info(self.request)[0])
        return response
