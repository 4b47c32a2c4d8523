"""Fill the duplicate-search keys of the open orders (after migration 0004 skipped a large table, or after the
gazetteer changed so addresses route differently)."""

from django.core.management.base import BaseCommand

from hotline.assist import backfill_duplicate_keys


class Command(BaseCommand):
    help = "为在办工单补算查重所需的地址归属与文字特征"

    def handle(self, *args, **options):
        done = backfill_duplicate_keys(stdout=self.stdout)
        self.stdout.write(f"updated={done}")
