"""retry_webhooks: put every dead status push back in the queue (after the platform's outage is over)."""

from django.core.management.base import BaseCommand

from interop import services


class Command(BaseCommand):
    help = "将所有推送失败(死信)的上级平台状态消息重新排队。"

    def handle(self, *args, **options):
        count = sum(services.retry_delivery(d) for d in services.dead_letters())
        self.stdout.write(f"已重新排队 {count} 条推送。")
