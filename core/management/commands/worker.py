import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from core import jobs


class Command(BaseCommand):
    help = "后台任务进程:按时领取并执行到期任务(可同时运行多个)。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="执行一轮到期任务后退出")
        parser.add_argument("--sleep", type=float, default=settings.WORKER_SLEEP_SECONDS)
        parser.add_argument("--task", action="append", dest="tasks", default=None,
                            help="只执行这些任务(可重复;例如单独一个进程发送 webhook)")

    def handle(self, *args, once=False, sleep=1.0, tasks=None, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write(f"worker {jobs.worker_id()} started; tasks: {', '.join(sorted(tasks or jobs.TASKS)) or '-'}")
        while not stopping:
            try:
                jobs.schedule_periodic(tasks=tasks)
                ran = jobs.run_due(tasks=tasks)
            except KeyboardInterrupt:
                break
            if once:
                self.stdout.write(f"ran {ran} job(s)")
                return
            if not ran:
                try:
                    time.sleep(sleep)
                except KeyboardInterrupt:
                    break
            close_old_connections()  # between rounds: drop connections that died or aged out
        self.stdout.write("worker stopped")
