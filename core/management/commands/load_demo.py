from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

# Order matters: the tree first, then people, then each area's demo records.
DEMO_APPS = ["places", "accounts", "hotline", "interop", "triage", "community", "volunteers", "supplies", "reports"]


class Command(BaseCommand):
    help = "载入演示区(港闸区 2020 年 2 月):组织树、演示账号及各模块演示数据。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true")

    def handle(self, *args, print_logins=False, **options):
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.load(stdout=self.stdout)
        if print_logins:
            from accounts.demo import DEMO_PASSWORD, logins_table

            self.stdout.write("\n演示账号 Demo logins:")
            self.stdout.write(logins_table())
            if settings.DEMO:
                self.stdout.write(f"\n所有演示账号密码 password for all: {DEMO_PASSWORD}")
            else:
                self.stdout.write("\n(未开启演示模式 SHOUHU_DEMO=1:演示账号没有可用密码)")
