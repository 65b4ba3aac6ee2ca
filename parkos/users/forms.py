"""Account forms."""

from django.contrib.auth.forms import AuthenticationForm

from parkos.core.forms import style_widget


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)
