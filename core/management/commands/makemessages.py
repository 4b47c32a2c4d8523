"""makemessages that also extracts N_("…"), the project's alias for gettext_noop (reports/kpi.py, reports/outputs.py).

xgettext knows gettext_noop but not the N_ alias, so without this the labels marked N_ never reach locale/en and
the English pages show them in Chinese.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
