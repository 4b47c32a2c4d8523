"""Print the default deadlines of a case: `sla_deadline --type complaint --received 2020-01-22T10:00:00+08:00`."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hotline import deadlines
from hotline.models import Category, OrderType


class Command(BaseCommand):
    help = "按默认时限规则计算办结时限与签收时限(派单时间取受理时间)"

    def add_arguments(self, parser):
        parser.add_argument("--type", required=True, choices=[c for c, _ in OrderType.choices])
        parser.add_argument("--received", required=True, help="ISO 8601, e.g. 2020-01-22T10:00:00+08:00")
        parser.add_argument("--epidemic", action="store_true")
        parser.add_argument("--category", default="", help="分类编码, e.g. EP-PRICE")
        parser.add_argument("--urgency", default="")

    def handle(self, *args, **opts):
        try:
            received = datetime.fromisoformat(opts["received"])
        except ValueError:
            raise CommandError("--received 须为 ISO 8601 时间,例如 2020-01-22T10:00:00+08:00") from None
        if timezone.is_naive(received):
            received = timezone.make_aware(received)
        category = Category.objects.filter(code=opts["category"]).first() if opts["category"] else None
        pol = deadlines.policy(opts["type"], opts["epidemic"], category, opts["urgency"])
        reply = timezone.localtime(deadlines.reply_due(received, pol))
        accept = timezone.localtime(deadlines.accept_due(received, pol))
        self.stdout.write(f"reply_due={reply.isoformat()} accept_due={accept.isoformat()}")
