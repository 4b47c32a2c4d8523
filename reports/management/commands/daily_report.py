"""python manage.py daily_report --date 2020-02-07 [--cutoff 00:00] --format json|docx|xlsx|csv --out FILE

Builds (and stores) the district 日报 and writes it in one format; without --out, json/csv go to stdout."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports import daily, outputs


class Command(BaseCommand):
    help = "生成热线日报(JSON/CSV 上报摘要、Word、Excel)"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="日期 YYYY-MM-DD,默认昨天")
        parser.add_argument("--cutoff", default="00:00", help="截止时间 HH:MM:00:00 为自然日,12:00 为前日12时至当日12时")
        parser.add_argument("--format", default="json", choices=sorted(outputs.FORMATS))
        parser.add_argument("--out", help="输出文件;json/csv 省略时输出到屏幕")
        parser.add_argument("--no-store", action="store_true", help="只输出,不保存日报记录")

    def handle(self, *args, **opts):
        try:
            day = date.fromisoformat(opts["date"]) if opts["date"] else timezone.localdate() - timedelta(days=1)
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD,收到“{opts['date']}”。") from None
        try:
            figures = (daily.build(day, opts["cutoff"]) if opts["no_store"]
                       else daily.generate(day, opts["cutoff"]).figures)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        fmt = opts["format"]
        content = outputs.render(figures, fmt)
        if opts["out"]:
            with open(opts["out"], "wb") as fh:
                fh.write(content)
            self.stderr.write(f"日报已写入 {opts['out']}")
        elif fmt in ("json", "csv"):
            self.stdout.write(content.decode("utf-8"))
        else:
            raise CommandError(f"{fmt} 格式需要 --out 文件。")
