from django.core.management.base import BaseCommand, CommandError

from triage.evaluation import EvalError, evaluate_routing, read_table


class Command(BaseCommand):
    help = ("评估分拨效果。routing FILE.csv(列 address,street_code,community_code);"
            "classify FILE.csv|xlsx --text-col text --label-col label [--cv K]。最后一行为指标。")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["routing", "classify"])
        parser.add_argument("file")
        parser.add_argument("--text-col", default="text", help="文本列;可用“+”连接多列,如 留言主题+留言详情")
        parser.add_argument("--label-col", default="label")
        parser.add_argument("--cv", type=int, default=0, help="K 折分层交叉验证(只用该文件训练和测试)")
        parser.add_argument("--errors", type=int, default=0, help="列出前 N 个错误")
        parser.add_argument("--taxonomy", help="(可选,--cv)分类体系文件:第一列为标签,其余列为其下级分类名,作为额外训练样本")
        parser.add_argument("--unlabelled", nargs="*", default=[],
                            help="(可选,--cv)用于自训练的无标注文件,读取同名文本列")

    def handle(self, what, file, **options):
        try:
            if what == "routing":
                self._routing(file, options)
            else:
                self._classify(file, options)
        except EvalError as exc:
            raise CommandError(str(exc)) from None

    def _routing(self, file, options):
        metrics = evaluate_routing(read_table(file, ["address", "street_code", "community_code"]))
        for address, street, community, result in metrics["errors"][: options["errors"]]:
            self.stdout.write(f"✗ {address} 期望 {street}/{community or '-'} 得到 {result.status} "
                              f"{result.street} {result.community} {result.reason}")
        self.stdout.write(f"street_accuracy={metrics['street_accuracy']:.3f} "
                          f"community_accuracy={metrics['community_accuracy']:.3f} "
                          f"unknown_rate={metrics['unknown_rate']:.3f} n={metrics['n']}")

    def _classify(self, file, options):
        from triage.evaluation_classify import evaluate_classify

        metrics = evaluate_classify(file, options["text_col"], options["label_col"], cv=options["cv"],
                                    unlabelled=options["unlabelled"], stdout=self.stdout,
                                    show_errors=options["errors"], taxonomy=options["taxonomy"])
        self.stdout.write(f"macro_f1={metrics['macro_f1']:.3f} accuracy={metrics['accuracy']:.3f} n={metrics['n']}")
