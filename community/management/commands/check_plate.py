from django.core.management.base import BaseCommand

from community.plates import parse_plate


class Command(BaseCommand):
    help = "校验车牌号并输出一行结果:valid=1 province=苏 city=F local=1 new_energy=0 或 valid=0 reason=…"

    def add_arguments(self, parser):
        parser.add_argument("plate", nargs="+", help="车牌号(可含空格)")

    def handle(self, *args, plate, **options):
        self.stdout.write(parse_plate(" ".join(plate)).line())
