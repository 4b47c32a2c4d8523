from django.core.management.base import BaseCommand

from triage.classify import train


class Command(BaseCommand):
    help = "用已确认/更正的训练样本训练分类模型,保存为新版本(存入数据库)。"

    def add_arguments(self, parser):
        parser.add_argument("--min-examples", type=int, default=20)

    def handle(self, min_examples, **options):
        model = train(min_examples=min_examples)
        if model is None:
            self.stdout.write("样本不足(或只有一个分类),未训练。")
            return
        self.stdout.write(f"trained version={model.version} examples={model.n_examples} labels={len(model.labels)}")
